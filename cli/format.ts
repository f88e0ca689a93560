/** Plain-text output for people: aligned columns, `-` for an empty cell, nothing fancy to break a pipe. */

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === '' ? '-' : cell)))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  '),
    )
    .join('\n')
    .concat('\n');
}

export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** Machine-readable output: the one JSON document on stdout. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Where a scan looked: the region, after its account when several accounts are searched. */
export const placeOf = ({ accountId, region }: { readonly accountId?: string; readonly region: string }) =>
  accountId ? `${accountId} ${region}` : region;

/** Account and region columns: the account's only when some row has one. */
export function placeColumns(scans: readonly { readonly accountId?: string }[]) {
  const byAccount = scans.some((scan) => scan.accountId !== undefined);
  return {
    headers: byAccount ? ['ACCOUNT', 'REGION'] : ['REGION'],
    cells: (scan: { readonly accountId?: string; readonly region: string }) =>
      byAccount ? [scan.accountId ?? '', scan.region] : [scan.region],
  };
}

interface ScanShape {
  readonly accountId?: string;
  readonly region: string;
  readonly error?: { readonly code: string; readonly message: string };
  readonly endpoints: readonly {
    readonly endpointId: string;
    readonly status: string;
    readonly error?: { readonly code: string; readonly message: string };
  }[];
}

/** One line per region that could not be listed and per endpoint that was not scanned, with EC2's error. */
export const unreadable = (regions: readonly ScanShape[]): string =>
  regions
    .flatMap((region) => [
      ...(region.error
        ? [`${placeOf(region)}: cannot list endpoints: ${region.error.code}: ${region.error.message}`]
        : []),
      ...region.endpoints
        .filter((endpoint) => endpoint.status !== 'scanned')
        .map(
          (endpoint) =>
            `${placeOf(region)} ${endpoint.endpointId}: ${endpoint.status}` +
            (endpoint.error ? `: ${endpoint.error.code}: ${endpoint.error.message}` : ''),
        ),
    ])
    .map((line) => `${line}\n`)
    .join('');

/** " and accounts …" for a progress line, when several accounts are searched. */
export const inAccounts = (accounts: readonly { readonly accountId: string }[] | undefined) =>
  accounts ? `, accounts ${accounts.map((account) => account.accountId).join(', ')}` : '';

/** One line per account whose role could not be assumed, with the reason. */
export const unreachableAccounts = (
  accounts:
    | readonly {
        readonly accountId: string;
        readonly status: string;
        readonly error?: { readonly code: string; readonly message: string };
      }[]
    | undefined,
): string =>
  (accounts ?? [])
    .filter((account) => account.status === 'unreachable')
    .map(
      (account) =>
        `account ${account.accountId}: unreachable` +
        (account.error ? `: ${account.error.code}: ${account.error.message}` : '') +
        '\n',
    )
    .join('');

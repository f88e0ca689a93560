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

interface ScanShape {
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
        ? [`${region.region}: cannot list endpoints: ${region.error.code}: ${region.error.message}`]
        : []),
      ...region.endpoints
        .filter((endpoint) => endpoint.status !== 'scanned')
        .map(
          (endpoint) =>
            `${region.region} ${endpoint.endpointId}: ${endpoint.status}` +
            (endpoint.error ? `: ${endpoint.error.code}: ${endpoint.error.message}` : ''),
        ),
    ])
    .map((line) => `${line}\n`)
    .join('');

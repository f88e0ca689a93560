/**
 * XML for the Query protocols (EC2 and STS awsQuery): a tiny node tree rendered with every value escaped.
 */

/** A value: text, a nested element list (empty → `<name/>`), or undefined (element omitted). */
export type XmlValue = string | number | boolean | undefined | readonly XmlNode[];
export type XmlNode = readonly [name: string, value: XmlValue];

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);

const renderInto = (out: string[], [name, value]: XmlNode): void => {
  if (value === undefined) return;
  if (typeof value === 'object') {
    if (value.length === 0) {
      out.push(`<${name}/>`);
      return;
    }
    out.push(`<${name}>`);
    for (const child of value) renderInto(out, child);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
};

export const renderXml = (node: XmlNode): string => {
  const out: string[] = [];
  renderInto(out, node);
  return out.join('');
};

/** `<name xmlns="namespace">children</name>` with the XML declaration in front. */
export const xmlDocument = (name: string, namespace: string, children: readonly XmlNode[]): string => {
  const out = [XML_DECLARATION, `<${name} xmlns="${namespace}">`];
  for (const child of children) renderInto(out, child);
  out.push(`</${name}>`);
  return out.join('');
};

/** `list` as `<item>` children. */
export const items = <T>(list: readonly T[], render: (value: T) => XmlValue): XmlNode[] =>
  list.map((value) => ['item', render(value)] as const);

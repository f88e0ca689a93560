import * as z from 'zod';
import { InvalidEventError } from './errors.ts';
import { identitySchema } from './identity.ts';

/**
 * How an identity provider's name for a user becomes the name Client VPN sees: the SAML NameID, the
 * Active Directory user name or the certificate common name. Placeholders: `{identity}` (the whole name),
 * `{local}` (before the last `@`) and `{domain}` (after it). Examples: `{local}` strips the email domain,
 * `{local}@corp.example.com` swaps it, `vpn-{local}` adds a prefix.
 */
export interface IdentityMapping {
  /**
   * Which of the source's identity fields to read; each source documents its choices.
   * @default - the source's user name field
   */
  readonly field?: string;
  /**
   * Lower-case the name (after the template).
   * @default false
   */
  readonly lowercase?: boolean;
  /**
   * The name Client VPN sees, with `{identity}`, `{local}` and `{domain}` placeholders.
   * @default '{identity}'
   */
  readonly template?: string;
}

export const identityMappingSchema: z.ZodType<IdentityMapping> = z.strictObject({
  /** Which of the source's identity fields to read; each source documents its choices. */
  field: z.string().min(1).optional(),
  lowercase: z.boolean().optional(),
  template: z
    .string()
    .min(1)
    .refine(
      (template) => (template.match(/\{[^}]*\}/g) ?? []).every((p) => PLACEHOLDERS.includes(p)),
      'expected only the placeholders {identity}, {local} and {domain}',
    )
    .optional(),
});

const PLACEHOLDERS = ['{identity}', '{local}', '{domain}'];

/** Applies a mapping; throws `InvalidEventError` when the result is not a usable identity. */
export function mapIdentity(identity: string, mapping: IdentityMapping = {}): string {
  let mapped = identity;
  if (mapping.template) {
    const at = identity.lastIndexOf('@');
    if (at < 0 && /\{(local|domain)\}/.test(mapping.template)) {
      throw new InvalidEventError(
        `"${identity}" has no @domain for the template "${mapping.template}"`,
        'identity',
      );
    }
    const parts: Record<string, string> = {
      '{identity}': identity,
      '{local}': identity.slice(0, at),
      '{domain}': identity.slice(at + 1),
    };
    mapped = mapping.template.replace(
      /\{(identity|local|domain)\}/g,
      (placeholder) => parts[placeholder] ?? '',
    );
  }
  if (mapping.lowercase) mapped = mapped.toLowerCase();
  const result = identitySchema.safeParse(mapped);
  if (!result.success) {
    throw new InvalidEventError(`mapped to "${mapped}": ${result.error.issues[0]?.message}`, 'identity');
  }
  return result.data;
}

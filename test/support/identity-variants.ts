import fc from 'fast-check';

/** The Active Directory domains the identity property tests configure. */
export const AD_DOMAINS = ['CORP', 'corp.example.com'];

/**
 * A person's base name: ASCII lower case, no domain. Two different bases are two different people (the
 * domain forms are only ever added as spellings of one base).
 */
export const baseIdentity = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
    fc.stringMatching(/^[a-z0-9._-]{0,11}$/),
    fc.constantFrom('', 'fi', 'ss', 'ff', 'k', 'fl'),
  )
  .map(([first, rest, tail]) => `${first}${rest}${tail}`);

/** Characters NFKC and full case folding bring back to the ASCII letter or digit. */
const compatibilityForms = (char: string): string[] => {
  const code = char.charCodeAt(0);
  const forms: string[] = [char, char.toUpperCase()];
  if (/[a-z0-9]/.test(char)) forms.push(String.fromCharCode(code + 0xfee0)); // fullwidth
  if (/[a-z]/.test(char)) {
    forms.push(String.fromCharCode(code - 0x20 + 0xfee0)); // fullwidth capital
    forms.push(String.fromCodePoint(0x1d41a + code - 0x61)); // mathematical bold small
    forms.push(String.fromCodePoint(0x1d400 + code - 0x61)); // mathematical bold capital
  }
  if (char === 'k') forms.push('\u212a'); // KELVIN SIGN
  if (char === 's') forms.push('\u017f'); // LATIN SMALL LETTER LONG S
  return forms;
};

/** Two-letter runs with a single compatibility (or folding) character. */
const LIGATURES: Readonly<Record<string, readonly string[]>> = {
  fi: ['\ufb01'],
  fl: ['\ufb02'],
  ff: ['\ufb00'],
  ss: ['\u00df', '\u1e9e'],
};

/** One spelling of `base`: any mix of case, fullwidth and other compatibility forms, ligatures. */
const respelled = (base: string): fc.Arbitrary<string> => {
  const pieces: fc.Arbitrary<string>[] = [];
  for (let i = 0; i < base.length; i++) {
    const pair = base.slice(i, i + 2);
    const ligatures = LIGATURES[pair];
    if (ligatures) {
      const [first = '', second = ''] = pair;
      pieces.push(
        fc.oneof(
          fc.constantFrom(...ligatures),
          fc
            .tuple(
              fc.constantFrom(...compatibilityForms(first)),
              fc.constantFrom(...compatibilityForms(second)),
            )
            .map(([a, b]) => a + b),
        ),
      );
      i++;
    } else {
      pieces.push(fc.constantFrom(...compatibilityForms(base[i] ?? '')));
    }
  }
  return fc.tuple(...pieces).map((parts) => parts.join(''));
};

/** White space Client VPN may pass through around a typed name (no control characters). */
const padding = fc.constantFrom('', ' ', '  ', '\u00a0', '\u3000', '\u2003');

/** A configured Active Directory form around a spelled name: `CORP\x`, `x@corp.example.com`, or bare. */
const withDomainForm = (spelled: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    spelled,
    `CORP\\${spelled}`,
    `corp\\${spelled}`,
    `${spelled}@corp.example.com`,
    `${spelled}@CORP.EXAMPLE.COM`,
    `ＣＯＲＰ\\${spelled}`,
  );

/** Any spelling of `base` as Client VPN or an identity provider may give it, padded or not. */
export const spellingOf = (base: string, options: { readonly padded?: boolean } = {}): fc.Arbitrary<string> =>
  respelled(base)
    .chain(withDomainForm)
    .chain((name) =>
      options.padded === false
        ? fc.constant(name)
        : fc.tuple(padding, padding).map(([before, after]) => `${before}${name}${after}`),
    );

/** Two different people: bases that differ. */
export const twoPeople = fc.tuple(baseIdentity, baseIdentity).filter(([person, other]) => person !== other);

import { createHash } from 'node:crypto';

/** Deterministic numbers and ids: everything the emulator invents is derived from ids or a fixed seed. */

/** FNV-1a, 32 bit: a cheap number derived from text (`salt` gives independent values for one text). */
export const fnv1a = (text: string, salt = 0): number => {
  let hash = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
};

/** Lowercase hex of the given length (≤ 64) derived from `text`. */
export const hexId = (text: string, length: number): string =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

/** mulberry32: a small seeded PRNG returning numbers in [0, 1). */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** `length` characters of `alphabet` (at most 256 long) derived from `text`. */
export const textId = (text: string, length: number, alphabet: string): string => {
  let out = '';
  for (let block = 0; out.length < length; block++) {
    for (const byte of createHash('sha256').update(`${text}/${block}`).digest()) {
      out += alphabet[byte % alphabet.length];
    }
  }
  return out.slice(0, length);
};

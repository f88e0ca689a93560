import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/core/environment.ts';
import { SOURCE_KEYS, SOURCES } from '../../sources/registry.ts';

// The registry merges every source's context keys and environment variables into one schema each: a name two
// sources shared would silently serve only one of them.
describe('the source registry', () => {
  it('gives every source context keys of its own', () => {
    // Act
    const keys = SOURCE_KEYS.flatMap((key) => Object.keys(SOURCES[key].context.shape));

    // Assess
    expect(keys.length).toBeGreaterThan(SOURCE_KEYS.length);
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
  });

  it("gives every source environment variables of its own, none of them the functions' shared ones", () => {
    // Act
    const names = SOURCE_KEYS.flatMap((key) => Object.keys(SOURCES[key].environment.shape));
    const shared = Object.values(ENV) as string[];

    // Assess
    expect(names.length).toBeGreaterThan(SOURCE_KEYS.length);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
    expect(names.filter((name) => shared.includes(name))).toEqual([]);
  });
});

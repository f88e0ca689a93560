import { BlockList, isIP } from 'node:net';

/**
 * EventBridge event-pattern matching, as documented in the EventBridge user guide ("Event patterns",
 * "Comparison operators"). The same plain-JSON pattern object is handed to CDK for the rule and evaluated
 * here, so the handler accepts exactly what the rule delivers and the demo can prove an event would match.
 *
 * Where the documentation leaves room, this matcher chooses:
 * - Values are compared after JSON parsing, so `300`, `300.0` and `3.0e2` are one number here (EventBridge
 *   compares the literal text of numbers outside `numeric`; a parsed event no longer has it).
 * - Only leaf values (string, number, boolean, null) "exist": a field holding an object, an empty array or
 *   an array of objects satisfies `exists: false`, and so does a field whose parent object is missing.
 * - Arrays are flattened; a nested pattern matches an array of objects when one element satisfies the whole
 *   sub-pattern. `exists: false` inside such an array is judged per element too.
 * - `anything-but` matches any present leaf value not excluded: `"17"` passes `[17]`, a number passes
 *   `{ prefix: … }`; a missing field, an object or an empty array never passes.
 * - `numeric` compares JavaScript numbers (EventBridge's ±5e9 / six-decimal limits are not enforced);
 *   `equals-ignore-case` compares `toLowerCase()` forms; `cidr` accepts IPv4 and IPv6 blocks.
 * - A pattern EventBridge would reject (unknown operator, two operators in one object, malformed operand,
 *   `$or` without two sub-patterns) throws {@link InvalidEventPatternError} instead of matching nothing.
 */
export type EventPattern = { readonly [field: string]: PatternValue };
type PatternValue = readonly Matcher[] | EventPattern | OrBranches;
/** `$or` needs at least two sub-patterns (anything else is an ordinary field name to EventBridge). */
type OrBranches = readonly [EventPattern, EventPattern, ...EventPattern[]];

type IgnoreCase = { readonly 'equals-ignore-case': string };
type Lower = '>' | '>=';
type Upper = '<' | '<=';
type NumericRange = readonly ['=' | Lower | Upper, number] | readonly [Lower, number, Upper, number];
type AnythingButCondition =
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'equals-ignore-case': string | readonly string[] }
  | { readonly wildcard: string | readonly string[] };

/** One entry of a field's array: a literal or a single-operator object. */
export type Matcher =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: string | IgnoreCase }
  | { readonly suffix: string | IgnoreCase }
  | { readonly 'equals-ignore-case': string }
  | { readonly wildcard: string }
  | {
      readonly 'anything-but': string | number | readonly string[] | readonly number[] | AnythingButCondition;
    }
  | { readonly exists: boolean }
  | { readonly numeric: NumericRange }
  | { readonly cidr: string };

export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
}

type Leaf = string | number | boolean | null;
type LeafTest = (value: Leaf) => boolean;
type OperatorMatcher = Extract<Matcher, object>;
type KeysOfUnion<T> = T extends unknown ? keyof T : never;
type Operator = KeysOfUnion<OperatorMatcher>;
type Operand<K extends Operator> = Extract<OperatorMatcher, { readonly [P in K]: unknown }>[K];

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isLeaf = (value: unknown): value is Leaf =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);
const elements = (value: unknown): unknown[] => (Array.isArray(value) ? value.flatMap(elements) : [value]);
const show = (value: unknown) => JSON.stringify(value);
const fold = (text: string) => text.toLowerCase();

export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return isRecord(event) && matchesObject(pattern, event);
}

function matchesObject(pattern: EventPattern, event: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    if (field === '$or') return orBranches(expected).some((branch) => matchesObject(branch, event));
    const actual = event[field];
    if (Array.isArray(expected)) return (expected as readonly Matcher[]).some((m) => matchesField(m, actual));
    if (!isRecord(expected)) {
      throw new InvalidEventPatternError(`field "${field}" needs an array of matchers or a nested pattern`);
    }
    // A missing or scalar parent is an object without fields: only exists:false can match inside it.
    const objects = elements(actual).filter(isRecord);
    return (objects.length > 0 ? objects : [{}]).some((item) => matchesObject(expected, item));
  });
}

function orBranches(value: PatternValue): readonly EventPattern[] {
  if (!Array.isArray(value) || value.length < 2 || !value.every(isRecord)) {
    throw new InvalidEventPatternError(`"$or" needs at least two sub-patterns, got ${show(value)}`);
  }
  // EventBridge reads a "$or" whose sub-patterns use operator names as fields as a plain field named "$or".
  const operator = value
    .flatMap(Object.keys)
    .find((key) => key === 'exists' || Object.hasOwn(operators, key));
  if (operator) throw new InvalidEventPatternError(`"$or" sub-pattern has operator "${operator}" as a field`);
  return value as readonly EventPattern[];
}

function matchesField(matcher: Matcher, actual: unknown): boolean {
  const values = elements(actual).filter(isLeaf);
  if (!isRecord(matcher)) {
    if (!isLeaf(matcher)) throw new InvalidEventPatternError(`unsupported matcher ${show(matcher)}`);
    return values.includes(matcher);
  }
  const [operator, operand] = soleEntry(matcher);
  if (operator === 'exists') {
    if (typeof operand !== 'boolean') throw new InvalidEventPatternError('"exists" needs true or false');
    return operand ? values.length > 0 : values.length === 0;
  }
  return values.some(compile(operator, operand));
}

function soleEntry(matcher: object): [string, unknown] {
  const [entry, ...others] = Object.entries(matcher);
  if (!entry || others.length > 0) {
    throw new InvalidEventPatternError(`a matcher holds exactly one operator, got ${show(matcher)}`);
  }
  return entry;
}

function compile(operator: string, operand: unknown): LeafTest {
  if (!Object.hasOwn(operators, operator)) {
    throw new InvalidEventPatternError(`unsupported event-pattern operator "${operator}"`);
  }
  return (operators[operator as keyof typeof operators] as (operand: unknown) => LeafTest)(operand);
}

function text(operator: string, operand: unknown): string {
  if (typeof operand !== 'string') throw new InvalidEventPatternError(`"${operator}" needs a string`);
  return operand;
}

/** Each operator validates its operand once and returns the test applied to every leaf value. */
const operators: { readonly [K in Exclude<Operator, 'exists'>]: (operand: Operand<K>) => LeafTest } = {
  prefix: (operand) => affix('prefix', operand, (value, start) => value.startsWith(start)),
  suffix: (operand) => affix('suffix', operand, (value, end) => value.endsWith(end)),
  'equals-ignore-case': (operand) => {
    const expected = fold(text('equals-ignore-case', operand));
    return (value) => typeof value === 'string' && fold(value) === expected;
  },
  wildcard: (operand) => {
    const regExp = wildcardRegExp(text('wildcard', operand));
    return (value) => typeof value === 'string' && regExp.test(value);
  },
  'anything-but': (operand) => {
    const excluded = exclusion(operand);
    return (value) => !excluded(value);
  },
  numeric: (operand) => {
    const inRange = numericRange(operand);
    return (value) => typeof value === 'number' && inRange(value);
  },
  cidr: (operand) => {
    const inBlock = cidrBlock(text('cidr', operand));
    return (value) => typeof value === 'string' && inBlock(value);
  },
};

function affix(operator: string, operand: unknown, test: (value: string, part: string) => boolean): LeafTest {
  if (!isRecord(operand)) {
    const part = text(operator, operand);
    return (value) => typeof value === 'string' && test(value, part);
  }
  const [option, part] = soleEntry(operand);
  if (option !== 'equals-ignore-case') {
    throw new InvalidEventPatternError(`unsupported "${operator}" option "${option}"`);
  }
  const folded = fold(text(`${operator}.${option}`, part));
  return (value) => typeof value === 'string' && test(fold(value), folded);
}

const ANYTHING_BUT_CONDITIONS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'] as const;

/** The test for the values an anything-but operand excludes. */
function exclusion(operand: unknown): LeafTest {
  if (isRecord(operand)) {
    const [condition, inner] = soleEntry(operand);
    if (!ANYTHING_BUT_CONDITIONS.some((name) => name === condition)) {
      throw new InvalidEventPatternError(`unsupported "anything-but" condition "${condition}"`);
    }
    const parts: unknown[] = Array.isArray(inner) ? inner : [inner];
    const tests = parts.map((part) => compile(condition, text(condition, part)));
    return (value) => tests.some((test) => test(value));
  }
  const list: unknown[] = Array.isArray(operand) ? operand : [operand];
  const allOf = (type: string) => list.every((item) => typeof item === type);
  if (list.length === 0 || !(allOf('string') || allOf('number'))) {
    throw new InvalidEventPatternError(`"anything-but" needs strings or numbers, got ${show(operand)}`);
  }
  return (value) => list.includes(value);
}

/** `*` is any run of characters, `\*` a star and `\\` a backslash; `**` and other escapes are invalid. */
function wildcardRegExp(pattern: string): RegExp {
  const tokens = pattern.match(/\\[\s\S]?|\*|[^\\*]+/g) ?? [];
  const source = tokens.map((token, index) => {
    if (token === '*') {
      if (tokens[index - 1] === '*') throw new InvalidEventPatternError(`"wildcard" has "**": "${pattern}"`);
      return '[\\s\\S]*';
    }
    if (token.startsWith('\\') && token !== '\\*' && token !== '\\\\') {
      throw new InvalidEventPatternError(`"wildcard" may only escape "*" or "\\" in "${pattern}"`);
    }
    return token.replace(/^\\/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${source.join('')}$`);
}

const COMPARE: Readonly<Record<string, (value: number, bound: number) => boolean>> = {
  '<': (value, bound) => value < bound,
  '<=': (value, bound) => value <= bound,
  '=': (value, bound) => value === bound,
  '>=': (value, bound) => value >= bound,
  '>': (value, bound) => value > bound,
};

/** `[op, n]`, or a lower bound (`>`/`>=`) followed by an upper bound (`<`/`<=`). */
function numericRange(operand: unknown): (value: number) => boolean {
  const [op, bound, upperOp, upperBound, ...extra] = Array.isArray(operand) ? operand : [];
  const isTerm = (name: unknown, limit: unknown, allowed: readonly string[]) =>
    typeof name === 'string' && allowed.includes(name) && Number.isFinite(limit);
  const single = upperOp === undefined && upperBound === undefined && isTerm(op, bound, Object.keys(COMPARE));
  const range = isTerm(op, bound, ['>', '>=']) && isTerm(upperOp, upperBound, ['<', '<=']);
  if (extra.length > 0 || !(single || range)) {
    throw new InvalidEventPatternError(`"numeric" has an invalid range ${show(operand)}`);
  }
  const terms = (
    single
      ? [[op, bound]]
      : [
          [op, bound],
          [upperOp, upperBound],
        ]
  ) as [string, number][];
  return (value) => terms.every(([name, limit]) => COMPARE[name]?.(value, limit) === true);
}

function cidrBlock(cidr: string): (value: string) => boolean {
  const [address = '', bits = '', ...rest] = cidr.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0 || !/^\d+$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128)) {
    throw new InvalidEventPatternError(`"cidr" needs a block like "10.0.0.0/24", got "${cidr}"`);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const block = new BlockList();
  block.addSubnet(address, Number(bits), type);
  return (value) => isIP(value) === family && block.check(value, type);
}

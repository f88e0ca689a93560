/**
 * The subset of EventBridge event-pattern matching the product's rules use. The same pattern object
 * is handed to CDK for the rule and evaluated here, so the handler accepts exactly what the rule
 * delivers and the demo can prove an event would match.
 */
export type EventPattern = { readonly [field: string]: PatternValue };
type PatternValue = readonly Matcher[] | EventPattern | readonly EventPattern[];
type Matcher =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'equals-ignore-case': string }
  | { readonly exists: boolean }
  | { readonly 'anything-but': readonly (string | number)[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isRecord(event)) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    if (field === '$or') {
      return (expected as readonly EventPattern[]).some((branch) => matchesEventPattern(branch, event));
    }
    const actual = event[field];
    if (!Array.isArray(expected)) {
      // A nested pattern matches an array of objects when any element matches.
      const nested = Array.isArray(actual) ? actual : [actual];
      return nested.some((item) => matchesEventPattern(expected as EventPattern, item));
    }
    // EventBridge matches an array-valued field when any of its elements matches.
    const candidates = Array.isArray(actual) ? actual : [actual];
    return (expected as readonly Matcher[]).some((matcher) =>
      isExistsMatcher(matcher)
        ? (actual !== undefined) === matcher.exists
        : candidates.some((value) => matchesValue(matcher, value)),
    );
  });
}

const isExistsMatcher = (matcher: Matcher): matcher is { exists: boolean } =>
  isRecord(matcher) && 'exists' in matcher;

function matchesValue(matcher: Matcher, value: unknown): boolean {
  if (!isRecord(matcher)) return value === matcher;
  if (typeof value !== 'string' && !('anything-but' in matcher)) return false;
  if ('prefix' in matcher) return (value as string).startsWith(matcher.prefix);
  if ('suffix' in matcher) return (value as string).endsWith(matcher.suffix);
  if ('equals-ignore-case' in matcher) {
    return (value as string).toLowerCase() === matcher['equals-ignore-case'].toLowerCase();
  }
  if ('anything-but' in matcher) {
    return value !== undefined && !matcher['anything-but'].includes(value as string | number);
  }
  return false;
}

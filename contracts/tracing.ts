/** Turns tracing on when "true"; Powertools Tracer reads it too. Unset or "false": no tracer is loaded. */
export const TRACE_ENABLED_ENV = 'POWERTOOLS_TRACE_ENABLED';

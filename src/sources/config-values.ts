/**
 * Small value rules every source's config schema shares: environment variables arrive as
 * strings, and `VAR=` must mean "unset" so that defaults apply.
 */

/** Treats a blank string as absent (for `z.preprocess`), so `VAR=` takes the default. */
export const blankToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** Whether the value is an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

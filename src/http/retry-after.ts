/**
 * `Retry-After` header parsing (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 */

const secondsPattern = /^\d+(?:\.\d+)?$/;

/*
 * Date.parse accepts almost anything ("1 2", "2024"), so a date is only tried when the value
 * starts like one of the three HTTP-date forms (IMF-fixdate, RFC 850, asctime), which all begin
 * with a day name.
 */
const httpDatePattern = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i;

/**
 * How many milliseconds a `Retry-After` value asks the client to wait.
 *
 * Fractional seconds are accepted (some proxies send `1.5`) although the RFC only allows
 * integers. A date in the past means "now" (0).
 *
 * @param value - the raw header value, or null/undefined when the header is absent
 * @param now - the current time in epoch ms; injectable for tests
 * @returns the delay in ms, or `undefined` when the header is absent or unparseable
 *
 * @example parseRetryAfter('2') // 2000
 * @example parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:58 GMT')) // 2000
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const trimmed = value?.trim();
  if (trimmed === undefined || trimmed === '') {
    return undefined;
  }
  if (secondsPattern.test(trimmed)) {
    return Math.ceil(Number(trimmed) * 1000);
  }
  if (!httpDatePattern.test(trimmed)) {
    return undefined;
  }
  // asctime carries no zone and HTTP dates are always GMT; Date.parse would read local time.
  const at = Date.parse(/\b(?:GMT|UTC)\b/i.test(trimmed) ? trimmed : `${trimmed} GMT`);
  if (Number.isNaN(at)) {
    return undefined;
  }
  return Math.max(0, at - now);
}

/** Query-parameter helpers the simulators' paging descriptions share. */

/** A copy of `url` with `name` set to `value`, or removed when `value` is `undefined`. */
export function withParam(url: URL, name: string, value: string | undefined): URL {
  const copy = new URL(url);
  if (value === undefined) {
    copy.searchParams.delete(name);
  } else {
    copy.searchParams.set(name, value);
  }
  return copy;
}

/**
 * LiteLLM's page-number paging (`page` from 1, `total_pages = ceil(total / size)`), streamed.
 */

/** One fetched page. `totalPages` is null when the server did not say. */
export type Page<T> = {
  readonly items: readonly T[];
  readonly totalPages: number | null | undefined;
};

/**
 * Yields every item of every page, requesting page N+1 only after page N was consumed.
 * Stops after `totalPages`, on an empty page, or (when `totalPages` is unknown) on a short page.
 * A page that fails to load or parse throws out of the iterator: a list is never silently cut.
 *
 * Items are de-duplicated by `idOf`, because a row created while we page shifts later rows down
 * and would otherwise be yielded twice.
 */
export async function* paginate<T>(
  fetchPage: (page: number) => Promise<Page<T>>,
  pageSize: number,
  idOf: (item: T) => string,
): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  for (let page = 1; ; page += 1) {
    const { items, totalPages } = await fetchPage(page);
    if (items.length === 0) {
      return;
    }
    for (const item of items) {
      const id = idOf(item);
      if (!seen.has(id)) {
        seen.add(id);
        yield item;
      }
    }
    const more = typeof totalPages === 'number' ? page < totalPages : items.length >= pageSize;
    if (!more) {
      return;
    }
  }
}

/**
 * JSON batching: many GETs in `POST /$batch` envelopes of at most 20. Each inner response can be
 * throttled on its own (429 with its own `Retry-After`) while its neighbours succeed; Graph's
 * SDK retries only the outer status, so the throttled inner requests are re-sent here, alone,
 * after the longest wait they asked for.
 *
 * @see https://learn.microsoft.com/graph/json-batching
 * @see https://learn.microsoft.com/graph/throttling#throttling-and-batching
 */
import type { SyncError } from '../../errors.js';
import { mapLimit } from '../../http/limit.js';
import { withRetry, type RetryPolicy, type Sleep } from '../../http/retry.js';
import { batchResponseSchema } from './api.js';
import { endpointOf, graphStatusError, type Graph, type GraphRequestOptions } from './graph.js';
import { graphRetryPolicy, throttledStatuses } from './throttle.js';

/** Graph's limit of requests per batch. */
export const maxBatchSize = 20;

/** One GET, its URL relative to `/v1.0` (e.g. `/groups/{id}/members?$select=id`). */
export type BatchGet = { readonly id: string; readonly url: string };

/** The final inner response of one request: anything but a throttle. */
export type BatchResult = { readonly status: number; readonly body: unknown };

/** Tuning of {@link batchGet}. */
export type BatchOptions = GraphRequestOptions & {
  /** Batches in flight at once. @defaultValue 4 */
  readonly concurrency?: number | undefined;
  readonly retryPolicy?: RetryPolicy | undefined;
  readonly sleep?: Sleep | undefined;
};

/**
 * Sends `requests` in batches of 20 and returns every final inner response by request id.
 * Throttled inner requests are retried; any other status is returned for the caller to judge.
 *
 * @throws SyncError when a batch cannot be sent, or inner requests stay throttled past the policy
 */
export async function batchGet(
  graph: Graph,
  requests: readonly BatchGet[],
  options: BatchOptions = {},
): Promise<Map<string, BatchResult>> {
  const chunks: BatchGet[][] = [];
  for (let start = 0; start < requests.length; start += maxBatchSize) {
    chunks.push(requests.slice(start, start + maxBatchSize));
  }
  const results = new Map<string, BatchResult>();
  const settled = await mapLimit(chunks, options.concurrency ?? 4, chunk =>
    sendChunk(graph, chunk, results, options),
  );
  const failure = settled.find(result => result.status === 'rejected');
  if (failure !== undefined) {
    throw failure.reason;
  }
  return results;
}

/** One batch, re-sending only its throttled requests until none is left. */
async function sendChunk(
  graph: Graph,
  chunk: readonly BatchGet[],
  results: Map<string, BatchResult>,
  options: BatchOptions,
): Promise<void> {
  let pending = chunk;
  await withRetry(
    async () => {
      // The priority goes on each inner request too: Graph throttles them one by one.
      const headers =
        options.priority === undefined ? undefined : { 'x-ms-throttle-priority': options.priority };
      const body = {
        requests: pending.map(({ id, url }) => ({ id, method: 'GET', url, headers })),
      };
      const response = await graph.post('/$batch', body, batchResponseSchema, options);
      const byId = new Map(pending.map(request => [request.id, request]));
      const throttled: BatchGet[] = [];
      let error: SyncError | undefined;
      for (const inner of response.responses) {
        const request = byId.get(inner.id);
        if (request === undefined) {
          continue; // not ours; Graph answers exactly the ids it was sent
        }
        byId.delete(inner.id);
        const innerHeaders = new Headers(inner.headers);
        graph.throttle.observe(inner.status, innerHeaders, true);
        if (throttledStatuses.has(inner.status)) {
          throttled.push(request);
          const candidate = graphStatusError(
            { status: inner.status, headers: innerHeaders },
            inner.body,
            endpointOf('GET', request.url),
          );
          if (error === undefined || (candidate.retryAfterMs ?? 0) > (error.retryAfterMs ?? 0)) {
            error = candidate;
          }
        } else {
          results.set(request.id, { status: inner.status, body: inner.body });
        }
      }
      // A request Graph left unanswered is sent again with the throttled ones.
      throttled.push(...byId.values());
      pending = throttled;
      if (error !== undefined) {
        throw error;
      }
      if (pending.length > 0) {
        throw graphStatusError(
          { status: 503, headers: new Headers() },
          {
            error: {
              code: 'MissingBatchResponse',
              message: `${pending.length} request(s) unanswered`,
            },
          },
          'POST /v1.0/$batch',
        );
      }
    },
    options.retryPolicy ?? graphRetryPolicy,
    { signal: options.signal, sleep: options.sleep },
  );
}

/**
 * `POST /v1.0/$batch`: up to 20 requests with relative URLs, each run through the same pipeline
 * (faults, throttling and handlers apply per inner request, so an inner request can be its own
 * 429 with its own `Retry-After`), answered as `{"responses":[{id,status,headers,body}]}`.
 * With `dependsOn` the requests run in order and a request whose dependency failed gets 424.
 *
 * @see https://learn.microsoft.com/graph/json-batching (reference idp-apis.md §A)
 */
import { z } from 'zod';

import { GraphHttpError, type RequestIds, type SimResponse } from './errors.js';
import { ODATA_JSON, type GraphCall } from './pipeline.js';

/** Graph's documented cap (json-batching.md "Batch size limitations"). */
export const MAX_BATCH_REQUESTS = 20;

const batchSchema = z.object({
  requests: z.array(
    z.object({
      id: z.string().min(1),
      method: z.string().min(1),
      url: z.string().min(1),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
      dependsOn: z.array(z.string()).optional(),
    }),
  ),
});

/** Runs one inner request (counting, faults, pipeline) and returns its answer. */
export type InnerRunner = (call: GraphCall) => Promise<SimResponse>;

/** Header names as Graph writes them inside batch responses. */
const CANONICAL: Record<string, string> = {
  'retry-after': 'Retry-After',
  'content-type': 'Content-Type',
  'cache-control': 'Cache-Control',
  'odata-version': 'OData-Version',
  location: 'Location',
};

function innerHeaders(response: SimResponse): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': ODATA_JSON };
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (!['request-id', 'client-request-id', 'x-ms-ags-diagnostic'].includes(name)) {
      headers[CANONICAL[name] ?? name] = value;
    }
  }
  return headers;
}

function invalid(message: string): GraphHttpError {
  return new GraphHttpError(400, 'BadRequest', message);
}

/** Parses an inner relative URL (`/users?$top=5` or `users?$top=5`). */
function innerCall(request: {
  method: string;
  url: string;
  headers?: Record<string, string> | undefined;
}): GraphCall {
  const url = new URL(
    request.url.startsWith('/') ? request.url : `/${request.url}`,
    'https://batch.invalid',
  );
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    method: request.method.toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers,
  };
}

/**
 * Validates and runs a batch body.
 *
 * @throws GraphHttpError 400 for a malformed batch, more than 20 requests, duplicate ids or
 *   unknown `dependsOn` ids (messages UNVERIFIED: Graph's exact wording was not found)
 */
export async function executeBatch(
  rawBody: string,
  run: InnerRunner,
  ids: RequestIds,
): Promise<SimResponse> {
  let parsed: z.infer<typeof batchSchema>;
  try {
    parsed = batchSchema.parse(JSON.parse(rawBody));
  } catch {
    throw invalid('Invalid batch payload format.');
  }
  const { requests } = parsed;
  if (requests.length > MAX_BATCH_REQUESTS) {
    throw invalid(
      `The batch request contains ${requests.length} requests; the maximum is ${MAX_BATCH_REQUESTS}.`,
    );
  }
  const known = new Set<string>();
  for (const request of requests) {
    const key = request.id.toLowerCase(); // ids are not case-sensitive (json-batching.md)
    if (known.has(key)) {
      throw invalid(`Batch request contains a duplicate id '${request.id}'.`);
    }
    known.add(key);
  }
  for (const request of requests) {
    const missing = request.dependsOn?.find(dep => !known.has(dep.toLowerCase()));
    if (missing !== undefined) {
      throw invalid(`Request '${request.id}' depends on '${missing}', which is not in the batch.`);
    }
  }
  const sequential = requests.some(r => (r.dependsOn ?? []).length > 0);
  const statuses = new Map<string, number>();
  const one = async (request: (typeof requests)[number]): Promise<unknown> => {
    const failed = (request.dependsOn ?? []).find(
      dep => (statuses.get(dep.toLowerCase()) ?? 0) >= 400,
    );
    const response: SimResponse =
      failed !== undefined
        ? {
            status: 424,
            body: {
              error: {
                code: 'FailedDependency',
                message: `Request '${failed}' failed.`,
                innerError: { date: new Date(ids.now).toISOString().slice(0, 19) },
              },
            },
          }
        : await run(innerCall(request));
    statuses.set(request.id.toLowerCase(), response.status);
    return {
      id: request.id,
      status: response.status,
      headers: innerHeaders(response),
      body: response.body,
    };
  };
  const responses: unknown[] = [];
  if (sequential) {
    for (const request of requests) {
      responses.push(await one(request));
    }
  } else {
    responses.push(...(await Promise.all(requests.map(one))));
  }
  return { status: 200, body: { responses }, headers: {} };
}

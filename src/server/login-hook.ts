/**
 * `POST /hooks/login`: an integration (a custom SSO handler, a proxy) tells us someone signed
 * in. Authenticated by a bearer ID token (verify-token.ts) or an HMAC signature over the raw
 * body (hmac.ts); then the body is parsed and a `sync-user` job enqueued. Nothing else: the
 * worker decides what changes, from a fresh read of the IdP.
 *
 * Answers: 202 `{ jobId }`; 401 (no job) for anything unauthenticated; 403 when a bearer token
 * asks for somebody else; 400 with the reason for a malformed body; 413 above 64 KiB (fastify's
 * body limit); 503 when Redis or the provider cannot be asked (try again).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { errorMessage } from '../errors.js';
import type { ServerDeps } from './deps.js';
import { checkSignature, signatureHeader } from './hmac.js';
import { decodeBody, hasDuplicateKeys, hookIdSchema } from './hook-input.js';
import { TokenRejectedError } from './verify-token.js';

/** The largest body accepted, in bytes. */
export const loginHookBodyLimit = 64 * 1024;

const id = hookIdSchema;

/** `{"source":"entra","subject":"<IdP user id>"}` or `{"source":"…","email":"…"}`. */
export const loginHookBodySchema = z.union([
  z.strictObject({ source: id, subject: id }),
  z.strictObject({ source: id, email: z.email().max(512) }),
]);

export type LoginHookBody = z.infer<typeof loginHookBodySchema>;

/** Who authenticated the call. */
type Caller =
  { kind: 'token'; subject: string | undefined; email: string | undefined } | { kind: 'hmac' };

type Refusal = { status: 401 | 503; outcome: string; reason: string };

/** The `POST /hooks/login` handler; fastify hands it the raw body as a Buffer. */
export function createLoginHookHandler(deps: ServerDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const count = (outcome: string): void => deps.metrics.logins.inc({ route: 'hook', outcome });
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const caller = await authenticate(deps, request, raw);
    if ('status' in caller) {
      count(caller.outcome);
      deps.logger.warn({ route: 'hooks/login', reason: caller.reason }, 'login hook refused');
      return caller.status === 503
        ? reply.code(503).header('retry-after', '5').send({ error: caller.reason })
        : reply.code(401).send({ error: 'unauthenticated' });
    }
    const body = parseBody(raw, deps.sources);
    if (!body.ok) {
      count('invalid');
      return reply.code(400).send({ error: body.reason });
    }
    const subject = 'subject' in body.value ? body.value.subject : body.value.email;
    if (caller.kind === 'token' && !sameUser(caller, body.value)) {
      count('forbidden');
      return reply
        .code(403)
        .send({ error: 'a bearer ID token may only ask for a sync of its own user' });
    }
    try {
      const enqueued = await deps.loginQueue.enqueue(
        { source: body.value.source, subject },
        { debounceMs: deps.loginDebounceMs },
      );
      deps.metrics.enqueued.inc({ outcome: 'ok' });
      count('accepted');
      return reply.code(202).send({ jobId: enqueued.jobId });
    } catch (error) {
      deps.metrics.enqueued.inc({ outcome: 'error' });
      count('queue_unavailable');
      deps.logger.error(
        { route: 'hooks/login', err: errorMessage(error) },
        'login sync could not be queued (Redis)',
      );
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: 'the job queue is unavailable; try again' });
    }
  };
}

async function authenticate(
  deps: ServerDeps,
  request: FastifyRequest,
  raw: Buffer,
): Promise<Caller | Refusal> {
  const authorization = request.headers.authorization;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (bearer !== undefined) {
    if (deps.verifyToken === undefined) {
      return { status: 401, outcome: 'unauthenticated', reason: 'bearer tokens need OIDC_ISSUER' };
    }
    try {
      const claims = await deps.verifyToken(bearer);
      const claim = deps.settings.oidc?.subjectClaim ?? 'sub';
      const subject = typeof claims[claim] === 'string' ? claims[claim] : undefined;
      const email = typeof claims['email'] === 'string' ? claims['email'] : undefined;
      return { kind: 'token', subject, email };
    } catch (error) {
      return error instanceof TokenRejectedError
        ? { status: 401, outcome: 'unauthenticated', reason: `ID token refused: ${error.message}` }
        : {
            status: 503,
            outcome: 'idp_error',
            reason: `cannot verify ID tokens now: ${errorMessage(error)}`,
          };
    }
  }
  const signature = request.headers[signatureHeader];
  const secret = deps.settings.loginHookSecret;
  if (typeof signature !== 'string' || secret === undefined) {
    return {
      status: 401,
      outcome: 'unauthenticated',
      reason: 'no bearer token and no (usable) signature',
    };
  }
  const checked = checkSignature(signature, raw, secret, Math.floor(deps.now() / 1000));
  if (!checked.ok) {
    return { status: 401, outcome: 'unauthenticated', reason: `signature ${checked.problem}` };
  }
  try {
    if (!(await deps.replay.firstUse(checked.replayId))) {
      return { status: 401, outcome: 'replayed', reason: 'signature already used' };
    }
  } catch (error) {
    return {
      status: 503,
      outcome: 'queue_unavailable',
      reason: `cannot check for replays: ${errorMessage(error)}`,
    };
  }
  return { kind: 'hmac' };
}

function parseBody(
  raw: Buffer,
  sources: readonly string[],
): { ok: true; value: LoginHookBody } | { ok: false; reason: string } {
  const text = decodeBody(raw);
  if (text === undefined) {
    return { ok: false, reason: 'the body is not UTF-8' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the body is not JSON' };
  }
  if (hasDuplicateKeys(text, json)) {
    return { ok: false, reason: 'the body names a key twice' };
  }
  const parsed = loginHookBodySchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      reason: `expected {"source","subject"} or {"source","email"}: ${parsed.error.issues.map(i => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    };
  }
  if (!sources.includes(parsed.data.source)) {
    return {
      ok: false,
      reason: `source ${parsed.data.source} is not configured (IDP_SOURCES=${sources.join(',')})`,
    };
  }
  return { ok: true, value: parsed.data };
}

function sameUser(
  caller: { subject: string | undefined; email: string | undefined },
  body: LoginHookBody,
): boolean {
  return 'subject' in body
    ? caller.subject !== undefined && caller.subject === body.subject
    : caller.email !== undefined && caller.email.toLowerCase() === body.email.toLowerCase();
}

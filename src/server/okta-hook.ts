/**
 * `GET|POST /hooks/okta`: an Okta event hook. GET answers the one-time verification challenge;
 * POST turns `user.session.start`, `group.user_membership.add|remove` and `user.lifecycle.*`
 * events into per-user syncs. An event is only a hint of which user to look at: the worker
 * re-reads that user from Okta, so a forged or stale event can cause a read, never a change the
 * IdP does not confirm. Every call must carry OKTA_EVENT_HOOK_SECRET as its `Authorization`
 * header (compared in constant time). Okta waits 3 s at most, so nothing here waits for a job.
 * @see https://developer.okta.com/docs/concepts/event-hooks/
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { errorMessage } from '../errors.js';
import type { ServerDeps } from './deps.js';
import { decodeBody, hookIdSchema } from './hook-input.js';

const party = z.looseObject({ id: hookIdSchema, type: z.string().optional() });

/** The parts of Okta's event hook payload this hook reads. */
export const oktaEventsSchema = z.looseObject({
  data: z.looseObject({
    events: z
      .array(
        z.looseObject({
          eventType: z.string(),
          actor: party.optional(),
          target: z.array(party).nullish(),
        }),
      )
      .max(1000),
  }),
});

type OktaEvent = z.infer<typeof oktaEventsSchema>['data']['events'][number];

/** Whether an event is one this hook acts on. */
export function isRelevant(eventType: string): boolean {
  return (
    eventType === 'user.session.start' ||
    eventType === 'group.user_membership.add' ||
    eventType === 'group.user_membership.remove' ||
    eventType.startsWith('user.lifecycle.')
  );
}

/** The Okta user ids an event is about: its User targets, or the actor of a session start. */
export function usersOf(event: OktaEvent): string[] {
  const targets = (event.target ?? []).filter(t => t.type === 'User').map(t => t.id);
  if (targets.length > 0) {
    return targets;
  }
  return event.eventType === 'user.session.start' && event.actor?.type === 'User'
    ? [event.actor.id]
    : [];
}

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/** `GET /hooks/okta`: the verification challenge. */
export function createOktaVerifyHandler(deps: ServerDeps): Handler {
  return async (request, reply) => {
    if (!authorised(deps, request)) {
      return refuse(deps, reply);
    }
    const challenge = request.headers['x-okta-verification-challenge'];
    if (typeof challenge !== 'string' || challenge === '') {
      return reply.code(400).send({ error: 'expected an x-okta-verification-challenge header' });
    }
    deps.metrics.logins.inc({ route: 'okta', outcome: 'verified' });
    return reply.send({ verification: challenge });
  };
}

/** `POST /hooks/okta`: events. */
export function createOktaEventsHandler(deps: ServerDeps): Handler {
  const source = deps.settings.oktaEventHookSource;
  return async (request, reply) => {
    if (!authorised(deps, request)) {
      return refuse(deps, reply);
    }
    const text = decodeBody(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
    let json: unknown;
    try {
      json = text === undefined ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = oktaEventsSchema.safeParse(json);
    if (!parsed.success) {
      deps.metrics.logins.inc({ route: 'okta', outcome: 'invalid' });
      return reply
        .code(400)
        .send({ error: 'expected an Okta event hook payload ({"data":{"events":[…]}})' });
    }
    const subjects = new Set(
      parsed.data.data.events.filter(e => isRelevant(e.eventType)).flatMap(usersOf),
    );
    let queued = 0;
    for (const subject of subjects) {
      const request_ = { source, subject };
      try {
        await deps.loginQueue.enqueue(request_, { debounceMs: deps.loginDebounceMs });
        deps.metrics.enqueued.inc({ outcome: 'ok' });
        queued += 1;
      } catch (error) {
        deps.metrics.enqueued.inc({ outcome: 'error' });
        deps.loginQueue.retryLater(request_, { debounceMs: deps.loginDebounceMs });
        deps.logger.error(
          { route: 'hooks/okta', err: errorMessage(error) },
          'Okta event sync could not be queued (Redis); retrying in the background',
        );
      }
    }
    deps.metrics.logins.inc({
      route: 'okta',
      outcome: queued === subjects.size ? 'accepted' : 'queue_unavailable',
    });
    // Okta does not retry on an error status, so take the events either way (kept for retry above).
    return reply.code(200).send({ users: subjects.size, queued });
  };
}

function authorised(deps: ServerDeps, request: FastifyRequest): boolean {
  const secret = deps.settings.oktaEventHookSecret;
  const given = request.headers.authorization;
  if (secret === undefined || typeof given !== 'string') {
    return false;
  }
  // Hash both sides: equal lengths for timingSafeEqual, and no length leak.
  return timingSafeEqual(digest(given), digest(secret));
}

function refuse(deps: ServerDeps, reply: FastifyReply): FastifyReply {
  deps.metrics.logins.inc({ route: 'okta', outcome: 'unauthenticated' });
  return deps.settings.oktaEventHookSecret === undefined
    ? reply
        .code(404)
        .send({ error: 'the Okta event hook is not configured (OKTA_EVENT_HOOK_SECRET)' })
    : reply.code(401).send({ error: 'unauthenticated' });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

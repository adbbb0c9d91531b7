/**
 * Issue 11, part 6: the parsers at the edges, fuzzed with fast-check (fixed seed, bounded runs).
 * IdP pages and LiteLLM answers go through `parseJsonBody` with each vendor's schema: anything
 * but a `SyncError` thrown is a bug, and no non-object is ever accepted as a record. The LiteLLM
 * error parser never throws; the file source's parser throws only its own errors; the webhook
 * body schemas accept only what they describe.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';

import { ConfigError, SyncError } from '../../src/errors.js';
import { parseJsonBody } from '../../src/http/fetch-json.js';
import { loginHookBodySchema } from '../../src/server/login-hook.js';
import { oktaEventsSchema } from '../../src/server/okta-hook.js';
import {
  auth0MemberSchema,
  auth0RoleSchema,
  auth0UserSchema,
} from '../../src/sources/auth0/api.js';
import { graphGroupSchema, graphUserSchema, pageSchema } from '../../src/sources/entra/api.js';
import { parseDirectoryFile } from '../../src/sources/file/read.js';
import {
  groupsPageSchema,
  membersPageSchema,
  usersPageSchema,
} from '../../src/sources/google/api.js';
import { keycloakGroupSchema, keycloakUserSchema } from '../../src/sources/keycloak/api.js';
import { oktaGroupSchema, oktaUserSchema } from '../../src/sources/okta/api.js';
import {
  oneloginRoleSchema,
  oneloginUserSchema,
  roleMemberSchema,
} from '../../src/sources/onelogin/api.js';
import {
  keyListPageSchema,
  teamListPageSchema,
  teamRowSchema,
  userListPageSchema,
  userRowSchema,
} from '../../src/target/litellm/api.js';
import { parseApiError, toTargetError } from '../../src/target/litellm/errors.js';

const params = { numRuns: 200, seed: 20261104 } as const;

/** Every schema an IdP page or a LiteLLM answer is read with. */
const schemas: Record<string, z.ZodType> = {
  'entra users page': pageSchema(graphUserSchema),
  'entra groups page': pageSchema(graphGroupSchema),
  'okta user': oktaUserSchema,
  'okta group': oktaGroupSchema,
  'google users page': usersPageSchema,
  'google groups page': groupsPageSchema,
  'google members page': membersPageSchema,
  'keycloak user': keycloakUserSchema,
  'keycloak group': keycloakGroupSchema,
  'auth0 user': auth0UserSchema,
  'auth0 role': auth0RoleSchema,
  'auth0 member': auth0MemberSchema,
  'onelogin user': oneloginUserSchema,
  'onelogin role': oneloginRoleSchema,
  'onelogin role member': roleMemberSchema,
  'litellm team row': teamRowSchema,
  'litellm team page': teamListPageSchema,
  'litellm user row': userRowSchema,
  'litellm user page': userListPageSchema,
  'litellm key page': keyListPageSchema,
};

/** Bodies as they come off the wire: JSON of any shape, broken JSON, and plain junk. */
const bodies = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.json({ maxDepth: 3 }).map(text => text.slice(0, Math.floor(text.length / 2))),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '[]',
    '{}',
    '<html>502</html>',
    '\u0000',
    '{"__proto__":{"x":1}}',
    '1e999',
    '"\\ud800"',
  ),
);

/** JSON that is not an object: never a record, whatever the schema. */
const notObjects = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.string(),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
);

describe('fuzzing the parsers at the edges', () => {
  it.each(Object.entries(schemas))(
    '%s: parseJsonBody returns data or throws a SyncError, nothing else',
    (_name, schema) => {
      fc.assert(
        fc.property(bodies, text => {
          try {
            parseJsonBody(text, schema, { endpoint: 'GET /x', code: 'SOURCE_INVALID_RESPONSE' });
          } catch (error) {
            expect(error).toBeInstanceOf(SyncError);
            expect((error as SyncError).code).toBe('SOURCE_INVALID_RESPONSE');
          }
        }),
        params,
      );
    },
  );

  it.each(Object.entries(schemas))(
    '%s: never accepts a non-object as a record',
    (_name, schema) => {
      fc.assert(
        fc.property(notObjects, value => {
          expect(schema.safeParse(value).success).toBe(false);
        }),
        params,
      );
    },
  );

  it('the LiteLLM error parser never throws and keeps its message short', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), bodies, (status, text) => {
        const parsed = parseApiError(status, text);
        expect(parsed.status).toBe(status);
        expect(typeof parsed.message).toBe('string');
        const error = toTargetError(
          status,
          text,
          'POST /team/new',
          new Headers({ 'retry-after': text.slice(0, 20).replace(/[^\x20-\x7e]/g, '') }),
        );
        expect(error).toBeInstanceOf(SyncError);
        // The snippet of an unparsed body is bounded: a 10 MB HTML page is not a message.
        if (parsed.shape === 'unparsed') {
          expect(parsed.message.length).toBeLessThanOrEqual(200);
        }
      }),
      params,
    );
  });

  it('the file source parser throws only its own errors', () => {
    fc.assert(
      fc.property(
        fc.oneof(bodies, fc.string({ maxLength: 300 })),
        fc.constantFrom('d.yaml', 'd.json'),
        (text, file) => {
          try {
            parseDirectoryFile(text, file);
          } catch (error) {
            expect(error instanceof SyncError || error instanceof ConfigError, String(error)).toBe(
              true,
            );
          }
        },
      ),
      params,
    );
  });

  it('webhook body schemas accept only what they describe', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), value => {
        const login = loginHookBodySchema.safeParse(value);
        if (login.success) {
          const keys = Object.keys(login.data).sort();
          expect([
            ['source', 'subject'],
            ['email', 'source'],
          ]).toContainEqual(keys);
        }
        const okta = oktaEventsSchema.safeParse(value);
        if (okta.success) {
          expect(Array.isArray(okta.data.data.events)).toBe(true);
        }
      }),
      params,
    );
    expect(
      loginHookBodySchema.safeParse({ source: 'file', subject: 'a'.repeat(513) }).success,
    ).toBe(false);
    expect(
      loginHookBodySchema.safeParse({ source: 'file', subject: 'alice', extra: 1 }).success,
    ).toBe(false);
    expect(loginHookBodySchema.safeParse({ source: '\u202E', subject: ' ' }).success).toBe(false);
  });
});

/**
 * Public types of the Okta management API simulator: the directory it keeps (users with Okta's
 * real lifecycle statuses, groups with Okta's group types, apps with group assignments), the OAuth
 * service apps it knows, the simulator's options and fault rules.
 *
 * @see /work/shared/reference/idp-apis.md §C
 */
import type { FaultRule } from '../shared/fault-rule.js';

// The rule type is the shared kit's; `dispatch.ts` (`faultAnswer`) says what Okta answers for it.
export type { FaultRule } from '../shared/fault-rule.js';

/** Okta's user `status` enum (management spec `UserStatus`). */
export const userStatuses = [
  'STAGED',
  'PROVISIONED',
  'ACTIVE',
  'RECOVERY',
  'PASSWORD_EXPIRED',
  'LOCKED_OUT',
  'SUSPENDED',
  'DEPROVISIONED',
] as const;

/** One of Okta's user statuses. */
export type UserStatus = (typeof userStatuses)[number];

/** Okta's group `type` enum; the `Everyone` group is the one `BUILT_IN` group. */
export const groupTypes = ['OKTA_GROUP', 'APP_GROUP', 'BUILT_IN'] as const;

/** One of Okta's group types. */
export type GroupType = (typeof groupTypes)[number];

/** A user as the simulator stores it; timestamps are ISO strings with Okta's whole seconds. */
export type SimUser = {
  id: string;
  status: UserStatus;
  created: string;
  activated: string | null;
  statusChanged: string | null;
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  profile: {
    login: string;
    email: string;
    firstName: string | null;
    lastName: string | null;
    displayName?: string | undefined;
  };
};

/** A group; `members` holds direct user ids (Okta has no nested groups). */
export type SimGroup = {
  id: string;
  type: GroupType;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  profile: { name: string; description: string | null };
  members: Set<string>;
};

/** An app instance and the groups assigned to it, in assignment order. */
export type SimApp = {
  id: string;
  label: string;
  groups: string[];
};

/**
 * An OAuth service app allowed to use the client-credentials grant with a `private_key_jwt`
 * assertion. `keys` are public JWKs (RSA or EC); a key without `kid` matches any assertion.
 */
export type SimOAuthClient = {
  clientId: string;
  keys: Record<string, unknown>[];
  /** Scopes granted to the app (Okta API scopes such as `okta.users.read`). */
  scopes: string[];
};

/** Okta's management rate-limit buckets (rl-global-mgmt), named after the endpoints they cover. */
export const bucketNames = [
  'apps',
  'app-by-id',
  'groups',
  'group-by-id',
  'users',
  'user-get',
  'user-write',
  'logs',
  'token',
  'other',
] as const;

/** One rate-limit bucket. */
export type BucketName = (typeof bucketNames)[number];

/** Options of `createOktaSimulator`. */
export type OktaSimulatorOptions = {
  /** @defaultValue 0 (an ephemeral port) */
  port?: number | undefined;
  /** @defaultValue '127.0.0.1' */
  host?: string | undefined;
  /**
   * The org URL put in every absolute link (`Link`, `_links`) and expected as the assertion
   * audience. @defaultValue the listen address, e.g. `http://127.0.0.1:4200`
   */
  publicUrl?: string | undefined;
  /** SSWS API tokens accepted in `Authorization: SSWS <token>`. @defaultValue [] */
  apiTokens?: readonly string[] | undefined;
  /** OAuth service apps for `/oauth2/v1/token`. @defaultValue [] */
  clients?: readonly SimOAuthClient[] | undefined;
  /** Per-minute limits per bucket; unset buckets use Okta's Enterprise figures. */
  rateLimits?: Partial<Record<BucketName, number>> | undefined;
  /** Length of a rate-limit window. @defaultValue 60000 (Okta's per-minute limits) */
  rateLimitWindowMs?: number | undefined;
  /** Concurrent requests allowed before a 429. @defaultValue 75 (Okta's org concurrency limit) */
  maxConcurrent?: number | undefined;
  /** Lifetime of issued access tokens. @defaultValue 3600 */
  accessTokenTtlSeconds?: number | undefined;
  /** The simulator's clock in epoch ms; tests share a virtual one with the client. */
  now?: (() => number) | undefined;
  /** Fixed real-time delay added to every API call. @defaultValue 0 */
  latencyMs?: number | undefined;
  /**
   * Fault rules, checked before authentication and rate limiting (a faulted request does not
   * count against a limit). One without `body` answers Okta's error body for its status; a 429
   * also gets the bucket's `X-Rate-Limit-*` headers.
   */
  faults?: readonly FaultRule[] | undefined;
  /** Seed of the PRNG behind ids, generated orgs and `FaultRule.probability`. @defaultValue 1 */
  seed?: number | undefined;
  /** Serve the unauthenticated `/__sim/*` test-control routes. @defaultValue false */
  control?: boolean | undefined;
};

/** Counters of what the simulator answered. */
export type SimCalls = {
  /** API calls by `"METHOD /path/{id}"` template, faulted and rejected calls included. */
  readonly byEndpoint: Record<string, number>;
  /** 429 answers by endpoint template (rate limit, concurrency or injected). */
  readonly throttled: Record<string, number>;
};

/**
 * The Entra simulator's data vocabulary: directory objects, app registrations, fault rules and
 * throttling knobs. Plain types that import only the shared kit, so every module can use them
 * without cycles.
 *
 * @see /work/shared/reference/idp-apis.md §A, §B
 */
import type { FaultRule } from '../shared/fault-rule.js';

/** A user as the directory stores it. `deletedDateTime` set = soft-deleted (restorable). */
export type SimUser = {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  userPrincipalName: string;
  jobTitle: string | null;
  accountEnabled: boolean;
  createdDateTime: string;
  deletedDateTime: string | null;
};

/** A group. Members are kept by the directory, not on the object. */
export type SimGroup = {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  createdDateTime: string;
  deletedDateTime: string | null;
};

/** What a group member is. */
export type MemberType = 'user' | 'group';

/** One app role an application exposes. */
export type SimAppRole = {
  id: string;
  value: string | null;
  displayName: string;
  description: string;
  allowedMemberTypes: string[];
  isEnabled: boolean;
};

/** One `appRoleAssignment` on a service principal (`appRoleAssignedTo`). */
export type SimAppRoleAssignment = {
  id: string;
  appRoleId: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  principalDisplayName: string;
  resourceId: string;
  resourceDisplayName: string;
  createdDateTime: string;
  deletedDateTime: null;
};

/** A service principal (enterprise application) with the app roles it exposes. */
export type SimServicePrincipal = {
  id: string;
  appId: string;
  displayName: string;
  appRoles: SimAppRole[];
};

/** An application registration allowed to get tokens from the simulator. */
export type SimApp = {
  clientId: string;
  /** Accepted client secret; absent = secrets refused. */
  clientSecret?: string | undefined;
  /** PEM certificates whose keys may sign client assertions. */
  certificates?: readonly string[] | undefined;
  /** Application permissions put in the token's `roles` claim. */
  roles?: readonly string[] | undefined;
  displayName?: string | undefined;
};

/**
 * A fault rule (the shared kit's `FaultRule`) that can also tell top-level from inner `$batch`
 * requests. `path` is matched without the query, e.g. `/v1.0/users*` or
 * `/<tenant>/oauth2/v2.0/token`; inner `$batch` requests are matched as `/v1.0/<url>`. A rule
 * without `body` answers a Graph- or AAD-shaped body for its status, and a 429 or 503 gets
 * `Retry-After: 1` unless its `headers` say otherwise.
 */
export type EntraFaultRule = FaultRule & {
  /** `true`: only inner `$batch` requests; `false`: only top-level requests; absent: both. */
  inBatch?: boolean | undefined;
};

/** Resource-unit throttling of Graph (identity and access service limits). */
export type ThrottleOptions = {
  /**
   * Resource units per app and tenant per window. Default: the documented tier by tenant size
   * (S < 50 users: 3,500; M ≤ 500: 5,000; L: 8,000). `null` switches throttling off.
   */
  limit?: number | null | undefined;
  /** @defaultValue 10000 */
  windowMs?: number | undefined;
  /** Fixed `Retry-After` seconds; default: the seconds left in the current window (ceil). */
  retryAfterSeconds?: number | undefined;
};

/**
 * Page sizes of delta rounds. Graph documents only that "page size varies" for users/groups
 * delta, so the defaults (100 objects, 500 member references per page) are the simulator's
 * choice (UNVERIFIED against Graph's real sizes).
 */
export type PagingOptions = {
  /** Objects per delta page. @defaultValue 100 */
  deltaPageSize?: number | undefined;
  /** `members@delta` entries per delta page; a bigger group spans pages. @defaultValue 500 */
  deltaMembersPerPage?: number | undefined;
};

/** Resource units consumed, by endpoint template (`GET /v1.0/groups/{id}/members`). */
export type ResourceUnitStats = { total: number; byEndpoint: Record<string, number> };

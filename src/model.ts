/**
 * The plain data every layer shares: what an identity provider says about people and groups.
 * No I/O, no imports from the project.
 */

/** Every identity provider this worker can read. `file` is a YAML/JSON directory (GitOps, demo). */
export const sourceNames = [
  'entra',
  'okta',
  'google',
  'keycloak',
  'auth0',
  'onelogin',
  'file',
] as const;

/** One configured IdP connection kind. */
export type SourceName = (typeof sourceNames)[number];

/** A person as the IdP knows them. */
export type IdpUser = {
  /** The IdP's immutable object id (Entra object id, Okta user id, …). */
  readonly externalId: string;
  /** The sign-in name (Entra UPN, Okta `profile.login`). */
  readonly login: string;
  readonly email?: string | undefined;
  readonly displayName?: string | undefined;
  /**
   * False when the IdP says the account is disabled (Entra `accountEnabled=false`, Okta
   * `SUSPENDED`/`DEPROVISIONED`, Google `suspended`, Keycloak `enabled=false`, …).
   */
  readonly active: boolean;
};

/** An in-scope IdP group, with its members flattened through nested groups. */
export type IdpGroup = {
  readonly externalId: string;
  readonly name: string;
  /** `externalId`s of every user reached through this group, directly or through nested groups. */
  readonly memberIds: readonly string[];
};

/** A reference to a group, as returned with a per-user read. */
export type IdpGroupRef = { readonly externalId: string; readonly name: string };

/** One user and every in-scope group they belong to (transitively): the login-hook read. */
export type IdpUserWithGroups = { readonly user: IdpUser; readonly groups: readonly IdpGroupRef[] };

/**
 * What one full read of a source produced. It is `complete` only if every page of every list it
 * needed was read; an incomplete snapshot never leads to a removal.
 */
export type Snapshot = {
  readonly source: SourceName;
  readonly users: ReadonlyMap<string, IdpUser>;
  readonly groups: readonly IdpGroup[];
  readonly complete: boolean;
  /** Why the snapshot is incomplete (empty when complete). */
  readonly problems: readonly string[];
};

/** A per-user read for login-triggered sync: the user is `deleted` when the IdP no longer has them. */
export type UserReading =
  | {
      readonly kind: 'found';
      readonly source: SourceName;
      readonly user: IdpUser;
      readonly groups: readonly IdpGroupRef[];
    }
  | { readonly kind: 'deleted'; readonly source: SourceName; readonly subject: string };

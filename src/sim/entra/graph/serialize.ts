/**
 * How directory objects look on the wire: the properties Graph returns by default, the ones that
 * may be selected, and projection with `$select`. `accountEnabled` is not a default property of
 * users: it is only returned when selected (reference idp-apis.md §A, user-list).
 */
import type { SimGroup, SimServicePrincipal, SimUser } from '../model.js';

/** Default user properties (https://learn.microsoft.com/graph/api/user-list). */
export const USER_DEFAULT = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** Every user property the simulator knows (selectable). */
export const USER_PROPS = [
  ...USER_DEFAULT,
  'accountEnabled',
  'createdDateTime',
  'deletedDateTime',
  'mailNickname',
  'userType',
] as const;

/**
 * Default group properties: a subset of Graph's long default list (classification,
 * membershipRule, onPremises*, proxyAddresses, … are not modelled).
 */
export const GROUP_DEFAULT = [
  'id',
  'deletedDateTime',
  'createdDateTime',
  'description',
  'displayName',
  'groupTypes',
  'mail',
  'mailEnabled',
  'mailNickname',
  'securityEnabled',
  'visibility',
] as const;

/** Selectable group properties. */
export const GROUP_PROPS = GROUP_DEFAULT;

/** Selectable service principal properties. */
export const SP_PROPS = [
  'id',
  'appId',
  'displayName',
  'appRoles',
  'accountEnabled',
  'servicePrincipalType',
] as const;

/** Properties `$filter` accepts, per resource. */
export const FILTERABLE = {
  User: [
    'id',
    'displayName',
    'mail',
    'userPrincipalName',
    'accountEnabled',
    'givenName',
    'surname',
  ],
  Group: ['id', 'displayName', 'mail', 'mailNickname', 'securityEnabled', 'mailEnabled'],
  ServicePrincipal: ['id', 'appId', 'displayName'],
} as const;

/** A user with every known property. */
export function userRecord(user: SimUser): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
    accountEnabled: user.accountEnabled,
    createdDateTime: user.createdDateTime,
    deletedDateTime: user.deletedDateTime,
    mailNickname: user.userPrincipalName.split('@')[0] ?? null,
    userType: 'Member',
  };
}

/** A group with every known property. */
export function groupRecord(group: SimGroup): Record<string, unknown> {
  return { ...group, visibility: null };
}

/** A service principal with every known property. */
export function servicePrincipalRecord(sp: SimServicePrincipal): Record<string, unknown> {
  return { ...sp, accountEnabled: true, servicePrincipalType: 'Application' };
}

/**
 * Keeps `select` (in the caller's order) or the default properties. With `$select`, `id` is only
 * returned when selected on lists and gets (UNVERIFIED: as recalled from Graph; delta always adds
 * it, which group-delta.md states).
 */
export function project(
  record: Record<string, unknown>,
  select: readonly string[] | null,
  defaults: readonly string[],
): Record<string, unknown> {
  const keys = select ?? defaults;
  return Object.fromEntries(keys.filter(k => k in record).map(k => [k, record[k]]));
}

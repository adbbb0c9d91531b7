/**
 * The Keycloak simulator's in-memory realm: users, groups with child groups and direct members,
 * and the confidential clients that may take client-credentials tokens.
 *
 * Departure from Keycloak, on purpose: a group may be the child of more than one parent (real
 * Keycloak groups form a tree). The shared source contract nests one group under two parents,
 * and the source must survive any shape the flattening can meet.
 */

/** A user as the simulator keeps it. */
export type SimKeycloakUser = {
  id: string;
  username: string;
  email?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  enabled: boolean;
  /** Leave `enabled` out of every answer (an unknown status). */
  omitEnabled?: boolean | undefined;
};

/** A group: its direct members (user ids) and direct children (group ids). */
export type SimKeycloakGroup = {
  id: string;
  name: string;
  members: string[];
  children: string[];
};

/** A confidential client. */
export type SimKeycloakClient = { clientId: string; secret: string };

/** A scenario: the realm to load. */
export type KeycloakScenario = {
  readonly realm?: string | undefined;
  readonly users?: readonly SimKeycloakUser[] | undefined;
  readonly groups?: readonly SimKeycloakGroup[] | undefined;
  readonly clients?: readonly SimKeycloakClient[] | undefined;
};

/** The live realm. */
export type KeycloakRealm = {
  name: string;
  readonly users: Map<string, SimKeycloakUser>;
  readonly groups: Map<string, SimKeycloakGroup>;
  readonly clients: Map<string, SimKeycloakClient>;
  /** Groups no group lists as a child, in name order. */
  topGroups(): SimKeycloakGroup[];
  /** The first path to a group (`/parent/child`). */
  pathOf(id: string): string;
  load(scenario: KeycloakScenario): void;
};

/** Creates an empty realm. */
export function createKeycloakRealm(name = 'acme'): KeycloakRealm {
  const users = new Map<string, SimKeycloakUser>();
  const groups = new Map<string, SimKeycloakGroup>();
  const clients = new Map<string, SimKeycloakClient>();
  const parentOf = (id: string) => [...groups.values()].find(group => group.children.includes(id));
  const realm: KeycloakRealm = {
    name,
    users,
    groups,
    clients,
    topGroups: () => {
      const children = new Set([...groups.values()].flatMap(group => group.children));
      return [...groups.values()]
        .filter(group => !children.has(group.id))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    pathOf: id => {
      const names: string[] = [];
      const seen = new Set<string>();
      for (
        let group = groups.get(id);
        group !== undefined && !seen.has(group.id);
        group = parentOf(group.id)
      ) {
        seen.add(group.id);
        names.unshift(group.name);
      }
      return `/${names.join('/')}`;
    },
    load(scenario) {
      realm.name = scenario.realm ?? realm.name;
      users.clear();
      groups.clear();
      for (const user of scenario.users ?? []) {
        users.set(user.id, { ...user });
      }
      for (const group of scenario.groups ?? []) {
        groups.set(group.id, {
          ...group,
          members: [...group.members],
          children: [...group.children],
        });
      }
      for (const client of scenario.clients ?? []) {
        clients.set(client.clientId, { ...client });
      }
    },
  };
  return realm;
}

/** A `UserRepresentation` (brief or full: the same fields here). */
export function userJson(user: SimKeycloakUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    ...(user.firstName === undefined ? {} : { firstName: user.firstName }),
    ...(user.lastName === undefined ? {} : { lastName: user.lastName }),
    ...(user.email === undefined ? {} : { email: user.email }),
    emailVerified: true,
    ...(user.omitEnabled === true ? {} : { enabled: user.enabled }),
    createdTimestamp: 1_700_000_000_000,
    totp: false,
    notBefore: 0,
  };
}

/** A `GroupRepresentation` as Keycloak ≥ 23 lists it: `subGroupCount`, no nested `subGroups`. */
export function groupJson(realm: KeycloakRealm, group: SimKeycloakGroup): Record<string, unknown> {
  return {
    id: group.id,
    name: group.name,
    path: realm.pathOf(group.id),
    subGroupCount: group.children.length,
    subGroups: [],
    attributes: {},
    realmRoles: [],
    clientRoles: {},
    access: {
      view: true,
      viewMembers: true,
      manageMembers: false,
      manage: false,
      manageMembership: false,
    },
  };
}

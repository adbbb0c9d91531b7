/**
 * The Google simulator's in-memory Workspace: users with their status flags, groups with direct
 * members (users or groups), and lookups by id or e-mail (case-insensitive, as Google's keys).
 */

/** A user as the simulator keeps it. */
export type SimGoogleUser = {
  id: string;
  primaryEmail: string;
  givenName?: string | undefined;
  familyName?: string | undefined;
  suspended: boolean;
  archived: boolean;
  /** Leave `suspended` and `archived` out of every answer (the Firezone case). */
  omitStatus?: boolean | undefined;
};

/** A group member: a user or a nested group, by id. */
export type SimGoogleMember = { id: string; type: 'USER' | 'GROUP'; role?: string | undefined };

/** A group as the simulator keeps it. */
export type SimGoogleGroup = {
  id: string;
  email: string;
  name: string;
  members: SimGoogleMember[];
};

/** A scenario: the directory to load. */
export type GoogleScenario = {
  readonly users?: readonly SimGoogleUser[] | undefined;
  readonly groups?: readonly SimGoogleGroup[] | undefined;
};

/** The live directory. */
export type GoogleDirectory = {
  readonly users: Map<string, SimGoogleUser>;
  readonly groups: Map<string, SimGoogleGroup>;
  /** A user by id, primary e-mail (any case) or `undefined`. */
  findUser(key: string): SimGoogleUser | undefined;
  /** A group by id, e-mail (any case) or `undefined`. */
  findGroup(key: string): SimGoogleGroup | undefined;
  load(scenario: GoogleScenario): void;
};

/** Creates an empty directory. */
export function createGoogleDirectory(): GoogleDirectory {
  const users = new Map<string, SimGoogleUser>();
  const groups = new Map<string, SimGoogleGroup>();
  const byMail = <T extends { id: string }>(
    map: Map<string, T>,
    mail: (item: T) => string,
    key: string,
  ): T | undefined => {
    const direct = map.get(key);
    if (direct !== undefined) {
      return direct;
    }
    const lower = key.toLowerCase();
    return [...map.values()].find(item => mail(item).toLowerCase() === lower);
  };
  return {
    users,
    groups,
    findUser: key => byMail(users, user => user.primaryEmail, key),
    findGroup: key => byMail(groups, group => group.email, key),
    load(scenario) {
      users.clear();
      groups.clear();
      for (const user of scenario.users ?? []) {
        users.set(user.id, { ...user });
      }
      for (const group of scenario.groups ?? []) {
        groups.set(group.id, { ...group, members: group.members.map(member => ({ ...member })) });
      }
    },
  };
}

/** The Directory API form of a user (`projection=basic`). */
export function userJson(user: SimGoogleUser): Record<string, unknown> {
  const givenName = user.givenName ?? '';
  const familyName = user.familyName ?? '';
  return {
    kind: 'admin#directory#user',
    id: user.id,
    etag: `"${user.id}"`,
    primaryEmail: user.primaryEmail,
    name: { givenName, familyName, fullName: `${givenName} ${familyName}`.trim() },
    isAdmin: false,
    customerId: 'C0sim0001',
    orgUnitPath: '/',
    ...(user.omitStatus === true ? {} : { suspended: user.suspended, archived: user.archived }),
  };
}

/** The Directory API form of a group. */
export function groupJson(group: SimGoogleGroup): Record<string, unknown> {
  return {
    kind: 'admin#directory#group',
    id: group.id,
    etag: `"${group.id}"`,
    email: group.email,
    name: group.name,
    description: '',
    directMembersCount: String(group.members.length),
    adminCreated: true,
  };
}

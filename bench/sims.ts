/**
 * The simulators of a benchmark, in a child process of their own so the engine's CPU time and
 * RSS (measured in the parent) do not include the simulators' work. Driven over Node IPC:
 * the parent sends `{ id, cmd, ... }` and gets `{ id, result }` or `{ id, error }` back.
 *
 * One IdP simulator (Entra, or Okta with `idp: 'okta'`) and an empty LiteLLM simulator.
 *
 * Started by `bench/harness.ts` with `fork(…, { execArgv: ['--import', 'tsx'] })`.
 */
import process from 'node:process';

import { createEntraSimulator } from '../src/sim/entra/server.js';
import { generateTenant } from '../src/sim/entra/synthetic.js';
import { createLiteLLMSimulator } from '../src/sim/litellm/server.js';
import { createPrng } from '../src/sim/okta/faults.js';
import { generateOrg } from '../src/sim/okta/generate.js';
import { createOktaSimulator } from '../src/sim/okta/server.js';
import type { ChurnResult, IdpInfo, SimCommand, SimCounters, SimInfo } from './protocol.js';

const masterKey = 'sk-bench';
const oktaApiToken = '00bench-ssws-token';
/**
 * How far in the past the Okta org is generated. Okta's incremental read looks 2 minutes before
 * its watermark (read-incremental.ts `overlapMs`); an org created seconds before the run would
 * make every group look changed to the no-op delta. A real org's groups were not all created in
 * the last two minutes, so the generated one is dated an hour back.
 */
const oktaBackdateMs = 3_600_000;

type StartCommand = Extract<SimCommand, { cmd: 'start' }>;

/** The directory writes churn needs, over either simulator. */
type DirectoryPort = {
  /** Creates an enabled user from a short unique name; returns its id. */
  addUser(name: string): string;
  addMember(groupId: string, userId: string): void;
  removeMember(groupId: string, userId: string): void;
};

/** The running IdP simulator: counters and shutdown, whichever it is. */
type IdpSide = {
  readonly name: 'entra' | 'okta';
  readonly directory: DirectoryPort;
  calls(): { byEndpoint: Record<string, number>; throttled: Record<string, number> };
  resourceUnits(): SimCounters['resourceUnits'];
  resetCounters(): void;
  close(): Promise<void>;
};

type Seeded = {
  readonly idp: IdpSide;
  /** Direct members by group id, in generation order (users and, for Entra, nested groups). */
  readonly members: Map<string, string[]>;
  readonly userIds: string[];
  readonly info: IdpInfo;
};

type Started = Seeded & {
  readonly litellm: Awaited<ReturnType<typeof createLiteLLMSimulator>>;
  readonly info: SimInfo;
  nextUser: number;
};

async function start(command: StartCommand): Promise<Started> {
  const seeded = command.idp === 'okta' ? await startOkta(command) : await startEntra(command);
  const litellm = await createLiteLLMSimulator({ masterKey, latencyMs: command.latencyMs });
  const info: SimInfo = {
    ...seeded.info,
    litellm: { url: litellm.url, masterKey },
    userIds:
      command.sampleUsers > 0
        ? inSomeGroup(seeded.members, seeded.userIds).slice(0, command.sampleUsers)
        : [],
  };
  return { ...seeded, litellm, info, nextUser: 0 };
}

/** Entra seeded by `generateTenant` (nested groups included), throttle at the default tier. */
async function startEntra(command: StartCommand): Promise<Seeded> {
  const scenario = generateTenant({
    users: command.users,
    groups: command.groups,
    memberships: command.memberships,
    nestedGroups: command.nestedGroups,
    groupPrefix: 'ai-team-',
    seed: 42,
  });
  const entra = await createEntraSimulator({ scenario, latencyMs: command.latencyMs });
  const directory: DirectoryPort = {
    addUser: name =>
      entra.directory.addUser({
        displayName: `Joiner ${name}`,
        userPrincipalName: `${name}@contoso.onmicrosoft.com`,
        mail: `${name}@contoso.onmicrosoft.com`,
        accountEnabled: true,
      }).id,
    addMember: (groupId, userId) => entra.directory.addMember(groupId, userId),
    removeMember: (groupId, userId) => entra.directory.removeMember(groupId, userId),
  };
  return {
    idp: {
      name: 'entra',
      directory,
      calls: () => ({ byEndpoint: entra.calls(), throttled: {} }),
      resourceUnits: () => entra.resourceUnits(),
      resetCounters: () => entra.resetCounters(),
      close: () => entra.close(),
    },
    members: new Map(scenario.groups?.map(g => [g.id ?? '', [...(g.members ?? [])]]) ?? []),
    userIds: (scenario.users ?? []).map(u => u.id ?? ''),
    info: {
      idp: 'entra',
      entra: {
        url: entra.url,
        tenantId: entra.tenantId,
        clientId: entra.clientId,
        clientSecret: entra.clientSecret,
      },
    },
  };
}

/**
 * Okta seeded by `generateOrg`: the same users and groups, each group with
 * round(memberships / groups) members. Okta has no nested groups, so `nestedGroups` is ignored.
 * Okta's per-minute rate limits stay at their Enterprise defaults: they bound an Okta read.
 */
async function startOkta(command: StartCommand): Promise<Seeded> {
  let backdateMs = oktaBackdateMs;
  const okta = await createOktaSimulator({
    apiTokens: [oktaApiToken],
    latencyMs: command.latencyMs,
    now: () => Date.now() - backdateMs,
    seed: 42,
  });
  const { userIds, groupIds } = generateOrg(
    okta.directory,
    {
      users: command.users,
      groups: command.groups,
      membersPerGroup: Math.round(command.memberships / Math.max(1, command.groups)),
      groupNamePrefix: 'ai-team-',
    },
    createPrng(42),
  );
  // From here on the simulator's clock is real time: churn and every answer's `Date` are now.
  backdateMs = 0;
  const members = new Map(
    groupIds.map(id => [id, [...okta.directory.membersOf(id)].map(u => u.id)]),
  );
  const directory: DirectoryPort = {
    addUser: name =>
      okta.directory.createUser({
        login: `${name}@example.com`,
        email: `${name}@example.com`,
        firstName: 'Joiner',
        lastName: name,
      }).id,
    // Both move the group's `lastMembershipUpdated`, which the incremental group filter reads.
    addMember: (groupId, userId) => okta.directory.addMember(groupId, userId),
    removeMember: (groupId, userId) => okta.directory.removeMember(groupId, userId),
  };
  return {
    idp: {
      name: 'okta',
      directory,
      calls: () => okta.calls(),
      resourceUnits: () => undefined,
      resetCounters: () => okta.resetCounters(),
      close: () => okta.close(),
    },
    members,
    userIds,
    info: { idp: 'okta', okta: { url: okta.url, apiToken: oktaApiToken } },
  };
}

/** The users that belong to at least one group, in generation order. */
function inSomeGroup(
  members: ReadonlyMap<string, readonly string[]>,
  userIds: readonly string[],
): string[] {
  const grouped = new Set<string>();
  for (const list of members.values()) {
    for (const id of list) {
      grouped.add(id);
    }
  }
  return userIds.filter(id => grouped.has(id));
}

function cpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

function counters(sims: Started): SimCounters {
  const idp = sims.idp.calls();
  return {
    idp: idp.byEndpoint,
    idpThrottled: idp.throttled,
    litellm: sims.litellm.calls(),
    litellmWrites: sims.litellm.writes().length,
    cpuMs: cpuMs(),
    resourceUnits: sims.idp.resourceUnits(),
  };
}

/**
 * 1 % churn: per 100 users one change — a quarter joiners (new user into one group), half movers
 * (one membership added, one removed), a quarter group additions (existing user into another group).
 * Nobody is disabled or deleted, so no deprovision confirmation or threshold gets in the way.
 * The same draws on either IdP, through its directory's own writes (which move Okta's timestamps).
 */
function churn(sims: Started, share: number, seed: number): ChurnResult {
  let state = seed;
  const rand = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const { directory } = sims.idp;
  const groupIds = [...sims.members.keys()];
  const userGroupIds = new Set(groupIds);
  const touched = new Set<string>();
  const changes = Math.max(1, Math.round(sims.userIds.length * share));
  const result = { changes, addedMemberships: 0, removedMemberships: 0, newUsers: 0 };
  for (let i = 0; i < changes; i += 1) {
    const groupId = groupIds[rand(groupIds.length)] ?? '';
    const list = sims.members.get(groupId) ?? [];
    const kind = i % 4;
    if (kind === 0) {
      sims.nextUser += 1;
      const userId = directory.addUser(`churn${String(sims.nextUser).padStart(6, '0')}`);
      directory.addMember(groupId, userId);
      touched.add(groupId);
      list.push(userId);
      sims.userIds.push(userId);
      result.newUsers += 1;
      result.addedMemberships += 1;
    } else {
      const userId = sims.userIds[rand(sims.userIds.length)] ?? '';
      if (!list.includes(userId)) {
        directory.addMember(groupId, userId);
        touched.add(groupId);
        list.push(userId);
        result.addedMemberships += 1;
      }
      if (kind !== 3) {
        const other = groupIds[rand(groupIds.length)] ?? '';
        const otherList = sims.members.get(other) ?? [];
        const victim = otherList.findIndex(id => !userGroupIds.has(id));
        if (victim >= 0 && other !== groupId) {
          directory.removeMember(other, otherList[victim] ?? '');
          touched.add(other);
          otherList.splice(victim, 1);
          result.removedMemberships += 1;
        }
      }
    }
  }
  // Entra's delta returns the changes inline; only Okta's minimum depends on the changed groups.
  return sims.idp.name === 'okta' ? { ...result, changedGroups: touched.size } : result;
}

function regroup(sims: Started, userIds: readonly string[]): number {
  const groupIds = [...sims.members.keys()];
  let added = 0;
  userIds.forEach((userId, i) => {
    for (let k = 0; k < groupIds.length; k += 1) {
      const groupId = groupIds[(i + k) % groupIds.length] ?? '';
      const list = sims.members.get(groupId) ?? [];
      if (!list.includes(userId)) {
        sims.idp.directory.addMember(groupId, userId);
        list.push(userId);
        added += 1;
        return;
      }
    }
  });
  return added;
}

let sims: Started | undefined;

async function handle(command: SimCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'start':
      sims = await start(command);
      return sims.info;
    case 'counters':
      return sims === undefined ? undefined : counters(sims);
    case 'reset':
      sims?.idp.resetCounters();
      return undefined;
    case 'churn':
      return sims === undefined ? undefined : churn(sims, command.share, command.seed);
    case 'regroup':
      return sims === undefined ? 0 : regroup(sims, command.userIds);
    case 'memory':
      return process.memoryUsage().rss;
    case 'close':
      await sims?.idp.close();
      await sims?.litellm.close();
      setImmediate(() => process.exit(0));
      return undefined;
  }
}

process.on('message', (message: { id: number } & SimCommand) => {
  handle(message).then(
    result => process.send?.({ id: message.id, result }),
    (error: unknown) =>
      process.send?.({
        id: message.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
process.on('disconnect', () => process.exit(0));

/**
 * The simulators of a benchmark, in a child process of their own so the engine's CPU time and
 * RSS (measured in the parent) do not include the simulators' work. Driven over Node IPC:
 * the parent sends `{ id, cmd, ... }` and gets `{ id, result }` or `{ id, error }` back.
 *
 * Started by `bench/harness.ts` with `fork(…, { execArgv: ['--import', 'tsx'] })`.
 */
import process from 'node:process';

import { createEntraSimulator } from '../src/sim/entra/server.js';
import { generateTenant } from '../src/sim/entra/synthetic.js';
import { createLiteLLMSimulator } from '../src/sim/litellm/server.js';
import type { SimCommand, SimInfo, SimCounters } from './protocol.js';

const masterKey = 'sk-bench';

type Started = Awaited<ReturnType<typeof start>>;

async function start(command: Extract<SimCommand, { cmd: 'start' }>) {
  const scenario = generateTenant({
    users: command.users,
    groups: command.groups,
    memberships: command.memberships,
    nestedGroups: command.nestedGroups,
    groupPrefix: 'ai-team-',
    seed: 42,
  });
  const entra = await createEntraSimulator({ scenario, latencyMs: command.latencyMs });
  const litellm = await createLiteLLMSimulator({ masterKey, latencyMs: command.latencyMs });
  const members = new Map(scenario.groups?.map(g => [g.id ?? '', [...(g.members ?? [])]]) ?? []);
  const userIds = (scenario.users ?? []).map(u => u.id ?? '');
  const info: SimInfo = {
    entra: {
      url: entra.url,
      tenantId: entra.tenantId,
      clientId: entra.clientId,
      clientSecret: entra.clientSecret,
    },
    litellm: { url: litellm.url, masterKey },
    userIds:
      command.sampleUsers > 0 ? inSomeGroup(members, userIds).slice(0, command.sampleUsers) : [],
  };
  return { entra, litellm, members, userIds, info, nextUser: 0 };
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
  return {
    entra: sims.entra.calls(),
    litellm: sims.litellm.calls(),
    litellmWrites: sims.litellm.writes().length,
    cpuMs: cpuMs(),
    resourceUnits: sims.entra.resourceUnits(),
  };
}

/**
 * 1 % churn: per 100 users one change — a quarter joiners (new user into one group), half movers
 * (one membership added, one removed), a quarter group additions (existing user into another group).
 * Nobody is disabled or deleted, so no deprovision confirmation or threshold gets in the way.
 */
function churn(
  sims: Started,
  share: number,
  seed: number,
): { changes: number; addedMemberships: number; removedMemberships: number; newUsers: number } {
  let state = seed;
  const rand = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const groupIds = [...sims.members.keys()];
  const userGroupIds = new Set(groupIds);
  const changes = Math.max(1, Math.round(sims.userIds.length * share));
  const result = { changes, addedMemberships: 0, removedMemberships: 0, newUsers: 0 };
  for (let i = 0; i < changes; i += 1) {
    const groupId = groupIds[rand(groupIds.length)] ?? '';
    const list = sims.members.get(groupId) ?? [];
    const kind = i % 4;
    if (kind === 0) {
      sims.nextUser += 1;
      const n = `churn${String(sims.nextUser).padStart(6, '0')}`;
      const user = sims.entra.directory.addUser({
        displayName: `Joiner ${n}`,
        userPrincipalName: `${n}@contoso.onmicrosoft.com`,
        mail: `${n}@contoso.onmicrosoft.com`,
        accountEnabled: true,
      });
      sims.entra.directory.addMember(groupId, user.id);
      list.push(user.id);
      sims.userIds.push(user.id);
      result.newUsers += 1;
      result.addedMemberships += 1;
    } else {
      const userId = sims.userIds[rand(sims.userIds.length)] ?? '';
      if (!list.includes(userId)) {
        sims.entra.directory.addMember(groupId, userId);
        list.push(userId);
        result.addedMemberships += 1;
      }
      if (kind !== 3) {
        const other = groupIds[rand(groupIds.length)] ?? '';
        const otherList = sims.members.get(other) ?? [];
        const victim = otherList.findIndex(id => !userGroupIds.has(id));
        if (victim >= 0 && other !== groupId) {
          sims.entra.directory.removeMember(other, otherList[victim] ?? '');
          otherList.splice(victim, 1);
          result.removedMemberships += 1;
        }
      }
    }
  }
  return result;
}

function regroup(sims: Started, userIds: readonly string[]): number {
  const groupIds = [...sims.members.keys()];
  let added = 0;
  userIds.forEach((userId, i) => {
    for (let k = 0; k < groupIds.length; k += 1) {
      const groupId = groupIds[(i + k) % groupIds.length] ?? '';
      const list = sims.members.get(groupId) ?? [];
      if (!list.includes(userId)) {
        sims.entra.directory.addMember(groupId, userId);
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
      sims?.entra.resetCounters();
      return undefined;
    case 'churn':
      return sims === undefined ? undefined : churn(sims, command.share, command.seed);
    case 'regroup':
      return sims === undefined ? 0 : regroup(sims, command.userIds);
    case 'memory':
      return process.memoryUsage().rss;
    case 'close':
      await sims?.entra.close();
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

/** Who a `resync --group` covers. Shared by the worker and the CLI's inline fallback. */
import type { IdpGroup } from '../src/model.js';
import type { ReconcileDeps } from '../src/reconcile/run-types.js';

/** The people to sync for a group, and whether the IdP still has it in scope. */
export type GroupMembers = {
  readonly found: boolean;
  readonly teamId: string;
  readonly subjects: readonly string[];
};

/**
 * Every current member of the group (found by id, else by name, case-insensitive) and everyone
 * whose membership of its team this worker granted — a per-user sync of each adds the missing
 * and removes what the IdP no longer backs.
 * @throws what the source throws while listing groups
 */
export async function groupMembers(
  deps: ReconcileDeps,
  group: string,
  signal?: AbortSignal,
): Promise<GroupMembers> {
  const found = await findGroup(deps.source.listGroups(signal), group);
  const teamId = found?.externalId ?? group;
  const ownership = deps.store.ownership(deps.source.name);
  const granted = [...ownership.grants.values()]
    .filter(grant => grant.teamId === teamId)
    .map(grant => ownership.users.get(grant.userId)?.externalId)
    .filter((id): id is string => id !== undefined);
  return {
    found: found !== undefined,
    teamId,
    subjects: [...new Set([...(found?.memberIds ?? []), ...granted])].sort(),
  };
}

async function findGroup(
  groups: AsyncIterable<IdpGroup>,
  wanted: string,
): Promise<IdpGroup | undefined> {
  const folded = wanted.toLowerCase();
  let byName: IdpGroup | undefined;
  for await (const group of groups) {
    if (group.externalId === wanted) {
      return group;
    }
    if (byName === undefined && group.name.toLowerCase() === folded) {
      byName = group;
    }
  }
  return byName;
}

/** The message when a group is neither in scope nor behind any grant. */
export function unknownGroupMessage(source: string, group: string): string {
  return `group ${group} is not an in-scope group of ${source}, and nobody holds a membership of team ${group} this worker granted`;
}

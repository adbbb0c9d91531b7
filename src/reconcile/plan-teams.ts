import type { IdpGroup } from '../model.js';
import type { Ownership } from '../store/types.js';
import type { Team } from '../target/types.js';
import { managedMarker, teamTemplate, type MappingRules } from './mapping.js';
import type { GroupRemovedAction, Operation } from './operations.js';

/**
 * Team operations: create the team of every in-scope group, rename managed teams whose group
 * was renamed, and adopt a team that already carries the group's id but is not managed yet.
 * A team marked as managed by another source is left alone with a warning.
 */
export function planTeams(
  source: string,
  groups: readonly IdpGroup[],
  teams: ReadonlyMap<string, Team>,
  ownership: Ownership,
  rules: MappingRules,
  warn: (message: string) => void,
): Operation[] {
  const operations: Operation[] = [];
  for (const group of groups) {
    const teamId = group.externalId;
    const team = teams.get(teamId);
    if (team === undefined) {
      operations.push({
        kind: 'createTeam',
        teamId,
        alias: group.name,
        externalId: group.externalId,
        settings: teamTemplate(rules, group.name),
      });
    } else if (ownership.teams.has(teamId)) {
      if (isOrphaned(team.metadata)) {
        // The group is back: take the orphan mark off (and unblock, if ON_GROUP_REMOVED=block did).
        operations.push({
          kind: 'adoptTeam',
          teamId,
          alias: group.name,
          externalId: group.externalId,
          metadata: { ...team.metadata, idp_sync: managedMarker(source, group.externalId) },
          unblock: team.blocked ? true : undefined,
        });
      } else if (team.alias !== group.name) {
        operations.push({
          kind: 'renameTeam',
          teamId,
          externalId: group.externalId,
          from: team.alias,
          to: group.name,
        });
      }
    } else if (
      markerSource(team.metadata) !== undefined &&
      markerSource(team.metadata) !== source
    ) {
      warn(`team ${teamId} is managed by source ${markerSource(team.metadata)}; left alone`);
    } else {
      operations.push({
        kind: 'adoptTeam',
        teamId,
        alias: group.name,
        externalId: group.externalId,
        metadata: { ...team.metadata, idp_sync: managedMarker(source, group.externalId) },
      });
    }
  }
  return operations;
}

/** The source named by an object's `metadata.idp_sync` marker, if any. */
export function markerSource(metadata: Readonly<Record<string, unknown>>): string | undefined {
  const marker = metadata['idp_sync'];
  if (typeof marker === 'object' && marker !== null && 'source' in marker) {
    const value = marker.source;
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/**
 * Managed teams whose group is gone from a complete read (deleted in the IdP or out of scope):
 * retired per ON_GROUP_REMOVED. `keep` and `block` mark the team orphaned in its metadata (and
 * are not repeated once marked); `delete` deletes it. The grants are removed by the planner's
 * usual grant removals, since no group backs them any more.
 */
export function planRetirements(
  groups: readonly IdpGroup[],
  teams: ReadonlyMap<string, Team>,
  ownership: Ownership,
  action: GroupRemovedAction,
  now: number,
): Operation[] {
  const live = new Set(groups.map(g => g.externalId));
  const operations: Operation[] = [];
  for (const managed of ownership.teams.values()) {
    const team = teams.get(managed.teamId);
    if (
      live.has(managed.teamId) ||
      team === undefined ||
      (action !== 'delete' && isOrphaned(team.metadata))
    ) {
      continue;
    }
    const marker = team.metadata['idp_sync'];
    const metadata = {
      ...team.metadata,
      idp_sync: {
        ...(typeof marker === 'object' && marker !== null ? marker : {}),
        orphaned: true,
        orphaned_at: new Date(now).toISOString(),
      },
    };
    operations.push({
      kind: 'retireTeam',
      teamId: managed.teamId,
      externalId: managed.externalId,
      action,
      metadata,
    });
  }
  return operations;
}

/** Whether a team carries this worker's orphan mark. */
export function isOrphaned(metadata: Readonly<Record<string, unknown>>): boolean {
  const marker = metadata['idp_sync'];
  return (
    typeof marker === 'object' &&
    marker !== null &&
    'orphaned' in marker &&
    marker.orphaned === true
  );
}

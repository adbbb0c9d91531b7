import type { IdpGroup } from '../model.js';
import type { Ownership } from '../store/types.js';
import type { Team } from '../target/types.js';
import { managedMarker, teamTemplate, type MappingRules } from './mapping.js';
import type { Operation } from './operations.js';

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
      if (team.alias !== group.name) {
        operations.push({ kind: 'renameTeam', teamId, externalId: group.externalId, from: team.alias, to: group.name });
      }
    } else if (markerSource(team.metadata) !== undefined && markerSource(team.metadata) !== source) {
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

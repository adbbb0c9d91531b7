import { errorMessage } from '../errors.js';
import type { IdpGroup, IdpUser, Snapshot } from '../model.js';
import type { ReadMode, Source } from '../sources/types.js';

/**
 * Reads a full snapshot of a source. A list that fails part-way keeps what it read but marks the
 * snapshot incomplete, so creations can still go ahead while every removal is held back.
 */
export async function readSnapshot(
  source: Source,
  mode: ReadMode,
  signal?: AbortSignal,
): Promise<Snapshot> {
  const problems: string[] = [];
  if (source.prepare !== undefined) {
    try {
      await source.prepare(mode, signal);
    } catch (error) {
      problems.push(`${mode} refresh: ${errorMessage(error)}`);
    }
  }
  const groups: IdpGroup[] = [];
  const users = new Map<string, IdpUser>();
  try {
    for await (const group of source.listGroups(signal)) {
      groups.push(group);
    }
  } catch (error) {
    problems.push(`reading groups: ${errorMessage(error)}`);
  }
  try {
    for await (const user of source.listUsers(signal)) {
      users.set(user.externalId, user);
    }
  } catch (error) {
    problems.push(`reading users: ${errorMessage(error)}`);
  }
  signal?.throwIfAborted();
  return { source: source.name, users, groups, complete: problems.length === 0, problems };
}

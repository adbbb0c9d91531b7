/**
 * The per-user read of the login hook: one user, live, and every group they belong to through
 * nesting (`transitiveMemberOf`, all pages). Read from Graph rather than the mirror, because a
 * sign-in must see a membership change made a minute ago.
 *
 * @see https://learn.microsoft.com/graph/api/user-list-transitivememberof
 */
import { SyncError } from '../../errors.js';
import {
  graphGroupSchema,
  graphUserSchema,
  pageSchema,
  userSelect,
  type GraphGroup,
  type GraphUser,
} from './api.js';
import type { Graph, GraphRequestOptions } from './graph.js';

/** A user and all of their groups, in scope or not. */
export type UserAndGroups = { readonly user: GraphUser; readonly groups: readonly GraphGroup[] };

const userPath = (key: string) => `/users/${encodeURIComponent(key)}?$select=${userSelect}`;
const groupsPath = (key: string, top: number) =>
  `/users/${encodeURIComponent(key)}/transitiveMemberOf/microsoft.graph.group?$select=id,displayName&$top=${top}`;

/**
 * Finds the user by object id or UPN (Graph accepts both in the path), else by `mail`; reads
 * the user and their groups in parallel when the subject is a key Graph knows.
 *
 * @returns undefined when Graph has no such user (404, no mail match)
 * @throws SyncError on any other failure, so that a failed read never looks like a deletion
 */
export async function readUserAndGroups(
  graph: Graph,
  subject: string,
  options: GraphRequestOptions,
): Promise<UserAndGroups | undefined> {
  const [direct, groups] = await Promise.all([
    graph.get(userPath(subject), graphUserSchema, options).catch(undefinedIfNotFound),
    graph
      .readAll(groupsPath(subject, graph.pageSize), graphGroupSchema, options)
      .catch(undefinedIfNotFound),
  ]);
  if (direct !== undefined && groups !== undefined) {
    return { user: direct, groups: groups.items };
  }
  const user =
    direct ?? (subject.includes('@') ? await findByMail(graph, subject, options) : undefined);
  if (user === undefined) {
    return undefined;
  }
  return {
    user,
    groups: (await graph.readAll(groupsPath(user.id, graph.pageSize), graphGroupSchema, options))
      .items,
  };
}

/** `mail eq '…'` (Graph compares case-insensitively); more than one match is an error. */
async function findByMail(
  graph: Graph,
  mail: string,
  options: GraphRequestOptions,
): Promise<GraphUser | undefined> {
  const filter = encodeURIComponent(`mail eq '${mail.replaceAll("'", "''")}'`);
  const page = await graph.get(
    `/users?$filter=${filter}&$select=${userSelect}`,
    pageSchema(graphUserSchema),
    options,
  );
  if (page.value.length > 1) {
    throw new SyncError(
      'SOURCE_INVALID_RESPONSE',
      `${page.value.length} Entra users have the mail ${mail}`,
    );
  }
  return page.value[0];
}

function undefinedIfNotFound(error: unknown): undefined {
  if (error instanceof SyncError && error.code === 'SOURCE_NOT_FOUND') {
    return undefined;
  }
  throw error;
}

/**
 * The full read: every user, every group, each group's direct members (batched), and the groups
 * assigned to the enterprise application. It also takes fresh delta links first, so the next
 * scheduled run can continue with a delta round.
 */
import type { z } from 'zod';

import { SyncError, errorMessage } from '../../errors.js';
import { parseJsonBody } from '../../http/fetch-json.js';
import { mapLimit } from '../../http/limit.js';
import type { Logger } from '../../log.js';
import {
  appRoleAssignmentSchema,
  directoryObjectSchema,
  graphGroupSchema,
  graphUserSchema,
  groupOdataType,
  pageSchema,
  userOdataType,
  userSelect,
  type DirectoryObject,
} from './api.js';
import { batchGet, type BatchOptions } from './batch.js';
import { endpointOf, graphStatusError, type Graph, type GraphRequestOptions } from './graph.js';
import type { FullDirectory, MirrorGroup } from './mirror.js';
import { latestDeltaLinks } from './read-delta.js';
import { toMirrorUser } from './map.js';

/** What a full read needs besides the client. */
export type FullReadOptions = BatchOptions & {
  readonly appServicePrincipalId?: string | undefined;
  readonly logger: Logger;
};

/**
 * Reads the whole directory.
 *
 * @throws SyncError when any page of any list cannot be read; nothing partial is returned
 */
export async function readFullDirectory(
  graph: Graph,
  options: FullReadOptions,
): Promise<FullDirectory> {
  const links = await latestDeltaLinks(graph, options).catch((error: unknown) => {
    if (error instanceof SyncError && error.code === 'ABORTED') {
      throw error;
    }
    // The read is still complete without links; the next run simply reads in full again.
    options.logger.warn({ err: errorMessage(error) }, 'entra: could not start delta tracking');
    return undefined;
  });
  const [users, groups, appGroupIds] = await Promise.all([
    graph.readAll(`/users?$select=${userSelect}&$top=${graph.pageSize}`, graphUserSchema, options),
    graph.readAll(
      `/groups?$select=id,displayName&$top=${graph.pageSize}`,
      graphGroupSchema,
      options,
    ),
    options.appServicePrincipalId === undefined
      ? undefined
      : readAppGroupIds(graph, options.appServicePrincipalId, options),
  ]);
  const members = await readDirectMembers(
    graph,
    groups.items.map(group => group.id),
    options,
  );
  return {
    users: users.items.map(toMirrorUser),
    // A group whose members answered 404 was deleted during the read: it is left out.
    groups: groups.items.flatMap(group => {
      const found = members.get(group.id);
      return found === undefined ? [] : [{ ...found, displayName: group.displayName ?? '' }];
    }),
    appGroupIds,
    links,
  };
}

/**
 * Every page of `appRoleAssignedTo` (LiteLLM's own SSO reads only the first), reduced to the
 * ids of assigned groups.
 */
export async function readAppGroupIds(
  graph: Graph,
  servicePrincipalId: string,
  options: GraphRequestOptions,
): Promise<string[]> {
  const path = `/servicePrincipals/${encodeURIComponent(servicePrincipalId)}/appRoleAssignedTo?$select=principalId,principalType&$top=${graph.pageSize}`;
  const { items } = await graph.readAll(path, appRoleAssignmentSchema, options);
  return [
    ...new Set(items.filter(item => item.principalType === 'Group').map(item => item.principalId)),
  ];
}

const memberPageSchema = pageSchema(directoryObjectSchema);

/** Direct members (users and groups) of each group; first pages batched, later pages followed. */
async function readDirectMembers(
  graph: Graph,
  groupIds: readonly string[],
  options: BatchOptions,
): Promise<Map<string, Omit<MirrorGroup, 'displayName'>>> {
  const url = (id: string) =>
    `/groups/${encodeURIComponent(id)}/members?$select=id&$top=${graph.pageSize}`;
  const results = await batchGet(
    graph,
    groupIds.map(id => ({ id, url: url(id) })),
    options,
  );
  const members = new Map<string, { id: string; users: string[]; groups: string[] }>();
  const followUps: { id: string; link: string }[] = [];
  const add = (id: string, objects: readonly DirectoryObject[]) => {
    const entry = members.get(id);
    for (const object of objects) {
      if (object['@odata.type'] === userOdataType) {
        entry?.users.push(object.id);
      } else if (object['@odata.type'] === groupOdataType) {
        entry?.groups.push(object.id);
      }
    }
  };
  for (const id of groupIds) {
    const result = results.get(id);
    const endpoint = endpointOf('GET', url(id));
    if (result?.status === 404) {
      continue;
    }
    if (result === undefined || result.status !== 200) {
      throw graphStatusError(
        { status: result?.status ?? 502, headers: new Headers() },
        result?.body,
        endpoint,
      );
    }
    const page = parseInner(result.body, memberPageSchema, endpoint);
    members.set(id, { id, users: [], groups: [] });
    add(id, page.value);
    const next = page['@odata.nextLink'];
    if (next !== undefined) {
      followUps.push({ id, link: next });
    }
  }
  const settled = await mapLimit(followUps, options.concurrency ?? 4, async ({ id, link }) => {
    add(id, (await graph.readAll(link, directoryObjectSchema, options)).items);
  });
  const failure = settled.find(result => result.status === 'rejected');
  if (failure !== undefined) {
    throw failure.reason;
  }
  return members;
}

/** An inner `$batch` body (already JSON) through the same checks as any other page. */
function parseInner<T>(body: unknown, schema: z.ZodType<T>, endpoint: string): T {
  return parseJsonBody(typeof body === 'string' ? body : JSON.stringify(body ?? null), schema, {
    endpoint,
    code: 'SOURCE_INVALID_RESPONSE',
  });
}

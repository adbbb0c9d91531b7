/**
 * The source's own copy of the in-scope part of the org, kept in its persistent state namespace:
 * in-scope groups with their direct members, those members with their status, the app's group
 * assignments, and the watermarks of the last read. An incremental run reads Okta's changes since
 * the watermarks and applies them here, so every run still yields a full snapshot.
 *
 * Layout: `meta` (watermarks, config fingerprint), `app-groups`, `group:<id>`, `user:<id>`, each a
 * JSON value checked on the way back in: a mirror that does not parse counts as absent, which
 * sends the next run to a full read.
 */
import { createHash } from 'node:crypto';

import { z } from 'zod';

import type { SourceState } from '../types.js';
import type { OktaSourceConfig } from './config.js';
import type { GroupRecord, UserRecord } from './map.js';

/** The mirrored part of the org. */
export type MirrorState = {
  readonly groups: ReadonlyMap<string, GroupRecord>;
  readonly users: ReadonlyMap<string, UserRecord>;
  /** The app's assigned group ids, when the scope includes an app. */
  readonly appGroupIds?: readonly string[] | undefined;
};

const metaSchema = z.object({
  version: z.literal(1),
  /** Which configuration the mirror was read under; another one needs a full read. */
  fingerprint: z.string(),
  /** Server time at the start of the last full read. */
  fullAt: z.iso.datetime(),
  /** Server time at the start of the last read (full or incremental): the next `since`. */
  since: z.iso.datetime(),
});

/** Watermarks and bookkeeping of the mirror. */
export type MirrorMeta = z.infer<typeof metaSchema>;

const userSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  login: z.string().min(1),
  email: z.string().optional(),
  displayName: z.string().optional(),
});
const groupSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  type: z.string().min(1),
  members: z.array(z.string()),
});
const appGroupsSchema = z.array(z.string());

/** Reads and writes the mirror in `state`. */
export type Mirror = {
  /** The stored mirror, or `undefined` when there is none or it does not parse. */
  load(): { readonly state: MirrorState; readonly meta: MirrorMeta } | undefined;
  /** Replaces the mirror and its meta in one transaction, writing only rows that changed. */
  save(next: MirrorState, meta: MirrorMeta): void;
};

/** Creates the mirror over a source state namespace. */
export function createMirror(state: SourceState): Mirror {
  return {
    load() {
      try {
        const meta = metaSchema.safeParse(parseJson(state.get('meta')));
        if (!meta.success) {
          return undefined;
        }
        const groups = new Map<string, GroupRecord>();
        for (const [, value] of state.entries('group:')) {
          const group = groupSchema.parse(JSON.parse(value));
          groups.set(group.id, group);
        }
        const users = new Map<string, UserRecord>();
        for (const [, value] of state.entries('user:')) {
          const user = userSchema.parse(JSON.parse(value));
          users.set(user.id, user);
        }
        const appGroups = state.get('app-groups');
        const appGroupIds =
          appGroups === undefined ? undefined : appGroupsSchema.parse(JSON.parse(appGroups));
        return { state: { groups, users, appGroupIds }, meta: meta.data };
      } catch {
        return undefined;
      }
    },

    save(next, meta) {
      state.transaction(() => {
        writeRows(state, 'group:', next.groups);
        writeRows(state, 'user:', next.users);
        const appGroups =
          next.appGroupIds === undefined ? undefined : JSON.stringify(next.appGroupIds);
        if (appGroups !== state.get('app-groups')) {
          if (appGroups === undefined) {
            state.delete('app-groups');
          } else {
            state.set('app-groups', appGroups);
          }
        }
        state.set('meta', JSON.stringify(meta));
      });
    },
  };
}

/** Writes `rows` under `prefix`, skipping unchanged ones and deleting the ones that are gone. */
function writeRows<T extends { readonly id: string }>(
  state: SourceState,
  prefix: string,
  rows: ReadonlyMap<string, T>,
): void {
  const stored = new Map(state.entries(prefix));
  for (const [id, row] of rows) {
    const key = `${prefix}${id}`;
    const value = JSON.stringify(row);
    if (stored.get(key) !== value) {
      state.set(key, value);
    }
    stored.delete(key);
  }
  for (const key of stored.keys()) {
    state.delete(key);
  }
}

function parseJson(value: string | undefined): unknown {
  return value === undefined ? undefined : JSON.parse(value);
}

/** Identifies the settings a mirror depends on (not statuses: those apply when listing). */
export function mirrorFingerprint(config: OktaSourceConfig): string {
  const relevant = {
    orgUrl: config.orgUrl,
    scope: config.scope,
    appId: config.appId ?? null,
    groupTypes: [...config.groupTypes].sort(),
  };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

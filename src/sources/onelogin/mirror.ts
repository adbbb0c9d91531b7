/**
 * The source's mirror of OneLogin users in its state namespace: one row per user
 * (`user:<id>`), the in-scope roles of the last read (`roles`, for per-user reads whose user
 * record carries no `role_ids`), and `meta` with the watermark of the last read. A read writes
 * everything in one transaction, or nothing.
 */
import type { SourceState } from '../types.js';
import type { UserRecord } from './map.js';

/** A role with its member ids, as the last read saw it. */
export type RoleRecord = {
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
};

/** Facts about the stored mirror. */
export type MirrorMeta = {
  readonly version: 1;
  /** The API URL the mirror was read from; another one means a full read. */
  readonly fingerprint: string;
  /** When the last full read started (ISO). */
  readonly fullAt: string;
  /** `updated_since` of the next incremental read (ISO). */
  readonly since: string;
};

/** The mirror over one state namespace. */
export type Mirror = {
  meta(): MirrorMeta | undefined;
  users(): Map<string, UserRecord>;
  roles(): RoleRecord[] | undefined;
  /** Replaces (full) or updates (incremental) the users, and saves roles and meta. */
  save(change: {
    full: boolean;
    users: readonly UserRecord[];
    roles: readonly RoleRecord[];
    meta: MirrorMeta;
  }): void;
};

/** The mirror in `state`. */
export function createMirror(state: SourceState): Mirror {
  const read = <T>(key: string): T | undefined => {
    const text = state.get(key);
    if (text === undefined) {
      return undefined;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  };
  return {
    meta: () => {
      const meta = read<MirrorMeta>('meta');
      return meta?.version === 1 ? meta : undefined;
    },
    users: () => {
      const users = new Map<string, UserRecord>();
      for (const [, text] of state.entries('user:')) {
        const record = JSON.parse(text) as UserRecord;
        users.set(record.id, record);
      }
      return users;
    },
    roles: () => read<RoleRecord[]>('roles'),
    save: change =>
      state.transaction(() => {
        if (change.full) {
          state.deletePrefix('user:');
        }
        for (const user of change.users) {
          state.set(`user:${user.id}`, JSON.stringify(user));
        }
        state.set('roles', JSON.stringify(change.roles));
        state.set('meta', JSON.stringify(change.meta));
      }),
  };
}

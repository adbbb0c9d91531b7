import { describe, expect, it } from 'vitest';

import {
  createMirror,
  type MirrorMeta,
  type MirrorState,
} from '../../../../src/sources/okta/mirror.js';
import type { SourceState } from '../../../../src/sources/types.js';
import { createSqliteStore } from '../../../../src/store/sqlite.js';

const meta: MirrorMeta = {
  version: 1,
  fingerprint: 'abc',
  fullAt: '2026-01-05T09:00:00.000Z',
  since: '2026-01-05T09:10:00.000Z',
};

const mirrorState = (members: string[]): MirrorState => ({
  groups: new Map([['g1', { id: 'g1', name: 'ai-one', type: 'OKTA_GROUP', members }]]),
  users: new Map(members.map(id => [id, { id, status: 'ACTIVE', login: `${id}@example.com` }])),
});

/** A state namespace that records writes. */
function recordingState(): { state: SourceState; writes: string[] } {
  const inner = createSqliteStore(':memory:').sourceState('okta');
  const writes: string[] = [];
  return {
    writes,
    state: {
      ...inner,
      set: (key, value) => (writes.push(`set ${key}`), inner.set(key, value)),
      delete: key => (writes.push(`delete ${key}`), inner.delete(key)),
    },
  };
}

describe('the Okta mirror', () => {
  it('round-trips, writing only the rows that changed', () => {
    const { state, writes } = recordingState();
    const mirror = createMirror(state);
    expect(mirror.load()).toBeUndefined();
    mirror.save(mirrorState(['u1', 'u2']), meta);
    writes.length = 0;
    mirror.save(mirrorState(['u1', 'u3']), { ...meta, since: '2026-01-05T09:20:00.000Z' });
    expect(writes.sort()).toEqual(['delete user:u2', 'set group:g1', 'set meta', 'set user:u3']);
    const loaded = mirror.load();
    expect(loaded?.meta.since).toBe('2026-01-05T09:20:00.000Z');
    expect([...(loaded?.state.users.keys() ?? [])]).toEqual(['u1', 'u3']);
  });

  it('counts a mirror that does not parse as absent', () => {
    const { state } = recordingState();
    const mirror = createMirror(state);
    mirror.save(mirrorState(['u1']), meta);
    state.set('user:u1', '{"id":');
    expect(mirror.load()).toBeUndefined();
  });

  it('writes nothing when a save fails half-way', () => {
    const { state } = recordingState();
    const mirror = createMirror(state);
    mirror.save(mirrorState(['u1']), meta);
    const failing: SourceState = {
      ...state,
      set: (key, value) => {
        if (key === 'meta') {
          throw new Error('disk full');
        }
        state.set(key, value);
      },
    };
    expect(() => createMirror(failing).save(mirrorState(['u9']), meta)).toThrow('disk full');
    expect([...(mirror.load()?.state.users.keys() ?? [])]).toEqual(['u1']);
  });
});

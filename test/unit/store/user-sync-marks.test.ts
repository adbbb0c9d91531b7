import { describe, expect, it } from 'vitest';

import { createSqliteStore } from '../../../src/store/sqlite.js';

describe('user sync marks', () => {
  it('keeps the latest mark per user and source, and lists those at or after a time', () => {
    const store = createSqliteStore(':memory:');
    store.markUserSync('file', 'alice', { readAt: 100, writesUntil: 600_100 });
    store.markUserSync('file', 'alice', { readAt: 100, writesUntil: 150 });
    store.markUserSync('file', 'bob', { readAt: 90, writesUntil: 95 });
    store.markUserSync('entra', 'alice', { readAt: 500, writesUntil: 500 });
    expect(store.userSyncMarks('file', 0)).toEqual(
      new Map([
        ['alice', 150],
        ['bob', 95],
      ]),
    );
    expect(store.userSyncMarks('file', 150)).toEqual(new Map([['alice', 150]]));
    expect(store.userSyncMarks('file', 151).size).toBe(0);
    expect(store.userSyncMarks('entra', 0)).toEqual(new Map([['alice', 500]]));
    store.close();
  });

  it('never records writes ending before the read began', () => {
    const store = createSqliteStore(':memory:');
    store.markUserSync('file', 'alice', { readAt: 200, writesUntil: 100 });
    expect(store.userSyncMarks('file', 200)).toEqual(new Map([['alice', 200]]));
    store.close();
  });
});

import type { Database } from 'better-sqlite3';

import type { KeyValueStore } from './types.js';

/**
 * A key-value namespace for one source, over the `source_state` table. Values are strings
 * (sources serialise their own JSON); `transaction` makes a batch of writes atomic, so a delta
 * round either lands whole with its new delta link or not at all.
 */
export function createSourceState(db: Database, source: string, now: () => Date): KeyValueStore {
  const select = db.prepare('SELECT value FROM source_state WHERE source = ? AND key = ?');
  const upsert = db.prepare(
    `INSERT INTO source_state (source, key, value, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (source, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const remove = db.prepare('DELETE FROM source_state WHERE source = ? AND key = ?');
  const byPrefix = db.prepare(
    'SELECT key, value FROM source_state WHERE source = ? AND key >= ? AND key < ? ORDER BY key',
  );
  const removePrefix = db.prepare(
    'DELETE FROM source_state WHERE source = ? AND key >= ? AND key < ?',
  );
  // Every key starting with `prefix` sorts in [prefix, prefix + U+FFFF).
  const upper = (prefix: string): string => `${prefix}\uffff`;
  return {
    get: key => (select.get(source, key) as { value: string } | undefined)?.value,
    set: (key, value) => {
      upsert.run(source, key, value, now().toISOString());
    },
    delete: key => {
      remove.run(source, key);
    },
    *entries(prefix) {
      for (const row of byPrefix.iterate(source, prefix, upper(prefix)) as Iterable<{
        key: string;
        value: string;
      }>) {
        yield [row.key, row.value];
      }
    },
    deletePrefix: prefix => {
      removePrefix.run(source, prefix, upper(prefix));
    },
    transaction: fn => db.transaction(fn)(),
  };
}

import { silentLogger } from '../../src/log.js';
import type { SourceDeps } from '../../src/sources/types.js';
import { createSqliteStore } from '../../src/store/sqlite.js';

/** Dependencies for building a source in a test: real fetch, silent logs, in-memory state. */
export function testSourceDeps(overrides: Partial<SourceDeps> = {}): SourceDeps {
  const store = createSqliteStore(':memory:');
  return {
    fetch,
    logger: silentLogger(),
    state: store.sourceState('test'),
    now: () => new Date(),
    ...overrides,
  };
}

/**
 * The source registry: the SDK-based connectors are loaded lazily, so what the registry states
 * without loading them must agree with the connectors' own factories, and the lazy source must
 * behave as the real one once loaded.
 */
import { describe, expect, it } from 'vitest';

import { auth0Source } from '../../../src/sources/auth0/index.js';
import { entraSource } from '../../../src/sources/entra/index.js';
import { googleSource } from '../../../src/sources/google/index.js';
import { sourceFactories } from '../../../src/sources/index.js';
import { lazySource } from '../../../src/sources/lazy.js';
import { oktaSource } from '../../../src/sources/okta/index.js';
import type { Source } from '../../../src/sources/types.js';
import type { IdpGroup } from '../../../src/model.js';

describe('sourceFactories', () => {
  it.each([
    ['auth0', auth0Source],
    ['entra', entraSource],
    ['google', googleSource],
    ['okta', oktaSource],
  ] as const)(
    '%s: same config schema and default user id attribute as its connector',
    (name, real) => {
      const listed = sourceFactories[name];
      expect(listed?.configSchema).toBe(real.configSchema);
      expect(listed?.defaultUserIdAttribute).toBe(real.defaultUserIdAttribute);
    },
  );
});

/** An async iterable over an array (a generator without an await upsets the linter). */
function fromArray<T>(items: readonly T[]): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      let next = 0;
      return {
        next: () =>
          Promise.resolve(
            next < items.length
              ? { done: false, value: items[next++] as T }
              : { done: true, value: undefined },
          ),
      };
    },
  };
}

describe('lazySource', () => {
  const groups: IdpGroup[] = [{ externalId: 'g1', name: 'one', memberIds: ['u1'] }];
  const real = (calls: string[]): Source => ({
    name: 'file',
    listGroups: () => {
      calls.push('listGroups');
      return fromArray(groups);
    },
    listUsers: () => fromArray([]),
    readUser: subject => Promise.resolve({ kind: 'deleted', source: 'file', subject }),
    prepare: mode => {
      calls.push(`prepare ${mode}`);
      return Promise.resolve();
    },
    usage: () => ({ calls: calls.length }),
  });

  it('loads the real source once, on first use, and forwards to it', async () => {
    const calls: string[] = [];
    let loads = 0;
    const source = lazySource('file', () => {
      loads += 1;
      return Promise.resolve(real(calls));
    });
    expect(loads).toBe(0);
    expect(source.usage?.()).toBeUndefined();
    await source.prepare?.('incremental');
    const read: IdpGroup[] = [];
    for await (const group of source.listGroups()) {
      read.push(group);
    }
    expect(read).toEqual(groups);
    expect(await source.readUser('x')).toEqual({ kind: 'deleted', source: 'file', subject: 'x' });
    expect(loads).toBe(1);
    expect(calls).toEqual(['prepare incremental', 'listGroups']);
    expect(source.usage?.()).toEqual({ calls: 2 });
  });

  it('turns a connector that fails to load into a failing read', async () => {
    const source = lazySource('file', () => Promise.reject(new Error('cannot load the SDK')));
    await expect(source.prepare?.('full')).rejects.toThrow('cannot load the SDK');
    await expect(source.listUsers()[Symbol.asyncIterator]().next()).rejects.toThrow(
      'cannot load the SDK',
    );
  });
});

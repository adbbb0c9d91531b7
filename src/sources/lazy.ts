/**
 * Sources whose SDK is loaded only when a configured source first needs it. Every process used to
 * load all seven connectors, and the SDKs of four of them (MSAL + Graph client, Okta, Auth0,
 * googleapis) cost ~100 MB of RSS and start-up time in a deployment that runs one of them
 * (BENCHMARKS.md). The configuration schema stays eager: check-config needs it, and it is light.
 */
import type { SourceName } from '../model.js';
import type { Source, SourceFactory, UserIdAttribute } from './types.js';
import type { z } from 'zod';

/** What is known without loading the connector, and how to load it. */
export type LazySourceSpec<C> = {
  readonly name: SourceName;
  readonly configSchema: z.ZodType<C>;
  readonly defaultUserIdAttribute: UserIdAttribute;
  readonly load: () => Promise<SourceFactory<C>>;
};

/** A factory whose sources import their connector on first use. */
export function lazySourceFactory<C>(spec: LazySourceSpec<C>): SourceFactory<C> {
  return {
    configSchema: spec.configSchema,
    defaultUserIdAttribute: spec.defaultUserIdAttribute,
    create: (config, deps) =>
      lazySource(spec.name, async () => (await spec.load()).create(config, deps)),
  };
}

/**
 * A source that builds the real one on first use and forwards to it. `prepare` is always offered
 * and forwards only when the real source has one (readSnapshot merely calls it). `groupPaths` is
 * not forwarded: none of the lazily loaded connectors has it, and its presence changes `explain`.
 */
export function lazySource(name: SourceName, load: () => Promise<Source>): Source {
  let loaded: Source | undefined;
  let loading: Promise<Source> | undefined;
  const real = (): Promise<Source> =>
    (loading ??= load().then(source => {
      loaded = source;
      return source;
    }));
  return {
    name,
    listGroups: signal => deferred(async () => (await real()).listGroups(signal)),
    listUsers: signal => deferred(async () => (await real()).listUsers(signal)),
    readUser: async (subject, signal) => (await real()).readUser(subject, signal),
    prepare: async (mode, signal) => {
      await (await real()).prepare?.(mode, signal);
    },
    usage: () => loaded?.usage?.(),
  };
}

/** An async iterable over the iterable `make` resolves to, made when iteration starts. */
function deferred<T>(make: () => Promise<AsyncIterable<T>>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      let inner: AsyncIterator<T> | undefined;
      const start = async (): Promise<AsyncIterator<T>> =>
        (inner ??= (await make())[Symbol.asyncIterator]());
      return {
        next: async () => (await start()).next(),
        return: async value => {
          const result = await inner?.return?.(value);
          return result ?? { done: true, value: value as T };
        },
      };
    },
  };
}

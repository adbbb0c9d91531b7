/**
 * `createEntraSimulator`: an HTTPS server playing Entra ID's token endpoint and Microsoft Graph
 * v1.0 for one tenant, stateful, with faults, latency, resource-unit throttling and counters.
 * Unmodified MSAL (`authority: ${url}/${tenantId}`, `knownAuthorities: [host:port]`) and
 * graph-client (`baseUrl: url`, `customHosts`) work against it once `caPath` is trusted through
 * `NODE_EXTRA_CA_CERTS`.
 *
 * @see /work/shared/reference/idp-apis.md §0, §A, §B, §I
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:https';
import { dirname, join } from 'node:path';

import { closeOnce, createKnobs, knobControls } from '../shared/knobs.js';
import { listen } from '../shared/listen.js';
import { createPrng, type Prng } from '../shared/prng.js';
import { createTokenIssuer } from './auth/access-token.js';
import { registerApp, type RegisteredApp } from './auth/apps.js';
import { createClock } from './clock.js';
import { createDirectory } from './directory/directory.js';
import { createDispatcher } from './dispatch.js';
import { createTokenCodec } from './graph/paging.js';
import type { PipelineDeps } from './graph/pipeline.js';
import { createStats } from './http/stats.js';
import { createThrottle } from './http/throttle.js';
import { countUsers } from './directory/state.js';
import { loadScenario } from './scenario.js';
import { ensureTestCa } from '../tls/test-ca.js';
import type { EntraSimulator, EntraSimulatorOptions } from './types.js';

/** The CA folder: the one `NODE_EXTRA_CA_CERTS` points into (if it holds the key), else `.test-ca`. */
export function defaultTlsDir(env: NodeJS.ProcessEnv = process.env): string {
  const extra = env['NODE_EXTRA_CA_CERTS'];
  if (extra && existsSync(join(dirname(extra), 'ca-key.pem'))) {
    return dirname(extra);
  }
  return '.test-ca';
}

/** A secret shaped like Entra's (`xxx8Q~` + 34 characters). */
function generateSecret(prng: Prng): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.';
  const pick = (n: number): string =>
    Array.from({ length: n }, () => alphabet[prng.int(alphabet.length)] ?? 'a').join('');
  return `${pick(3)}8Q~${pick(34)}`;
}

/**
 * Starts a simulator.
 *
 * @example
 * const sim = await createEntraSimulator({ scenario: { users: [{ displayName: 'Ada' }] } });
 * const cca = new ConfidentialClientApplication({ auth: { clientId: sim.clientId,
 *   clientSecret: sim.clientSecret, authority: sim.authority, knownAuthorities: [new URL(sim.url).host] } });
 */
export async function createEntraSimulator(
  opts: EntraSimulatorOptions = {},
): Promise<EntraSimulator> {
  const tls = ensureTestCa(opts.tlsDir ?? defaultTlsDir());
  const prng = createPrng(opts.seed ?? 1);
  const clock = createClock(opts.now);
  const tenantId = opts.tenantId ?? prng.guid();
  const tenantDomain = opts.tenantDomain ?? 'contoso.onmicrosoft.com';
  const firstApp = opts.apps?.[0] ?? { clientId: prng.guid(), clientSecret: generateSecret(prng) };
  const apps = new Map<string, RegisteredApp>();
  for (const app of [firstApp, ...(opts.apps?.slice(1) ?? [])]) {
    apps.set(app.clientId, registerApp(app));
  }
  const directory = createDirectory({ now: clock.now, prng, tenantDomain });
  if (opts.scenario) {
    loadScenario(directory, opts.scenario);
  }
  const issuer = createTokenIssuer({
    tenantId,
    now: clock.now,
    lifetimeSeconds: opts.tokenLifetimeSeconds ?? 3599,
  });
  const stats = createStats();
  // Fault probabilities draw from the main PRNG, interleaved with ids.
  const knobs = createKnobs({ random: prng.next, latencyMs: opts.latencyMs, faults: opts.faults });
  const throttle = createThrottle({
    now: clock.now,
    userCount: () => countUsers(directory.state),
    options: opts.throttle,
  });
  let url = '';
  const pipeline: PipelineDeps = {
    ctx: {
      directory,
      codec: createTokenCodec(randomBytes(32)),
      graphBase: '',
      now: clock.now,
      paging: {
        deltaPageSize: opts.paging?.deltaPageSize ?? 100,
        deltaMembersPerPage: opts.paging?.deltaMembersPerPage ?? 500,
      },
    },
    throttle,
    stats,
    tenantId,
  };
  const publicLogin = (): string => opts.publicLoginOrigin ?? url;
  const publicGraph = (): string => opts.publicGraphOrigin ?? url;
  const server = createServer(
    { key: tls.key, cert: tls.cert },
    createDispatcher({
      pipeline,
      issuer,
      control: opts.control ?? false,
      knobs,
      handle: () => handle,
      login: () => ({
        tenantId,
        tenantDomain,
        loginOrigins: [...new Set([url, publicLogin()])],
        graphResources: [...new Set([url, publicGraph()])],
        apps,
        issuer,
        now: clock.now,
        publicLogin: publicLogin(),
        publicGraph: publicGraph(),
      }),
    }),
  );
  const { port, urlHost } = await listen(server, opts);
  url = `https://${urlHost}:${port}`;
  pipeline.ctx.graphBase = `${publicGraph()}/v1.0`;

  const handle: EntraSimulator = {
    url,
    port,
    tenantId,
    clientId: firstApp.clientId,
    clientSecret: firstApp.clientSecret ?? '',
    authority: `${url}/${tenantId}`,
    caPath: tls.caPath,
    directory,
    close: () => closeOnce(knobs, server),
    ...knobControls(knobs),
    setThrottle: options => throttle.configure(options),
    registerApp: app => {
      apps.set(app.clientId, registerApp(app));
    },
    calls: () => stats.calls(),
    resourceUnits: () => stats.resourceUnits(),
    priorities: () => stats.priorities(),
    resetCounters: () => {
      stats.reset();
      throttle.reset();
    },
    reset: () => {
      directory.clear();
      directory.log.reset();
      knobs.faults.clear();
      stats.reset();
      throttle.reset();
    },
    setNow: now => clock.set(now instanceof Date ? now.getTime() : now),
    now: () => clock.now(),
  };
  return handle;
}

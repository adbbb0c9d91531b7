/**
 * A harness for the job tests: the LiteLLM simulator and directory file of `harness.ts`, plus
 * Redis under a fresh prefix, a producer queue, in-process workers and worker child processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import { createSyncQueue, type SyncQueue } from '../../jobs/enqueue.js';
import { workerConnection } from '../../jobs/redis.js';
import { createSyncWorker, type SyncWorker } from '../../jobs/worker.js';
import type { AppContext } from '../../src/cli/context.js';
import { silentLogger } from '../../src/log.js';
import type { ReconcileDeps } from '../../src/reconcile/run-types.js';
import type { RunRecord } from '../../src/store/types.js';
import { startHarness, type Harness } from './harness.js';
import { cleanupPrefix, freshPrefix } from './redis.js';

/** Settings that keep the tests quick; a test overrides what it studies. */
const fastJobEnv: Record<string, string> = {
  LOGIN_SYNC_DEBOUNCE_MS: '300',
  JOB_BACKOFF_MS: '50',
  JOB_ATTEMPTS: '5',
  SHUTDOWN_TIMEOUT_MS: '5000',
  SYNC_CRON: 'off',
  FULL_SYNC_CRON: 'off',
  WORKER_CONCURRENCY: '4',
};

export type ChildWorker = {
  readonly child: ChildProcess;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  /** Everything it printed on stderr so far (its logs). */
  stderr(): string;
  /** Resolves once it printed its ready line. */
  readonly ready: Promise<void>;
  /** Resolves with its exit code (or signal) when it ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export type JobsHarness = {
  readonly h: Harness;
  readonly redisUrl: string;
  readonly prefix: string;
  /** The environment a worker of this test runs with. */
  readonly env: Record<string, string>;
  /** An app context on this test's environment (plus overrides). */
  app(overrides?: Record<string, string>): AppContext;
  /** A producer on this test's queue. */
  readonly queue: SyncQueue;
  /** Starts an in-process worker; `wrap` may decorate each run's dependencies. */
  startWorker(options?: {
    app?: AppContext;
    wrap?: (deps: ReconcileDeps) => ReconcileDeps;
    busyRetryMs?: number;
  }): SyncWorker;
  /** Starts a worker child process running `idp-sync worker` (`bin: true`) or the test entry. */
  spawnWorker(extraEnv?: Record<string, string>, options?: { bin?: boolean }): ChildWorker;
  /** Runs recorded in the shared store, oldest first. */
  runs(kind?: RunRecord['kind']): RunRecord[];
  /** Waits until no job waits, is delayed or runs, twice in a row. */
  waitIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

export async function startJobsHarness(
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<JobsHarness> {
  const h = await startHarness();
  const prefix = freshPrefix();
  const jobEnv = {
    ...h.env,
    ...fastJobEnv,
    REDIS_URL: redisUrl,
    IDP_SYNC_QUEUE_PREFIX: prefix,
    ...env,
  };
  const shared = h.app(jobEnv);
  const queue = createSyncQueue(workerConnection(redisUrl), shared.config.jobs);
  queue.on('error', () => undefined); // a Redis restart test makes it lose its connection
  const workers: SyncWorker[] = [];
  const children: ChildWorker[] = [];
  const harness: JobsHarness = {
    h,
    redisUrl,
    prefix,
    env: jobEnv,
    app: overrides => h.app({ ...jobEnv, ...overrides }),
    queue,
    startWorker: (options = {}) => {
      const app = options.app ?? shared;
      const worker = createSyncWorker({
        settings: app.config.jobs,
        sources: app.config.sources.map(s => s.name),
        depsFor: source => (options.wrap ?? (d => d))(app.depsFor(source)),
        logger: silentLogger(),
        busyRetryMs: options.busyRetryMs ?? 100,
      });
      workers.push(worker);
      return worker;
    },
    spawnWorker: (extraEnv = {}, options = {}) => {
      const args =
        options.bin === true
          ? ['bin/idp-sync.js', 'worker']
          : ['--import', 'tsx', 'test/helpers/worker-process.ts'];
      const child = spawn(process.execPath, args, {
        env: { ...process.env, ...jobEnv, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('idp-sync worker ready')) {
            resolve();
          }
        });
        child.once('exit', code =>
          reject(new Error(`worker exited (${String(code)}) before it was ready: ${out}`)),
        );
      });
      ready.catch(() => undefined);
      let err = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      const handle = { child, stdout: () => out, stderr: () => err, ready, exited };
      children.push(handle);
      return handle;
    },
    runs: kind =>
      shared.store
        .recentRuns(10_000)
        .filter(r => kind === undefined || r.kind === kind)
        .reverse(),
    waitIdle: async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      while (quiet < 2) {
        if (Date.now() > deadline) {
          throw new Error(
            `queue not idle after ${timeoutMs} ms: ${JSON.stringify(await queue.getJobCounts())}`,
          );
        }
        const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
        quiet = Object.values(counts).every(n => n === 0) ? quiet + 1 : 0;
        await sleep(100);
      }
    },
    close: async () => {
      for (const child of children) {
        if (child.child.exitCode === null && child.child.signalCode === null) {
          child.child.kill('SIGKILL');
          await child.exited;
        }
      }
      await Promise.all(workers.map(w => w.close(0, 1000)));
      await queue.close();
      await cleanupPrefix(redisUrl, prefix);
      await h.close();
    },
  };
  return harness;
}

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined or false. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(50);
  }
}

/** A promise to open later: `wait()` blocks until `open()`. */
export function gate(): { wait(): Promise<void>; open(): void; readonly reached: Promise<void> } {
  let open: () => void = () => undefined;
  let reach: () => void = () => undefined;
  const opened = new Promise<void>(resolve => (open = resolve));
  const reached = new Promise<void>(resolve => (reach = resolve));
  return {
    wait: () => {
      reach();
      return opened;
    },
    open: () => open(),
    reached,
  };
}

/**
 * Login latency: signed sign-in events at a fixed rate through the real login hook server
 * (`POST /hooks/login`, HMAC) → BullMQ → the sync worker → LiteLLM, against the simulators.
 * Latency per event = the job's `finishedOn` (set by the worker once the user's memberships are
 * applied) − the moment the event was sent. Every user signing in has one new group, so each
 * sync writes one membership.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig, loadServerConfig } from '../config/load.js';
import type { JobOutcome } from '../jobs/names.js';
import { createSyncWorker } from '../jobs/worker.js';
import { createAppContext, type AppContext } from '../src/cli/context.js';
import { silentLogger } from '../src/log.js';
import { reconcileFull } from '../src/reconcile/reconcile-full.js';
import { createServer } from '../src/server/app.js';
import { composeServerDeps } from '../src/server/compose.js';
import { signBody, signatureHeader } from '../src/server/hmac.js';
import { benchEnv } from './harness.js';
import { diffCounts, withCpu } from './measure.js';
import { startRedis } from './redis.js';
import { forkSims } from './sim-client.js';

export type LoginOptions = {
  readonly rate: number;
  readonly seconds: number;
  readonly latencyMs: number;
  readonly workerConcurrency: number;
  readonly litellmConcurrency: number;
  readonly debounceMs: number;
  readonly log: (line: string) => void;
};

export type LoginReport = {
  readonly settings: Omit<LoginOptions, 'log'>;
  readonly events: number;
  readonly completed: number;
  readonly outcomes: Record<string, number>;
  readonly latencyMs: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly hookMs: { readonly p50: number; readonly p99: number };
  readonly perLogin: {
    readonly idpCalls: number;
    readonly litellmCalls: number;
    readonly litellmWrites: number;
  };
  readonly idpCallsByEndpoint: Record<string, number>;
  readonly litellmCallsByEndpoint: Record<string, number>;
  readonly lowerBoundMs: number;
  readonly cpuMs: number;
  readonly wallMs: number;
};

const hookSecret = 'bench-hook-secret-0123456789abcdef0123456789';
const tenant = { users: 4_000, groups: 100, memberships: 16_000, nestedGroups: 10 };

export async function runLogin(options: LoginOptions): Promise<LoginReport> {
  const events = Math.round(options.rate * options.seconds);
  const redis = await startRedis();
  const sims = forkSims();
  const dir = mkdtempSync(join(tmpdir(), 'idp-sync-bench-login-'));
  let app: AppContext | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const info = await sims.start({
      cmd: 'start',
      ...tenant,
      latencyMs: options.latencyMs,
      sampleUsers: events,
    });
    const env = {
      ...benchEnv(info, join(dir, 'bench.db'), {
        applyConcurrency: 8,
        litellmConcurrency: options.litellmConcurrency,
      }),
      REDIS_URL: redis.url,
      IDP_SYNC_QUEUE_PREFIX: `bench-${process.pid}`,
      LOGIN_SYNC_DEBOUNCE_MS: String(options.debounceMs),
      WORKER_CONCURRENCY: String(options.workerConcurrency),
      SYNC_CRON: 'off',
      FULL_SYNC_CRON: 'off',
      HOST: '127.0.0.1',
      PORT: '0',
      LOGIN_HOOK_SECRET: hookSecret,
      // Completed jobs carry finishedOn, the end of each measurement: keep them all.
      JOB_KEEP_COMPLETED: '100000',
    };
    const config = loadConfig(env);
    app = createAppContext(config, { logger: silentLogger() });
    const setup = await reconcileFull(app.depsFor('entra'), {
      dryRun: false,
      force: false,
      trigger: 'manual',
    });
    options.log(
      `login: tenant provisioned (${setup.status}); ${info.userIds.length} users will sign in`,
    );
    await sims.regroup(info.userIds);
    const ctx = app;
    const worker = createSyncWorker({
      settings: config.jobs,
      sources: ['entra'],
      depsFor: source => ctx.depsFor(source),
      logger: silentLogger(),
    });
    closers.push(() => worker.close(5_000, 1_000));
    const composed = composeServerDeps({
      settings: loadServerConfig(env, config),
      jobs: config.jobs,
      sources: ['entra'],
      logger: silentLogger(),
      store: app.store,
      target: app.target,
    });
    closers.push(() => composed.close());
    const server = await createServer(composed.deps);
    closers.push(() => server.close());
    const url = await server.listen({ host: '127.0.0.1', port: 0 });
    const before = await sims.counters();

    const sent = new Map<string, number>();
    const hookMs: number[] = [];
    const refused: string[] = [];
    const measured = await withCpu(async () => {
      const started = performance.now();
      const posts: Promise<void>[] = [];
      for (let i = 0; i < info.userIds.length; i += 1) {
        const due = started + (i * 1000) / options.rate;
        const wait = due - performance.now();
        if (wait > 0) {
          await new Promise(resolve => setTimeout(resolve, wait));
        }
        posts.push(post(url, info.userIds[i] ?? '', sent, hookMs, refused));
      }
      await Promise.all(posts);
      await drain(worker.queue, options.log);
    });
    const latencies: number[] = [];
    const outcomes: Record<string, number> = {};
    for (const [jobId, at] of sent) {
      const job = await worker.queue.getJob(jobId);
      if (job?.finishedOn !== undefined) {
        latencies.push(job.finishedOn - at);
        const status = (job.returnvalue as JobOutcome | undefined)?.status ?? 'done';
        outcomes[status] = (outcomes[status] ?? 0) + 1;
      } else {
        outcomes['unfinished'] = (outcomes['unfinished'] ?? 0) + 1;
      }
    }
    if (refused.length > 0) {
      outcomes['refused by hook'] = refused.length;
    }
    const after = await sims.counters();
    const idp = diffCounts(before.idp, after.idp);
    const litellm = diffCounts(before.litellm, after.litellm);
    const n = Math.max(1, latencies.length);
    const per = (counts: Record<string, number>) =>
      Object.values(counts).reduce((a, b) => a + b, 0) / n;
    return {
      settings: {
        rate: options.rate,
        seconds: options.seconds,
        latencyMs: options.latencyMs,
        workerConcurrency: options.workerConcurrency,
        litellmConcurrency: options.litellmConcurrency,
        debounceMs: options.debounceMs,
      },
      events: info.userIds.length,
      completed: latencies.length,
      outcomes,
      latencyMs: {
        p50: quantile(latencies, 0.5),
        p95: quantile(latencies, 0.95),
        p99: quantile(latencies, 0.99),
        max: quantile(latencies, 1),
      },
      hookMs: { p50: quantile(hookMs, 0.5), p99: quantile(hookMs, 0.99) },
      perLogin: {
        idpCalls: per(idp),
        litellmCalls: per(litellm),
        litellmWrites: (after.litellmWrites - before.litellmWrites) / n,
      },
      idpCallsByEndpoint: idp,
      litellmCallsByEndpoint: litellm,
      // The critical path of one sync: IdP user + groups (parallel), LiteLLM user lookups
      // (parallel), the user's teams (parallel), then the write — 4 round trips, plus the debounce.
      lowerBoundMs: options.debounceMs + options.latencyMs * 4,
      cpuMs: measured.cpuMs,
      wallMs: measured.wallMs,
    };
  } finally {
    for (const close of closers.reverse()) {
      await close().catch(() => undefined);
    }
    app?.close();
    await sims.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function post(
  url: string,
  subject: string,
  sent: Map<string, number>,
  hookMs: number[],
  refused: string[],
): Promise<void> {
  const body = JSON.stringify({ source: 'entra', subject });
  const at = Date.now();
  const t0 = performance.now();
  const response = await fetch(`${url}/hooks/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [signatureHeader]: signBody(hookSecret, body, Math.floor(at / 1000)),
    },
    body,
  });
  hookMs.push(performance.now() - t0);
  const answer = (await response.json()) as { jobId?: string; error?: string };
  if (response.status === 202 && answer.jobId !== undefined) {
    sent.set(answer.jobId, at);
  } else {
    refused.push(`${response.status} ${answer.error ?? ''}`);
  }
}

/** Waits until no sync job is waiting, delayed or running (up to 10 minutes). */
async function drain(
  queue: { getJobCounts(...types: string[]): Promise<Record<string, number>> },
  log: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + 600_000;
  let last = 0;
  while (Date.now() < deadline) {
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    const left = Object.values(counts).reduce((a, b) => a + b, 0);
    if (left === 0) {
      return;
    }
    if (Date.now() - last > 5_000) {
      log(`login: ${left} jobs still queued or running`);
      last = Date.now();
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Redis for the job tests. Which one, in order: `REDIS_URL` if set; else 127.0.0.1:6379 if it
 * answers; else a private `redis-server` on a free port if the binary is installed; else the
 * tests fail saying how to get Redis. Each test works under a fresh key prefix, obliterated after.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

import { queueName } from '../../jobs/names.js';

const howToGetRedis =
  'The job tests need Redis: set REDIS_URL, run redis-server on 127.0.0.1:6379 (e.g. `docker run -p 6379:6379 redis:7`), or install redis-server (`apt-get install redis-server`, `brew install redis`) so the tests can start a private one.';

/** A Redis to test against; `stop` ends it if the tests started it. */
export type TestRedis = { readonly url: string; readonly stop: () => Promise<void> };

let shared: Promise<TestRedis> | undefined;

const nothingToStop = (): Promise<void> => Promise.resolve();

/** The Redis the tests use, found (or started) once per test file. Stop it in `afterAll`. */
export function testRedis(): Promise<TestRedis> {
  shared ??= findRedis();
  return shared;
}

async function findRedis(): Promise<TestRedis> {
  const fromEnv = process.env['REDIS_URL'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!(await answers(fromEnv))) {
      throw new Error(`REDIS_URL=${fromEnv} does not answer. ${howToGetRedis}`);
    }
    return { url: fromEnv, stop: nothingToStop };
  }
  if (await answers('redis://127.0.0.1:6379')) {
    return { url: 'redis://127.0.0.1:6379', stop: nothingToStop };
  }
  if (!hasRedisServer()) {
    throw new Error(howToGetRedis);
  }
  const own = await startPrivateRedis();
  return { url: own.url, stop: () => own.stop() };
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A redis-server of our own, with an append-only file so a restart keeps every key. */
export type PrivateRedis = {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM) and starts it again on the same port and data directory. */
  restart(options?: { downMs?: number }): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Starts a private redis-server on a free port (for tests that restart Redis).
 * @throws with how to install it when the binary is missing
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  if (!hasRedisServer()) {
    throw new Error(howToGetRedis);
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'idp-sync-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
  ];
  let server: ChildProcess = await launch(args, url);
  const halt = async (): Promise<void> => {
    if (server.exitCode !== null || server.signalCode !== null) {
      return;
    }
    const exited = new Promise(resolve => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  };
  return {
    url,
    port,
    restart: async (options = {}) => {
      await halt();
      await new Promise(resolve => setTimeout(resolve, options.downMs ?? 0));
      server = await launch(args, url);
    },
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(args: readonly string[], url: string): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  for (let i = 0; i < 100; i += 1) {
    if (await answers(url)) {
      return child;
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on ${url}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** A key prefix no other test uses. */
export function freshPrefix(): string {
  return `test-${randomUUID()}`;
}

/** Obliterates the queue under `prefix`, then deletes anything left there (locks, markers). */
export async function cleanupPrefix(url: string, prefix: string): Promise<void> {
  const queue = new Queue(queueName, { connection: { url }, prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
  const client = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) {
        await client.del(...keys);
      }
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/**
 * Looking for secrets where they must never be: captured log lines, error messages, every row of
 * every table of a store file, and every key under a Redis prefix.
 */
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';

import { createLogger, type Logger } from '../../src/log.js';

/** A debug-level logger whose JSON lines are kept for inspection. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'trace',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, lines };
}

/**
 * The recognisable part of each secret: PEM keys are matched on a slice of their base64 body, so
 * a key re-wrapped or quoted in JSON is still found.
 */
export function needles(secrets: readonly string[]): string[] {
  return secrets.map(secret => {
    const body = secret.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    return secret.includes('-----BEGIN') ? body.slice(100, 140) : secret;
  });
}

/** Each `[where, secret]` pair for which `texts[where]` contains a secret. */
export function findSecrets(
  texts: Record<string, readonly string[]>,
  secrets: readonly string[],
): string[] {
  const found: string[] = [];
  const wanted = needles(secrets);
  for (const [where, list] of Object.entries(texts)) {
    for (const text of list) {
      const unescaped = text.replace(/\\n/g, '');
      for (const needle of wanted) {
        if (text.includes(needle) || unescaped.includes(needle)) {
          found.push(`${where}: …${needle.slice(0, 6)}…`);
        }
      }
    }
  }
  return found;
}

/** Every row of every table of the SQLite file at `path`, as JSON text. */
export function storeRows(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    return tables.flatMap(({ name }) =>
      db
        .prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`)
        .all()
        .map(row => `${name} ${JSON.stringify(row)}`),
    );
  } finally {
    db.close();
  }
}

/** Every key under `prefix` in Redis with its whole value, as text. */
export async function redisDump(url: string, prefix: string): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${prefix}*`);
    const out: string[] = [];
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'hash'
          ? await redis.hgetall(key)
          : type === 'list'
            ? await redis.lrange(key, 0, -1)
            : type === 'zset'
              ? await redis.zrange(key, 0, -1, 'WITHSCORES')
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'stream'
                  ? await redis.xrange(key, '-', '+')
                  : await redis.get(key);
      out.push(`${key} ${JSON.stringify(value)}`);
    }
    return out;
  } finally {
    redis.disconnect();
  }
}

import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';

import { fullKey, userKey } from '../../jobs/enqueue.js';
import { RetryableRunError, settle } from '../../jobs/outcome.js';
import { parsePayload } from '../../jobs/payloads.js';
import { redactRedisUrl } from '../../jobs/redis.js';
import { ConfigError, SyncError } from '../../src/errors.js';
import type { RunReport } from '../../src/reconcile/run-types.js';

const report = (status: RunReport['status'], extra: Partial<RunReport> = {}): RunReport => ({
  runId: 'r1',
  source: 'file',
  kind: 'full',
  status,
  dryRun: false,
  complete: status !== 'incomplete',
  problems: [],
  plan: undefined,
  failures: [],
  applied: { addMembers: { ok: 2, failed: 0 } },
  keysDeleted: 0,
  read: { idpUsers: 0, idpGroups: 0, teams: 0, litellmUsers: 0 },
  durationMs: 5,
  ...extra,
});

const rejected = new SyncError('TARGET_REJECTED', 'team alias too long');
const throttled = new SyncError('TARGET_RATE_LIMITED', '429 from /team/member_add');

describe('the failure policy (settle)', () => {
  it('completes a successful run with its counts', () => {
    expect(settle('file', [report('succeeded')], [rejected])).toEqual({
      source: 'file',
      status: 'succeeded',
      runIds: ['r1'],
      applied: { addMembers: { ok: 2, failed: 0 } },
      keysDeleted: 0,
      problems: [],
    });
  });

  it.each([
    [
      'a refused plan',
      report('refused', { refusedBecause: '30 deprovisions > 25' }),
      [],
      UnrecoverableError,
      /--force/,
    ],
    [
      'bad credentials',
      report('failed', { error: 'reading LiteLLM: 401' }),
      [new SyncError('TARGET_UNAUTHORIZED', '401')],
      UnrecoverableError,
      /TARGET_UNAUTHORIZED/,
    ],
    [
      'a configuration error',
      report('failed'),
      [new ConfigError(['FILE_DIRECTORY_PATH: no file'])],
      UnrecoverableError,
      /FILE_DIRECTORY_PATH/,
    ],
    [
      'a throttled partial run',
      report('partial'),
      [rejected, throttled],
      RetryableRunError,
      /partial/,
    ],
    [
      'an incomplete read for a network error',
      report('incomplete', { problems: ['reading users: ECONNRESET'] }),
      [new TypeError('fetch failed')],
      RetryableRunError,
      /ECONNRESET/,
    ],
    [
      'a failure with no error seen',
      report('failed', { error: 'something' }),
      [],
      RetryableRunError,
      /something/,
    ],
    [
      'only permanent rejections',
      report('partial'),
      [rejected],
      UnrecoverableError,
      /TARGET_REJECTED/,
    ],
  ] as const)('%s', (_name, run, errors, kind, message) => {
    expect(() => settle('file', [run], errors)).toThrow(kind);
    expect(() => settle('file', [run], errors)).toThrow(message);
  });

  it('reports the worst status of several runs', () => {
    expect(
      settle('file', [report('succeeded'), report('succeeded', { runId: 'r2' })], []).runIds,
    ).toEqual(['r1', 'r2']);
    expect(() => settle('file', [report('succeeded'), report('partial')], [throttled])).toThrow(
      RetryableRunError,
    );
  });
});

describe('job keys and payloads', () => {
  it('builds ids without ":" or the subject in clear, folding e-mail case', () => {
    expect(userKey('file', 'Alice@Example.com ')).toBe(userKey('file', 'alice@example.com'));
    expect(userKey('okta', '00uAbC')).not.toBe(userKey('okta', '00uabc'));
    expect(userKey('file', 'a:b@example.com')).toMatch(/^file-[0-9a-f]{24}$/);
    expect(fullKey('entra', 'delta')).toBe('full-entra-delta');
  });

  it('refuses a malformed payload, naming the field', () => {
    expect(parsePayload('sync-user', { source: 'file', subject: 'alice' })).toEqual({
      source: 'file',
      subject: 'alice',
    });
    expect(() => parsePayload('full-reconcile', { source: 'file', mode: 'sometimes' })).toThrow(
      /mode/,
    );
    expect(() => parsePayload('resync', { source: 'file', target: { kind: 'group' } })).toThrow(
      /target\.group/,
    );
  });

  it('never prints a Redis password', () => {
    expect(redactRedisUrl('redis://:s3cret@redis.internal:6380/2')).toBe(
      'redis://:***@redis.internal:6380/2',
    );
    expect(redactRedisUrl('rediss://user:pw@host')).toBe('rediss://user:***@host');
  });
});

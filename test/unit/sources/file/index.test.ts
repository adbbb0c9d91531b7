import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConfigError } from '../../../../src/errors.js';
import type { IdpUser } from '../../../../src/model.js';
import { findUser, fileSource, toGroupScope } from '../../../../src/sources/file/index.js';
import { testSourceDeps } from '../../../helpers/source-deps.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) {
    result.push(item);
  }
  return result;
}

const before = `
users:
  - { id: u-alice, email: alice@example.com }
  - { id: u-bob, email: bob@example.com }
groups:
  - { id: g-ai, name: ai-team, members: [u-alice], groups: [g-sub] }
  - { id: g-sub, name: subteam, members: [u-bob] }
  - { id: g-fin, name: finance, members: [u-alice] }
`;

const after = `
users:
  - { id: u-alice, email: alice@example.com, status: disabled }
groups:
  - { id: g-ai, name: ai-renamed, members: [u-alice] }
`;

describe('fileSource', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-source-'));
    path = join(dir, 'directory.yaml');
    await writeFile(path, before);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const create = (scope: object) =>
    fileSource.create(fileSource.configSchema.parse({ path, scope }), testSourceDeps());

  it('uses the IdP id as LiteLLM user_id by default', () => {
    expect(fileSource.defaultUserIdAttribute).toBe('externalId');
  });

  it('yields only in-scope groups; nested children need not be in scope', async () => {
    const groups = await collect(create({ namePrefix: 'ai-' }).listGroups());
    expect(groups).toEqual([
      { externalId: 'g-ai', name: 'ai-team', memberIds: ['u-alice', 'u-bob'] },
    ]);
  });

  it('selects by ids and by regex too (the union)', async () => {
    const source = create({ ids: ['g-fin'], nameRegex: '^sub' });
    expect((await collect(source.listGroups())).map(group => group.externalId)).toEqual([
      'g-sub',
      'g-fin',
    ]);
  });

  it('re-reads the file on every call', async () => {
    const source = create({ namePrefix: 'ai-' });
    const groups = source.listGroups();
    expect(await collect(groups)).toHaveLength(1);
    await writeFile(path, after);
    expect(await collect(groups)).toEqual([
      { externalId: 'g-ai', name: 'ai-renamed', memberIds: ['u-alice'] },
    ]);
    expect(await collect(source.listUsers())).toEqual([
      {
        externalId: 'u-alice',
        login: 'alice@example.com',
        email: 'alice@example.com',
        active: false,
      },
    ]);
    expect(await source.readUser('u-bob')).toEqual({
      kind: 'deleted',
      source: 'file',
      subject: 'u-bob',
    });
  });

  it('reads a user with their in-scope groups only', async () => {
    expect(await create({ namePrefix: 'ai-' }).readUser('BOB@example.com')).toEqual({
      kind: 'found',
      source: 'file',
      user: {
        externalId: 'u-bob',
        login: 'bob@example.com',
        email: 'bob@example.com',
        active: true,
      },
      groups: [{ externalId: 'g-ai', name: 'ai-team' }],
    });
  });

  it('throws, rather than reporting users deleted, when the file is broken', async () => {
    const source = create({ all: true });
    await writeFile(path, 'users: [');
    await expect(source.readUser('u-alice')).rejects.toMatchObject({
      code: 'SOURCE_INVALID_RESPONSE',
    });
    await expect(collect(source.listUsers())).rejects.toMatchObject({
      code: 'SOURCE_INVALID_RESPONSE',
    });
  });
});

describe('fileSource.configSchema', () => {
  it('fills scope defaults', () => {
    expect(fileSource.configSchema.parse({ path: 'd.yaml', scope: { namePrefix: 'ai-' } })).toEqual(
      {
        path: 'd.yaml',
        scope: { ids: [], namePrefix: 'ai-', all: false },
      },
    );
  });

  it.each([
    [{ path: 'd.yaml', scope: {} }, 'scope', 'no group selected'],
    [{ path: 'd.txt', scope: { all: true } }, 'path', '.yaml, .yml or .json'],
    [{ path: 'd.yaml', scope: { nameRegex: '(' } }, 'scope.nameRegex', 'valid regular expression'],
  ])('rejects %j at %s', (config, path, message) => {
    const result = fileSource.configSchema.safeParse(config);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path.join('.')).toBe(path);
    expect(issue?.message).toContain(message);
  });
});

describe('toGroupScope', () => {
  it('refuses an empty scope built by hand', () => {
    expect(() => toGroupScope({ ids: [], all: false })).toThrow(ConfigError);
  });
});

describe('findUser', () => {
  const users: IdpUser[] = [
    { externalId: 'bob@example.com', login: 'x', active: true },
    { externalId: 'u2', login: 'Bob@Example.com', active: true },
    { externalId: 'u3', login: 'carol', email: 'bob@example.com', active: true },
  ];
  it('prefers the id, then the login, then the e-mail', () => {
    expect(findUser(users, 'bob@example.com')?.externalId).toBe('bob@example.com');
    expect(findUser(users, 'BOB@example.com')?.externalId).toBe('u2');
    expect(findUser(users.slice(2), 'BOB@EXAMPLE.COM')?.externalId).toBe('u3');
    expect(findUser(users, 'nobody')).toBeUndefined();
  });
});

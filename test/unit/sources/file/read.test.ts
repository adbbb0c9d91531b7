import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ConfigError, SyncError } from '../../../../src/errors.js';
import { parseDirectoryFile, readDirectoryFile } from '../../../../src/sources/file/read.js';

/** The error `parse` throws; fails the test when it throws nothing. */
function failure(text: string, file = 'people/directory.yaml'): SyncError {
  try {
    parseDirectoryFile(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(SyncError);
    return error as SyncError;
  }
  throw new Error('expected the directory to be rejected');
}

const valid = `
users:
  - id: u-alice
    email: Alice@example.com
    name: Alice Example
  - id: u-bob
    login: bob
    status: disabled
  - id: u-carol
groups:
  - id: g-eng
    name: Engineering
    members: [u-alice]
    groups: [g-platform]
  - id: g-platform
    name: Platform
    members: [u-bob, u-alice]
  - id: g-empty
    name: Empty
    members:
`;

describe('parseDirectoryFile', () => {
  it('maps users, defaulting login to e-mail then id and status to active', () => {
    const { users } = parseDirectoryFile(valid, 'directory.yaml');
    expect(users).toEqual([
      {
        externalId: 'u-alice',
        login: 'Alice@example.com',
        email: 'Alice@example.com',
        displayName: 'Alice Example',
        active: true,
      },
      { externalId: 'u-bob', login: 'bob', active: false },
      { externalId: 'u-carol', login: 'u-carol', active: true },
    ]);
  });

  it('flattens nested groups, counting a user reached twice once', () => {
    const { groups, cycles } = parseDirectoryFile(valid, 'directory.yaml');
    expect(groups).toEqual([
      { externalId: 'g-eng', name: 'Engineering', memberIds: ['u-alice', 'u-bob'] },
      { externalId: 'g-platform', name: 'Platform', memberIds: ['u-bob', 'u-alice'] },
      { externalId: 'g-empty', name: 'Empty', memberIds: [] },
    ]);
    expect(cycles).toEqual([]);
  });

  it('accepts a cycle and reports it', () => {
    const text = `users: [{ id: u1 }]
groups:
  - { id: a, name: A, members: [u1], groups: [b] }
  - { id: b, name: B, groups: [a] }
`;
    const { groups, cycles } = parseDirectoryFile(text, 'loop.yml');
    expect(groups.map(group => group.memberIds)).toEqual([['u1'], ['u1']]);
    expect(cycles).toEqual([['a', 'b']]);
  });

  it('reads JSON by extension, with the same shape', () => {
    const text = JSON.stringify({
      users: [{ id: 'u1' }],
      groups: [{ id: 'g', name: 'G', members: ['u1'] }],
    });
    expect(parseDirectoryFile(text, 'directory.JSON').groups[0]?.memberIds).toEqual(['u1']);
  });

  it('names file, path, line and expectation for a wrong type', () => {
    const error = failure('users:\n  - id: u1\n    name: [not, a, string]\n');
    expect(error.code).toBe('SOURCE_INVALID_RESPONSE');
    expect(error.message).toContain('people/directory.yaml');
    expect(error.message).toContain(
      'users[0].name (line 3, column 11): Invalid input: expected string',
    );
  });

  it('names the path of a bad status and what was expected', () => {
    const error = failure(
      'users:\n  - id: u1\n  - id: u2\n  - id: u3\n  - id: u4\n    status: suspended\n',
    );
    expect(error.message).toContain(
      'users[3].status (line 6, column 13): Invalid option: expected one of "active"|"disabled", got "suspended"',
    );
  });

  it('reports a missing field and an unknown field', () => {
    const error = failure('groups:\n  - id: g1\n    member: [u1]\n');
    expect(error.message).toContain('groups[0].name (line 2, column 5): missing; expected string');
    expect(error.message).toContain('groups[0].member (line 3, column 13): unknown field');
  });

  it('rejects duplicate user ids, group ids and logins', () => {
    const error = failure(`users:
  - id: u1
  - id: u1
  - { id: u2, email: Same@example.com }
  - { id: u3, login: same@EXAMPLE.com }
groups:
  - { id: g1, name: A }
  - { id: g1, name: B }
`);
    expect(error.message).toContain(
      'users[1].id (line 3, column 9): duplicate id "u1" (also users[0])',
    );
    expect(error.message).toContain(
      'users[3].login (line 5, column 22): duplicate login "same@example.com" (also users[2])',
    );
    expect(error.message).toContain(
      'groups[1].id (line 8, column 11): duplicate id "g1" (also groups[0])',
    );
  });

  it('rejects unknown member ids and unknown nested group ids', () => {
    const error = failure(`users: [{ id: u1 }]
groups:
  - id: g1
    name: A
    members: [u1, u-ghost]
    groups: [g-ghost]
`);
    expect(error.message).toContain(
      'groups[0].members[1] (line 5, column 19): unknown user id "u-ghost"',
    );
    expect(error.message).toContain(
      'groups[0].groups[0] (line 6, column 14): unknown group id "g-ghost"',
    );
  });

  it('names line and column of a YAML syntax error', () => {
    const error = failure('users:\n  - id: u1\n   name: x\n');
    expect(error.code).toBe('SOURCE_INVALID_RESPONSE');
    expect(error.message).toMatch(
      /^people\/directory\.yaml: YAML syntax error at line 3, column 1: \S/,
    );
  });

  it('names line and column of a JSON syntax error, and paths in a JSON file', () => {
    const syntax = failure('{\n  "users": [\n    {"id": "u1",}\n  ]\n}', 'dir.json');
    expect(syntax.message).toMatch(/^dir\.json: JSON syntax error at line 3, column 17: /);
    const invalid = failure('{"users": [{"id": "u1", "status": "gone"}]}', 'dir.json');
    expect(invalid.message).toContain('dir.json: invalid directory file');
    expect(invalid.message).toContain('users[0].status (line 1, column 35)');
  });

  it('refuses an empty file rather than reading an empty directory', () => {
    expect(failure('# nothing yet\n').message).toContain('(top level): the file is empty');
  });

  it('refuses an unknown extension as a configuration error', () => {
    expect(() => parseDirectoryFile('{}', 'directory.txt')).toThrow(ConfigError);
  });
});

describe('readDirectoryFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-source-read-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the file from disk', async () => {
    const path = join(dir, 'directory.yml');
    await writeFile(path, valid);
    expect((await readDirectoryFile(path)).users).toHaveLength(3);
  });

  it('reports a missing file as unavailable, naming it', async () => {
    const path = join(dir, 'missing.yaml');
    await expect(readDirectoryFile(path)).rejects.toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      message: expect.stringContaining(path),
    });
  });

  it('reports an aborted read as aborted', async () => {
    const path = join(dir, 'directory.yaml');
    await writeFile(path, valid);
    await expect(readDirectoryFile(path, AbortSignal.abort())).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });
});

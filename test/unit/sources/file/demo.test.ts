import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { readDirectoryFile, type Directory } from '../../../../src/sources/file/read.js';

/** The demo files are data the demo depends on: check they parse and change what they claim. */
describe('config/demo directory files', () => {
  const load = (name: string) =>
    readDirectoryFile(fileURLToPath(new URL(`../../../../config/demo/${name}`, import.meta.url)));
  const group = (directory: Directory, id: string) =>
    directory.groups.find(candidate => candidate.externalId === id);
  const user = (directory: Directory, id: string) =>
    directory.users.find(candidate => candidate.externalId === id);

  it('describes the starting company', async () => {
    const start = await load('directory.yaml');
    expect(start.users).toHaveLength(13);
    expect(start.users.filter(u => !u.active).map(u => u.externalId)).toEqual(['u-tom']);
    expect(start.groups.filter(g => g.name.startsWith('ai-'))).toHaveLength(5);
    expect(group(start, 'g-ai-research')?.memberIds).toEqual([
      'u-daniel',
      'u-kenji',
      'u-rahul',
      'u-emma',
    ]);
    expect(group(start, 'g-finance')?.name).toBe('finance');
    expect(start.cycles).toEqual([]);
  });

  it('changes.yaml removes one user, disables one, renames one group and moves one member', async () => {
    const start = await load('directory.yaml');
    const next = await load('changes.yaml');
    expect(user(next, 'u-lucas')).toBeUndefined();
    expect(user(next, 'u-marcus')?.active).toBe(false);
    expect(start.users.length - next.users.length).toBe(1);
    expect(group(next, 'g-ai-support')?.name).toBe('ai-customer-support');
    expect(group(next, 'g-ai-research')?.memberIds).not.toContain('u-kenji');
    expect(group(next, 'g-ai-data')?.memberIds).toContain('u-kenji');
    const renamed = next.groups.filter(g => g.name !== group(start, g.externalId)?.name);
    expect(renamed.map(g => g.externalId)).toEqual(['g-ai-support']);
  });
});

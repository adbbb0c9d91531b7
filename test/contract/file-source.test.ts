import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { stringify } from 'yaml';

import { fileSource } from '../../src/sources/file/index.js';
import {
  contractFixture,
  describeSourceContract,
  type ContractDirectory,
} from './source.contract.js';
import { testSourceDeps } from '../helpers/source-deps.js';

/** The contract directory in the file source's own format (`status` instead of `active`). */
function toDirectoryFile(directory: ContractDirectory): unknown {
  return {
    users: directory.users.map(({ active, ...user }) => ({
      ...user,
      status: active ? 'active' : 'disabled',
    })),
    groups: directory.groups,
  };
}

describeSourceContract('file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'file-source-contract-'));
  const path = join(dir, 'directory.yaml');
  await writeFile(path, stringify(toDirectoryFile(contractFixture.directory)));
  const config = fileSource.configSchema.parse({ path, scope: contractFixture.scope });
  return {
    source: fileSource.create(config, testSourceDeps()),
    fixture: contractFixture,
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runDemo } from '../../src/demo/run.js';
import { createLiteLLMSimulator } from '../../src/sim/litellm/server.js';

describe('npm run demo', () => {
  it('syncs the demo directory, applies the scripted change and deletes the leavers’ keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idp-sync-demo-test-'));
    const simulator = await createLiteLLMSimulator({ masterKey: 'sk-demo' });
    const directory = join(dir, 'directory.yaml');
    copyFileSync('config/demo/directory.yaml', directory);
    let output = '';
    try {
      const code = await runDemo({
        simulator,
        masterKey: 'sk-demo',
        directory,
        changes: 'config/demo/changes.yaml',
        dbPath: join(dir, 'state.db'),
        print: text => (output += `${text}\n`),
      });
      expect(code).toBe(0);
    } finally {
      await simulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(output).toContain('3. Second sync: nothing changed, so nothing is written');
    expect(output).toMatch(/applied: nothing to do\n\s+LiteLLM calls: 2\n/);
    expect(output).toContain('DEPROVISION    user u-lucas (deleted)');
    expect(output).toContain('rename team    team g-ai-support (ai-support → ai-customer-support)');
    expect(output).toMatch(/DELETED\s+lucas-laptop/);
    expect(output).toMatch(/DELETED\s+marcus-ci/);
    expect(output).toMatch(/kept\s+support-bot \(service key\)/);
    expect(output).toMatch(/kept\s+priya-notebook/);
  });
});

/**
 * Issue 11, part 4 (payloads): IdP names that are emoji, right-to-left text, 1,000 characters
 * long, or look like SQL or HTML reach LiteLLM as team and user aliases byte for byte, and stay
 * put on the next run; LiteLLM answers that are not JSON fail the run clearly and lose nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { startHarness, type Directory, type Harness } from '../helpers/harness.js';

const oddNames = [
  'ai-🚀 launch 👩🏽‍💻',
  'ai-\u202Eenilno\u202C team', // right-to-left override
  'ai-שלום עולם',
  // Inside the name: the file source trims surrounding whitespace, and JS counts U+FEFF as such.
  'ai-\u200Bzero\u200Dwidth\uFEFFbom',
  `ai-${'long'.repeat(250)}`.slice(0, 1000),
  "ai-'; DROP TABLE teams; --",
  'ai-Robert"); DELETE FROM users WHERE ("1"="1',
  'ai-<script>alert(1)</script>',
  'ai-<img src=x onerror=alert(1)>&amp;',
  'ai-${process.env.HOME} {{7*7}} %s %n',
  'ai-back\\slash "quoted" \ttab',
  'ai-e\u0301 vs é', // combining accent next to precomposed
];

const oddUserNames = [
  'Zoë 🧪 O\u2019Brien',
  '\u202Eevil\u202C',
  "x'); DROP TABLE users;--",
  '<b>bold</b>',
  'n'.repeat(1000),
];

function oddDirectory(): Directory {
  return {
    users: oddUserNames.map((name, i) => ({ id: `u${i}`, email: `u${i}@example.com`, name })),
    groups: oddNames.map((name, i) => ({
      id: `g${i}`,
      name,
      members: [`u${i % oddUserNames.length}`],
    })),
  };
}

describe('hostile names and bodies', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map(h => h.close()));
  });

  it('carries odd group and user names into LiteLLM intact, and a second run changes nothing', async () => {
    const h = await startHarness();
    harnesses.push(h);
    h.writeDirectory(oddDirectory());
    const first = await h.sync();
    expect(first.status, JSON.stringify(first.problems)).toBe('succeeded');
    const aliases = h.sim.state().teams.map(t => t.team_alias);
    expect([...aliases].sort()).toEqual([...oddNames].sort());
    const users = new Map(h.sim.state().users.map(u => [u.user_id, u.user_alias]));
    oddUserNames.forEach((name, i) => expect(users.get(`u${i}`)).toBe(name));
    const second = await h.sync();
    expect(second.plan?.operations).toEqual([]);
  });

  it('fails a run clearly when LiteLLM answers HTML, and loses nothing', async () => {
    const h = await startHarness();
    harnesses.push(h);
    h.writeDirectory(oddDirectory());
    expect((await h.sync()).status).toBe('succeeded');
    const before = JSON.stringify(h.sim.state());
    const writes = h.sim.writes().length;
    h.sim.setFaults([
      {
        method: 'GET',
        status: 200,
        body: '<!doctype html><html><body>Sign in</body></html>',
        headers: { 'content-type': 'text/html' },
      },
    ]);
    const report = await h.sync();
    h.sim.clearFaults();
    expect(report.status).not.toBe('succeeded');
    expect(`${report.error ?? ''} ${report.problems.join(' ')}`).toMatch(
      /not JSON|unexpected|HTML|content/i,
    );
    expect(JSON.stringify(h.sim.state())).toBe(before);
    expect(h.sim.writes().length).toBe(writes);
    expect((await h.sync()).plan?.operations).toEqual([]);
  });
});

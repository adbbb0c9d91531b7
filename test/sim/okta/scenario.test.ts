import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { createDirectory } from '../../../src/sim/okta/directory.js';
import { createPrng } from '../../../src/sim/okta/faults.js';
import { loadScenario, readScenarioFile } from '../../../src/sim/okta/scenario.js';

const example = fileURLToPath(
  new URL('../../../src/sim/okta/scenarios/example.yaml', import.meta.url),
);

describe('Okta simulator scenarios', () => {
  it('loads the example org, deactivated users still in their groups', () => {
    const directory = createDirectory(() => Date.UTC(2026, 0, 5), createPrng(1));
    loadScenario(directory, readScenarioFile(example), createPrng(1));
    expect(directory.findUser('dave@example.com')?.status).toBe('DEPROVISIONED');
    expect(directory.group('00g0000000000000aiops').members.has('00u00000000000000dave')).toBe(
      true,
    );
    expect(directory.app('0oa00000000000litellm').groups).toHaveLength(2);
  });

  it('generates the same large org from the same seed', () => {
    const build = () => {
      const directory = createDirectory(() => Date.UTC(2026, 0, 5), createPrng(7));
      loadScenario(
        directory,
        { generate: { users: 300, groups: 40, membersPerGroup: 12, deprovisionedShare: 0.1 } },
        createPrng(7),
      );
      return [...directory.groups.values()].map(g => [g.profile.name, [...g.members].sort()]);
    };
    const first = build();
    expect(first).toHaveLength(41);
    expect(build()).toEqual(first);
  });

  it('names an unknown member', () => {
    const directory = createDirectory(() => Date.UTC(2026, 0, 5), createPrng(1));
    expect(() =>
      loadScenario(directory, { groups: [{ name: 'x', members: ['ghost'] }] }, createPrng(1)),
    ).toThrow('scenario: unknown user "ghost"');
  });
});

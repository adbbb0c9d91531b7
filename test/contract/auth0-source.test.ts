import { auth0SourceFor, contractScenario, startAuth0 } from '../integration/auth0/setup.js';
import { contractFixture, describeSourceContract } from './source.contract.js';

// Roles play the groups; the nested case is seeded as flattened role membership (setup.ts).
describeSourceContract('auth0 (roles)', async () => {
  const sim = await startAuth0(contractScenario(contractFixture.directory, 'roles'));
  return {
    source: auth0SourceFor(sim, {
      scope: { ...contractFixture.scope, ids: [...contractFixture.scope.ids] },
    }),
    fixture: contractFixture,
    teardown: () => sim.close(),
  };
});

describeSourceContract('auth0 (organizations)', async () => {
  const sim = await startAuth0(contractScenario(contractFixture.directory, 'organizations'));
  return {
    source: auth0SourceFor(sim, {
      groupsFrom: 'organizations',
      scope: { ...contractFixture.scope, ids: [...contractFixture.scope.ids] },
    }),
    fixture: contractFixture,
    teardown: () => sim.close(),
  };
});

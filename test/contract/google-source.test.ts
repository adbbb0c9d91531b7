import { contractScenario, googleSourceFor, startGoogle } from '../integration/google/setup.js';
import { contractFixture, describeSourceContract } from './source.contract.js';

describeSourceContract('google', async () => {
  const sim = await startGoogle(contractScenario(contractFixture.directory));
  return {
    source: googleSourceFor(sim, {
      scope: { ...contractFixture.scope, ids: [...contractFixture.scope.ids] },
    }),
    fixture: contractFixture,
    teardown: () => sim.close(),
  };
});

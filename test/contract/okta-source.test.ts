import { contractFixture, describeSourceContract } from './source.contract.js';
import { contractScenario, oktaSourceFor, startOkta } from '../integration/okta/setup.js';

describeSourceContract('okta', async () => {
  const sim = await startOkta(contractScenario(contractFixture.directory));
  return {
    source: oktaSourceFor(sim, {
      scope: { ...contractFixture.scope, ids: [...contractFixture.scope.ids] },
    }),
    fixture: contractFixture,
    teardown: () => sim.close(),
  };
});

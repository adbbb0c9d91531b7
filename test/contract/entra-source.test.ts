import { entraSourceFor, contractScenario, startEntra } from '../integration/entra/setup.js';
import { contractFixture, describeSourceContract } from './source.contract.js';

describeSourceContract('entra', async () => {
  const sim = await startEntra(contractScenario(contractFixture.directory));
  return {
    source: entraSourceFor(sim, { scope: contractFixture.scope }),
    fixture: contractFixture,
    teardown: () => sim.close(),
  };
});

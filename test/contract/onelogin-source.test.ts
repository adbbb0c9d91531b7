import {
  contractAccount,
  oneloginSourceFor,
  startOneLogin,
} from '../integration/onelogin/setup.js';
import { contractFixture, describeSourceContract } from './source.contract.js';

// Roles play the groups; the nested case is seeded as flattened role membership, and the
// contract ids are substituted by OneLogin's integer ids (setup.ts).
describeSourceContract('onelogin', async () => {
  const { scenario, fixture } = contractAccount(contractFixture);
  const sim = await startOneLogin(scenario);
  return {
    source: oneloginSourceFor(sim, { scope: { ...fixture.scope, ids: [...fixture.scope.ids] } }),
    fixture,
    teardown: () => sim.close(),
  };
});

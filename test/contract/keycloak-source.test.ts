import {
  contractScenario,
  keycloakSourceFor,
  startKeycloak,
} from '../integration/keycloak/setup.js';
import { contractFixture, describeSourceContract } from './source.contract.js';

describeSourceContract('keycloak', async () => {
  const sim = await startKeycloak(contractScenario(contractFixture.directory));
  return {
    source: keycloakSourceFor(sim, {
      scope: { ...contractFixture.scope, ids: [...contractFixture.scope.ids] },
    }),
    fixture: contractFixture,
    teardown: () => sim.close(),
  };
});

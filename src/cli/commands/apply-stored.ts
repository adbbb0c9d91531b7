import type { StoredPlan } from '../../reconcile/approval.js';
import { reconcileFull } from '../../reconcile/reconcile-full.js';
import type { RunReport } from '../../reconcile/run-types.js';
import type { AppContext } from '../context.js';

/**
 * Applies stored operations "if the world has not drifted" — the one path behind `approve` (a
 * quarantined plan) and `apply` (a saved plan file): re-read the IdP and LiteLLM, re-plan,
 * compare (approval.ts `checkStoredPlan`), then apply the stored operations exactly, or refuse
 * and say what changed. The caller records its own decision and prints the report.
 */
export async function applyStoredPlan(
  app: AppContext,
  source: string,
  stored: StoredPlan,
  options: { readonly by: string; readonly force?: boolean | undefined },
  signal?: AbortSignal,
): Promise<RunReport> {
  return reconcileFull(app.depsFor(source), {
    dryRun: false,
    force: options.force === true,
    trigger: stored.origin === 'saved-plan' ? 'saved-plan' : 'approval',
    actor: options.by,
    approve: stored,
    signal,
  });
}

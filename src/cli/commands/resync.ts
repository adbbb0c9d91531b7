import { reconcileUser } from '../../reconcile/reconcile-user.js';
import type { RunReport } from '../../reconcile/run-types.js';
import type { AppContext } from '../context.js';
import { exitCodeFor, worstExitCode } from '../exit-codes.js';
import { formatReport } from '../format.js';
import type { Output } from '../output.js';

export type ResyncOptions = { user: string; dryRun: boolean; json: boolean; source?: string | undefined };

/** `resync --user`: the per-user sync the login hook runs, for one person, now. */
export async function runResync(app: AppContext, options: ResyncOptions, out: Output, signal?: AbortSignal): Promise<number> {
  const reports: RunReport[] = [];
  for (const setup of app.config.sources) {
    if (options.source !== undefined && setup.name !== options.source) {
      continue;
    }
    const report = await reconcileUser(app.depsFor(setup.name), options.user, { dryRun: options.dryRun, force: false, trigger: 'manual', signal });
    reports.push(report);
    if (!options.json) {
      out.line(formatReport(report));
    }
  }
  if (options.json) {
    out.json(reports.length === 1 ? reports[0] : reports);
  }
  return reports.length === 0 ? 2 : worstExitCode(reports.map(r => exitCodeFor(r.status)));
}

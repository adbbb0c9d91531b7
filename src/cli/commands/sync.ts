import type { RunReport } from '../../reconcile/run-types.js';
import { reconcileFull } from '../../reconcile/reconcile-full.js';
import type { AppContext } from '../context.js';
import { exitCodeFor, worstExitCode } from '../exit-codes.js';
import { formatReport } from '../format.js';
import { createProgress } from '../progress.js';
import type { Output } from '../output.js';

export type SyncOptions = {
  dryRun: boolean;
  force: boolean;
  json: boolean;
  source?: string | undefined;
};

/**
 * `sync` and `plan`: a full reconcile of every configured source (or one), in turn. `plan` is
 * `sync --dry-run`: it reads everything and applies nothing.
 */
export async function runSync(
  app: AppContext,
  options: SyncOptions,
  out: Output,
  signal?: AbortSignal,
): Promise<number> {
  const reports: RunReport[] = [];
  for (const setup of app.config.sources) {
    if (options.source !== undefined && setup.name !== options.source) {
      continue;
    }
    const progress = createProgress(
      setup.name,
      process.stderr,
      !options.json && process.stderr.isTTY === true,
    );
    const deps = app.depsFor(setup.name, (done, total) => progress.update(done, total));
    const report = await reconcileFull(deps, {
      dryRun: options.dryRun,
      force: options.force,
      trigger: 'manual',
      signal,
    });
    progress.end();
    reports.push(report);
    if (!options.json) {
      out.line(formatReport(report));
    }
  }
  if (reports.length === 0) {
    out.error(
      `no configured source is named ${options.source ?? '(none)'}; IDP_SOURCES=${app.config.sources.map(s => s.name).join(',')}`,
    );
    return 2;
  }
  if (options.json) {
    out.json(reports.length === 1 ? reports[0] : reports);
  }
  return worstExitCode(reports.map(r => exitCodeFor(r.status)));
}

import { readFileSync, writeFileSync } from 'node:fs';

import { errorMessage } from '../../errors.js';
import { reconcileFull } from '../../reconcile/reconcile-full.js';
import type { RunReport } from '../../reconcile/run-types.js';
import {
  issuePath,
  savedPlanFormat,
  savedPlanSchema,
  type SavedPlan,
} from '../../reconcile/saved-plan.js';
import type { AppContext } from '../context.js';
import { exitCodeFor, exitCodes } from '../exit-codes.js';
import { formatReport } from '../format.js';
import type { Output } from '../output.js';
import { applyStoredPlan } from './apply-stored.js';

/** At most this many problems of a malformed plan file are listed. */
const maxListedProblems = 20;

export type PlanOutOptions = {
  readonly file: string;
  readonly source?: string | undefined;
  readonly json: boolean;
};

/**
 * `plan --out <file>`: a dry run of one source whose plan is saved with its basis (source, when,
 * fingerprints of the IdP snapshot, LiteLLM state and store records it was planned from), for
 * `apply <file>` to execute exactly. Nothing is applied. The file is written mode 0600: it
 * names users.
 */
export async function runPlanOut(
  app: AppContext,
  options: PlanOutOptions,
  out: Output,
  signal?: AbortSignal,
): Promise<number> {
  const names: string[] = app.config.sources.map(s => s.name);
  const source = options.source ?? (names.length === 1 ? names[0] : undefined);
  if (source === undefined || !names.includes(source)) {
    out.error(
      options.source === undefined
        ? `plan --out saves one source's plan: name it with --source (IDP_SOURCES=${names.join(',')})`
        : `no configured source is named ${options.source}; IDP_SOURCES=${names.join(',')}`,
    );
    return exitCodes.usage;
  }
  const deps = app.depsFor(source);
  const report = await reconcileFull(deps, {
    dryRun: true,
    force: false,
    trigger: 'manual',
    withBasis: true,
    signal,
  });
  const saved = toSavedPlan(report, deps.now());
  if (saved !== undefined) {
    writeFileSync(options.file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  }
  if (options.json) {
    out.json(report);
  } else {
    out.line(formatReport(report));
    out.line(
      saved === undefined
        ? `no plan saved: ${report.error ?? 'the run did not plan'}`
        : `saved the plan (${saved.operations.length} operations) to ${options.file}; apply it with \`idp-sync apply ${options.file} --by <you>\``,
    );
  }
  return saved === undefined ? exitCodeFor(report.status) : exitCodes.ok;
}

function toSavedPlan(report: RunReport, now: Date): SavedPlan | undefined {
  if (report.plan === undefined || report.basis === undefined) {
    return undefined;
  }
  return {
    format: savedPlanFormat,
    source: report.source,
    runId: report.runId,
    plannedAt: now.toISOString(),
    complete: report.complete,
    basis: report.basis,
    counts: report.plan.counts,
    operations: report.plan.operations,
  };
}

export type ApplyPlanOptions = {
  readonly file: string;
  readonly by: string;
  readonly force: boolean;
  readonly json: boolean;
};

/** Reads and checks a saved plan file; each problem names the file and the path inside it. */
export function readSavedPlan(
  file: string,
): { ok: true; plan: SavedPlan } | { ok: false; problems: string[] } {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    return { ok: false, problems: [`${file}: cannot read a saved plan: ${errorMessage(error)}`] };
  }
  const parsed = savedPlanSchema.safeParse(data);
  if (parsed.success) {
    return { ok: true, plan: parsed.data };
  }
  const problems = parsed.error.issues
    .slice(0, maxListedProblems)
    .map(issue => `${file}: ${issuePath(issue.path)}: ${issue.message}`);
  if (parsed.error.issues.length > maxListedProblems) {
    problems.push(`… and ${parsed.error.issues.length - maxListedProblems} more`);
  }
  return { ok: false, problems };
}

/**
 * `apply <file>`: executes a saved plan exactly, if its basis still holds: re-reads the IdP and
 * LiteLLM, re-plans, and refuses (exit 3, naming what changed) when the fresh basis or plan
 * differs. A malformed file exits 2, naming the path of each problem. The plan still has to pass
 * the safety limits unless `--force`. The run is attributed to `--by` in the audit log.
 */
export async function runApplyPlan(
  app: AppContext,
  options: ApplyPlanOptions,
  out: Output,
  signal?: AbortSignal,
): Promise<number> {
  const read = readSavedPlan(options.file);
  if (!read.ok) {
    read.problems.forEach(problem => out.error(problem));
    out.error('make a new one with `idp-sync plan --out <file>`');
    return exitCodes.usage;
  }
  const { plan } = read;
  if (!app.config.sources.some(s => s.name === plan.source)) {
    out.error(
      `${options.file}: source: ${plan.source} is not configured (IDP_SOURCES=${app.config.sources.map(s => s.name).join(',')})`,
    );
    return exitCodes.usage;
  }
  const report = await applyStoredPlan(
    app,
    plan.source,
    { runId: plan.runId, origin: 'saved-plan', operations: plan.operations, basis: plan.basis },
    { by: options.by, force: options.force },
    signal,
  );
  if (options.json) {
    out.json(report);
  } else {
    out.line(formatReport(report));
    out.line(
      report.status === 'refused'
        ? `apply of ${options.file} refused; make a new plan with \`idp-sync plan --out <file>\``
        : `applied ${options.file} (planned as run ${plan.runId} at ${plan.plannedAt}) by ${options.by} as run ${report.runId}`,
    );
  }
  return exitCodeFor(report.status);
}

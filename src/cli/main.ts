import { Command, CommanderError, Option } from 'commander';

import { loadConfig, loadServerConfig, type Config } from '../../config/load.js';
import type { ResyncTarget } from '../../jobs/names.js';
import { ConfigError, errorMessage, SyncError } from '../errors.js';
import { runApprove, runReject } from './commands/approve.js';
import { runAudit } from './commands/audit.js';
import { runCheckConfig } from './commands/check-config.js';
import { runExplain } from './commands/explain.js';
import { runResync } from './commands/resync.js';
import { runApplyPlan, runPlanOut } from './commands/saved-plan.js';
import { runServe } from './commands/serve.js';
import { readJobsView, runStatus } from './commands/status.js';
import { runSync } from './commands/sync.js';
import { runWorker } from './commands/worker.js';
import { createAppContext, type AppContext } from './context.js';
import { exitCodes } from './exit-codes.js';
import { processOutput, type Output } from './output.js';

/** What `main` may be handed instead of the process's own environment and streams (tests). */
export type MainOptions = { env?: Readonly<Record<string, string | undefined>>; out?: Output };

/**
 * The `idp-sync` command line. Returns the exit code instead of exiting, so it can be driven
 * in-process by tests and by the demo.
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const out = options.out ?? processOutput();
  let code: number = exitCodes.ok;
  const program = buildProgram(env, out, c => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    return reportError(error, out);
  }
  return code;
}

function buildProgram(
  env: Readonly<Record<string, string | undefined>>,
  out: Output,
  setCode: (code: number) => void,
): Command {
  const program = new Command('idp-sync')
    .description('Keeps LiteLLM teams, users and API keys in step with your identity provider.')
    .exitOverride()
    .configureOutput({
      writeOut: text => out.line(text.trimEnd()),
      writeErr: text => out.error(text.trimEnd()),
    })
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 run failed or incomplete, 2 bad usage or configuration, 3 refused by a safety threshold.\nConfiguration comes from environment variables; see .env.example.',
    );
  const json = new Option('--json', 'print machine-readable JSON on stdout');
  const source = new Option('--source <name>', 'only this configured source');
  const withApp = async (fn: (app: AppContext) => Promise<number> | number): Promise<void> => {
    const app = createAppContext(loadConfig(env));
    try {
      setCode(await fn(app));
    } finally {
      app.close();
    }
  };

  program
    .command('plan')
    .description('Read the IdP and LiteLLM and print what a sync would change; applies nothing.')
    .option('--out <file>', 'save the plan with its basis, for `apply <file>`')
    .addOption(json)
    .addOption(source)
    .action(async (o: { json?: boolean; source?: string; out?: string }) =>
      withApp(app =>
        o.out === undefined
          ? runSync(
              app,
              { dryRun: true, force: false, json: o.json === true, source: o.source },
              out,
            )
          : runPlanOut(app, { file: o.out, source: o.source, json: o.json === true }, out),
      ),
    );
  program
    .command('apply <file>')
    .description(
      'Apply a plan saved by `plan --out` exactly, if what it was planned from has not changed (else refuse, exit 3).',
    )
    .option('--by <who>', 'who applies (recorded in the audit log)', env['USER'] ?? 'unknown')
    .option('--force', 'apply even if the plan exceeds a safety limit')
    .addOption(json)
    .action(async (file: string, o: { by: string; force?: boolean; json?: boolean }) =>
      withApp(app =>
        runApplyPlan(app, { file, by: o.by, force: o.force === true, json: o.json === true }, out),
      ),
    );
  program
    .command('explain')
    .description(
      'Why a user is or is not in each team: group path, scope rule, grant and run; deprovisioning signal and run.',
    )
    .requiredOption('--user <id|email>', 'the IdP id, login or e-mail, or the LiteLLM user id')
    .option('--team <id|alias>', 'only this team')
    .addOption(json)
    .addOption(source)
    .action(async (o: { user: string; team?: string; json?: boolean; source?: string }) =>
      withApp(app =>
        runExplain(
          app,
          { user: o.user, team: o.team, source: o.source, json: o.json === true },
          out,
        ),
      ),
    );
  program
    .command('audit')
    .description('Applied operations with run, trigger, who, when, and before/after; newest first.')
    .option('--since <when>', 'an ISO timestamp, or a duration back from now such as 24h or 7d')
    .option('--user <id|email>', 'only operations touching this user')
    .option('--run <id>', 'only operations of this run')
    .option('--limit <n>', 'at most this many entries', '200')
    .addOption(json)
    .action((o: { since?: string; user?: string; run?: string; limit: string; json?: boolean }) =>
      withApp(app =>
        runAudit(
          app,
          {
            since: o.since,
            user: o.user,
            run: o.run,
            limit: Number.parseInt(o.limit, 10) || 200,
            json: o.json === true,
          },
          out,
        ),
      ),
    );
  program
    .command('sync')
    .description(
      'Full reconcile: create and rename teams, add and remove memberships, deprovision leavers.',
    )
    .option('--dry-run', 'plan only, apply nothing (same as `plan`)')
    .option('--force', 'apply even if the deprovision threshold is exceeded')
    .addOption(json)
    .addOption(source)
    .action(async (o: { dryRun?: boolean; force?: boolean; json?: boolean; source?: string }) =>
      withApp(app =>
        runSync(
          app,
          {
            dryRun: o.dryRun === true,
            force: o.force === true,
            json: o.json === true,
            source: o.source,
          },
          out,
        ),
      ),
    );
  program
    .command('resync')
    .description(
      'Sync one user, every member of one group, or everything, now: queued for the workers, or run here.',
    )
    .option('--user <id|email>', 'the IdP id, login or e-mail of the user')
    .option('--group <id|name>', 'every member of this group, and everyone granted its team')
    .option('--all', 'a full reconcile of the whole source (full read)')
    .option('--wait', 'follow the queued job(s) to the end and print how they ended')
    .option('--inline', 'run here instead of queueing (the fallback when Redis is unreachable)')
    .option('--dry-run', 'plan only, apply nothing (runs here)')
    .addOption(json)
    .addOption(source)
    .action(async (o: ResyncFlags) => {
      const target = resyncTarget(o);
      if (target === undefined) {
        out.error('resync needs exactly one of --user <id|email>, --group <id|name> or --all');
        setCode(exitCodes.usage);
        return;
      }
      const options = {
        target,
        dryRun: o.dryRun === true,
        json: o.json === true,
        source: o.source,
        wait: o.wait === true,
        inline: o.inline === true,
      };
      await withApp(app => runResync(app, options, out));
    });
  program
    .command('worker')
    .description(
      'Process the job queue (login syncs, scheduled reconciles, resyncs) until SIGTERM/SIGINT.',
    )
    .action(async () => withApp(app => runWorker(app, out)));
  program
    .command('serve')
    .description(
      'Run the login hook server (OIDC sign-in, /hooks/login, /hooks/okta, /healthz, /readyz, /metrics) until SIGTERM/SIGINT.',
    )
    .action(async () => withApp(app => runServe(app, loadServerConfig(env, app.config), out)));
  program
    .command('status')
    .description(
      'Recent runs, what is managed, failed operations, and the job queue (when Redis answers).',
    )
    .addOption(json)
    .option('--limit <n>', 'how many runs to show', '20')
    .action(async (o: { json?: boolean; limit: string }) =>
      withApp(async app => {
        const jobs = await readJobsView(app.config.jobs);
        return runStatus(
          app.store,
          { json: o.json === true, limit: Number.parseInt(o.limit, 10) || 20, jobs },
          out,
        );
      }),
    );
  program
    .command('approve <run>')
    .description(
      'Apply a quarantined plan exactly, if a fresh plan is the same (else refuse and say what changed).',
    )
    .requiredOption('--by <who>', 'who approves (recorded)')
    .addOption(json)
    .action(async (run: string, o: { by: string; json?: boolean }) =>
      withApp(app => runApprove(app, { runId: run, by: o.by, json: o.json === true }, out)),
    );
  program
    .command('reject <run>')
    .description('Discard a quarantined plan; nothing is applied.')
    .requiredOption('--by <who>', 'who rejects (recorded)')
    .addOption(json)
    .action(async (run: string, o: { by: string; json?: boolean }) =>
      withApp(app => runReject(app, { runId: run, by: o.by, json: o.json === true }, out)),
    );
  program
    .command('check-config')
    .description('Validate the configuration and print it with secrets masked.')
    .addOption(json)
    .action((o: { json?: boolean }) => {
      const config: Config = loadConfig(env);
      setCode(runCheckConfig(config, { json: o.json === true }, out));
    });
  return program;
}

type ResyncFlags = {
  user?: string;
  group?: string;
  all?: boolean;
  wait?: boolean;
  inline?: boolean;
  dryRun?: boolean;
  json?: boolean;
  source?: string;
};

/** The one target of `resync`, or undefined unless exactly one of --user, --group, --all is given. */
function resyncTarget(o: ResyncFlags): ResyncTarget | undefined {
  const targets: ResyncTarget[] = [
    ...(o.user === undefined ? [] : [{ kind: 'user' as const, subject: o.user }]),
    ...(o.group === undefined ? [] : [{ kind: 'group' as const, group: o.group }]),
    ...(o.all === true ? [{ kind: 'all' as const }] : []),
  ];
  return targets.length === 1 ? targets[0] : undefined;
}

/** A SQLite `SQLITE_BUSY*` error: another process holds the store's lock past the busy timeout. */
function isStoreBusy(error: unknown): error is Error {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('SQLITE_BUSY')
  );
}

/** Configuration errors exit 2 with every problem listed; anything else exits 1. */
function reportError(error: unknown, out: Output): number {
  if (error instanceof ConfigError) {
    out.error(error.message);
    out.error('See .env.example for every variable and its meaning.');
    return exitCodes.usage;
  }
  if (error instanceof SyncError && error.code === 'STORE_FAILED') {
    out.error(error.message);
    return exitCodes.failed;
  }
  if (isStoreBusy(error)) {
    // better-sqlite3 says only "database is locked"; say which file and what to do (issue 11).
    out.error(
      `idp-sync: the state store (IDP_SYNC_DB) is locked by another process (${error.message}); nothing is lost — run again once that process is done`,
    );
    return exitCodes.failed;
  }
  out.error(`idp-sync: ${errorMessage(error)}`);
  return exitCodes.failed;
}

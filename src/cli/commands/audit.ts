import { parseDuration } from '../../reconcile/lifecycle.js';
import type { AuditEntry } from '../../store/types.js';
import type { AppContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';

export type AuditOptions = {
  /** An ISO timestamp, or a duration back from now (`24h`, `7d`). */
  readonly since?: string | undefined;
  /** A LiteLLM user id, IdP id or e-mail. */
  readonly user?: string | undefined;
  readonly run?: string | undefined;
  readonly limit: number;
  readonly json: boolean;
};

/**
 * `audit`: the applied operations, newest first, each with its run, trigger, who asked, when,
 * and before/after. Filters by time (`--since`), user (`--user`, matched by LiteLLM user id,
 * e-mail, or an IdP id this worker manages) and run.
 */
export function runAudit(
  app: AppContext,
  options: AuditOptions,
  out: Output,
  now: () => Date = () => new Date(),
): number {
  const sinceMs = options.since === undefined ? undefined : parseSince(options.since, now());
  if (sinceMs === undefined && options.since !== undefined) {
    out.error(
      `--since: expected an ISO timestamp or a duration such as 24h or 7d, got ${options.since}`,
    );
    return exitCodes.usage;
  }
  const entries = app.store.audit({
    sinceMs,
    users: options.user === undefined ? undefined : userKeys(app, options.user),
    runId: options.run,
    limit: options.limit,
  });
  if (options.json) {
    out.json(entries.map(e => ({ ...e, at: new Date(e.at).toISOString() })));
    return exitCodes.ok;
  }
  if (entries.length === 0) {
    out.line('no audit entries match');
    return exitCodes.ok;
  }
  entries.forEach(entry => out.line(formatEntry(entry)));
  return exitCodes.ok;
}

/** `24h` → 24 hours before now; otherwise an ISO timestamp. */
export function parseSince(text: string, now: Date): number | undefined {
  const ms = /^\d+(\.\d+)?\s*(ms|s|m|h|d)$/.test(text.trim()) ? parseDuration(text) : undefined;
  if (ms !== undefined) {
    return now.getTime() - ms;
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : at;
}

/** The name as given and lower-cased, plus the LiteLLM user ids of managed users it names. */
function userKeys(app: AppContext, name: string): string[] {
  const folded = name.toLowerCase();
  const keys = new Set([name, folded]);
  for (const setup of app.config.sources) {
    for (const user of app.store.ownership(setup.name).users.values()) {
      if (user.externalId === name || user.email?.toLowerCase() === folded) {
        keys.add(user.userId);
      }
    }
  }
  return [...keys];
}

function formatEntry(entry: AuditEntry): string {
  const who = `${entry.trigger}${entry.actor === null ? '' : ` by ${entry.actor}`}`;
  const lines = [
    `${new Date(entry.at).toISOString()}  ${entry.source} run ${entry.runId.slice(0, 8)}  ${who}  ${entry.status === 'ok' ? 'ok' : 'FAILED'}  ${entry.kind}  ${entry.subject}`,
    `    before: ${JSON.stringify(entry.before ?? null)}`,
    `    after:  ${JSON.stringify(entry.after ?? null)}`,
  ];
  if (entry.error !== null) {
    lines.push(`    error:  ${entry.error}`);
  }
  return lines.join('\n');
}

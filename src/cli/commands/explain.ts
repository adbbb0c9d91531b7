import type { IdpGroupRef } from '../../model.js';
import { explainUser, type Explanation } from '../../reconcile/explain.js';
import { compileScope, scopeConfigSchema } from '../../sources/scope.js';
import type { AppContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';

export type ExplainCommandOptions = {
  readonly user: string;
  readonly team?: string | undefined;
  readonly source?: string | undefined;
  readonly json: boolean;
};

/**
 * `explain --user <id|email> [--team <id|alias>]`: why the user is or is not in each team, per
 * source: the group path through nested groups (where the source can give it), the scope rule
 * that selected the group, the grant and the run that made it, and for a deprovisioned user the
 * signal and the run. Reads only.
 */
export async function runExplain(
  app: AppContext,
  options: ExplainCommandOptions,
  out: Output,
  signal?: AbortSignal,
): Promise<number> {
  const setups = app.config.sources.filter(
    s => options.source === undefined || s.name === options.source,
  );
  if (setups.length === 0) {
    out.error(
      `no configured source is named ${options.source ?? '(none)'}; IDP_SOURCES=${app.config.sources.map(s => s.name).join(',')}`,
    );
    return exitCodes.usage;
  }
  const explanations: Explanation[] = [];
  for (const setup of setups) {
    const scopeRule = scopeRuleOf(setup.name, setup.config);
    explanations.push(
      await explainUser(app.depsFor(setup.name), options.user, {
        scopeRule,
        team: options.team,
        signal,
      }),
    );
  }
  if (options.json) {
    out.json(explanations.length === 1 ? explanations[0] : explanations);
  } else {
    explanations.forEach(e => out.line(formatExplanation(e)));
  }
  return exitCodes.ok;
}

/** Names the configured rule that selects a group: id list, name prefix, name regex, all, or the app. */
export function scopeRuleOf(
  source: string,
  config: unknown,
): (group: IdpGroupRef) => string | undefined {
  const raw =
    typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
  const parsed = scopeConfigSchema.safeParse(raw['scope']);
  const prefix = source.toUpperCase();
  const app =
    typeof raw['appServicePrincipalId'] === 'string'
      ? 'ENTRA_APP_SERVICE_PRINCIPAL_ID'
      : typeof raw['appId'] === 'string'
        ? 'OKTA_APP_ID'
        : undefined;
  return group => {
    if (!parsed.success) {
      return app === undefined ? undefined : `assignment to the application (${app})`;
    }
    const scope = compileScope(parsed.data);
    if (scope.ids.includes(group.externalId)) {
      return `the id list (${prefix}_GROUP_IDS)`;
    }
    if (scope.namePrefix !== undefined && group.name.startsWith(scope.namePrefix)) {
      return `the name prefix "${scope.namePrefix}" (${prefix}_GROUP_NAME_PREFIX)`;
    }
    if (scope.nameRegex?.test(group.name) === true) {
      return `the name pattern /${scope.nameRegex.source}/ (${prefix}_GROUP_NAME_REGEX)`;
    }
    if (scope.all) {
      return `all groups (${prefix}_ALL_GROUPS=true)`;
    }
    return app === undefined ? undefined : `assignment to the application (${app})`;
  };
}

function formatExplanation(e: Explanation): string {
  const idp =
    e.idp.kind === 'found'
      ? `IdP ${e.idp.externalId} (${e.idp.login}${e.idp.active ? '' : ', DISABLED'})`
      : 'not in the IdP (deleted)';
  const lines = [
    `${e.source}: ${e.subject} — ${idp}; LiteLLM user ${e.userId ?? '(none)'}${e.managed ? ', managed' : ', not managed'}`,
  ];
  for (const team of e.teams) {
    lines.push(
      `  team ${team.teamId}${team.alias === null ? '' : ` (${team.alias})`}: ${team.verdict}`,
    );
  }
  if (e.teams.length === 0) {
    lines.push('  no team: in no in-scope group, no LiteLLM team, no grant');
  }
  for (const d of e.deprovisioned) {
    lines.push(
      `  ${d.kind === 'suspendUser' ? 'blocked (staged deprovision)' : 'deprovisioned'}: signal ${d.reason}, run ${d.runId} (${d.trigger}, ${new Date(d.at).toISOString()}, ${d.status})`,
    );
  }
  for (const note of e.notes) {
    lines.push(`  ~ ${note}`);
  }
  return lines.join('\n');
}

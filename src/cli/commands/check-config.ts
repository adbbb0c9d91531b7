import type { Config } from '../../../config/load.js';
import type { Output } from '../output.js';

/** `check-config`: the configuration as loaded, secrets masked. Loading already validated it. */
export function runCheckConfig(config: Config, options: { json: boolean }, out: Output): number {
  const view = {
    litellm: { ...config.litellm, masterKey: mask(config.litellm.masterKey) },
    sources: config.sources.map(s => ({
      name: s.name,
      userIdAttribute: s.userIdAttribute,
      config: maskSecrets(s.config),
    })),
    dbPath: config.dbPath,
    threshold: config.threshold,
    applyConcurrency: config.applyConcurrency,
    rules: {
      defaultUserRole: config.rules.defaultUserRole,
      userRoleRules: config.rules.userRoleRules,
      teamTemplates: config.rules.teamTemplates.map(t => ({
        match: t.match.source,
        settings: t.settings,
      })),
    },
  };
  if (options.json) {
    out.json({ ok: true, config: view });
  } else {
    out.line('Configuration is valid.');
    out.line(JSON.stringify(view, null, 2));
  }
  return 0;
}

/** Shows only enough of a secret to tell which one is set. */
function mask(secret: string): string {
  return secret.length <= 8
    ? '********'
    : `${secret.slice(0, 3)}…${secret.slice(-2)} (${secret.length} chars)`;
}

/** Masks every field whose name says it holds a secret, at any depth of a source config. */
function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(maskSecrets);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      /secret|token|password|private|apikey/i.test(k) && typeof v === 'string'
        ? mask(v)
        : maskSecrets(v),
    ]),
  );
}

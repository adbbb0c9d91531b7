import { existsSync, readFileSync, statSync } from 'node:fs';

import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';

import { userRoles } from './env.js';

/** The optional YAML file (`IDP_SYNC_CONFIG`, default `config/idp-sync.yaml`): mapping rules. */
const teamSettingsSchema = z.strictObject({
  models: z.array(z.string().min(1)).optional(),
  max_budget: z.number().nonnegative().optional(),
  budget_duration: z.string().min(1).optional(),
  tpm_limit: z.number().int().nonnegative().optional(),
  rpm_limit: z.number().int().nonnegative().optional(),
});

const regexString = z
  .string()
  .min(1)
  .refine(
    pattern => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'expected a valid regular expression' },
  );

export const fileConfigSchema = z.strictObject({
  userRoles: z
    .array(z.strictObject({ groups: z.array(z.string().min(1)).min(1), role: z.enum(userRoles) }))
    .default([]),
  teamTemplates: z
    .array(z.strictObject({ match: regexString, settings: teamSettingsSchema }))
    .default([]),
});

export type FileConfig = z.infer<typeof fileConfigSchema>;

export const defaultConfigPath = 'config/idp-sync.yaml';

/** Largest config file read (1 MiB). */
const maxConfigBytes = 1024 * 1024;

/**
 * Reads the YAML config file. A missing file is fine when the path was not given explicitly;
 * errors name the file and the path inside it.
 */
export function readConfigFile(path: string | undefined, issues: string[]): FileConfig {
  const file = path ?? defaultConfigPath;
  if (!existsSync(file)) {
    if (path !== undefined) {
      issues.push(`IDP_SYNC_CONFIG: no file at ${file}`);
    }
    return { userRoles: [], teamTemplates: [] };
  }
  const size = statSync(file).size;
  if (size > maxConfigBytes) {
    // Mapping rules fit in kilobytes; parsing many megabytes of YAML would stall start-up.
    issues.push(
      `IDP_SYNC_CONFIG: ${file} is ${size} bytes; a config file may have at most ${maxConfigBytes}`,
    );
    return { userRoles: [], teamTemplates: [] };
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos
        ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})`
        : '';
    issues.push(
      `${file}${where}: not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
    return { userRoles: [], teamTemplates: [] };
  }
  const parsed = fileConfigSchema.safeParse(raw);
  if (!parsed.success) {
    issues.push(
      ...parsed.error.issues.map(
        issue => `${file}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
      ),
    );
    return { userRoles: [], teamTemplates: [] };
  }
  return parsed.data;
}

/**
 * Loads and checks a directory file. Every complaint names the file, the path inside it
 * (`users[3].status`), where that is (line/column) and what was expected, because the person
 * reading it is editing that file by hand.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

import { LineCounter, isNode, parseDocument, parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';

import { ConfigError, SyncError, errorMessage } from '../../errors.js';
import type { IdpGroup, IdpUser } from '../../model.js';
import { flattenMembers, type GroupMembers } from '../flatten.js';
import { directoryFileSchema, type FileUser } from './schema.js';

/** What a directory file says, checked and flattened. */
export type Directory = {
  readonly users: readonly IdpUser[];
  /** Every group in the file (in scope or not), members flattened through nested groups. */
  readonly groups: readonly IdpGroup[];
  /** Groups that contain each other; legal, but worth a warning. */
  readonly cycles: readonly (readonly string[])[];
  /** Every group with its direct user and group members, as written (for explain's paths). */
  readonly nesting: readonly GroupMembers[];
};

/** One complaint about the file, at a path inside it. */
type FileProblem = { readonly path: readonly PropertyKey[]; readonly message: string };

/** At most this many problems are listed; the rest are counted. */
const maxListedProblems = 20;

/**
 * Reads the file again on every call: it is edited between runs (GitOps, the demo).
 * A missing or unreadable file is `SOURCE_UNAVAILABLE` (retryable: a mount may come back); a
 * malformed one is `SOURCE_INVALID_RESPONSE`. Both make the snapshot incomplete, so a broken
 * edit never deprovisions anyone.
 */
export async function readDirectoryFile(file: string, signal?: AbortSignal): Promise<Directory> {
  const format = formatOf(file);
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', signal });
  } catch (error) {
    if (signal?.aborted === true) {
      throw new SyncError('ABORTED', `Reading ${file} was aborted`, { cause: error });
    }
    const reason = errorMessage(error);
    throw new SyncError('SOURCE_UNAVAILABLE', `Cannot read directory file ${file}: ${reason}`, {
      cause: error,
    });
  }
  return parseDirectoryFile(text, file, format);
}

/** Parses directory text; `file` is only used in messages. Pure, so tests need no disk. */
export function parseDirectoryFile(text: string, file: string, format = formatOf(file)): Directory {
  const data = format === 'json' ? parseJson(text, file) : parseYamlText(text, file);
  const parsed = directoryFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    throw invalidFile(file, text, parsed.error.issues.flatMap(toProblems));
  }
  const nesting = parsed.data.groups.map(group => ({
    externalId: group.id,
    name: group.name,
    userIds: group.members,
    groupIds: group.groups,
  }));
  const flat = flattenMembers(nesting);
  return {
    nesting,
    users: parsed.data.users.map(toIdpUser),
    groups: flat.groups,
    cycles: flat.problems.flatMap(problem => (problem.kind === 'cycle' ? [problem.groupIds] : [])),
  };
}

function formatOf(file: string): 'yaml' | 'json' {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') {
    return 'json';
  }
  if (extension === '.yaml' || extension === '.yml') {
    return 'yaml';
  }
  throw new ConfigError([`${file}: expected a directory file ending in .yaml, .yml or .json`]);
}

function toIdpUser(user: FileUser): IdpUser {
  return {
    externalId: user.id,
    login: user.login ?? user.email ?? user.id,
    email: user.email,
    displayName: user.name,
    active: user.status === 'active',
  };
}

function parseYamlText(text: string, file: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const position = error.linePos?.[0];
      const where =
        position === undefined ? '' : ` at line ${position.line}, column ${position.col}`;
      // The library appends its own position and a code excerpt; keep only the reason.
      const reason = (error.message.split('\n')[0] ?? '').replace(
        / at line \d+, column \d+:?$/,
        '',
      );
      throw syntaxError(`${file}: YAML syntax error${where}: ${reason}`, error);
    }
    throw error;
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Node 20 reports only an offset ("at position 42"); turn it into line/column for humans.
    const offset = /at position (\d+)/.exec(errorMessage(error))?.[1];
    const where = offset === undefined ? '' : ` at ${lineColumn(text, Number(offset))}`;
    throw syntaxError(`${file}: JSON syntax error${where}: ${errorMessage(error)}`, error);
  }
}

function syntaxError(message: string, cause: unknown): SyncError {
  return new SyncError('SOURCE_INVALID_RESPONSE', message, { cause });
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/** One zod issue as problems with a path; an unknown key is reported at the key itself. */
function toProblems(issue: z.core.$ZodIssue): FileProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map(key => ({ path: [...issue.path, key], message: 'unknown field' }));
  }
  if (issue.code === 'invalid_type' && issue.input == null && issue.path.length === 0) {
    // An empty file must never read as an empty directory: that would deprovision everyone.
    return [{ path: [], message: 'the file is empty; expected "users" and "groups"' }];
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path: issue.path, message: `missing; expected ${issue.expected}` }];
  }
  const got = issue.code === 'invalid_value' ? `, got ${JSON.stringify(issue.input)}` : '';
  return [{ path: issue.path, message: `${issue.message}${got}` }];
}

function invalidFile(file: string, text: string, problems: readonly FileProblem[]): SyncError {
  const locate = createLocator(text);
  const lines = problems.slice(0, maxListedProblems).map(problem => {
    const where = locate(problem.path);
    return `  - ${formatPath(problem.path)}${where === undefined ? '' : ` (${where})`}: ${problem.message}`;
  });
  if (problems.length > maxListedProblems) {
    lines.push(`  … and ${problems.length - maxListedProblems} more`);
  }
  return new SyncError(
    'SOURCE_INVALID_RESPONSE',
    `${file}: invalid directory file\n${lines.join('\n')}`,
  );
}

/** `['users', 3, 'status']` → `users[3].status`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) {
    return '(top level)';
  }
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

/**
 * Finds the line/column of a path, or of its nearest existing parent (a missing field is
 * reported where its object starts). Only runs on the error path, so re-parsing is cheap enough;
 * JSON is valid YAML, so one locator serves both formats.
 */
function createLocator(text: string): (path: readonly PropertyKey[]) => string | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  return path => {
    for (let length = path.length; length > 0; length -= 1) {
      const node: unknown = document.getIn(path.slice(0, length), true);
      if (isNode(node) && node.range !== undefined && node.range !== null) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return `line ${line}, column ${col}`;
      }
    }
    return undefined;
  };
}

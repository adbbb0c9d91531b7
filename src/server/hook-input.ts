/**
 * What both webhooks hold a body to before its schema: strict UTF-8 (a byte sequence that is not
 * UTF-8 would otherwise decode to U+FFFD and pass for a different id), no duplicate keys at the
 * top level (parsers disagree on which one wins, so a proxy that checked the first and this server
 * that reads the last would act on different users), and ids without invisible characters.
 */
import { z } from 'zod';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or `undefined` when its bytes are not well-formed UTF-8. */
export function decodeBody(raw: Buffer): string | undefined {
  try {
    return strictUtf8.decode(raw);
  } catch {
    return undefined;
  }
}

/**
 * True when the top-level JSON object of `text` (already known to parse) names a key twice.
 * `JSON.parse` keeps the last value silently; the members counted in the text against the keys
 * it kept tell the two apart. Anything but an object has no keys to repeat.
 */
export function hasDuplicateKeys(text: string, parsed: unknown): boolean {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return false;
  }
  return topLevelMembers(text) !== Object.keys(parsed).length;
}

/** Members of the top-level object: commas at depth 1, outside strings, plus one. */
function topLevelMembers(text: string): number {
  let depth = 0;
  let inString = false;
  let commas = 0;
  let empty = true;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        i += 1;
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
      empty = depth === 1 ? false : empty;
    } else if (c === '{' || c === '[') {
      depth += 1;
    } else if (c === '}' || c === ']') {
      depth -= 1;
    } else if (c === ',' && depth === 1) {
      commas += 1;
    }
  }
  return empty ? 0 : commas + 1;
}

/**
 * No IdP id contains control characters, bidirectional overrides or marks, or invisible
 * (zero-width, word-joiner, BOM) characters; one that does is a forged or mangled body, and
 * queueing it would only put an unreadable — or a look-alike — name in logs and job payloads.
 * Visible look-alikes (a Cyrillic "а") are real, distinct ids and pass: they are never folded
 * into the name they resemble.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const unprintable = /[\u0000-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** An IdP id or source name in a webhook body. */
export const hookIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(512)
  .refine(
    value => !unprintable.test(value),
    'expected no control, bidirectional or invisible characters',
  )
  .refine(value => !loneSurrogate.test(value), 'expected well-formed Unicode (no lone surrogate)');

/**
 * Python `repr()` / `str()` of JSON-like values. LiteLLM builds many error messages by formatting
 * Python objects (`str(HTTPException.detail)` of a dict, a pydantic `Member`), so the simulator
 * must print them the way CPython does.
 */

/** `repr()` of a Python `str`: single quotes unless the text has `'` and no `"`. */
function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') {
      out += '\\\\';
    } else if (ch === quote) {
      out += `\\${quote}`;
    } else if (ch === '\n') {
      out += '\\n';
    } else if (ch === '\r') {
      out += '\\r';
    } else if (ch === '\t') {
      out += '\\t';
    } else if (code < 0x20 || code === 0x7f) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return out + quote;
}

/** Python `repr()` of a JSON value (`None`, `True`, `'text'`, `{'k': [1, 2]}`). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) {
    return 'None';
  }
  if (typeof value === 'boolean') {
    return value ? 'True' : 'False';
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : 'nan';
  }
  if (typeof value === 'string') {
    return reprString(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(pyRepr).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return typeof value === 'bigint' ? value.toString() : reprString(typeof value);
}

/** Python `str()`: strings print bare, everything else as `repr()`. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

/** A pydantic model's fields as `name=repr` pairs, in declaration order. */
function fieldPairs(fields: Record<string, unknown>, sep: string): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${pyRepr(v)}`)
    .join(sep);
}

/** `repr()` of a pydantic v2 model, e.g. `Member(user_id='u1', user_email=None, role='user')`. */
export function pyModelRepr(name: string, fields: Record<string, unknown>): string {
  return `${name}(${fieldPairs(fields, ', ')})`;
}

/** `str()` of a pydantic v2 model, e.g. `user_id='u1' user_email=None role='user'`. */
export function pyModelStr(fields: Record<string, unknown>): string {
  return fieldPairs(fields, ' ');
}

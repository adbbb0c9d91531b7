/**
 * What the directory's operation modules share: the org's maps, the clock and id helpers, the
 * error Okta-refused operations throw, and the cursor order of every list.
 */
import type { SimApp, SimGroup, SimUser } from './types.js';

/** Thrown for an operation Okta would refuse; routes turn it into an Okta error body. */
export class DirectoryError extends Error {
  readonly kind: 'not-found' | 'invalid';
  constructor(kind: 'not-found' | 'invalid', message: string) {
    super(message);
    this.name = 'DirectoryError';
    this.kind = kind;
  }
}

/** The org's maps and the helpers every operation shares. */
export type DirectoryStore = {
  readonly users: Map<string, SimUser>;
  readonly groups: Map<string, SimGroup>;
  readonly apps: Map<string, SimApp>;
  readonly everyone: SimGroup;
  /** Now, as Okta writes timestamps: whole seconds ("2015-10-05T19:16:43.000Z"). */
  readonly stamp: () => string;
  /** A 20-character Okta-style id (`00u…`, `00g…`, `0oa…`) from the seeded PRNG. */
  readonly newId: (prefix: string) => string;
  readonly user: (id: string) => SimUser;
  readonly group: (id: string) => SimGroup;
  readonly app: (id: string) => SimApp;
};

/** Cursor order: plain code-unit order, so `after=<id>` means "ids sorting after this one". */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

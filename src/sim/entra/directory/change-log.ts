/**
 * The directory's change log: every mutation appends entries with a sequence number, and delta
 * queries replay the entries after the sequence number their token carries.
 *
 * @see /work/shared/reference/idp-apis.md §A "Delta query details"
 */
import type { MemberType } from '../model.js';

/** `'*'` in `props` means the whole object changed (created, deleted, restored). */
export type ObjectChange = {
  seq: number;
  at: number;
  kind: 'user' | 'group';
  id: string;
  props: readonly string[];
};

/** A member added to or removed from a group. */
export type MemberChange = {
  seq: number;
  at: number;
  kind: 'member';
  groupId: string;
  memberId: string;
  memberType: MemberType;
  removed: boolean;
};

/** One log entry. */
export type Change = ObjectChange | MemberChange;

/** Distributes `Omit` over the union so each variant keeps its own fields. */
export type NewChange = Omit<ObjectChange, 'seq' | 'at'> | Omit<MemberChange, 'seq' | 'at'>;

/** Append-only log with a moving start (history before `start` is gone). */
export type ChangeLog = {
  /** Sequence number of the last entry (0 when none was ever written). */
  head(): number;
  /** Entries are kept from this sequence number on; older tokens cannot be served. */
  start(): number;
  /** Resync generation; bumped to make every older delta token answer 410 Gone. */
  generation(): number;
  append(change: NewChange): void;
  /** Entries with `from < seq <= to`, oldest first. */
  between(from: number, to: number): Change[];
  /** Forgets all history (the state was replaced) and bumps the generation. */
  reset(): void;
  /** Bumps the generation without touching history. */
  bumpGeneration(): void;
};

/** Creates an empty log whose entries are stamped with `now()`. */
export function createChangeLog(now: () => number): ChangeLog {
  let entries: Change[] = [];
  let base = 0; // seq of the entry before entries[0]
  let gen = 1;
  return {
    head: () => base + entries.length,
    start: () => base,
    generation: () => gen,
    append: change => {
      entries.push({ ...change, seq: base + entries.length + 1, at: now() });
    },
    between: (from, to) => entries.slice(Math.max(0, from - base), Math.max(0, to - base)),
    reset: () => {
      base += entries.length;
      entries = [];
      gen += 1;
    },
    bumpGeneration: () => {
      gen += 1;
    },
  };
}

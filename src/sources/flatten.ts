/**
 * Transitive group membership, shared by every connector whose IdP returns direct members only
 * (the file source, Google, Keycloak, …). Pure: no I/O, no logging; problems are returned.
 */

/** One group as an IdP lists it: its direct user members and its direct child groups. */
export type GroupMembers = {
  readonly externalId: string;
  readonly name: string;
  /** Ids of users that are direct members. */
  readonly userIds: readonly string[];
  /** Ids of groups that are direct members (nested groups). */
  readonly groupIds: readonly string[];
};

/** A group with every user reached through it, directly or through nested groups, once each. */
export type FlattenedGroup = {
  readonly externalId: string;
  readonly name: string;
  readonly memberIds: readonly string[];
};

/** Something odd in the input that flattening survived; the caller decides how loud to be. */
export type FlattenProblem =
  /** Groups that contain each other; they all get the same members (the union around the loop). */
  | { readonly kind: 'cycle'; readonly groupIds: readonly string[] }
  /** A child group id that is not in the input; it contributes no members. */
  | { readonly kind: 'unknown-group'; readonly groupId: string; readonly childId: string }
  /** A second group with an id already seen; the first one wins. */
  | { readonly kind: 'duplicate-group'; readonly groupId: string };

/** What {@link flattenMembers} returns. */
export type FlattenResult = {
  /** Every input group (first of each id), in input order. */
  readonly groups: readonly FlattenedGroup[];
  readonly problems: readonly FlattenProblem[];
};

/** Tarjan bookkeeping for one group; `next` is the index of the next child to visit. */
type Frame = { readonly group: GroupMembers; next: number };

/**
 * Computes the transitive user members of every group.
 *
 * Strongly connected components (Tarjan) are found without recursion, so no nesting depth can
 * overflow the call stack, and a cycle is collapsed into one component instead of being walked
 * forever. Components come out children-first, so each one's member set is built from finished
 * child sets. Member order is deterministic: direct users first, then each child's members.
 */
export function flattenMembers(groups: readonly GroupMembers[]): FlattenResult {
  const problems: FlattenProblem[] = [];
  const byId = new Map<string, GroupMembers>();
  for (const group of groups) {
    if (byId.has(group.externalId)) {
      problems.push({ kind: 'duplicate-group', groupId: group.externalId });
    } else {
      byId.set(group.externalId, group);
    }
  }

  const members = new Map<string, readonly string[]>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: GroupMembers[] = [];
  const frames: Frame[] = [];

  const enter = (group: GroupMembers): void => {
    const order = index.size;
    index.set(group.externalId, order);
    low.set(group.externalId, order);
    onStack.add(group.externalId);
    stack.push(group);
    frames.push({ group, next: 0 });
  };
  const lowerTo = (id: string, value: number): void => {
    low.set(id, Math.min(low.get(id) ?? value, value));
  };

  for (const root of byId.values()) {
    if (index.has(root.externalId)) {
      continue;
    }
    enter(root);
    let frame = frames.at(-1);
    while (frame !== undefined) {
      const { group } = frame;
      const childId = group.groupIds[frame.next];
      if (childId !== undefined) {
        frame.next += 1;
        const child = byId.get(childId);
        if (child === undefined) {
          problems.push({ kind: 'unknown-group', groupId: group.externalId, childId });
        } else if (!index.has(childId)) {
          enter(child);
        } else if (onStack.has(childId)) {
          lowerTo(group.externalId, index.get(childId) ?? 0);
        }
      } else {
        frames.pop();
        const parent = frames.at(-1);
        const groupLow = low.get(group.externalId) ?? 0;
        if (parent !== undefined) {
          lowerTo(parent.group.externalId, groupLow);
        }
        if (groupLow === index.get(group.externalId)) {
          const component = popComponent(stack, onStack, group.externalId);
          settleComponent(component, members, problems);
        }
      }
      frame = frames.at(-1);
    }
  }

  return {
    groups: [...byId.values()].map(group => ({
      externalId: group.externalId,
      name: group.name,
      memberIds: members.get(group.externalId) ?? [],
    })),
    problems,
  };
}

/** Pops the groups of one strongly connected component, whose root is `rootId`. */
function popComponent(stack: GroupMembers[], onStack: Set<string>, rootId: string): GroupMembers[] {
  const component: GroupMembers[] = [];
  for (let group = stack.pop(); group !== undefined; group = stack.pop()) {
    onStack.delete(group.externalId);
    component.push(group);
    if (group.externalId === rootId) {
      break;
    }
  }
  // Popped deepest-first; reversing gives discovery order, so member order reads naturally.
  return component.reverse();
}

/** Gives every group of a component the union of its direct users and its children's members. */
function settleComponent(
  component: readonly GroupMembers[],
  members: Map<string, readonly string[]>,
  problems: FlattenProblem[],
): void {
  const inComponent = new Set(component.map(group => group.externalId));
  const union = new Set<string>();
  let selfLoop = false;
  for (const group of component) {
    for (const userId of group.userIds) {
      union.add(userId);
    }
    for (const childId of group.groupIds) {
      if (inComponent.has(childId)) {
        selfLoop ||= childId === group.externalId;
        continue;
      }
      for (const userId of members.get(childId) ?? []) {
        union.add(userId);
      }
    }
  }
  if (component.length > 1 || selfLoop) {
    problems.push({ kind: 'cycle', groupIds: component.map(group => group.externalId) });
  }
  // One shared array per component: members of a cycle are identical by definition.
  const flat = [...union];
  for (const group of component) {
    members.set(group.externalId, flat);
  }
}

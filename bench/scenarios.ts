/** Benchmark tenant sizes (product.md §7). S is a quick sanity size; M and L are the targets. */
export type ScenarioName = 'XS' | 'S' | 'M' | 'L';

export type ScenarioSpec = {
  readonly name: ScenarioName;
  readonly users: number;
  readonly groups: number;
  /** Direct user→group memberships. */
  readonly memberships: number;
  /** Group→group nesting edges. */
  readonly nestedGroups: number;
};

export const scenarios: Record<ScenarioName, ScenarioSpec> = {
  XS: { name: 'XS', users: 100, groups: 10, memberships: 400, nestedGroups: 2 },
  S: { name: 'S', users: 1_000, groups: 100, memberships: 5_000, nestedGroups: 10 },
  M: { name: 'M', users: 10_000, groups: 1_000, memberships: 50_000, nestedGroups: 100 },
  L: { name: 'L', users: 100_000, groups: 5_000, memberships: 500_000, nestedGroups: 500 },
};

export function isScenarioName(value: string): value is ScenarioName {
  return Object.hasOwn(scenarios, value);
}

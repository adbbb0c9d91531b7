import type { Operation, OperationKind } from '../reconcile/operations.js';
import { operationSubject } from '../reconcile/operations.js';
import type { Plan } from '../reconcile/plan-types.js';
import type { RunReport } from '../reconcile/run-types.js';

const kindLabels: Readonly<Record<OperationKind, string>> = {
  createTeam: 'create team',
  adoptTeam: 'adopt team',
  renameTeam: 'rename team',
  createUser: 'create user',
  adoptUser: 'adopt user',
  updateUser: 'update user',
  addMembers: 'add members',
  removeMember: 'remove member',
  forgetGrant: 'forget grant',
  deprovisionUser: 'DEPROVISION',
  forgetUser: 'forget user',
  suspendUser: 'BLOCK (staged)',
  restoreUser: 'restore user',
  retireTeam: 'retire team',
};

/** A readable table of a plan's operations, grouped by kind in apply order. */
export function formatPlan(plan: Plan): string {
  if (plan.operations.length === 0) {
    return '  nothing to do: LiteLLM already matches the IdP';
  }
  const width = Math.max(...plan.operations.map(op => kindLabels[op.kind].length));
  const lines = plan.operations.map(op => `  ${kindLabels[op.kind].padEnd(width)}  ${detail(op)}`);
  const counts = Object.entries(plan.counts).map(
    ([kind, n]) => `${kindLabels[kind as OperationKind]} ×${n}`,
  );
  return [...lines, '', `  ${plan.operations.length} operations: ${counts.join(', ')}`].join('\n');
}

function detail(op: Operation): string {
  switch (op.kind) {
    case 'deprovisionUser':
      return `${operationSubject(op)}: delete every key, leave ${op.teams.length} team(s), delete the user`;
    case 'adoptUser':
      return `${operationSubject(op)} (matched by ${op.matchedBy})`;
    case 'updateUser':
      return `${operationSubject(op)}${op.email === undefined ? '' : ` email → ${op.email}`}${op.role === undefined ? '' : ` role → ${op.role}`}`;
    default:
      return operationSubject(op);
  }
}

/** The human summary of a run, ending with what to do when it did not succeed. */
export function formatReport(report: RunReport): string {
  const who =
    report.kind === 'user' ? `${report.source} user ${report.subject ?? ''}` : report.source;
  const lines = [
    `${who}: ${report.status}${report.dryRun ? ' (dry run)' : ''}  run ${report.runId}  ${(report.durationMs / 1000).toFixed(1)}s`,
  ];
  lines.push(
    `  read: ${report.read.idpUsers} IdP users, ${report.read.idpGroups} groups; LiteLLM ${report.read.teams} teams, ${report.read.litellmUsers} users`,
  );
  if (report.sourceUsage !== undefined) {
    lines.push(`  IdP usage: ${JSON.stringify(report.sourceUsage)}`);
  }
  for (const problem of report.problems) {
    lines.push(`  ! ${problem}`);
  }
  if (!report.complete) {
    lines.push(
      '  ! the IdP read was incomplete: no membership was removed and nobody was deprovisioned',
    );
  }
  for (const warning of report.plan?.warnings ?? []) {
    lines.push(`  ~ ${warning}`);
  }
  if ((report.plan?.withheld ?? 0) > 0) {
    lines.push(`  ~ ${report.plan?.withheld} removal(s) held back until a complete read`);
  }
  if (report.plan !== undefined && (report.dryRun || report.status === 'refused')) {
    lines.push(formatPlan(report.plan));
  }
  const applied = Object.entries(report.applied).map(
    ([kind, c]) =>
      `${kindLabels[kind as OperationKind]} ${c.ok}${c.failed > 0 ? ` (${c.failed} failed)` : ''}`,
  );
  if (applied.length > 0) {
    lines.push(`  applied: ${applied.join(', ')}`);
  } else if (!report.dryRun && report.plan !== undefined && report.status !== 'refused') {
    lines.push('  applied: nothing to do');
  }
  if (report.keysDeleted > 0) {
    lines.push(
      `  keys ${report.dryRun ? 'that would be deleted' : 'deleted'}: ${report.keysDeleted}`,
    );
  }
  for (const failure of report.failures) {
    lines.push(`  ✗ ${operationSubject(failure.op)}: ${failure.error}`);
  }
  if (report.refusedBecause !== undefined) {
    lines.push(
      report.quarantined === true
        ? `  REFUSED: ${report.refusedBecause}. Nothing was applied; the plan is quarantined as run ${report.runId}. Review it above, then \`idp-sync approve ${report.runId} --by <you>\` (or \`reject\`), or re-run with --force.`
        : `  REFUSED: ${report.refusedBecause}. Nothing was applied. Review the plan above, then re-run with --force to apply it.`,
    );
  }
  const unconfirmedGroups = Object.entries(report.plan?.unconfirmedGroups ?? {});
  if (unconfirmedGroups.length > 0) {
    lines.push(
      `  ~ ${unconfirmedGroups.length} managed team(s) whose group is missing from the read, members kept until confirmed: ${unconfirmedGroups.map(([id, n]) => `${id} (${n})`).join(', ')}`,
    );
  }
  const unconfirmed = Object.entries(report.plan?.unconfirmed ?? {});
  if (unconfirmed.length > 0) {
    lines.push(
      `  ~ ${unconfirmed.length} managed user(s) missing from the read, kept until confirmed: ${unconfirmed.map(([id, n]) => `${id} (${n})`).join(', ')}`,
    );
  }
  if (report.error !== undefined) {
    lines.push(`  error: ${report.error}`);
  }
  return lines.join('\n');
}

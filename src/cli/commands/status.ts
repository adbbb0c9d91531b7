import type { RunRecord, Store } from '../../store/types.js';
import type { Output } from '../output.js';

/** `status`: recent runs with their counts, and the failed operations of the latest ones. */
export function runStatus(store: Store, options: { json: boolean; limit: number }, out: Output): number {
  const runs = store.recentRuns(options.limit);
  const failures = runs.flatMap(run =>
    store
      .operations(run.runId)
      .filter(op => op.status === 'failed')
      .map(op => ({ runId: run.runId, seq: op.seq, kind: op.kind, subject: op.subject, error: op.error })),
  );
  const ownership = [...new Set(runs.map(r => r.source))].map(source => {
    const owned = store.ownership(source);
    return { source, teams: owned.teams.size, users: owned.users.size, grants: owned.grants.size };
  });
  if (options.json) {
    out.json({ runs, managed: ownership, failures });
    return 0;
  }
  if (runs.length === 0) {
    out.line('No runs yet. Try `idp-sync plan`, then `idp-sync sync`.');
    return 0;
  }
  for (const o of ownership) {
    out.line(`${o.source}: managing ${o.teams} teams, ${o.users} users, ${o.grants} memberships`);
  }
  out.line('');
  out.line('STARTED                   SOURCE  KIND  STATUS       SUMMARY');
  for (const run of runs) {
    out.line(`${run.startedAt.padEnd(25)} ${run.source.padEnd(7)} ${run.kind.padEnd(5)} ${run.status.padEnd(12)} ${summaryLine(run)}`);
  }
  if (failures.length > 0) {
    out.line('');
    out.line('Failed operations:');
    for (const f of failures) {
      out.line(`  ${f.runId.slice(0, 8)} #${f.seq} ${f.subject}: ${f.error ?? ''}`);
    }
  }
  return 0;
}

function summaryLine(run: RunRecord): string {
  const summary = run.summary as { applied?: Record<string, { ok: number; failed: number }>; keysDeleted?: number } | null;
  const applied = Object.entries(summary?.applied ?? {}).map(([kind, c]) => `${kind} ${c.ok}${c.failed > 0 ? `/${c.failed}✗` : ''}`);
  const keys = (summary?.keysDeleted ?? 0) > 0 ? ` keys deleted ${summary?.keysDeleted}` : '';
  const subject = run.subject === undefined ? '' : `[${run.subject}] `;
  return `${subject}${applied.join(', ') || (run.error ?? '-')}${keys}`;
}

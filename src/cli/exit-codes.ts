import type { RunStatus } from '../store/types.js';

/** Exit codes of `idp-sync` (product.md §5). */
export const exitCodes = {
  ok: 0,
  /** The run failed, was incomplete, or some operations failed. */
  failed: 1,
  /** Bad usage or configuration. */
  usage: 2,
  /** Refused by a safety threshold. */
  refused: 3,
} as const;

/** The exit code a run ends the process with. */
export function exitCodeFor(status: RunStatus): number {
  switch (status) {
    case 'succeeded':
    case 'planned':
      return exitCodes.ok;
    case 'refused':
      return exitCodes.refused;
    case 'running':
    case 'partial':
    case 'failed':
    case 'incomplete':
    case 'interrupted':
      return exitCodes.failed;
  }
}

/** The worst of several exit codes (refusal outranks failure, failure outranks success). */
export function worstExitCode(codes: readonly number[]): number {
  const rank = (code: number): number =>
    [exitCodes.ok, exitCodes.failed, exitCodes.refused, exitCodes.usage].indexOf(code as 0);
  return codes.reduce((worst, code) => (rank(code) > rank(worst) ? code : worst), exitCodes.ok);
}

/** The parent's handle on the simulator process (`bench/sims.ts`). */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { ChurnResult, SimCommand, SimCounters, SimInfo } from './protocol.js';

export type SimClient = {
  start(command: Extract<SimCommand, { cmd: 'start' }>): Promise<SimInfo>;
  counters(): Promise<SimCounters>;
  churn(share: number, seed: number): Promise<ChurnResult>;
  rss(): Promise<number>;
  regroup(userIds: readonly string[]): Promise<number>;
  close(): Promise<void>;
};

/** Forks the simulator process (TypeScript through tsx's loader). */
export function forkSims(): SimClient {
  const child: ChildProcess = fork(fileURLToPath(new URL('./sims.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) {
      waiter?.reject(new Error(`simulator process: ${message.error}`));
    } else {
      waiter?.resolve(message.result);
    }
  });
  child.on('exit', code => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`simulator process exited (${String(code)})`));
    }
    pending.clear();
  });
  const send = <T>(command: SimCommand): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      nextId += 1;
      pending.set(nextId, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id: nextId, ...command });
    });
  return {
    start: command => send<SimInfo>(command),
    counters: () => send<SimCounters>({ cmd: 'counters' }),
    churn: (share, seed) => send<ChurnResult>({ cmd: 'churn', share, seed }),
    rss: () => send<number>({ cmd: 'memory' }),
    regroup: userIds => send<number>({ cmd: 'regroup', userIds }),
    async close() {
      if (child.exitCode === null && child.connected) {
        const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
        await send<undefined>({ cmd: 'close' }).catch(() => undefined);
        await exited;
      }
    },
  };
}

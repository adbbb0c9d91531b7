/**
 * What the simulators' `main.ts` entry points share: the listen options, integer flags and a
 * clean shutdown on SIGINT / SIGTERM.
 */

/**
 * `node:util` `parseArgs` options every simulator takes: `--port`, `--host`, `--latency-ms` and
 * `--seed`. Values stay strings; read them with {@link nonNegativeInt}.
 */
export function serverArgOptions(defaultPort: number) {
  return {
    port: { type: 'string', default: String(defaultPort) },
    host: { type: 'string', default: '127.0.0.1' },
    'latency-ms': { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
  } as const;
}

/** The value of `--name` as a non-negative integer; anything else exits with status 2. */
export function nonNegativeInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative integer, got "${text}"\n`);
    process.exit(2);
  }
  return n;
}

/** How {@link stopOnSignals} behaves. */
export type StopOptions = {
  /**
   * Announce `SIGINT: closing <name>` on stdout and a failed close on stderr. Absent: close
   * silently.
   */
  name?: string | undefined;
  /**
   * A second signal while closing: `'ignore'` it, or leave it to Node's `'default'` handling,
   * which ends the process at once. @defaultValue 'ignore'
   */
  repeatedSignal?: 'ignore' | 'default' | undefined;
};

/** On SIGINT or SIGTERM, runs `close` and exits 0 (1 when it fails). */
export function stopOnSignals(close: () => Promise<void>, options: StopOptions = {}): void {
  const { name } = options;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    if (name !== undefined) {
      process.stdout.write(`${signal}: closing ${name}\n`);
    }
    close().then(
      () => process.exit(0),
      (e: unknown) => {
        if (name !== undefined) {
          process.stderr.write(`close failed: ${String(e)}\n`);
        }
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    if (options.repeatedSignal === 'default') {
      process.once(signal, stop);
    } else {
      process.on(signal, stop);
    }
  }
}

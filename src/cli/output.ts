/** Where a command writes: results to stdout, diagnostics to stderr. Injected for tests. */
export type Output = {
  line(text: string): void;
  json(value: unknown): void;
  error(text: string): void;
};

/** The process's own stdout and stderr. */
export function processOutput(): Output {
  return {
    line: text => process.stdout.write(`${text}\n`),
    json: value => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    error: text => process.stderr.write(`${text}\n`),
  };
}

/**
 * A one-line progress display on a terminal (stderr), so that long applies show they are moving.
 * Silent when stderr is not a TTY or when output is JSON.
 */
export function createProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  enabled = stream.isTTY === true,
) {
  let lastDraw = 0;
  let drawn = false;
  return {
    update(done: number, total: number): void {
      const now = Date.now();
      if (!enabled || (now - lastDraw < 100 && done < total)) {
        return;
      }
      lastDraw = now;
      drawn = true;
      const percent = total === 0 ? 100 : Math.floor((done * 100) / total);
      stream.write(`\r${label}: applying ${done}/${total} (${percent}%)\u001b[K`);
    },
    end(): void {
      if (drawn) {
        stream.write('\r\u001b[K');
      }
    },
  };
}

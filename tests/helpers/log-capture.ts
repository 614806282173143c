// The app logs JSON lines straight to process.stdout/stderr (lib/log.ts); tests that check what
// was logged swap those writers for the duration and get the lines back.

type Writer = typeof process.stdout.write;

export function startLogCapture(): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const capture = ((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split("\n").filter(Boolean));
    return true;
  }) as Writer;
  process.stdout.write = capture;
  process.stderr.write = capture;
  return {
    lines,
    stop() {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

export async function captureLogs(fn: () => Promise<void>): Promise<string[]> {
  const capture = startLogCapture();
  try {
    await fn();
  } finally {
    capture.stop();
  }
  return capture.lines;
}

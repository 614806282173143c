// The app logs JSON lines straight to process.stdout/stderr (lib/log.ts); tests that check what
// was logged swap those writers for the duration and get the lines back.

type Writer = typeof process.stdout.write;

export function startLogCapture(): { lines: string[]; stop(): void } {
  const lines: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  // Only the app's JSON lines are taken; everything else (the test runner's own report goes to
  // stdout too) passes through untouched.
  const capturing = (stream: NodeJS.WriteStream, original: Writer) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = String(chunk);
      if (!text.startsWith('{"time":')) return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      lines.push(...text.split("\n").filter(Boolean));
      return true;
    }) as Writer;
  process.stdout.write = capturing(process.stdout, originals.out);
  process.stderr.write = capturing(process.stderr, originals.err);
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

// JSON lines on stdout/stderr. Never pass secrets (keys, passwords, tokens) in fields.
//
// Straight to the streams: console goes through the framework's patched console, which costs
// more per line than the rest of a cached API request. Info lines (one per API request) are
// gathered for up to 50 ms and written together: to a pipe (a supervisor, journald, a log
// shipper) each write is a system call that wakes the reader, which at hundreds of requests a
// second costs more than the request itself. Warnings and errors are written at once, after any
// info lines waiting, so the order is kept; waiting lines are written when the process exits.
type Fields = Record<string, unknown>;

const BATCH_MS = 50;
const MAX_PENDING_CHARS = 64 * 1024;
let pending = "";
let timer: NodeJS.Timeout | null = null;
let exitHooked = false;

function flushInfo() {
  if (timer) clearTimeout(timer);
  timer = null;
  if (!pending) return;
  const out = pending;
  pending = "";
  process.stdout.write(out);
}

function write(level: "info" | "warn" | "error", msg: string, fields: Fields = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + "\n";
  if (level !== "info") {
    flushInfo();
    (level === "error" ? process.stderr : process.stdout).write(line);
    return;
  }
  pending += line;
  if (!exitHooked) {
    exitHooked = true;
    process.once("exit", flushInfo);
  }
  if (pending.length >= MAX_PENDING_CHARS) flushInfo();
  else if (!timer) {
    timer = setTimeout(flushInfo, BATCH_MS);
    timer.unref();
  }
}

export const log = {
  info: (msg: string, f?: Fields) => write("info", msg, f),
  warn: (msg: string, f?: Fields) => write("warn", msg, f),
  error: (msg: string, f?: Fields) => write("error", msg, f),
  /** Writes the info lines still waiting (tests, shutdown). */
  flush: flushInfo,
};

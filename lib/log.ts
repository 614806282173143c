// JSON lines on stdout/stderr. Never pass secrets (keys, passwords, tokens) in fields.
type Fields = Record<string, unknown>;
function write(level: "info" | "warn" | "error", msg: string, fields: Fields = {}) {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }) + "\n";
  // Straight to the streams: console goes through the framework's patched console, which
  // costs more per line than the rest of a cached API request.
  if (level === "error") process.stderr.write(line);
  else process.stdout.write(line);
}
export const log = {
  info: (msg: string, f?: Fields) => write("info", msg, f),
  warn: (msg: string, f?: Fields) => write("warn", msg, f),
  error: (msg: string, f?: Fields) => write("error", msg, f),
};

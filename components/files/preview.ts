// Turns the start of a file into preview lines: numbered, JSON Lines pretty-printed, invalid
// lines flagged. Pure (the drawer renders it; unit tests check it).

export const PREVIEW_MAX_LINES = 50;

export type PreviewLine = {
  /** 1-based line number in the file. */
  number: number;
  text: string;
  /** JSON Lines: the value pretty-printed (2 spaces). */
  pretty?: string;
  /** JSON Lines: why the line is not valid JSON. */
  error?: string;
  /** The line goes on past the end of the preview. */
  cut?: boolean;
  /** JSON Lines: an empty line (no example on it). */
  empty?: boolean;
};

export type Preview = {
  lines: PreviewLine[];
  /** More of the file than these lines exists. */
  more: boolean;
  invalid: number;
  /** JSON Lines: empty lines among those shown. */
  empty: number;
};

export function buildPreview(text: string, o: { truncated: boolean; jsonl: boolean; maxLines?: number }): Preview {
  const maxLines = o.maxLines ?? PREVIEW_MAX_LINES;
  const raw = text.split(/\r?\n/);
  // A trailing newline ends the last line; it does not start another one.
  if (raw.length > 1 && raw.at(-1) === "" && !o.truncated) raw.pop();
  const lines: PreviewLine[] = [];
  let invalid = 0;
  let empty = 0;
  let more = false;
  for (let i = 0; i < raw.length; i++) {
    if (lines.length >= maxLines) {
      more = true;
      break;
    }
    const cut = o.truncated && i === raw.length - 1;
    if (cut && raw[i] === "") break; // the preview ended right after a newline
    const line: PreviewLine = { number: i + 1, text: raw[i] };
    if (cut) line.cut = true;
    if (o.jsonl && !cut) {
      if (raw[i].trim() === "") {
        line.empty = true;
        empty++;
      } else {
        try {
          line.pretty = JSON.stringify(JSON.parse(raw[i]), null, 2);
        } catch (err) {
          line.error = (err as Error).message || "Not valid JSON";
          invalid++;
        }
      }
    }
    lines.push(line);
  }
  return { lines, more: more || o.truncated, invalid, empty };
}

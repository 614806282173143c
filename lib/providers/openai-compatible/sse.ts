import "server-only";
import type http from "node:http";
import { AttemptFailure, type Attempt } from "./transport";

// Server-sent events as OpenAI-compatible servers send them: `data:` lines (one JSON chunk per
// event, "[DONE]" at the end), `:` comment lines as keep-alives, optional `event:` names. Read
// chunk by chunk as they arrive: nothing waits for the whole body.

export type SseEvent = { event: string; data: string };

// A single event larger than this is not a chat chunk: stop before it exhausts memory.
const MAX_EVENT_CHARS = 16 << 20;

export class SseReader {
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly decoder = new TextDecoder();
  private buffer = "";
  private ended = false;
  private eventName = "";
  private data: string[] = [];

  constructor(
    res: http.IncomingMessage,
    private readonly attempt: Attempt,
  ) {
    this.iterator = (res as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** The next event with data, or null when the body ends. Keep-alive comments reset the idle deadline. */
  async next(): Promise<SseEvent | null> {
    for (;;) {
      const event = this.takeEvent();
      if (event) return event;
      if (this.ended) return this.flush();
      const chunk = await this.attempt.nextChunk(this.iterator);
      if (chunk === null) {
        this.ended = true;
        this.buffer += this.decoder.decode();
      } else {
        this.buffer += this.decoder.decode(chunk, { stream: true });
        if (this.buffer.length > MAX_EVENT_CHARS) {
          throw new AttemptFailure("too_large", "server-sent event too large");
        }
      }
    }
  }

  /** Consumes complete lines from the buffer until an event is complete. */
  private takeEvent(): SseEvent | null {
    let start = 0;
    try {
      for (;;) {
        const cr = this.buffer.indexOf("\r", start);
        const lf = this.buffer.indexOf("\n", start);
        const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
        if (end === -1) return null;
        // A lone "\r" at the end of what has arrived may be the first half of "\r\n".
        if (end === cr && cr === this.buffer.length - 1 && !this.ended) return null;
        const line = this.buffer.slice(start, end);
        start = end + (end === cr && this.buffer[cr + 1] === "\n" ? 2 : 1);
        const event = this.line(line);
        if (event) return event;
      }
    } finally {
      this.buffer = this.buffer.slice(start);
    }
  }

  private line(line: string): SseEvent | null {
    if (line === "") {
      if (this.data.length === 0) {
        this.eventName = "";
        return null;
      }
      const event = { event: this.eventName || "message", data: this.data.join("\n") };
      this.eventName = "";
      this.data = [];
      return event;
    }
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.eventName = value;
    return null;
  }

  /** At the end of the body, an event the server did not close with a blank line still counts. */
  private flush(): SseEvent | null {
    if (this.buffer !== "") {
      const rest = this.buffer;
      this.buffer = "";
      this.line(rest);
    }
    return this.line("");
  }
}

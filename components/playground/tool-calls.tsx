"use client";

import * as React from "react";
import { CornerDownLeft, Wrench } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import type { PlaygroundToolCall } from "./types";

function prettyArguments(args: string): { text: string; valid: boolean } {
  if (!args.trim()) return { text: "{}", valid: true };
  try {
    return { text: JSON.stringify(JSON.parse(args), null, 2), valid: true };
  } catch {
    return { text: args, valid: false }; // still streaming, or the model wrote invalid JSON
  }
}

/**
 * The tool calls of one assistant answer. Calls without an answer yet get an output box; the
 * submit button adds one tool message per call and runs the conversation again.
 */
export function ToolCalls({
  calls,
  answered,
  streaming,
  canSubmit,
  submitBlockedReason,
  onSubmit,
}: {
  calls: PlaygroundToolCall[];
  /** Calls already answered by tool messages (call id → output). */
  answered: Map<string, string>;
  streaming: boolean;
  canSubmit: boolean;
  submitBlockedReason?: string | null;
  onSubmit: (outputs: Record<string, string>) => void;
}) {
  const [outputs, setOutputs] = React.useState<Record<string, string>>({});
  const pending = calls.filter((c) => !answered.has(c.id));
  return (
    <div className="grid grid-cols-1 gap-2">
      {calls.map((call) => {
        const args = prettyArguments(call.function.arguments);
        const done = answered.get(call.id);
        const inputId = `tool-output-${call.id}`;
        return (
          <div key={call.id} className="overflow-hidden rounded-lg border bg-muted/30" data-testid="tool-call" data-tool-call-id={call.id}>
            <div className="flex items-center gap-2 border-b bg-muted/50 px-3 py-1.5 text-xs">
              <Wrench className="size-3.5 text-muted-foreground" aria-hidden="true" />
              <span className="font-mono font-medium" data-testid="tool-call-name">
                {call.function.name || "…"}
              </span>
              <span className="ml-auto truncate font-mono text-muted-foreground" title="Tool call ID">
                {call.id}
              </span>
            </div>
            <pre className="max-h-60 overflow-auto px-3 py-2 font-mono text-xs leading-relaxed" data-testid="tool-call-arguments">
              {args.text}
            </pre>
            {!args.valid && !streaming && <p className="px-3 pb-2 text-xs text-destructive">The arguments are not valid JSON.</p>}
            {done !== undefined ? (
              <p className="border-t px-3 py-1.5 text-xs text-muted-foreground">Output submitted (see the tool message below).</p>
            ) : (
              !streaming && (
                <div className="grid grid-cols-1 gap-1.5 border-t px-3 py-2">
                  <Label htmlFor={inputId} className="text-xs font-normal text-muted-foreground">
                    Output of {call.function.name || "the function"}
                  </Label>
                  <Textarea
                    id={inputId}
                    value={outputs[call.id] ?? ""}
                    onChange={(e) => setOutputs((o) => ({ ...o, [call.id]: e.target.value }))}
                    placeholder='e.g. {"temperature": 22, "unit": "celsius"}'
                    spellCheck={false}
                    className="min-h-14 bg-background font-mono text-xs"
                    data-testid="tool-output-input"
                  />
                </div>
              )
            )}
          </div>
        );
      })}
      {!streaming && pending.length > 0 && (
        <div className="flex flex-wrap items-center gap-2">
          <Button
            size="sm"
            onClick={() => onSubmit(Object.fromEntries(pending.map((c) => [c.id, outputs[c.id] ?? ""])))}
            disabled={!canSubmit}
            data-testid="submit-tool-outputs"
          >
            <CornerDownLeft aria-hidden="true" />
            Submit outputs and continue
          </Button>
          {!canSubmit && submitBlockedReason && <span className="text-xs text-muted-foreground">{submitBlockedReason}</span>}
        </div>
      )}
    </div>
  );
}

"use client";

import * as React from "react";
import { Columns2, MoreHorizontal, SlidersHorizontal, X } from "lucide-react";
import type { PlaygroundModel } from "@/lib/playground/models";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Conversation, type ConversationHandlers, type RenderMode } from "./conversation";
import { ModelPicker } from "./model-picker";
import { ParametersFields } from "./parameters";
import type { ConversationItem, PlaygroundParameters } from "./types";

/** One compare column: its own model and parameters, and its own answers to the shared messages. */
export function CompareColumn({
  index,
  models,
  model,
  parameters,
  items,
  streaming,
  busy,
  runBlockedReason,
  renderMode,
  vision,
  handlers,
  canRemove,
  onModelChange,
  onParametersChange,
  onRemove,
  onKeepOnly,
}: {
  index: number;
  models: PlaygroundModel[];
  model: string;
  parameters: PlaygroundParameters;
  items: ConversationItem[];
  streaming: boolean;
  busy: boolean;
  runBlockedReason: string | null;
  renderMode: RenderMode;
  vision: { enabled: boolean; reason: string };
  handlers: ConversationHandlers;
  canRemove: boolean;
  onModelChange: (model: string) => void;
  onParametersChange: (p: PlaygroundParameters) => void;
  onRemove: () => void;
  onKeepOnly: () => void;
}) {
  const [paramsOpen, setParamsOpen] = React.useState(false);
  const info = models.find((m) => m.id === model);
  // Each column scrolls on its own (on wide screens) and follows its answer while it streams.
  const bodyRef = React.useRef<HTMLDivElement>(null);
  const last = items.at(-1);
  const progress = items.length * 1_000_000 + (last?.message.content?.length ?? 0) + (last?.message.role === "assistant" ? (last.message.tool_calls?.length ?? 0) : 0);
  React.useEffect(() => {
    const el = bodyRef.current;
    if (!el || !streaming) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 160) el.scrollTop = el.scrollHeight;
  }, [progress, streaming]);
  return (
    <section
      className="flex min-w-0 flex-col rounded-xl border bg-card lg:min-h-0"
      data-testid="compare-column"
      data-index={index}
      aria-label={`Column ${index + 1}`}
    >
      <div className="flex items-start gap-1.5 border-b p-2.5">
        <ModelPicker
          id={`compare-model-${index}`}
          models={models}
          value={model}
          onChange={onModelChange}
          disabled={busy}
          compact
          testId="compare-model-select"
          className="flex-1"
        />
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={`Parameters of column ${index + 1}`}
          title="Parameters"
          onClick={() => setParamsOpen(true)}
          data-testid="column-parameters"
        >
          <SlidersHorizontal aria-hidden="true" />
        </Button>
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button variant="ghost" size="icon-sm" aria-label={`Column ${index + 1} options`} disabled={busy} data-testid="column-menu">
              <MoreHorizontal aria-hidden="true" />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuItem onSelect={onKeepOnly} data-testid="column-keep-only">
              <Columns2 aria-hidden="true" />
              Keep only this column
            </DropdownMenuItem>
            {canRemove && (
              <DropdownMenuItem variant="destructive" onSelect={onRemove} data-testid="column-remove">
                <X aria-hidden="true" />
                Remove column
              </DropdownMenuItem>
            )}
          </DropdownMenuContent>
        </DropdownMenu>
      </div>
      <div ref={bodyRef} className="min-h-24 flex-1 p-1.5 lg:min-h-0 lg:overflow-y-auto" data-testid="compare-column-body">
        {items.length === 0 ? (
          <p className="px-2 py-6 text-center text-xs text-muted-foreground">Answers from {model || "this model"} appear here.</p>
        ) : (
          <Conversation
            items={items}
            renderMode={renderMode}
            streaming={streaming}
            runBlockedReason={runBlockedReason}
            vision={vision}
            handlers={handlers}
          />
        )}
      </div>
      <Dialog open={paramsOpen} onOpenChange={setParamsOpen}>
        <DialogContent className="sm:max-w-md" data-testid="column-parameters-dialog">
          <DialogHeader>
            <DialogTitle>Column {index + 1} parameters</DialogTitle>
            <DialogDescription>{info ? info.id : model} · applies to this column&apos;s next runs.</DialogDescription>
          </DialogHeader>
          <ParametersFields idPrefix={`col${index}`} value={parameters} onChange={onParametersChange} model={info} />
        </DialogContent>
      </Dialog>
    </section>
  );
}

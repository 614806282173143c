"use client";

import * as React from "react";
import { Check, Pencil, RotateCcw, Trash2 } from "lucide-react";
import { cn } from "@/lib/utils";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { Tooltip } from "./controls";
import { AttachImageButton, ImageThumbnails, usePasteImages } from "./images";
import { Markdown } from "./markdown";
import { RunErrorBox, StatsLine } from "./run-details";
import { ToolCalls } from "./tool-calls";
import type { ConversationItem, PlaygroundMessage } from "./types";

export type RenderMode = "markdown" | "raw";

export type ConversationHandlers = {
  onChange: (itemId: string, message: PlaygroundMessage) => void;
  onDelete: (itemId: string) => void;
  /** Re-run from this item: a user/tool message is kept, an assistant answer is regenerated. */
  onRerun: (itemId: string) => void;
  onSubmitToolOutputs: (itemId: string, outputs: Record<string, string>) => void;
};

type Shared = {
  renderMode: RenderMode;
  /** This conversation is generating. */
  streaming: boolean;
  /** Why nothing can run right now (another run, archived project…), or null. */
  runBlockedReason: string | null;
  vision: { enabled: boolean; reason: string };
  handlers: ConversationHandlers;
};

function RoleLabel({ role, children }: { role: PlaygroundMessage["role"]; children?: React.ReactNode }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      <span className="text-[11px] font-semibold tracking-wider text-muted-foreground uppercase">{role}</span>
      {children}
    </div>
  );
}

function Actions({ children }: { children: React.ReactNode }) {
  return <div className="ml-auto flex shrink-0 items-center gap-0.5 opacity-80 transition-opacity group-hover/msg:opacity-100">{children}</div>;
}

function IconAction({
  label,
  onClick,
  disabled,
  reason,
  testId,
  children,
  destructive,
}: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  reason?: string | null;
  testId: string;
  children: React.ReactNode;
  destructive?: boolean;
}) {
  const button = (
    <Button
      variant="ghost"
      size="icon-sm"
      className={cn("size-7 text-muted-foreground", destructive ? "hover:text-destructive" : "hover:text-foreground")}
      aria-label={label}
      title={disabled ? undefined : label}
      onClick={onClick}
      disabled={disabled}
      data-testid={testId}
    >
      {children}
    </Button>
  );
  return disabled && reason ? <Tooltip content={reason}>{button}</Tooltip> : button;
}

function UserMessage({ item, shared }: { item: ConversationItem & { message: { role: "user" } }; shared: Shared }) {
  const m = item.message;
  const images = React.useMemo(() => m.images ?? [], [m.images]);
  const addImages = React.useCallback(
    (urls: string[]) => shared.handlers.onChange(item.id, { ...m, images: [...images, ...urls] }),
    [shared.handlers, item.id, m, images],
  );
  const onPaste = usePasteImages(shared.vision.enabled, addImages);
  return (
    <>
      <div className="flex items-center gap-2">
        <RoleLabel role="user" />
        <Actions>
          <AttachImageButton enabled={shared.vision.enabled} disabledReason={shared.vision.reason} onAdd={addImages} testId="message-attach-image" />
          <IconAction
            label="Run from here"
            onClick={() => shared.handlers.onRerun(item.id)}
            disabled={!!shared.runBlockedReason}
            reason={shared.runBlockedReason}
            testId="rerun-message"
          >
            <RotateCcw aria-hidden="true" />
          </IconAction>
          <IconAction label="Delete message" onClick={() => shared.handlers.onDelete(item.id)} testId="delete-message" destructive>
            <Trash2 aria-hidden="true" />
          </IconAction>
        </Actions>
      </div>
      <Textarea
        value={m.content}
        onChange={(e) => shared.handlers.onChange(item.id, { ...m, content: e.target.value })}
        onPaste={onPaste}
        aria-label="User message"
        placeholder="Enter a user message"
        data-testid="message-editor"
        data-role="user"
        className="min-h-9 resize-none border-transparent bg-transparent px-2 py-1.5 shadow-none hover:border-input focus-visible:border-ring dark:bg-transparent"
      />
      <ImageThumbnails images={images} onRemove={(i) => shared.handlers.onChange(item.id, { ...m, images: images.filter((_, j) => j !== i) })} />
    </>
  );
}

function ToolMessage({
  item,
  shared,
  functionName,
}: {
  item: ConversationItem & { message: { role: "tool" } };
  shared: Shared;
  functionName: string | null;
}) {
  const m = item.message;
  return (
    <>
      <div className="flex items-center gap-2">
        <RoleLabel role="tool">
          <span className="truncate font-mono text-xs text-muted-foreground" title={m.tool_call_id}>
            {functionName ? `${functionName} · ` : ""}
            {m.tool_call_id}
          </span>
        </RoleLabel>
        <Actions>
          <IconAction
            label="Run from here"
            onClick={() => shared.handlers.onRerun(item.id)}
            disabled={!!shared.runBlockedReason}
            reason={shared.runBlockedReason}
            testId="rerun-message"
          >
            <RotateCcw aria-hidden="true" />
          </IconAction>
          <IconAction label="Delete message" onClick={() => shared.handlers.onDelete(item.id)} testId="delete-message" destructive>
            <Trash2 aria-hidden="true" />
          </IconAction>
        </Actions>
      </div>
      <Textarea
        value={m.content}
        onChange={(e) => shared.handlers.onChange(item.id, { ...m, content: e.target.value })}
        aria-label="Tool output"
        data-testid="message-editor"
        data-role="tool"
        spellCheck={false}
        className="min-h-9 resize-none border-transparent bg-transparent px-2 py-1.5 font-mono text-xs shadow-none hover:border-input focus-visible:border-ring dark:bg-transparent"
      />
    </>
  );
}

function AssistantMessage({
  item,
  shared,
  answered,
  isLast,
}: {
  item: ConversationItem & { message: { role: "assistant" } };
  shared: Shared;
  answered: Map<string, string>;
  isLast: boolean;
}) {
  const m = item.message;
  const run = item.run;
  const live = run?.status === "streaming";
  const content = m.content ?? "";
  const calls = m.tool_calls ?? [];
  // A message added by hand (no run) starts in the editor: it is there to be written.
  const [editing, setEditing] = React.useState(() => !run && !content && calls.length === 0);
  const showEditor = editing && !live;
  return (
    <>
      <div className="flex items-center gap-2">
        <RoleLabel role="assistant">
          {run?.status === "stopped" && (
            <Badge variant="warning" data-testid="stopped-badge">
              Stopped
            </Badge>
          )}
          {live && <Spinner className="size-3.5 text-muted-foreground" label="Generating" />}
        </RoleLabel>
        <Actions>
          {content && <CopyButton value={content} label="Copy answer" toastMessage="Answer copied" className="size-7" data-testid="copy-answer" />}
          {!live && (
            <IconAction
              label={showEditor ? "Done editing" : "Edit answer"}
              onClick={() => setEditing((e) => !e)}
              testId={showEditor ? "done-editing" : "edit-message"}
            >
              {showEditor ? <Check aria-hidden="true" /> : <Pencil aria-hidden="true" />}
            </IconAction>
          )}
          <IconAction
            label="Regenerate"
            onClick={() => shared.handlers.onRerun(item.id)}
            disabled={!!shared.runBlockedReason}
            reason={shared.runBlockedReason}
            testId="rerun-message"
          >
            <RotateCcw aria-hidden="true" />
          </IconAction>
          <IconAction
            label="Delete message"
            onClick={() => shared.handlers.onDelete(item.id)}
            disabled={live}
            reason="Stop the answer first"
            testId="delete-message"
            destructive
          >
            <Trash2 aria-hidden="true" />
          </IconAction>
        </Actions>
      </div>
      {showEditor ? (
        <Textarea
          value={content}
          onChange={(e) => shared.handlers.onChange(item.id, { ...m, content: e.target.value })}
          aria-label="Assistant message"
          data-testid="message-editor"
          data-role="assistant"
          autoFocus
          className="min-h-16 font-mono text-[13px]"
        />
      ) : (
        (content || live || !run || (run.status !== "error" && calls.length === 0)) && (
          <div className="px-2 py-1" data-testid="assistant-output" data-status={run?.status ?? "done"} aria-live={live ? "polite" : undefined}>
            {content ? (
              shared.renderMode === "markdown" ? (
                <Markdown text={content} />
              ) : (
                <pre className="font-sans text-sm leading-relaxed break-words whitespace-pre-wrap">{content}</pre>
              )
            ) : live ? (
              calls.length === 0 && <p className="text-sm text-muted-foreground">Waiting for the first token…</p>
            ) : (
              calls.length === 0 && (
                <p className="text-sm text-muted-foreground italic">
                  {run?.status === "stopped" ? "Stopped before any output." : "Empty answer."}
                </p>
              )
            )}
            {live && content && <span aria-hidden="true" className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-foreground/70 align-text-bottom" />}
          </div>
        )
      )}
      {calls.length > 0 && (
        <ToolCalls
          calls={calls}
          answered={answered}
          streaming={live}
          canSubmit={isLast && !shared.runBlockedReason}
          submitBlockedReason={!isLast ? "Only the last answer's tool calls can be continued." : shared.runBlockedReason}
          onSubmit={(outputs) => shared.handlers.onSubmitToolOutputs(item.id, outputs)}
        />
      )}
      {run?.error && <RunErrorBox error={run.error} requestId={run.stats?.requestId ?? null} />}
      {run?.stats && !run.error && <StatsLine stats={run.stats} className="px-2" />}
    </>
  );
}

/** A conversation's messages, each editable in place, with per-answer stats and errors. */
export function Conversation({
  items,
  renderMode,
  streaming,
  runBlockedReason,
  vision,
  handlers,
  className,
}: Shared & { items: ConversationItem[]; className?: string }) {
  const shared: Shared = { renderMode, streaming, runBlockedReason, vision, handlers };
  // Tool messages answering each assistant's calls (they follow it directly).
  const answeredFor = (index: number) => {
    const map = new Map<string, string>();
    for (let j = index + 1; j < items.length; j++) {
      const m = items[j].message;
      if (m.role !== "tool") break;
      map.set(m.tool_call_id, m.content);
    }
    return map;
  };
  const callNames = new Map<string, string>();
  for (const it of items) {
    if (it.message.role === "assistant") for (const c of it.message.tool_calls ?? []) callNames.set(c.id, c.function.name);
  }
  // The last assistant answer with calls can still be continued when only its tool messages follow.
  let lastAssistant = -1;
  items.forEach((it, i) => {
    if (it.message.role === "assistant") lastAssistant = i;
  });
  return (
    <ol className={cn("grid grid-cols-1 gap-1", className)} data-testid="conversation">
      {items.map((item, i) => (
        <li
          key={item.id}
          className={cn(
            "group/msg grid grid-cols-1 gap-1.5 rounded-lg px-2 py-2 transition-colors hover:bg-muted/40",
            item.message.role === "assistant" && item.run?.status === "error" && "hover:bg-transparent",
          )}
          data-testid="message"
          data-role={item.message.role}
        >
          {item.message.role === "user" ? (
            <UserMessage item={item as ConversationItem & { message: { role: "user" } }} shared={shared} />
          ) : item.message.role === "tool" ? (
            <ToolMessage
              item={item as ConversationItem & { message: { role: "tool" } }}
              shared={shared}
              functionName={callNames.get(item.message.tool_call_id) ?? null}
            />
          ) : (
            <AssistantMessage
              item={item as ConversationItem & { message: { role: "assistant" } }}
              shared={shared}
              answered={answeredFor(i)}
              isLast={i === lastAssistant}
            />
          )}
        </li>
      ))}
    </ol>
  );
}

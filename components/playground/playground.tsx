"use client";

import * as React from "react";
import { useRouter } from "next/navigation";
import Link from "next/link";
import { CircleAlert, Columns2, CornerDownLeft, Eraser, History, MessageSquarePlus, Plus, Play, SlidersHorizontal, Square, X } from "lucide-react";
import { toast } from "sonner";
import type { PlaygroundModel } from "@/lib/playground/models";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";
import { Separator } from "@/components/ui/separator";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { Textarea } from "@/components/ui/textarea";
import { SegmentedControl } from "@/components/projects/segmented-control";
import { CompareColumn } from "./compare";
import { Switch, Tooltip } from "./controls";
import { Conversation, type ConversationHandlers, type RenderMode } from "./conversation";
import { FunctionsSection } from "./functions";
import { AttachImageButton, ImageThumbnails, usePasteImages } from "./images";
import { ModelPicker } from "./model-picker";
import { ParametersFields } from "./parameters";
import { PresetsMenu } from "./presets";
import { buildRequestBody, chatUrl, conversationProblem, costNanos, sendableMessages, type RequestSpec } from "./request";
import { ResponseFormatField } from "./response-format";
import { RequestLogOrg } from "./run-details";
import { streamChatCompletion, type StreamSnapshot } from "./stream-chat";
import {
  DEFAULT_PARAMETERS,
  emptyConfig,
  type ConversationItem,
  type FunctionConfig,
  type PlaygroundConfig,
  type PlaygroundMessage,
  type PlaygroundParameters,
  type PresetActions,
  type PresetSummary,
  type ResponseFormatConfig,
  type RunStats,
  type ToolChoiceConfig,
} from "./types";
import { ViewCodeDialog } from "./view-code";

// The chat playground: one conversation (or 2–3 side by side in compare mode) streamed from
// the console's chat endpoint, with the request's parameters in a side panel.

const MAX_COLUMNS = 3;

/** A conversation with its own model and sampling parameters: the playground, or one compare column. */
type Thread = { id: string; model: string; parameters: PlaygroundParameters; items: ConversationItem[] };

type Composer = { text: string; images: string[] };
const EMPTY_COMPOSER: Composer = { text: "", images: [] };

// Ids only key React lists; crypto.randomUUID needs a secure context, which plain-http
// self-hosted installs do not have.
let idSeq = 0;
const newId = () => `p${Date.now().toString(36)}${(idSeq++).toString(36)}`;

const toItems = (messages: PlaygroundMessage[]): ConversationItem[] => messages.map((message) => ({ id: newId(), message }));
const cloneItems = (items: ConversationItem[]) => items.map((it) => ({ ...it, id: newId() }));

function threadFrom(config: PlaygroundConfig): Thread {
  return { id: newId(), model: config.model, parameters: { ...DEFAULT_PARAMETERS, ...config.parameters }, items: toItems(config.messages) };
}

/** Desktop layout (side panel) or phone/tablet layout (panel in a sheet). The server renders desktop. */
function useWideLayout() {
  return React.useSyncExternalStore(
    (cb) => {
      const mq = window.matchMedia("(min-width: 1024px)");
      mq.addEventListener("change", cb);
      return () => mq.removeEventListener("change", cb);
    },
    () => window.matchMedia("(min-width: 1024px)").matches,
    () => true,
  );
}

function PanelSection({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="grid grid-cols-1 gap-4">
      <h2 className="text-xs font-semibold tracking-wider text-muted-foreground uppercase">{title}</h2>
      {children}
    </section>
  );
}

/** `?request=`: a request from the request log opened as the starting setup, or why it could not be. */
export type StoredRequestNotice = {
  requestId: string;
  loaded: boolean;
  /** Why it was not loaded. */
  message: string | null;
  /** What of the request the playground could not carry over. */
  notes: string[];
};

export type PlaygroundProps = {
  projectId: string;
  /** The project's organization: request ids link to its request log. */
  orgId?: string;
  /** Models the project may use for chat (embedding-only models already left out). */
  models: PlaygroundModel[];
  presets: PresetSummary[];
  /** The config of `?preset=`, or null. */
  initialPreset: PlaygroundConfig | null;
  initialPresetId: string | null;
  initialPresetName?: string | null;
  /** `?preset=` named a preset that does not exist (or is not this project's). */
  presetNotFound?: boolean;
  storedRequest?: StoredRequestNotice | null;
  archived: boolean;
  /** Project owners may rename and delete every preset. */
  canManagePresets: boolean;
  actions: PresetActions;
};

export function Playground({
  projectId,
  orgId,
  models,
  presets: presetsProp,
  initialPreset,
  initialPresetId,
  initialPresetName,
  presetNotFound,
  storedRequest,
  archived,
  canManagePresets,
  actions,
}: PlaygroundProps) {
  const router = useRouter();
  const wide = useWideLayout();
  const start = initialPreset ?? emptyConfig(models[0]?.id ?? "");

  // ---- state ----
  const [system, setSystem] = React.useState(start.system);
  const [responseFormat, setResponseFormat] = React.useState<ResponseFormatConfig>(start.responseFormat);
  const [tools, setTools] = React.useState<FunctionConfig[]>(start.tools);
  const [toolChoice, setToolChoice] = React.useState<ToolChoiceConfig>(start.toolChoice);
  const [parallelToolCalls, setParallelToolCalls] = React.useState(start.parallelToolCalls);
  const [threads, setThreads] = React.useState<Thread[]>(() => [threadFrom(start)]);
  const [composer, setComposer] = React.useState<Composer>(EMPTY_COMPOSER);
  const [renderMode, setRenderMode] = React.useState<RenderMode>("markdown");
  const [running, setRunning] = React.useState<ReadonlySet<string>>(new Set());
  const [panelOpen, setPanelOpen] = React.useState(false);
  /** Bumped when a preset replaces everything, to remount editors that keep local drafts. */
  const [generation, setGeneration] = React.useState(0);
  // Abort controllers of running streams, by thread. Held in state rather than a ref because
  // the conversation's handlers are built during render; the map itself is never rendered.
  const [controllers] = React.useState(() => new Map<string, AbortController>());
  const scrollRef = React.useRef<HTMLDivElement>(null);

  // ---- presets: the list (kept locally between server refreshes) and the one loaded ----
  const [presets, setPresets] = React.useState(presetsProp);
  const [seenPresets, setSeenPresets] = React.useState(presetsProp);
  if (seenPresets !== presetsProp) {
    setSeenPresets(presetsProp);
    setPresets(presetsProp);
  }
  const summaryOf = (id: string): PresetSummary =>
    presetsProp.find((p) => p.id === id) ?? { id, name: initialPresetName || "Preset", updatedAt: "" };
  const [currentPreset, setCurrentPreset] = React.useState<PresetSummary | null>(() =>
    initialPresetId && initialPreset ? summaryOf(initialPresetId) : null,
  );
  const [loadingPresetId, setLoadingPresetId] = React.useState<string | null>(null);
  const [seenInitial, setSeenInitial] = React.useState(initialPreset);

  const abortAll = () => {
    for (const c of controllers.values()) c.abort();
  };

  const applyConfig = (config: PlaygroundConfig) => {
    setSystem(config.system);
    setResponseFormat(config.responseFormat);
    setTools(config.tools);
    setToolChoice(config.toolChoice);
    setParallelToolCalls(config.parallelToolCalls);
    setThreads([threadFrom(config)]);
    setComposer(EMPTY_COMPOSER);
    setGeneration((g) => g + 1);
  };

  // A navigation to another ?preset= (loading one, back/forward) brings a new config: apply it.
  // A refresh of the preset already shown (after saving or renaming it) must not wipe the runs.
  if (seenInitial !== initialPreset) {
    setSeenInitial(initialPreset);
    if (initialPreset && initialPresetId && (initialPresetId !== currentPreset?.id || initialPresetId === loadingPresetId)) {
      applyConfig(initialPreset);
      setCurrentPreset(summaryOf(initialPresetId));
    }
    if (initialPresetId === loadingPresetId) setLoadingPresetId(null);
  }

  React.useEffect(() => {
    if (presetNotFound) toast.error("That preset no longer exists. Showing an empty playground.", { id: "preset-not-found" });
  }, [presetNotFound]);

  const storedFailure = storedRequest && !storedRequest.loaded ? storedRequest.message : null;
  React.useEffect(() => {
    if (storedFailure) toast.error(storedFailure, { id: "stored-request" });
  }, [storedFailure]);
  const [noticeDismissed, setNoticeDismissed] = React.useState(false);

  // Streams end with the page.
  React.useEffect(() => {
    return () => {
      for (const c of controllers.values()) c.abort();
    };
  }, [controllers]);

  // ---- derived ----
  const compare = threads.length > 1;
  // Compare columns need the width: their shared settings move into the sheet.
  const sidePanel = wide && !compare;
  const main = threads[0];
  const busy = running.size > 0;
  const modelOf = (id: string) => models.find((m) => m.id === id);
  const mainModel = modelOf(main.model);
  const visionOk = threads.every((t) => modelOf(t.model)?.capabilities.includes("vision"));
  const vision = {
    enabled: visionOk,
    reason: compare
      ? "Every column's model must accept images to attach one."
      : `${main.model || "This model"} does not accept images. Choose a model with vision to attach one.`,
  };

  const composerMessage: PlaygroundMessage | null =
    composer.text.trim() || composer.images.length ? { role: "user", content: composer.text, ...(composer.images.length ? { images: composer.images } : {}) } : null;

  const specFor = (thread: Thread, items: ConversationItem[]): RequestSpec => ({
    model: thread.model,
    system,
    messages: sendableMessages(items),
    parameters: thread.parameters,
    responseFormat,
    tools,
    toolChoice,
    parallelToolCalls,
  });

  /** Why Run is disabled (null: it is not), checked against what Run would send. */
  const runBlockedReason = (extra: PlaygroundMessage | null): string | null => {
    if (archived) return "This project is archived.";
    if (busy) return "Wait for the current answer, or stop it.";
    for (const t of threads) {
      const info = modelOf(t.model);
      if (!info) return compare ? "A column's model is not available to this project." : "Choose a model this project can use.";
      const items = extra ? [...t.items, { id: "", message: extra }] : t.items;
      const spec = specFor(t, items);
      const built = buildRequestBody(spec, { stream: true });
      if (!built.ok) return built.error;
      const problem = conversationProblem(spec.messages, info);
      if (problem) return problem;
    }
    return null;
  };
  const runReason = runBlockedReason(composerMessage);
  // For re-running from a message: the same checks without the composer.
  const rerunReason = archived ? "This project is archived." : busy ? "Wait for the current answer, or stop it." : null;

  // ---- running ----
  const updateThread = (threadId: string, fn: (t: Thread) => Thread) => setThreads((ts) => ts.map((t) => (t.id === threadId ? fn(t) : t)));

  const runThread = async (thread: Thread, baseItems: ConversationItem[]) => {
    const info = modelOf(thread.model);
    const spec = specFor(thread, baseItems);
    const built = buildRequestBody(spec, { stream: true });
    const problem = built.ok ? conversationProblem(spec.messages, info) : built.error;
    if (!built.ok || problem) {
      toast.error(problem ?? "The request cannot be sent.");
      return;
    }
    const itemId = newId();
    const pending: ConversationItem = {
      id: itemId,
      message: { role: "assistant", content: "" },
      run: { status: "streaming", stats: null, error: null },
    };
    updateThread(thread.id, (t) => ({ ...t, items: [...baseItems, pending] }));
    const controller = new AbortController();
    controllers.set(thread.id, controller);
    setRunning((r) => new Set(r).add(thread.id));

    const messageOf = (s: StreamSnapshot): PlaygroundMessage => ({
      role: "assistant",
      content: s.toolCalls.length && !s.content ? null : s.content,
      ...(s.toolCalls.length ? { tool_calls: s.toolCalls } : {}),
    });
    const setItem = (fn: (it: ConversationItem) => ConversationItem) =>
      updateThread(thread.id, (t) => ({ ...t, items: t.items.map((it) => (it.id === itemId ? fn(it) : it)) }));

    // Render at most once per frame, however fast tokens arrive.
    let frame = 0;
    let latest: StreamSnapshot | null = null;
    const flush = () => {
      frame = 0;
      const s = latest;
      latest = null;
      if (s) setItem((it) => ({ ...it, message: messageOf(s) }));
    };
    const result = await streamChatCompletion({
      url: chatUrl(projectId),
      body: built.body,
      signal: controller.signal,
      onUpdate: (s) => {
        latest = s;
        if (!frame) frame = requestAnimationFrame(flush);
      },
    });
    if (frame) cancelAnimationFrame(frame);
    const stats: RunStats = {
      model: thread.model,
      requestId: result.requestId,
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      latencyMs: result.latencyMs,
      ttftMs: result.ttftMs,
      costNanos: costNanos(info, result.promptTokens, result.completionTokens),
      finishReason: result.finishReason,
    };
    setItem((it) => ({ ...it, message: messageOf(result), run: { status: result.status, stats, error: result.error } }));
    if (controllers.get(thread.id) === controller) controllers.delete(thread.id);
    setRunning((r) => {
      const next = new Set(r);
      next.delete(thread.id);
      return next;
    });
  };

  const run = () => {
    if (runReason) {
      toast.error(runReason);
      return;
    }
    const added = composerMessage;
    setComposer(EMPTY_COMPOSER);
    for (const t of threads) {
      const base = added ? [...t.items, { id: newId(), message: added }] : t.items;
      void runThread(t, base);
    }
  };

  const stop = () => abortAll();

  /** Adds the composer's text as a user message without running. */
  const addComposerMessage = () => {
    if (!composerMessage) return;
    const m = composerMessage;
    setThreads((ts) => ts.map((t) => ({ ...t, items: [...t.items, { id: newId(), message: m }] })));
    setComposer(EMPTY_COMPOSER);
  };

  const addAssistantMessage = () =>
    setThreads((ts) => ts.map((t) => ({ ...t, items: [...t.items, { id: newId(), message: { role: "assistant", content: "" } }] })));

  const handlersFor = (thread: Thread): ConversationHandlers => ({
    onChange: (itemId, message) =>
      updateThread(thread.id, (t) => ({ ...t, items: t.items.map((it) => (it.id === itemId ? { ...it, message } : it)) })),
    onDelete: (itemId) => updateThread(thread.id, (t) => ({ ...t, items: t.items.filter((it) => it.id !== itemId) })),
    onRerun: (itemId) => {
      if (rerunReason) return;
      const i = thread.items.findIndex((it) => it.id === itemId);
      if (i < 0) return;
      // An answer is regenerated; from a user or tool message, the reply to it is.
      const keep = thread.items[i].message.role === "assistant" ? i : i + 1;
      void runThread(thread, thread.items.slice(0, keep));
    },
    onSubmitToolOutputs: (itemId, outputs) => {
      if (rerunReason) return;
      const i = thread.items.findIndex((it) => it.id === itemId);
      if (i < 0) return;
      let end = i + 1;
      while (end < thread.items.length && thread.items[end].message.role === "tool") end++;
      const added: ConversationItem[] = Object.entries(outputs).map(([id, content]) => ({
        id: newId(),
        message: { role: "tool", tool_call_id: id, content },
      }));
      void runThread(thread, [...thread.items.slice(0, end), ...added]);
    },
  });

  // ---- compare ----
  const setCompare = (on: boolean) => {
    if (on === compare || busy) return;
    if (on) setThreads([main, { ...main, id: newId(), items: cloneItems(main.items) }]);
    else setThreads([main]);
  };
  const addColumn = () => {
    if (threads.length >= MAX_COLUMNS || busy) return;
    setThreads((ts) => [...ts, { ...ts[0], id: newId(), items: cloneItems(ts[0].items) }]);
  };

  const clearConversation = () => {
    if (busy) return;
    setThreads((ts) => ts.map((t) => ({ ...t, items: [] })));
  };

  // ---- presets ----
  const getConfig = (): PlaygroundConfig => ({
    version: 1,
    model: main.model,
    system,
    messages: sendableMessages(main.items),
    parameters: main.parameters,
    responseFormat,
    tools,
    toolChoice,
    parallelToolCalls,
  });

  const presetUrl = (presetId: string | null) => {
    const url = new URL(window.location.href);
    if (presetId) url.searchParams.set("preset", presetId);
    else url.searchParams.delete("preset");
    // A preset replaces the request the page was opened with.
    url.searchParams.delete("request");
    return url.pathname + url.search;
  };
  // Next.js keeps its router in step with history.pushState/replaceState (given no state of its
  // own); no navigation happens, so the conversation and its runs stay.
  const setPresetInUrl = (presetId: string | null) => window.history.replaceState(null, "", presetUrl(presetId));

  const loadPreset = (p: PresetSummary) => {
    abortAll();
    setLoadingPresetId(p.id);
    // The config comes from the page (server) through the preset's link. A refresh, rather than
    // a navigation, so the router cannot answer from a page it rendered earlier for that link.
    window.history.pushState(null, "", presetUrl(p.id));
    router.refresh();
  };

  // ---- keyboard: Ctrl/Cmd+Enter runs, Esc stops ----
  const onKey = React.useEffectEvent((e: KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
      // Inside a dialog (function editor, preset name) Enter belongs to that dialog.
      if ((e.target as HTMLElement | null)?.closest?.('[role="dialog"]')) return;
      e.preventDefault();
      if (!busy) run();
    } else if (e.key === "Escape" && busy) {
      if (document.querySelector('[role="dialog"], [role="menu"]')) return; // Esc closes those first
      e.preventDefault();
      stop();
    }
  });
  React.useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  // Follow the answer while it streams, unless the reader scrolled up.
  const lastLength = threads.reduce((n, t) => n + t.items.length + (t.items.at(-1)?.message.content?.length ?? 0), 0);
  React.useEffect(() => {
    const el = scrollRef.current;
    if (!el || !busy) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < 160) el.scrollTop = el.scrollHeight;
  }, [lastLength, busy]);

  const addComposerImages = React.useCallback((urls: string[]) => setComposer((c) => ({ ...c, images: [...c.images, ...urls] })), []);
  const onComposerPaste = usePasteImages(vision.enabled, addComposerImages);

  // ---- panel (side on desktop, sheet on phones) ----
  const panel = (
    <div className="grid grid-cols-1 gap-6" key={generation}>
      {compare ? (
        <p className="rounded-md border border-dashed px-3 py-2.5 text-xs text-muted-foreground">
          Each column has its own model and parameters: use the sliders button on a column. The settings below apply to every column.
        </p>
      ) : (
        <PanelSection title="Parameters">
          <ParametersFields
            idPrefix="main"
            value={main.parameters}
            onChange={(p) => updateThread(main.id, (t) => ({ ...t, parameters: p }))}
            model={mainModel}
          />
        </PanelSection>
      )}
      <Separator />
      <PanelSection title="Output">
        <ResponseFormatField value={responseFormat} onChange={setResponseFormat} model={compare ? undefined : mainModel} />
      </PanelSection>
      <Separator />
      <PanelSection title="Tools">
        <FunctionsSection
          tools={tools}
          onToolsChange={(next, choice) => {
            setTools(next);
            setToolChoice(choice);
          }}
          toolChoice={toolChoice}
          onToolChoiceChange={setToolChoice}
          parallelToolCalls={parallelToolCalls}
          onParallelToolCallsChange={setParallelToolCalls}
          model={compare ? undefined : mainModel}
        />
      </PanelSection>
    </div>
  );

  const viewCodeSpecs = threads.map((t, i) => ({
    label: compare ? `${i + 1}: ${t.model}` : t.model,
    spec: specFor(t, composerMessage ? [...t.items, { id: "", message: composerMessage }] : t.items),
  }));
  const empty = threads.every((t) => t.items.length === 0);

  const notice = storedRequest && !noticeDismissed && (
    <div
      role={storedRequest.loaded ? "status" : "alert"}
      className={cn(
        "flex items-start gap-3 rounded-lg border px-3 py-2.5 text-sm",
        storedRequest.loaded ? "bg-muted/40" : "border-destructive/30 bg-destructive/10",
      )}
      data-testid="stored-request-notice"
      data-loaded={storedRequest.loaded}
    >
      {storedRequest.loaded ? (
        <History className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
      ) : (
        <CircleAlert className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden="true" />
      )}
      <div className="grid min-w-0 flex-1 gap-1">
        {storedRequest.loaded ? (
          <p>
            Opened from request <span className="font-mono text-[13px] break-all">{storedRequest.requestId}</span>: its messages, model and
            settings are below. Run it again or change it.
          </p>
        ) : (
          <p className="text-foreground">{storedRequest.message}</p>
        )}
        {storedRequest.notes.length > 0 && (
          <ul className="list-disc pl-4 text-xs text-muted-foreground" data-testid="stored-request-notes">
            {storedRequest.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
        {orgId && (
          <Link
            href={`/orgs/${encodeURIComponent(orgId)}/requests?id=${encodeURIComponent(storedRequest.requestId)}`}
            className="justify-self-start text-xs font-medium underline underline-offset-4"
          >
            {storedRequest.loaded ? "View it in the request log" : "Open the request log"}
          </Link>
        )}
      </div>
      <Button variant="ghost" size="icon-sm" className="-my-1 -mr-1 size-7" onClick={() => setNoticeDismissed(true)} aria-label="Dismiss">
        <X aria-hidden="true" />
      </Button>
    </div>
  );

  const page = (
    <div className="flex flex-col gap-4 lg:h-[calc(100dvh-7.5rem)]" data-testid="playground">
      {/* Header */}
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="mr-auto text-xl font-semibold tracking-tight sm:text-2xl">Playground</h1>
        <PresetsMenu
          projectId={projectId}
          presets={presets}
          current={currentPreset}
          canManageAll={canManagePresets}
          actions={actions}
          getConfig={getConfig}
          onLoad={loadPreset}
          onSaved={(p) => {
            if (!p) return;
            setPresets((list) => [p, ...list.filter((x) => x.id !== p.id)]);
            setCurrentPreset(p);
            setPresetInUrl(p.id);
          }}
          onRenamed={(p) => {
            setPresets((list) => list.map((x) => (x.id === p.id ? { ...x, ...p } : x)));
            setCurrentPreset((c) => (c?.id === p.id ? { ...c, ...p } : c));
          }}
          onDeleted={(id) => {
            setPresets((list) => list.filter((x) => x.id !== id));
            if (currentPreset?.id === id) {
              setCurrentPreset(null);
              setPresetInUrl(null);
            }
          }}
        />
        <div className="flex h-8 items-center gap-2 rounded-md border px-2.5">
          <Switch id="compare-toggle" checked={compare} onCheckedChange={setCompare} disabled={busy} data-testid="compare-toggle" />
          <label htmlFor="compare-toggle" className="flex items-center gap-1.5 text-[13px] font-medium">
            <Columns2 className="size-4 text-muted-foreground" aria-hidden="true" />
            <span className="max-sm:sr-only">Compare</span>
          </label>
        </div>
        <ViewCodeDialog specs={viewCodeSpecs} />
        <Tooltip content={busy ? "Stop the answer first" : empty ? "Nothing to clear" : null}>
          <Button variant="ghost" size="sm" onClick={clearConversation} disabled={busy || empty} data-testid="clear-conversation">
            <Eraser aria-hidden="true" />
            <span className="max-sm:sr-only">Clear</span>
          </Button>
        </Tooltip>
        {!sidePanel && (
          <Button variant="outline" size="sm" onClick={() => setPanelOpen(true)} data-testid="open-parameters">
            <SlidersHorizontal aria-hidden="true" />
            {compare ? "Shared settings" : "Parameters"}
          </Button>
        )}
      </div>

      {notice}

      <div className={cn("grid min-h-0 flex-1 grid-cols-1 gap-6", sidePanel && "lg:grid-cols-[minmax(0,1fr)_19rem]")}>
        {/* Chat */}
        <section className="flex min-h-0 min-w-0 flex-col gap-3" aria-label="Conversation">
          <div className="flex flex-wrap items-start gap-3">
            {!compare && (
              <ModelPicker
                id="playground-model"
                models={models}
                value={main.model}
                onChange={(m) => updateThread(main.id, (t) => ({ ...t, model: m }))}
                disabled={busy}
                className="min-w-56 flex-1"
              />
            )}
            {compare && (
              <Button variant="outline" size="sm" onClick={addColumn} disabled={busy || threads.length >= MAX_COLUMNS} data-testid="add-column">
                <Plus aria-hidden="true" />
                Add column
              </Button>
            )}
            <SegmentedControl
              name="render-mode"
              label="Show answers as"
              size="sm"
              options={[
                { value: "markdown", label: "Markdown", testId: "render-markdown" },
                { value: "raw", label: "Raw", testId: "render-raw" },
              ]}
              value={renderMode}
              onValueChange={setRenderMode}
              className={cn(compare && "ml-auto")}
            />
          </div>

          <div className="grid grid-cols-1 gap-1.5">
            <label htmlFor="system-message" className="text-[11px] font-semibold tracking-wider text-muted-foreground uppercase">
              System message
            </label>
            <Textarea
              id="system-message"
              value={system}
              onChange={(e) => setSystem(e.target.value)}
              placeholder="You are a helpful assistant…"
              data-testid="system-message"
              className="max-h-40 min-h-10 text-sm"
            />
          </div>

          <div
            ref={scrollRef}
            className={cn(
              "min-h-40 flex-1 rounded-xl border bg-background lg:min-h-0",
              compare ? "overflow-y-auto lg:overflow-hidden" : "overflow-y-auto",
            )}
            data-testid="conversation-scroll"
          >
            {empty && !compare ? (
              <div className="flex h-full min-h-40 flex-col items-center justify-center gap-2 px-6 py-10 text-center" data-testid="playground-empty">
                <MessageSquarePlus className="size-6 text-muted-foreground" aria-hidden="true" />
                <p className="text-sm font-medium">Enter a message to start</p>
                <p className="text-xs text-muted-foreground">
                  Type below and press <kbd className="rounded border bg-muted px-1 font-mono text-[11px]">Ctrl</kbd> +{" "}
                  <kbd className="rounded border bg-muted px-1 font-mono text-[11px]">Enter</kbd> (
                  <kbd className="rounded border bg-muted px-1 font-mono text-[11px]">⌘</kbd> +{" "}
                  <kbd className="rounded border bg-muted px-1 font-mono text-[11px]">Enter</kbd> on a Mac) to run.
                </p>
              </div>
            ) : compare ? (
              <div
                className={cn("grid grid-cols-1 gap-3 p-3 lg:h-full", threads.length === 2 ? "md:grid-cols-2" : "md:grid-cols-2 xl:grid-cols-3")}
                data-testid="compare-columns"
              >
                {threads.map((t, i) => (
                  <CompareColumn
                    key={t.id}
                    index={i}
                    models={models}
                    model={t.model}
                    parameters={t.parameters}
                    items={t.items}
                    streaming={running.has(t.id)}
                    busy={busy}
                    runBlockedReason={rerunReason}
                    renderMode={renderMode}
                    vision={vision}
                    handlers={handlersFor(t)}
                    canRemove={threads.length > 2}
                    onModelChange={(m) => updateThread(t.id, (x) => ({ ...x, model: m }))}
                    onParametersChange={(p) => updateThread(t.id, (x) => ({ ...x, parameters: p }))}
                    onRemove={() => setThreads((ts) => ts.filter((x) => x.id !== t.id))}
                    onKeepOnly={() => setThreads((ts) => ts.filter((x) => x.id === t.id))}
                  />
                ))}
              </div>
            ) : (
              <Conversation
                items={main.items}
                renderMode={renderMode}
                streaming={running.has(main.id)}
                runBlockedReason={rerunReason}
                vision={vision}
                handlers={handlersFor(main)}
                className="p-2"
              />
            )}
          </div>

          {/* Composer */}
          <div className="sticky bottom-0 z-10 grid grid-cols-1 gap-2 rounded-xl border bg-background p-2 shadow-xs lg:static" data-testid="composer">
            <Textarea
              value={composer.text}
              onChange={(e) => setComposer((c) => ({ ...c, text: e.target.value }))}
              onPaste={onComposerPaste}
              placeholder={compare ? "Enter a user message for every column…" : "Enter a user message…"}
              aria-label="New user message"
              data-testid="composer-input"
              className="max-h-48 min-h-12 resize-none border-0 bg-transparent shadow-none focus-visible:ring-0 dark:bg-transparent"
            />
            <ImageThumbnails images={composer.images} onRemove={(i) => setComposer((c) => ({ ...c, images: c.images.filter((_, j) => j !== i) }))} />
            <div className="flex flex-wrap items-center gap-1.5">
              <AttachImageButton enabled={vision.enabled} disabledReason={vision.reason} onAdd={addComposerImages} />
              <Tooltip content={composerMessage ? null : "Type a message first"}>
                <Button variant="ghost" size="sm" onClick={addComposerMessage} disabled={!composerMessage} data-testid="add-message">
                  <CornerDownLeft aria-hidden="true" />
                  Add
                </Button>
              </Tooltip>
              <Button variant="ghost" size="sm" onClick={addAssistantMessage} disabled={busy} data-testid="add-assistant-message" title="Add an assistant message, e.g. an example answer">
                <Plus aria-hidden="true" />
                <span className="max-sm:sr-only">Assistant message</span>
              </Button>
              <div className="ml-auto flex items-center gap-2">
                {busy ? (
                  <Button variant="outline" size="sm" onClick={stop} data-testid="stop-button" title="Stop (Esc)">
                    <Square className="fill-current" aria-hidden="true" />
                    Stop
                  </Button>
                ) : (
                  <Button size="sm" onClick={run} disabled={!!runReason} data-testid="run-button" title="Run (Ctrl+Enter)">
                    <Play aria-hidden="true" />
                    Run
                    <kbd className="ml-1 hidden rounded bg-primary-foreground/15 px-1 font-mono text-[10px] sm:inline">Ctrl ↵</kbd>
                  </Button>
                )}
              </div>
            </div>
            {!busy && runReason && (
              <p className="px-1 text-right text-xs text-balance text-muted-foreground" data-testid="run-disabled-reason">
                {runReason}
              </p>
            )}
          </div>
        </section>

        {/* Parameters */}
        {sidePanel && (
          <aside className="min-h-0 overflow-y-auto rounded-xl border bg-card p-4" aria-label="Parameters" data-testid="parameters-panel">
            {panel}
          </aside>
        )}
      </div>

      {!sidePanel && (
        <Sheet open={panelOpen} onOpenChange={setPanelOpen}>
          <SheetContent side="right" className="w-[22rem] max-w-[92vw]" data-testid="parameters-sheet">
            <SheetHeader className="border-b">
              <SheetTitle>{compare ? "Shared settings" : "Parameters"}</SheetTitle>
              <SheetDescription className="sr-only">Model parameters, response format and functions</SheetDescription>
            </SheetHeader>
            <div className="flex-1 overflow-y-auto p-4" data-testid="parameters-panel">
              {panel}
            </div>
          </SheetContent>
        </Sheet>
      )}
    </div>
  );
  // Request ids under answers link to the organization's request log.
  return <RequestLogOrg value={orgId ?? null}>{page}</RequestLogOrg>;
}

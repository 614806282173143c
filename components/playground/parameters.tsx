"use client";

import * as React from "react";
import { X } from "lucide-react";
import type { PlaygroundModel } from "@/lib/playground/models";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SliderField } from "./controls";
import { MAX_STOP_SEQUENCES, type PlaygroundParameters } from "./types";

// Sampling parameters: the same fields serve the side panel and each compare column.

function IntegerField({
  id,
  label,
  value,
  onChange,
  min,
  max,
  placeholder,
  hint,
  testId,
}: {
  id: string;
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  min?: number;
  max?: number;
  placeholder: string;
  hint?: string;
  testId: string;
}) {
  // The typed text is kept while it is not a valid integer, so the error can say why.
  const [draft, setDraft] = React.useState<string | null>(null);
  const text = draft ?? (value === null ? "" : String(value));
  let error: string | null = null;
  if (draft !== null && draft.trim() !== "") {
    const n = Number(draft);
    if (!Number.isInteger(n)) error = "Enter a whole number.";
    else if (min !== undefined && n < min) error = `At least ${min.toLocaleString("en-US")}.`;
    else if (max !== undefined && n > max) error = `At most ${max.toLocaleString("en-US")}.`;
  }
  return (
    <div className="grid grid-cols-1 gap-2">
      <Label htmlFor={id} className="text-[13px] font-normal text-muted-foreground">
        {label}
      </Label>
      <Input
        id={id}
        inputMode="numeric"
        value={text}
        placeholder={placeholder}
        aria-invalid={!!error || undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const t = e.target.value;
          setDraft(t);
          if (t.trim() === "") return onChange(null);
          const n = Number(t);
          if (Number.isInteger(n) && (min === undefined || n >= min) && (max === undefined || n <= max)) onChange(n);
        }}
        onBlur={() => {
          if (!error) setDraft(null);
        }}
        data-testid={testId}
        className="h-8 font-mono text-xs"
      />
      {error ? (
        <FieldError id={`${id}-error`} errors={error} />
      ) : (
        hint && (
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

function StopSequences({ id, value, onChange }: { id: string; value: string[]; onChange: (v: string[]) => void }) {
  const [draft, setDraft] = React.useState("");
  const full = value.length >= MAX_STOP_SEQUENCES;
  const add = () => {
    // Escapes typed as text ("\n") are what people mean when they type them here.
    const seq = draft.replace(/\\n/g, "\n").replace(/\\t/g, "\t");
    if (!seq || full || value.includes(seq)) return;
    onChange([...value, seq]);
    setDraft("");
  };
  return (
    <div className="grid grid-cols-1 gap-2">
      <Label htmlFor={id} className="text-[13px] font-normal text-muted-foreground">
        Stop sequences
      </Label>
      {value.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" data-testid="stop-sequences">
          {value.map((s) => (
            <li key={s} className="inline-flex max-w-full items-center gap-1 rounded-md border bg-muted/60 py-0.5 pr-0.5 pl-2 font-mono text-xs">
              <span className="truncate">{JSON.stringify(s).slice(1, -1)}</span>
              <button
                type="button"
                aria-label={`Remove stop sequence ${JSON.stringify(s)}`}
                onClick={() => onChange(value.filter((v) => v !== s))}
                className="inline-flex size-5 items-center justify-center rounded text-muted-foreground hover:bg-accent hover:text-foreground"
              >
                <X className="size-3" aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="flex gap-2">
        <Input
          id={id}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              add();
            }
          }}
          disabled={full}
          placeholder={full ? `Up to ${MAX_STOP_SEQUENCES} sequences` : "Type and press Enter"}
          data-testid="stop-input"
          className="h-8 font-mono text-xs"
        />
        <Button type="button" variant="outline" size="sm" onClick={add} disabled={full || !draft} data-testid="stop-add">
          Add
        </Button>
      </div>
    </div>
  );
}

export function ParametersFields({
  idPrefix,
  value,
  onChange,
  model,
}: {
  idPrefix: string;
  value: PlaygroundParameters;
  onChange: (next: PlaygroundParameters) => void;
  model: PlaygroundModel | undefined;
}) {
  const set = <K extends keyof PlaygroundParameters>(key: K, v: PlaygroundParameters[K]) => onChange({ ...value, [key]: v });
  return (
    <div className="grid grid-cols-1 gap-5">
      <SliderField
        id={`${idPrefix}-temperature`}
        label="Temperature"
        value={value.temperature}
        onChange={(v) => set("temperature", v)}
        min={0}
        max={2}
        step={0.01}
        hint="Higher values make the output more random, lower values more focused and deterministic."
        testId="param-temperature"
      />
      <IntegerField
        id={`${idPrefix}-max-tokens`}
        label="Max output tokens"
        value={value.maxCompletionTokens}
        onChange={(v) => set("maxCompletionTokens", v)}
        min={1}
        max={model?.contextWindow ?? undefined}
        placeholder="Model default"
        hint={model?.contextWindow ? `The prompt and the answer share ${model.contextWindow.toLocaleString("en-US")} tokens of context.` : undefined}
        testId="param-max-tokens"
      />
      <SliderField
        id={`${idPrefix}-top-p`}
        label="Top P"
        value={value.topP}
        onChange={(v) => set("topP", v)}
        min={0}
        max={1}
        step={0.01}
        hint="Sample only from the tokens making up this probability mass."
        testId="param-top-p"
      />
      <SliderField
        id={`${idPrefix}-frequency`}
        label="Frequency penalty"
        value={value.frequencyPenalty}
        onChange={(v) => set("frequencyPenalty", v)}
        min={-2}
        max={2}
        step={0.01}
        testId="param-frequency-penalty"
      />
      <SliderField
        id={`${idPrefix}-presence`}
        label="Presence penalty"
        value={value.presencePenalty}
        onChange={(v) => set("presencePenalty", v)}
        min={-2}
        max={2}
        step={0.01}
        testId="param-presence-penalty"
      />
      <IntegerField
        id={`${idPrefix}-seed`}
        label="Seed"
        value={value.seed}
        onChange={(v) => set("seed", v)}
        min={Number.MIN_SAFE_INTEGER}
        max={Number.MAX_SAFE_INTEGER}
        placeholder="Random"
        hint="The same seed and parameters repeat the same answer where the model supports it."
        testId="param-seed"
      />
      <StopSequences id={`${idPrefix}-stop`} value={value.stop} onChange={(v) => set("stop", v)} />
    </div>
  );
}

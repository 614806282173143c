"use client";

import * as React from "react";
import type { PlaygroundModel } from "@/lib/playground/models";
import { cn } from "@/lib/utils";
import { Badge } from "@/components/ui/badge";
import { Select } from "@/components/ui/select";
import { CAPABILITY_LABELS, formatContext, formatPrice, modelOptionLabel } from "./format";

/** The model select (native, so it works on phones and in tests) and the chosen model's facts. */
export function ModelPicker({
  id,
  models,
  value,
  onChange,
  disabled,
  compact,
  testId = "model-select",
  className,
}: {
  id: string;
  models: PlaygroundModel[];
  value: string;
  onChange: (model: string) => void;
  disabled?: boolean;
  /** Compare columns: the facts go in one short line. */
  compact?: boolean;
  testId?: string;
  className?: string;
}) {
  const model = models.find((m) => m.id === value);
  return (
    <div className={cn("grid min-w-0 grid-cols-1 gap-1.5", className)}>
      <label htmlFor={id} className="sr-only">
        Model
      </label>
      <Select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
        data-testid={testId}
        className={cn("font-mono text-[13px]", compact && "h-8")}
      >
        {/* A preset may name a model this project can no longer use: keep it visible. */}
        {!model && <option value={value}>{value || "Choose a model"} (not available)</option>}
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {modelOptionLabel(m)}
          </option>
        ))}
      </Select>
      {model ? (
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground" data-testid="model-details">
          {!compact && <span>{model.provider}</span>}
          <span>{formatContext(model.contextWindow)}</span>
          <span title="Dollars per 1M input / output tokens">
            {formatPrice(model.inputPricePerMTok)} in · {formatPrice(model.outputPricePerMTok)} out /1M
          </span>
          {!compact &&
            model.capabilities
              .filter((c) => c !== "chat")
              .map((c) => (
                <Badge key={c} variant="muted" className="px-1.5 py-0 text-[11px]">
                  {CAPABILITY_LABELS[c] ?? c}
                </Badge>
              ))}
        </div>
      ) : (
        <p className="text-xs text-destructive">This project cannot use this model. Choose another one.</p>
      )}
    </div>
  );
}

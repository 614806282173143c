"use client";

import * as React from "react";
import { Pencil, Plus, Trash2, Wrench } from "lucide-react";
import type { PlaygroundModel } from "@/lib/playground/models";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { Switch } from "./controls";
import { JsonEditor } from "./response-format";
import { checkFunctionParameters, checkName, FUNCTION_EXAMPLES } from "./schema-check";
import type { FunctionConfig, ToolChoiceConfig } from "./types";

// The Functions section: function tools, tool_choice and parallel_tool_calls.

function FunctionDialog({
  open,
  onOpenChange,
  initial,
  otherNames,
  onSave,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  initial: FunctionConfig | null;
  otherNames: string[];
  onSave: (fn: FunctionConfig) => void;
}) {
  const [name, setName] = React.useState(initial?.name ?? "");
  const [description, setDescription] = React.useState(initial?.description ?? "");
  const [parameters, setParameters] = React.useState(initial?.parameters ?? "");
  const [strict, setStrict] = React.useState(initial?.strict ?? false);
  const [nameTouched, setNameTouched] = React.useState(false);

  const nameError = checkName(name, "The name") ?? (otherNames.includes(name) ? `Another function is already named "${name}".` : null);
  const paramsCheck = React.useMemo(() => checkFunctionParameters(parameters), [parameters]);
  const valid = !nameError && paramsCheck.ok;

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-2xl" data-testid="function-dialog">
        <form
          className="grid grid-cols-1 gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!valid) return;
            onSave({ name, description, parameters, ...(strict ? { strict: true } : {}) });
          }}
        >
          <DialogHeader>
            <DialogTitle>{initial ? "Edit function" : "Add function"}</DialogTitle>
            <DialogDescription>The model can answer with a call to this function; you then give it the function&apos;s output.</DialogDescription>
          </DialogHeader>
          <div className="grid grid-cols-1 gap-2">
            <Label htmlFor="function-name">Name</Label>
            <Input
              id="function-name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              onBlur={() => setNameTouched(true)}
              placeholder="get_weather"
              autoComplete="off"
              spellCheck={false}
              aria-invalid={(nameTouched && !!nameError) || undefined}
              aria-describedby="function-name-error"
              data-testid="function-name-input"
              className="font-mono"
            />
            {nameTouched && <FieldError id="function-name-error" errors={nameError} data-testid="function-name-error" />}
          </div>
          <div className="grid grid-cols-1 gap-2">
            <Label htmlFor="function-description">Description</Label>
            <Textarea
              id="function-description"
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              placeholder="What the function does and when to call it"
              data-testid="function-description-input"
              className="max-h-32"
            />
          </div>
          <JsonEditor
            id="function-parameters"
            label="Parameters (JSON schema)"
            value={parameters}
            onChange={setParameters}
            check={paramsCheck}
            placeholder={'{\n  "type": "object",\n  "properties": { … },\n  "required": [ … ]\n}'}
            examples={FUNCTION_EXAMPLES.map((ex) => ({
              label: ex.label,
              onPick: () => {
                setName(ex.name);
                setDescription(ex.description);
                setParameters(ex.parameters);
                setStrict(ex.strict);
              },
            }))}
            testId="function-parameters-editor"
            rows={10}
            emptyHint="Empty: the function takes no parameters. Pick an example to start from one."
          />
          <div className="flex items-center gap-3">
            <Switch id="function-strict" checked={strict} onCheckedChange={setStrict} data-testid="function-strict" />
            <Label htmlFor="function-strict" className="font-normal">
              Strict: arguments always follow the schema exactly
            </Label>
          </div>
          <DialogFooter className="items-center">
            {!valid && (
              <p className="mr-auto text-xs text-muted-foreground" data-testid="function-save-reason">
                {nameError ?? (!paramsCheck.ok ? "Fix the parameters schema to save." : null)}
              </p>
            )}
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!valid} data-testid="function-save">
              {initial ? "Save" : "Add"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function FunctionsSection({
  tools,
  onToolsChange,
  toolChoice,
  onToolChoiceChange,
  parallelToolCalls,
  onParallelToolCallsChange,
  model,
}: {
  tools: FunctionConfig[];
  onToolsChange: (tools: FunctionConfig[], toolChoice: ToolChoiceConfig) => void;
  toolChoice: ToolChoiceConfig;
  onToolChoiceChange: (choice: ToolChoiceConfig) => void;
  parallelToolCalls: boolean;
  onParallelToolCallsChange: (on: boolean) => void;
  model: PlaygroundModel | undefined;
}) {
  // null: closed; -1: adding; i: editing tools[i]. The key remounts the form per opening.
  const [editing, setEditing] = React.useState<number | null>(null);
  const [openCount, setOpenCount] = React.useState(0);
  const open = (i: number) => {
    setEditing(i);
    setOpenCount((n) => n + 1);
  };

  const save = (fn: FunctionConfig) => {
    if (editing === null) return;
    const next = editing === -1 ? [...tools, fn] : tools.map((t, i) => (i === editing ? fn : t));
    // A named tool_choice follows its function's rename.
    let choice = toolChoice;
    if (editing >= 0 && typeof choice === "object" && choice.function === tools[editing].name) choice = { function: fn.name };
    onToolsChange(next, choice);
    setEditing(null);
  };
  const remove = (i: number) => {
    const removed = tools[i];
    const next = tools.filter((_, j) => j !== i);
    const choice = typeof toolChoice === "object" && toolChoice.function === removed.name ? "auto" : next.length ? toolChoice : "auto";
    onToolsChange(next, choice);
  };

  const choiceValue = typeof toolChoice === "object" ? `fn:${toolChoice.function}` : toolChoice;
  const unsupported = tools.length > 0 && model && !model.capabilities.includes("tools");

  return (
    <div className="grid grid-cols-1 gap-3" data-testid="functions-section">
      <div className="flex items-center justify-between gap-2">
        <span className="text-[13px] text-muted-foreground">Functions</span>
        <Button variant="ghost" size="sm" className="h-7 px-2 text-xs" onClick={() => open(-1)} data-testid="add-function">
          <Plus aria-hidden="true" />
          Add
        </Button>
      </div>
      {tools.length === 0 ? (
        <p className="rounded-md border border-dashed px-3 py-2.5 text-xs text-muted-foreground">
          No functions. Add one to let the model answer with tool calls.
        </p>
      ) : (
        <ul className="grid grid-cols-1 gap-1.5">
          {tools.map((t, i) => (
            <li key={`${t.name}-${i}`} className="flex items-center gap-2 rounded-md border px-2.5 py-1.5" data-testid="function-row">
              <Wrench className="size-3.5 shrink-0 text-muted-foreground" aria-hidden="true" />
              <div className="min-w-0 flex-1">
                <p className="truncate font-mono text-xs font-medium">{t.name}</p>
                {t.description && <p className="truncate text-xs text-muted-foreground">{t.description}</p>}
              </div>
              <Button variant="ghost" size="icon-sm" className="size-7" aria-label={`Edit ${t.name}`} onClick={() => open(i)} data-testid="edit-function">
                <Pencil aria-hidden="true" />
              </Button>
              <Button
                variant="ghost"
                size="icon-sm"
                className="size-7 text-muted-foreground hover:text-destructive"
                aria-label={`Delete ${t.name}`}
                onClick={() => remove(i)}
                data-testid="delete-function"
              >
                <Trash2 aria-hidden="true" />
              </Button>
            </li>
          ))}
        </ul>
      )}
      {unsupported && (
        <p className="text-xs text-[oklch(0.5_0.12_65)] dark:text-warning">
          {model?.id} is not listed as supporting tools; the request may be refused.
        </p>
      )}
      {tools.length > 0 && (
        <>
          <div className="grid grid-cols-1 gap-2">
            <Label htmlFor="tool-choice" className="text-[13px] font-normal text-muted-foreground">
              Tool choice
            </Label>
            <Select
              id="tool-choice"
              value={choiceValue}
              onChange={(e) => {
                const v = e.target.value;
                onToolChoiceChange(v.startsWith("fn:") ? { function: v.slice(3) } : (v as "auto" | "none" | "required"));
              }}
              data-testid="tool-choice-select"
              className="h-8 text-xs"
            >
              <option value="auto">auto: the model decides</option>
              <option value="none">none: never call a function</option>
              <option value="required">required: always call one</option>
              {tools.map((t) => (
                <option key={t.name} value={`fn:${t.name}`}>
                  {t.name}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex items-center justify-between gap-3">
            <Label htmlFor="parallel-tool-calls" className="text-[13px] font-normal text-muted-foreground">
              Parallel tool calls
            </Label>
            <Switch
              id="parallel-tool-calls"
              checked={parallelToolCalls}
              onCheckedChange={onParallelToolCallsChange}
              data-testid="parallel-tool-calls-switch"
            />
          </div>
        </>
      )}
      {editing !== null && (
        <FunctionDialog
          key={openCount}
          open
          onOpenChange={(o) => !o && setEditing(null)}
          initial={editing >= 0 ? tools[editing] : null}
          otherNames={tools.filter((_, i) => i !== editing).map((t) => t.name)}
          onSave={save}
        />
      )}
    </div>
  );
}

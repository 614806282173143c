"use client";

import * as React from "react";
import { CircleCheck, ChevronDown } from "lucide-react";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { FieldError } from "@/components/ui/field-error";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";
import { SegmentedControl } from "@/components/projects/segmented-control";
import type { PlaygroundModel } from "@/lib/playground/models";
import { checkResponseSchema, RESPONSE_SCHEMA_EXAMPLES, type Check } from "./schema-check";
import type { ResponseFormatConfig } from "./types";

/** A monospace JSON editor that shows its check's error (or that it is valid) under it. */
export function JsonEditor({
  id,
  label,
  value,
  onChange,
  check,
  placeholder,
  examples,
  testId,
  rows = 10,
  emptyHint,
}: {
  id: string;
  label: React.ReactNode;
  value: string;
  onChange: (value: string) => void;
  check: Check<unknown>;
  placeholder?: string;
  examples?: { label: string; onPick: () => void }[];
  testId: string;
  rows?: number;
  /** Shown instead of "Valid" when the editor is empty and that is allowed. */
  emptyHint?: string;
}) {
  const errorId = `${id}-error`;
  return (
    <div className="grid grid-cols-1 gap-2">
      <div className="flex items-center justify-between gap-2">
        <Label htmlFor={id} className="text-[13px]">
          {label}
        </Label>
        {examples && examples.length > 0 && (
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button variant="ghost" size="sm" className="h-7 px-2 text-xs" data-testid={`${testId}-examples`}>
                Examples
                <ChevronDown aria-hidden="true" />
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end">
              <DropdownMenuLabel>Replace with an example</DropdownMenuLabel>
              {examples.map((ex) => (
                <DropdownMenuItem key={ex.label} onSelect={ex.onPick} className="font-mono text-xs" data-testid={`${testId}-example`}>
                  {ex.label}
                </DropdownMenuItem>
              ))}
            </DropdownMenuContent>
          </DropdownMenu>
        )}
      </div>
      <Textarea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        placeholder={placeholder}
        rows={rows}
        aria-invalid={!check.ok || undefined}
        aria-describedby={errorId}
        data-testid={testId}
        // field-sizing-content would grow without bound on a long schema: cap the height.
        className="max-h-80 min-h-40 field-sizing-fixed resize-y overflow-auto font-mono text-xs leading-relaxed whitespace-pre"
      />
      {check.ok && emptyHint && !value.trim() ? (
        <p id={errorId} className="text-xs text-muted-foreground">
          {emptyHint}
        </p>
      ) : check.ok ? (
        <p id={errorId} className="flex items-center gap-1.5 text-xs text-success" data-testid={`${testId}-valid`}>
          <CircleCheck className="size-3.5" aria-hidden="true" />
          Valid
        </p>
      ) : (
        <FieldError id={errorId} errors={check.error} data-testid={`${testId}-error`} className="text-xs" />
      )}
    </div>
  );
}

const FORMAT_OPTIONS = [
  { value: "text", label: "Text", testId: "response-format-text" },
  { value: "json_object", label: "JSON object", testId: "response-format-json_object" },
  { value: "json_schema", label: "JSON schema", testId: "response-format-json_schema" },
] as const;

export function ResponseFormatField({
  value,
  onChange,
  model,
}: {
  value: ResponseFormatConfig;
  onChange: (next: ResponseFormatConfig) => void;
  model: PlaygroundModel | undefined;
}) {
  // The schema text survives switching to "text" and back within a session.
  const [lastSchema, setLastSchema] = React.useState(value.type === "json_schema" ? value.jsonSchema : "");
  const schemaText = value.type === "json_schema" ? value.jsonSchema : lastSchema;
  const check = React.useMemo(() => checkResponseSchema(schemaText), [schemaText]);
  const setSchema = (text: string) => {
    setLastSchema(text);
    onChange({ type: "json_schema", jsonSchema: text });
  };
  const unsupported = value.type === "json_schema" && model && !model.capabilities.includes("json_schema");
  return (
    <div className="grid grid-cols-1 gap-3">
      <span className="text-[13px] text-muted-foreground" id="response-format-label">
        Response format
      </span>
      <SegmentedControl
        name="response_format"
        labelledBy="response-format-label"
        size="sm"
        options={FORMAT_OPTIONS}
        value={value.type}
        onValueChange={(type) => {
          if (type === "json_schema") onChange({ type, jsonSchema: schemaText || (RESPONSE_SCHEMA_EXAMPLES[0]?.text ?? "") });
          else onChange({ type });
        }}
        className="w-full"
      />
      {value.type === "json_object" && (
        <p className="text-xs text-muted-foreground">The answer is a JSON object. Ask for JSON in your messages, too.</p>
      )}
      {value.type === "json_schema" && (
        <>
          <JsonEditor
            id="response-schema"
            label="JSON schema"
            value={value.jsonSchema}
            onChange={setSchema}
            check={check}
            placeholder={'{\n  "name": "my_schema",\n  "strict": true,\n  "schema": { "type": "object", … }\n}'}
            examples={RESPONSE_SCHEMA_EXAMPLES.map((ex) => ({ label: ex.label, onPick: () => setSchema(ex.text) }))}
            testId="response-schema-editor"
            rows={12}
          />
          <p className={cn("text-xs text-muted-foreground", unsupported && "text-[oklch(0.5_0.12_65)] dark:text-warning")}>
            {unsupported
              ? `${model?.id} is not listed as supporting JSON schemas; the request may be refused.`
              : "An object with name, schema and optionally strict and description."}
          </p>
        </>
      )}
    </div>
  );
}

"use client";

import * as React from "react";
import { FieldError } from "@/components/ui/field-error";
import { SegmentedControl, type SegmentedOption } from "@/components/projects/segmented-control";
import { RESOURCE_LABELS, RESOURCES, type AccessLevel, type Permissions, type Resource } from "@/lib/keys/permissions";

type Mode = Permissions["mode"];

const MODE_OPTIONS: SegmentedOption<Mode>[] = [
  { value: "all", label: "All", testId: "permission-mode-all" },
  { value: "restricted", label: "Restricted", testId: "permission-mode-restricted" },
  { value: "read_only", label: "Read only", testId: "permission-mode-read_only" },
];

const MODE_HELP: Record<Mode, string> = {
  all: "Full access to every resource in this project.",
  restricted: "Choose the access the key has to each resource.",
  read_only: "Read access to every resource; the key cannot create or change anything.",
};

const LEVELS: { value: AccessLevel; label: string }[] = [
  { value: "none", label: "None" },
  { value: "read", label: "Read" },
  { value: "write", label: "Write" },
];

/** Switching to Restricted starts from the smallest useful access: read models, nothing else. */
const RESTRICTED_DEFAULT: Partial<Record<Resource, AccessLevel>> = { models: "read" };

function initialLevels(p: Permissions): Record<Resource, AccessLevel> {
  return Object.fromEntries(
    RESOURCES.map((r) => [r, p.mode === "restricted" ? (p.resources[r] ?? "none") : (RESTRICTED_DEFAULT[r] ?? "none")]),
  ) as Record<Resource, AccessLevel>;
}

/**
 * The Permissions part of the key forms: `mode` (all / restricted / read_only) and, for
 * restricted keys, one `perm_<resource>` field per resource (none / read / write).
 */
export function PermissionsFields({ defaultValue, error }: { defaultValue: Permissions; error?: string }) {
  const uid = React.useId();
  const [mode, setMode] = React.useState<Mode>(defaultValue.mode);
  const [levels, setLevels] = React.useState(() => initialLevels(defaultValue));

  return (
    <fieldset className="grid gap-2.5" aria-describedby={`${uid}-help`}>
      <legend id={`${uid}-legend`} className="mb-2.5 text-sm leading-none font-medium">
        Permissions
      </legend>
      <SegmentedControl
        name="mode"
        labelledBy={`${uid}-legend`}
        options={MODE_OPTIONS}
        value={mode}
        onValueChange={setMode}
        invalid={!!error}
        className="w-full"
      />
      <p id={`${uid}-help`} className="text-[13px] text-muted-foreground">
        {MODE_HELP[mode]}
      </p>
      {mode === "restricted" && (
        <div className="divide-y rounded-lg border" data-testid="restricted-permissions">
          {RESOURCES.map((r) => (
            <div key={r} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-3 py-2">
              <span id={`${uid}-${r}`} className="text-sm">
                {RESOURCE_LABELS[r]}
              </span>
              <SegmentedControl
                name={`perm_${r}`}
                labelledBy={`${uid}-${r}`}
                size="sm"
                options={LEVELS.map((l) => ({
                  value: l.value,
                  label: l.label,
                  ariaLabel: `${RESOURCE_LABELS[r]}: ${l.label}`,
                  testId: `perm-${r}-${l.value}`,
                }))}
                value={levels[r]}
                onValueChange={(v) => setLevels((prev) => ({ ...prev, [r]: v }))}
              />
            </div>
          ))}
        </div>
      )}
      <FieldError errors={error} />
    </fieldset>
  );
}

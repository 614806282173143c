"use client";

import * as React from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import {
  COMMON_ERROR_CODES,
  COMMON_STATUS_CODES,
  hasFilters,
  RANGE_LABELS,
  REQUEST_RANGES,
  requestsHref,
  STATUS_CLASSES,
  STATUS_LABELS,
  type RequestRange,
  type RequestView,
} from "@/lib/requests/params";

export type RequestFilterOption = { value: string; label: string; detail?: string | null };

/**
 * The request log's filters. Every change is a navigation to a new URL (the view lives in the
 * search params, so it can be bookmarked and shared); the server renders the first page.
 */
export function RequestControls({
  basePath,
  view,
  options,
  invalid,
  timeZone,
}: {
  basePath: string;
  view: RequestView;
  options: { projects: RequestFilterOption[]; keys: RequestFilterOption[]; models: RequestFilterOption[] };
  invalid?: ReadonlySet<string>;
  timeZone: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = React.useTransition();
  const [range, setRange] = React.useState<RequestRange>(view.range);
  // The inputs take minutes; a date alone in the URL means the day's start ("from") or its whole day ("to").
  const [from, setFrom] = React.useState(view.from ? (view.from.length === 10 ? `${view.from}T00:00` : view.from.slice(0, 16)) : "");
  const [to, setTo] = React.useState(view.to ? (view.to.length === 10 ? `${view.to}T23:59` : view.to.slice(0, 16)) : "");
  const [code, setCode] = React.useState(view.code ?? "");

  const go = (patch: Partial<RequestView>) => {
    const next = { ...view, ...patch };
    startTransition(() => router.push(requestsHref(basePath, next), { scroll: false }));
  };

  const onRange = (value: RequestRange) => {
    setRange(value);
    // A custom range waits for its dates; presets apply at once.
    if (value !== "custom") go({ range: value, from: undefined, to: undefined });
  };

  const commitCode = () => {
    const next = code.trim();
    if (next !== (view.code ?? "")) go({ code: next || undefined });
  };

  // Values in the URL that the options no longer list stay selectable (and removable).
  const withCurrent = (list: RequestFilterOption[], current: string | undefined) =>
    current && !list.some((o) => o.value === current) ? [...list, { value: current, label: current, detail: "Not found" }] : list;

  const statusOptions: RequestFilterOption[] = [
    ...STATUS_CLASSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
    ...COMMON_STATUS_CODES.map((c) => ({ value: String(c), label: String(c) })),
  ];

  return (
    <div
      role="search"
      aria-label="Request log filters"
      aria-busy={pending || undefined}
      className="space-y-3 rounded-xl border bg-card p-4"
      data-testid="requests-controls"
    >
      <div className="grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end">
        <div className="col-span-2 space-y-1.5 sm:w-44">
          <Label htmlFor="requests-range">Period</Label>
          <Select
            id="requests-range"
            value={range}
            onChange={(e) => onRange(e.target.value as RequestRange)}
            aria-invalid={invalid?.has("range") || undefined}
            data-testid="requests-range-select"
          >
            {REQUEST_RANGES.map((r) => (
              <option key={r} value={r}>
                {RANGE_LABELS[r]}
              </option>
            ))}
          </Select>
        </div>
        {range === "custom" && (
          <form
            className="col-span-2 flex flex-wrap items-end gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              go({ range: "custom", from: from || undefined, to: to || undefined });
            }}
            data-testid="requests-custom-range"
          >
            <div className="min-w-[12rem] flex-1 space-y-1.5 sm:flex-none">
              <Label htmlFor="requests-from">From</Label>
              <Input
                id="requests-from"
                type="datetime-local"
                value={from}
                max={to || undefined}
                onChange={(e) => setFrom(e.target.value)}
                aria-invalid={invalid?.has("from") || undefined}
                data-testid="requests-from-input"
              />
            </div>
            <div className="min-w-[12rem] flex-1 space-y-1.5 sm:flex-none">
              <Label htmlFor="requests-to">To</Label>
              <Input
                id="requests-to"
                type="datetime-local"
                value={to}
                min={from || undefined}
                onChange={(e) => setTo(e.target.value)}
                aria-invalid={invalid?.has("to") || undefined}
                data-testid="requests-to-input"
              />
            </div>
            <Button type="submit" variant="secondary" disabled={!from && !to} data-testid="requests-apply-range">
              Apply
            </Button>
            <p className="w-full text-xs text-muted-foreground">Times in {timeZone}. Leave one end empty for an open range.</p>
          </form>
        )}
        {pending && (
          <div className="col-span-2 flex h-9 items-center gap-2 text-sm text-muted-foreground sm:col-span-1" role="status">
            <Spinner label="" />
            <span>Updating…</span>
          </div>
        )}
      </div>
      <div className="grid grid-cols-2 gap-3 border-t pt-3 sm:flex sm:flex-wrap sm:items-end">
        <FilterSelect
          id="requests-project"
          label="Project"
          all="All projects"
          value={view.project}
          options={withCurrent(options.projects, view.project)}
          invalid={invalid?.has("project")}
          onChange={(project) => go({ project })}
        />
        <FilterSelect
          id="requests-key"
          label="API key"
          all="All keys"
          value={view.key}
          options={withCurrent(options.keys, view.key)}
          invalid={invalid?.has("key")}
          onChange={(key) => go({ key })}
        />
        <FilterSelect
          id="requests-model"
          label="Model"
          all="All models"
          value={view.model}
          options={withCurrent(options.models, view.model)}
          invalid={invalid?.has("model")}
          onChange={(model) => go({ model })}
        />
        <FilterSelect
          id="requests-status"
          label="Status"
          all="All statuses"
          value={view.status}
          options={withCurrent(statusOptions, view.status)}
          invalid={invalid?.has("status")}
          onChange={(status) => go({ status })}
        />
        <form
          className="col-span-2 space-y-1.5 sm:w-48"
          onSubmit={(e) => {
            e.preventDefault();
            commitCode();
          }}
        >
          {/* First: a hidden element last in a spaced stack would shift the input out of line with the selects. */}
          <datalist id="requests-code-suggestions">
            {COMMON_ERROR_CODES.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <Label htmlFor="requests-code">Error code</Label>
          <Input
            id="requests-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onBlur={commitCode}
            list="requests-code-suggestions"
            placeholder="e.g. rate_limit_exceeded"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={invalid?.has("code") || undefined}
            className="font-mono text-[13px]"
            data-testid="requests-code-input"
          />
        </form>
        {hasFilters(view) && (
          <Button asChild variant="ghost" size="sm" className="col-span-2 justify-self-start text-muted-foreground sm:mb-0.5">
            <Link
              href={requestsHref(basePath, { range: view.range, from: view.from, to: view.to, scope: view.scope })}
              scroll={false}
              data-testid="requests-clear-filters"
            >
              <RotateCcw aria-hidden="true" />
              Clear filters
            </Link>
          </Button>
        )}
      </div>
    </div>
  );
}

function FilterSelect({
  id,
  label,
  all,
  value,
  options,
  invalid,
  onChange,
}: {
  id: string;
  label: string;
  all: string;
  value: string | undefined;
  options: RequestFilterOption[];
  invalid?: boolean;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <div className="min-w-0 space-y-1.5 sm:w-40">
      <Label htmlFor={id}>{label}</Label>
      <Select
        id={id}
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value || undefined)}
        aria-invalid={invalid || undefined}
        className="truncate"
        data-testid={`${id}-select`}
      >
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.detail ? `${o.label} (${o.detail})` : o.label}
          </option>
        ))}
      </Select>
    </div>
  );
}

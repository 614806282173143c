"use client";

import * as React from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Check, ChevronDown, RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/utils";
import {
  BUCKET_LABELS,
  GROUP_LABELS,
  RANGE_LABELS,
  USAGE_BUCKETS,
  USAGE_GROUPS,
  USAGE_RANGES,
  usageHref,
  type UsageBucket,
  type UsageGroup,
  type UsageQuery,
  type UsageRange,
} from "@/lib/usage/params";

export type UsageView = {
  range: UsageRange;
  from?: string;
  to?: string;
  /** Only when the URL sets one; otherwise the range's default applies. */
  bucket?: UsageBucket;
  group: UsageGroup;
  scope?: "org" | "me";
  projects: string[];
  models: string[];
  keys: string[];
};

export type FilterOption = { value: string; label: string; detail?: string | null };

/**
 * The dashboard's controls. Every change is a navigation to a new URL (the view lives in the
 * search params, so it can be bookmarked and shared); the server renders the result.
 */
export function UsageControls({
  basePath,
  view,
  effectiveBucket,
  rangeDates,
  options,
  invalid,
}: {
  basePath: string;
  view: UsageView;
  /** The bucket in effect (the URL's, or the range's default). */
  effectiveBucket: UsageBucket;
  /** The resolved range's local dates, to prefill a custom range. */
  rangeDates: { from: string; to: string };
  options: { projects: FilterOption[]; models: FilterOption[]; keys: FilterOption[] };
  invalid?: ReadonlySet<string>;
}) {
  const router = useRouter();
  const [pending, startTransition] = React.useTransition();
  const [range, setRange] = React.useState<UsageRange>(view.range);
  const [from, setFrom] = React.useState(view.from ?? rangeDates.from);
  const [to, setTo] = React.useState(view.to ?? rangeDates.to);

  const go = (patch: Partial<UsageQuery>) => {
    const next = { ...view, ...patch };
    startTransition(() => router.push(usageHref(basePath, next), { scroll: false }));
  };

  const onRange = (value: UsageRange) => {
    setRange(value);
    // A custom range waits for its dates; presets apply at once, with their default bucket.
    if (value !== "custom") go({ range: value, from: undefined, to: undefined, bucket: undefined });
  };

  const filtered = view.projects.length + view.models.length + view.keys.length > 0;

  return (
    <div
      role="search"
      aria-label="Usage view"
      aria-busy={pending || undefined}
      className="space-y-3 rounded-xl border bg-card p-4"
      data-testid="usage-controls"
    >
      <div className="grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end">
        <div className="col-span-2 space-y-1.5 sm:w-44">
          <Label htmlFor="usage-range">Period</Label>
          <Select
            id="usage-range"
            value={range}
            onChange={(e) => onRange(e.target.value as UsageRange)}
            aria-invalid={invalid?.has("range") || undefined}
            data-testid="usage-range-select"
          >
            {USAGE_RANGES.map((r) => (
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
              go({ range: "custom", from, to, bucket: undefined });
            }}
            data-testid="usage-custom-range"
          >
            <div className="min-w-[9.5rem] flex-1 space-y-1.5 sm:flex-none">
              <Label htmlFor="usage-from">From</Label>
              <Input
                id="usage-from"
                type="date"
                value={from}
                max={to || undefined}
                required
                onChange={(e) => setFrom(e.target.value)}
                aria-invalid={invalid?.has("from") || undefined}
                data-testid="usage-from-input"
              />
            </div>
            <div className="min-w-[9.5rem] flex-1 space-y-1.5 sm:flex-none">
              <Label htmlFor="usage-to">To</Label>
              <Input
                id="usage-to"
                type="date"
                value={to}
                min={from || undefined}
                required
                onChange={(e) => setTo(e.target.value)}
                aria-invalid={invalid?.has("to") || undefined}
                data-testid="usage-to-input"
              />
            </div>
            <Button type="submit" variant="secondary" data-testid="usage-apply-range">
              Apply
            </Button>
          </form>
        )}
        <div className="space-y-1.5 sm:w-32">
          <Label htmlFor="usage-bucket">Bucket</Label>
          <Select
            id="usage-bucket"
            value={effectiveBucket}
            onChange={(e) => go({ bucket: e.target.value as UsageBucket })}
            aria-invalid={invalid?.has("bucket") || undefined}
            data-testid="usage-bucket-select"
          >
            {USAGE_BUCKETS.map((b) => (
              <option key={b} value={b}>
                {BUCKET_LABELS[b]}
              </option>
            ))}
          </Select>
        </div>
        <div className="space-y-1.5 sm:w-36">
          <Label htmlFor="usage-group">Group by</Label>
          <Select
            id="usage-group"
            value={view.group}
            onChange={(e) => go({ group: e.target.value as UsageGroup })}
            aria-invalid={invalid?.has("group") || undefined}
            data-testid="usage-group-select"
          >
            {USAGE_GROUPS.map((g) => (
              <option key={g} value={g}>
                {GROUP_LABELS[g]}
              </option>
            ))}
          </Select>
        </div>
        {pending && (
          <div className="col-span-2 flex h-9 items-center gap-2 text-sm text-muted-foreground sm:col-span-1" role="status">
            <Spinner label="" />
            <span>Updating…</span>
          </div>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-2 border-t pt-3">
        <span className="mr-1 text-xs font-medium text-muted-foreground">Filters</span>
        <FilterMenu
          noun={["project", "projects"]}
          options={options.projects}
          selected={view.projects}
          invalid={invalid?.has("projects")}
          onCommit={(projects) => go({ projects })}
          testId="usage-filter-project"
        />
        <FilterMenu
          noun={["model", "models"]}
          options={options.models}
          selected={view.models}
          invalid={invalid?.has("models")}
          onCommit={(models) => go({ models })}
          testId="usage-filter-model"
        />
        <FilterMenu
          noun={["API key", "API keys"]}
          options={options.keys}
          selected={view.keys}
          invalid={invalid?.has("keys")}
          onCommit={(keys) => go({ keys })}
          testId="usage-filter-key"
        />
        {filtered && (
          <Button asChild variant="ghost" size="sm" className="text-muted-foreground">
            <Link href={usageHref(basePath, { ...view, projects: [], models: [], keys: [] })} scroll={false} data-testid="usage-clear-filters">
              <RotateCcw aria-hidden="true" />
              Clear filters
            </Link>
          </Button>
        )}
      </div>
    </div>
  );
}

/** A multi-select as a menu of checkboxes; the choice applies when the menu closes. */
function FilterMenu({
  noun,
  options,
  selected,
  invalid,
  onCommit,
  testId,
}: {
  noun: [string, string];
  options: FilterOption[];
  selected: string[];
  invalid?: boolean;
  onCommit: (values: string[]) => void;
  testId: string;
}) {
  const [draft, setDraft] = React.useState<string[]>(selected);
  const [open, setOpen] = React.useState(false);
  const known = new Map(options.map((o) => [o.value, o]));
  // Values in the URL that the options no longer list stay visible (and removable).
  const all = [...options, ...selected.filter((v) => !known.has(v)).map((v) => ({ value: v, label: v, detail: "Not found" }))];
  const shown = open ? draft : selected;
  const summary =
    shown.length === 0
      ? `All ${noun[1]}`
      : shown.length === 1
        ? (known.get(shown[0])?.label ?? shown[0])
        : `${shown.length} ${noun[1]}`;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (next) setDraft(selected);
    else if (draft.length !== selected.length || draft.some((v) => !selected.includes(v))) onCommit(draft);
  };

  return (
    <DropdownMenu open={open} onOpenChange={onOpenChange}>
      <DropdownMenuTrigger asChild>
        <Button
          variant="outline"
          size="sm"
          aria-invalid={invalid || undefined}
          className={cn("max-w-[14rem] justify-between", shown.length > 0 && "border-foreground/30")}
          data-testid={testId}
          data-selected={selected.length}
        >
          <span className="truncate">
            <span className="sr-only">{noun[1]}: </span>
            {summary}
          </span>
          <ChevronDown aria-hidden="true" className="text-muted-foreground" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-72 max-w-[calc(100vw-2rem)]" data-testid={`${testId}-menu`}>
        <DropdownMenuLabel>Show {noun[1]}</DropdownMenuLabel>
        <DropdownMenuItem onSelect={(e) => (e.preventDefault(), setDraft([]))} data-testid={`${testId}-all`}>
          <Check aria-hidden="true" className={cn(draft.length ? "invisible" : "")} />
          All {noun[1]}
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        {all.length === 0 && <p className="px-2 py-1.5 text-sm text-muted-foreground">No {noun[1]} yet.</p>}
        {all.map((o) => (
          <DropdownMenuCheckboxItem
            key={o.value}
            checked={draft.includes(o.value)}
            onSelect={(e) => e.preventDefault()}
            onCheckedChange={(c) => setDraft((d) => (c ? [...d, o.value] : d.filter((v) => v !== o.value)))}
            data-testid={`${testId}-option`}
            data-value={o.value}
          >
            <span className="flex min-w-0 flex-col">
              <span className="truncate">{o.label}</span>
              {o.detail && <span className="truncate font-mono text-xs text-muted-foreground">{o.detail}</span>}
            </span>
          </DropdownMenuCheckboxItem>
        ))}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

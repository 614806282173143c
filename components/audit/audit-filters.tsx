import Form from "next/form";
import Link from "next/link";
import { Search } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import type { ActionGroup } from "./audit-format";
import type { AuditQueryValues } from "./audit-query";

/** GET form: filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilters({
  basePath,
  groups,
  values,
  invalid,
}: {
  basePath: string;
  groups: ActionGroup[];
  values: AuditQueryValues;
  invalid?: ReadonlySet<string>;
}) {
  const filtered = Boolean(values.action || values.actor || values.from || values.to || values.cursor);
  // A date input can only hold yyyy-mm-dd; anything else stays visible in the error message.
  const dateValue = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v : "");
  const knownAction = groups.some((g) => g.prefix === values.action || g.actions.some((a) => a.value === values.action));
  return (
    <Form
      // Remount on every URL change so "Reset" and back/forward show the URL's values.
      key={JSON.stringify(values)}
      action={basePath}
      role="search"
      aria-label="Filter audit events"
      className="grid gap-3 rounded-xl border bg-card p-4 sm:grid-cols-2 lg:grid-cols-[minmax(0,1.4fr)_minmax(0,1.2fr)_minmax(0,0.9fr)_minmax(0,0.9fr)_auto] lg:items-end"
      data-testid="audit-filters"
    >
      <div className="space-y-1.5">
        <Label htmlFor="audit-action">Action</Label>
        <Select
          id="audit-action"
          name="action"
          defaultValue={knownAction ? values.action : ""}
          aria-invalid={invalid?.has("action") || undefined}
          data-testid="audit-action-select"
        >
          <option value="">All actions</option>
          {groups.map((g) => (
            <optgroup key={g.prefix} label={g.label}>
              <option value={g.prefix}>All {g.label.toLowerCase()} events</option>
              {g.actions.map((a) => (
                <option key={a.value} value={a.value}>
                  {a.label}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="audit-actor">Actor</Label>
        <Input
          id="audit-actor"
          name="actor"
          type="search"
          placeholder="Email contains…"
          defaultValue={values.actor}
          maxLength={254}
          autoComplete="off"
          aria-invalid={invalid?.has("actor") || undefined}
          data-testid="audit-actor-input"
        />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="audit-from">From (UTC)</Label>
        <Input
          id="audit-from"
          name="from"
          type="date"
          defaultValue={dateValue(values.from)}
          aria-invalid={invalid?.has("from") || undefined}
          data-testid="audit-from-input"
        />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="audit-to">To (UTC)</Label>
        <Input
          id="audit-to"
          name="to"
          type="date"
          defaultValue={dateValue(values.to)}
          aria-invalid={invalid?.has("to") || undefined}
          data-testid="audit-to-input"
        />
      </div>
      <div className="flex gap-2 sm:col-span-2 lg:col-span-1">
        <Button type="submit" className="flex-1 lg:flex-none" data-testid="audit-apply-button">
          <Search aria-hidden="true" />
          Filter
        </Button>
        {filtered && (
          <Button asChild variant="ghost" data-testid="audit-reset-link">
            <Link href={basePath}>Reset</Link>
          </Button>
        )}
      </div>
    </Form>
  );
}

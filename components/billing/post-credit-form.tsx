"use client";

import * as React from "react";
import { Search } from "lucide-react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { TextField } from "@/components/admin/form-fields";
import type { ActionResult } from "@/lib/actions";
import { formatUsd, parseAmount } from "@/lib/billing/money";
import { cn } from "@/lib/utils";
import type { OrgOption } from "./admin-types";

type Kind = "grant" | "topup" | "adjustment";

const KINDS: { value: Kind; label: string; hint: string }[] = [
  { value: "grant", label: "Grant credit", hint: "Free credit, e.g. a trial or a goodwill gesture. It may expire." },
  { value: "topup", label: "Record a payment", hint: "Money received outside Gatehouse. Payments count towards tier advancement." },
  { value: "adjustment", label: "Adjust the balance", hint: "A correction, up or down (a negative amount takes credit away). Say why; adjustments never expire." },
];

const FIELDS = ["orgId", "kind", "amount", "description", "expiresInDays"] as const;

/** One id per submission: a form posted twice (double click, retry after a lost response) posts once. */
function newRequestKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; plain-http installs still have getRandomValues.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function withoutKey(errors: Record<string, string>, key: string) {
  const next = { ...errors };
  delete next[key];
  return next;
}

type Search = (input: { query: string }) => Promise<ActionResult<{ orgs: OrgOption[]; total: number }>>;

export function PostCreditForm({
  initialOrgs,
  initialTotal,
  search,
  action,
}: {
  initialOrgs: OrgOption[];
  initialTotal: number;
  search: Search;
  action: FormAction;
}) {
  const formRef = React.useRef<HTMLFormElement>(null);
  const requestKey = React.useRef<string | null>(null);
  const [org, setOrg] = React.useState<OrgOption | null>(null);
  const [kind, setKind] = React.useState<Kind>("grant");
  const [review, setReview] = React.useState<{ data: FormData; amount: string; days: string; description: string } | null>(null);
  const [confirmOpen, setConfirmOpen] = React.useState(false);
  const [localError, setLocalError] = React.useState<Record<string, string>>({});

  const { pending, onInput, submitData, fieldErrors, formError } = useFormAction(action, {
    fields: FIELDS,
    onSuccess: () => {
      setConfirmOpen(false);
      requestKey.current = null;
      formRef.current?.reset();
      setKind("grant");
    },
    onError: () => setConfirmOpen(false),
  });
  const fe = { ...fieldErrors, ...localError };

  function onReview(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    // The same checks as the service, so the confirmation shows the amount that will be posted.
    const parsed = parseAmount(data.get("amount"), { allowNegative: kind === "adjustment" });
    const errors: Record<string, string> = {};
    if (!org) errors.orgId = "Choose an organization";
    if (!parsed.ok) errors.amount = parsed.error;
    else if (parsed.micros === null) errors.amount = "Enter an amount";
    setLocalError(errors);
    if (Object.keys(errors).length || !parsed.ok || parsed.micros === null) return;
    requestKey.current ??= newRequestKey();
    data.set("requestKey", requestKey.current);
    setReview({ data, amount: formatUsd(parsed.micros), days: String(data.get("expiresInDays") ?? "").trim(), description: String(data.get("description") ?? "").trim() });
    setConfirmOpen(true);
  }

  function edited(event: React.FormEvent<HTMLFormElement>) {
    onInput(event);
    // Different values are a different submission.
    requestKey.current = null;
    const name = (event.target as HTMLInputElement).name;
    if (name && localError[name]) setLocalError((prev) => withoutKey(prev, name));
  }

  const kindInfo = KINDS.find((k) => k.value === kind)!;
  const verb = kind === "grant" ? "Grant" : kind === "topup" ? "Record a payment of" : "Adjust the balance by";

  return (
    <>
      <form ref={formRef} onSubmit={onReview} onInput={edited} noValidate className="grid gap-5" data-testid="post-credit-form">
        <OrgPicker initialOrgs={initialOrgs} initialTotal={initialTotal} search={search} selected={org} onSelect={(o) => {
          setOrg(o);
          requestKey.current = null;
          setLocalError((prev) => withoutKey(prev, "orgId"));
        }} error={fe.orgId} />
        <input type="hidden" name="orgId" value={org?.id ?? ""} />
        <input type="hidden" name="orgName" value={org?.name ?? ""} />
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="grid content-start gap-2">
            <Label htmlFor="post-credit-kind">What</Label>
            <Select
              id="post-credit-kind"
              name="kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as Kind)}
              aria-describedby="post-credit-kind-hint"
              data-testid="post-credit-kind"
            >
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </Select>
            <p id="post-credit-kind-hint" className="text-[13px] leading-snug text-muted-foreground">
              {kindInfo.hint}
            </p>
            <FieldError errors={fe.kind} />
          </div>
          <TextField
            label="Amount"
            name="amount"
            prefix={kind === "adjustment" ? undefined : "$"}
            inputMode={kind === "adjustment" ? "text" : "decimal"}
            placeholder={kind === "adjustment" ? "-5.00 or 5.00" : "25.00"}
            error={fe.amount}
            hint={kind === "adjustment" ? "In dollars; negative to take credit away." : "In dollars, up to 6 decimal places."}
            testId="post-credit-amount"
          />
          <TextField
            label={kind === "adjustment" ? "Reason" : "Description"}
            name="description"
            placeholder={kind === "grant" ? "Credit grant" : kind === "topup" ? "Payment received" : "Why the balance changes"}
            maxLength={200}
            error={fe.description}
            hint={kind === "adjustment" ? "Required: shown on the ledger and the statement." : "Shown on the ledger and the statement. Optional."}
            testId="post-credit-description"
          />
          {kind !== "adjustment" && (
            <TextField
              label="Expires after"
              name="expiresInDays"
              inputMode="numeric"
              placeholder="Never"
              suffix="days"
              error={fe.expiresInDays}
              hint="What is left of it then is written off. Blank: it never expires."
              testId="post-credit-days"
            />
          )}
        </div>
        <FormAlert message={formError} />
        <div>
          <Button type="submit" disabled={pending} data-testid="post-credit-review">
            Review…
          </Button>
        </div>
      </form>

      <AlertDialog open={confirmOpen} onOpenChange={(next) => (pending && !next ? undefined : setConfirmOpen(next))}>
        <AlertDialogContent data-testid="post-credit-confirm">
          <AlertDialogHeader>
            <AlertDialogTitle>
              {verb} {review?.amount}?
            </AlertDialogTitle>
            <AlertDialogDescription asChild>
              <div className="grid gap-2">
                <p>
                  Organization: <span className="font-medium text-foreground">{org?.name}</span>
                  {org?.owner && <> (owner {org.owner})</>}
                </p>
                {review?.description && <p>Description: {review.description}</p>}
                {kind !== "adjustment" && <p>{review?.days ? `Expires after ${review.days} days.` : "Never expires."}</p>}
                <p>The entry cannot be deleted afterwards (correct it with an adjustment) and is recorded in the organization&apos;s audit log.</p>
              </div>
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel disabled={pending}>Cancel</AlertDialogCancel>
            <FormSubmitButton
              pending={pending}
              pendingText="Posting…"
              onClick={() => review && submitData(review.data)}
              data-testid="post-credit-confirm-button"
            >
              {kind === "grant" ? "Grant credit" : kind === "topup" ? "Record payment" : "Adjust balance"}
            </FormSubmitButton>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

function OrgPicker({
  initialOrgs,
  initialTotal,
  search,
  selected,
  onSelect,
  error,
}: {
  initialOrgs: OrgOption[];
  initialTotal: number;
  search: Search;
  selected: OrgOption | null;
  onSelect: (org: OrgOption) => void;
  error?: string;
}) {
  const [query, setQuery] = React.useState("");
  const [result, setResult] = React.useState({ orgs: initialOrgs, total: initialTotal });
  const [searching, setSearching] = React.useState(false);
  const latest = React.useRef(0);
  const searched = React.useRef(false);

  React.useEffect(() => {
    const q = query.trim();
    // The first list comes with the page.
    if (!searched.current && !q) return;
    searched.current = true;
    const id = ++latest.current;
    const timer = setTimeout(async () => {
      setSearching(true);
      try {
        const r = await search({ query: q });
        if (id === latest.current && r.ok && r.data) setResult(r.data);
      } catch {
        // Keep the last results; the next keystroke searches again.
      } finally {
        if (id === latest.current) setSearching(false);
      }
    }, q ? 250 : 0);
    return () => clearTimeout(timer);
  }, [query, search]);

  return (
    <fieldset className="grid gap-2" aria-describedby={error ? "org-picker-error" : "org-picker-hint"}>
      <legend className="mb-2 text-sm leading-none font-medium">Organization</legend>
      <div className="relative">
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
        <Input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          // Not a form field: searching must not count as editing the submission.
          onInput={(e) => e.stopPropagation()}
          placeholder="Search by name, ID or owner email"
          aria-label="Search organizations"
          className="pl-9"
          autoComplete="off"
          data-testid="org-picker-search"
        />
        {searching && <Spinner className="absolute top-1/2 right-3 -translate-y-1/2 text-muted-foreground" label="Searching" />}
      </div>
      <div
        role="radiogroup"
        aria-label="Organizations"
        aria-invalid={!!error || undefined}
        className={cn("max-h-56 divide-y overflow-y-auto rounded-md border", error && "border-destructive")}
        data-testid="org-picker-list"
      >
        {result.orgs.length === 0 ? (
          <p className="px-3 py-2.5 text-sm text-muted-foreground">No organization matches.</p>
        ) : (
          result.orgs.map((o) => (
            <label
              key={o.id}
              className="flex cursor-pointer items-start gap-2.5 px-3 py-2 text-sm hover:bg-muted/40 has-[:checked]:bg-muted/60 has-[:focus-visible]:ring-[3px] has-[:focus-visible]:ring-ring/50 has-[:focus-visible]:ring-inset"
              data-testid="org-picker-option"
              data-org-id={o.id}
            >
              <input
                type="radio"
                name="orgPick"
                value={o.id}
                checked={selected?.id === o.id}
                onChange={() => onSelect(o)}
                onInput={(e) => e.stopPropagation()}
                className="mt-0.5 size-4 shrink-0 accent-primary"
              />
              <span className="grid min-w-0 gap-0.5">
                <span className="truncate font-medium">{o.name}</span>
                <span className="truncate text-xs text-muted-foreground">
                  {o.owner ?? "No owner"} · <span className="font-mono">{o.id}</span>
                </span>
              </span>
            </label>
          ))
        )}
      </div>
      {error ? (
        <FieldError id="org-picker-error" errors={error} />
      ) : (
        <p id="org-picker-hint" className="text-[13px] text-muted-foreground">
          {selected ? (
            <>
              Selected: <span className="font-medium text-foreground" data-testid="org-picker-selected">{selected.name}</span>
            </>
          ) : result.total > result.orgs.length ? (
            `Showing ${result.orgs.length} of ${result.total}; search to narrow the list.`
          ) : (
            "Choose the organization the entry is for."
          )}
        </p>
      )}
    </fieldset>
  );
}

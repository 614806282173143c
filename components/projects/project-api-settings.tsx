"use client";

import * as React from "react";
import { Gauge, Pencil, Plus, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FieldError } from "@/components/ui/field-error";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Separator } from "@/components/ui/separator";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { CheckboxField, TextField } from "@/components/admin/form-fields";

// A project's API settings card (model allow-list, body storage) and its per-model limits.
// Owners edit; everyone else who can see the project reads the same values.

export type Limits = { rpm: number | null; tpm: number | null; rpd: number | null };
export type ApiModelOption = { id: string; tierLimit: Limits };
export type ProjectLimitRow = Limits & { model: string; tierLimit: Limits };

const ALL_MODELS = "*";
const LIMIT_KEYS = [
  { key: "rpm", label: "RPM", title: "Requests per minute" },
  { key: "tpm", label: "TPM", title: "Tokens per minute" },
  { key: "rpd", label: "RPD", title: "Requests per day" },
] as const;

const num = (n: number) => n.toLocaleString("en-US");
const modelLabel = (m: string) => (m === ALL_MODELS ? "All models" : m);

// ---- API card ----

export function ProjectApiCard({
  projectId,
  canManage,
  models,
  allowedModels,
  storeBodies,
  playgroundForMembers,
  action,
}: {
  projectId: string;
  canManage: boolean;
  models: ApiModelOption[];
  allowedModels: string[];
  storeBodies: boolean;
  playgroundForMembers: boolean;
  action: FormAction;
}) {
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: ["allowedModels", "storeBodies", "playgroundForMembers"] });
  const [checked, setChecked] = React.useState(() => new Set(allowedModels));
  const [saved, setSaved] = React.useState(allowedModels);
  // Follow the saved list after a refresh (this save, or one made elsewhere).
  if (saved !== allowedModels && saved.join("\n") !== allowedModels.join("\n")) {
    setSaved(allowedModels);
    setChecked(new Set(allowedModels));
  }
  // Ids still on the list whose model has since gone or been disabled stay visible (and
  // checked), so the list never silently widens to every model.
  const gone = allowedModels.filter((id) => !models.some((m) => m.id === id));
  const options = [...models.map((m) => ({ id: m.id, unavailable: false })), ...gone.map((id) => ({ id, unavailable: true }))];
  const toggle = (id: string, on: boolean) =>
    setChecked((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const summary =
    checked.size === 0 ? "Every enabled model, including ones added later" : `${checked.size} of ${options.length} ${options.length === 1 ? "model" : "models"}`;

  return (
    <Card data-testid="project-api-card">
      <CardHeader>
        <CardTitle>API</CardTitle>
        <CardDescription>
          {canManage ? "Which models this project's keys may call, and what is kept of each request." : "Only project owners can change these settings."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
          <input type="hidden" name="projectId" value={projectId} />
          <fieldset className="grid gap-3" disabled={!canManage}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <legend className="text-sm font-medium">Allowed models</legend>
              <span className="text-[13px] text-muted-foreground" data-testid="allowed-models-summary">
                {summary}
              </span>
            </div>
            <p className="-mt-1 text-[13px] leading-snug text-muted-foreground">
              Requests for other models are refused (403 model_not_allowed) and /v1/models does not list them. Leave every box
              unchecked to allow all models.
            </p>
            {options.length === 0 ? (
              <p className="rounded-md border border-dashed px-3 py-2.5 text-sm text-muted-foreground">
                No models are enabled on this instance yet.
              </p>
            ) : (
              <div className="grid max-h-72 gap-x-6 gap-y-2.5 overflow-y-auto rounded-lg border p-3 sm:grid-cols-2" data-testid="allowed-models">
                {options.map((o) => (
                  <CheckboxField
                    key={o.id}
                    name="allowedModels"
                    value={o.id}
                    checked={checked.has(o.id)}
                    onChange={(e) => toggle(o.id, e.target.checked)}
                    label={
                      <span className="inline-flex min-w-0 items-center gap-2 font-normal">
                        <span className="truncate font-mono text-[13px]" title={o.id}>
                          {o.id}
                        </span>
                        {o.unavailable && <Badge variant="muted">Unavailable</Badge>}
                      </span>
                    }
                    testId="allowed-model-checkbox"
                    data-model-id={o.id}
                    className="min-w-0"
                  />
                ))}
              </div>
            )}
            <FieldError errors={fe.allowedModels} />
          </fieldset>
          <Separator />
          <CheckboxField
            name="storeBodies"
            defaultChecked={storeBodies}
            key={String(storeBodies)}
            disabled={!canManage}
            label="Store request and response bodies"
            description="Keeps the JSON of every request and its response with the usage record, for debugging. Leave it off for sensitive data."
            testId="store-bodies-checkbox"
          />
          <CheckboxField
            name="playgroundForMembers"
            defaultChecked={playgroundForMembers}
            key={`playground-${playgroundForMembers}`}
            disabled={!canManage}
            label="Members can use the playground"
            description="Project members may run the project's models in the console's playground, billed to the project under its limits. Project owners always can."
            testId="playground-members-checkbox"
          />
          <FormAlert message={formError} />
          {canManage && (
            <div>
              <FormSubmitButton pending={pending} pendingText="Saving…" data-testid="save-api-settings">
                Save API settings
              </FormSubmitButton>
            </div>
          )}
        </form>
      </CardContent>
    </Card>
  );
}

// ---- model limits ----

/** The limit that applies: the tighter of the project's and the tier's; null = unlimited. */
function inForce(project: number | null, tier: number | null): { value: number | null; from: "project" | "tier" | null } {
  if (project === null && tier === null) return { value: null, from: null };
  if (project === null) return { value: tier, from: "tier" };
  if (tier === null || project <= tier) return { value: project, from: "project" };
  return { value: tier, from: "tier" };
}

export function ProjectModelLimits({
  projectId,
  canManage,
  tier,
  models,
  defaultTierLimit,
  limits,
  setAction,
  removeAction,
}: {
  projectId: string;
  canManage: boolean;
  tier: number;
  models: ApiModelOption[];
  defaultTierLimit: Limits;
  limits: ProjectLimitRow[];
  setAction: FormAction;
  removeAction: FormAction;
}) {
  const [editing, setEditing] = React.useState<ProjectLimitRow | null>(null);
  const [editOpen, setEditOpen] = React.useState(false);
  const [removing, setRemoving] = React.useState<string | null>(null);
  const [removeOpen, setRemoveOpen] = React.useState(false);
  const choices: ApiModelOption[] = [{ id: ALL_MODELS, tierLimit: defaultTierLimit }, ...models];
  const defaults = LIMIT_KEYS.map((k) => `${defaultTierLimit[k.key] === null ? "unlimited" : num(defaultTierLimit[k.key]!)} ${k.label}`).join(" · ");

  return (
    <Card data-testid="project-limits-card">
      <CardHeader>
        <CardTitle>Model limits</CardTitle>
        <CardDescription>
          This project&apos;s own limits, on top of the organization&apos;s tier {tier} (by default {defaults}). They can only be
          tighter than the tier.
        </CardDescription>
        {canManage && (
          <CardAction>
            <Button
              variant="outline"
              size="sm"
              onClick={() => {
                setEditing(null);
                setEditOpen(true);
              }}
              data-testid="add-project-limit-button"
            >
              <Plus aria-hidden="true" />
              Add limit
            </Button>
          </CardAction>
        )}
      </CardHeader>
      <CardContent>
        {limits.length === 0 ? (
          <EmptyState
            icon={Gauge}
            title="No project limits"
            description={`Every model uses the organization's tier ${tier} limits.${canManage ? " Add a limit to cap a model (or all models) for this project." : ""}`}
            className="py-8"
            data-testid="project-limits-empty"
          />
        ) : (
          <div className="overflow-hidden rounded-lg border">
            <Table data-testid="project-limits-table">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead className="pl-4">Model</TableHead>
                  {LIMIT_KEYS.map((k) => (
                    <TableHead key={k.key} className="text-right" title={`${k.title}: the limit in force, and where it comes from`}>
                      {k.label}
                    </TableHead>
                  ))}
                  {canManage && (
                    <TableHead className="pr-4 text-right">
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  )}
                </TableRow>
              </TableHeader>
              <TableBody>
                {limits.map((l) => (
                  <TableRow key={l.model} data-testid="project-limit-row" data-model={l.model}>
                    <TableCell className="max-w-[14rem] truncate pl-4 font-medium" title={modelLabel(l.model)}>
                      {l.model === ALL_MODELS ? "All models" : <span className="font-mono text-[13px]">{l.model}</span>}
                    </TableCell>
                    {LIMIT_KEYS.map((k) => {
                      const f = inForce(l[k.key], l.tierLimit[k.key]);
                      return (
                        <TableCell key={k.key} className="text-right" data-testid={`project-limit-${k.key}`}>
                          <div className="tabular-nums">{f.value === null ? "Unlimited" : num(f.value)}</div>
                          <div className="text-xs text-muted-foreground">
                            {f.from === "project" ? "project" : `tier ${tier}`}
                          </div>
                        </TableCell>
                      );
                    })}
                    {canManage && (
                      <TableCell className="pr-3 text-right">
                        <div className="flex justify-end gap-0.5">
                          <Button
                            variant="ghost"
                            size="icon-sm"
                            className="text-muted-foreground hover:text-foreground"
                            aria-label={`Edit limits of ${modelLabel(l.model)}`}
                            title="Edit limits"
                            data-testid="edit-project-limit-button"
                            onClick={() => {
                              setEditing(l);
                              setEditOpen(true);
                            }}
                          >
                            <Pencil aria-hidden="true" />
                          </Button>
                          <Button
                            variant="ghost"
                            size="icon-sm"
                            className="text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
                            aria-label={`Remove limits of ${modelLabel(l.model)}`}
                            title="Remove limits"
                            data-testid="remove-project-limit-button"
                            onClick={() => {
                              setRemoving(l.model);
                              setRemoveOpen(true);
                            }}
                          >
                            <Trash2 aria-hidden="true" />
                          </Button>
                        </div>
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
      </CardContent>
      {canManage && (
        <>
          <LimitDialog
            open={editOpen}
            onOpenChange={setEditOpen}
            projectId={projectId}
            tier={tier}
            choices={choices}
            existing={editing}
            taken={limits.map((l) => l.model)}
            action={setAction}
          />
          <ConfirmDialog
            open={removeOpen}
            onOpenChange={setRemoveOpen}
            title="Remove this limit?"
            description={
              <p>
                {removing === ALL_MODELS ? "All models" : <span className="font-mono text-foreground">{removing}</span>} then
                {removing === ALL_MODELS ? " use" : " uses"} the organization&apos;s tier {tier} limits
                {removing === ALL_MODELS ? "" : " (and any all-models limit of this project)"}.
              </p>
            }
            confirmLabel="Remove limit"
            pendingLabel="Removing…"
            action={removeAction}
            fields={{ projectId, model: removing ?? "" }}
            confirmTestId="confirm-remove-project-limit"
          />
        </>
      )}
    </Card>
  );
}

function LimitDialog({
  open,
  onOpenChange,
  projectId,
  tier,
  choices,
  existing,
  taken,
  action,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  projectId: string;
  tier: number;
  choices: ApiModelOption[];
  existing: ProjectLimitRow | null;
  taken: string[];
  action: FormAction;
}) {
  const [session, setSession] = React.useState(0);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-lg" data-testid="project-limit-dialog" onCloseAutoFocus={() => setSession((s) => s + 1)}>
        <DialogHeader>
          <DialogTitle>{existing ? `Limits of ${modelLabel(existing.model)}` : "Add a model limit"}</DialogTitle>
          <DialogDescription>
            Blank means no project limit: the tier {tier} limit applies. Changes apply to the API at once.
          </DialogDescription>
        </DialogHeader>
        <LimitForm
          key={`${session}:${existing?.model ?? ""}`}
          projectId={projectId}
          tier={tier}
          choices={existing ? choices.filter((c) => c.id === existing.model) : choices.filter((c) => !taken.includes(c.id))}
          existing={existing}
          action={action}
          onDone={() => onOpenChange(false)}
        />
      </DialogContent>
    </Dialog>
  );
}

function LimitForm({
  projectId,
  tier,
  choices,
  existing,
  action,
  onDone,
}: {
  projectId: string;
  tier: number;
  choices: ApiModelOption[];
  existing: ProjectLimitRow | null;
  action: FormAction;
  onDone: () => void;
}) {
  const uid = React.useId();
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, {
    fields: ["model", "rpm", "tpm", "rpd"],
    onSuccess: onDone,
  });
  const [model, setModel] = React.useState(existing?.model ?? choices[0]?.id ?? "");
  const tierLimit = (existing && existing.model === model ? existing.tierLimit : choices.find((c) => c.id === model)?.tierLimit) ?? {
    rpm: null,
    tpm: null,
    rpd: null,
  };
  if (choices.length === 0) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="project-limit-all-set">
        Every model already has a limit here; edit its row instead.
      </p>
    );
  }
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
      <input type="hidden" name="projectId" value={projectId} />
      {existing ? (
        <input type="hidden" name="model" value={existing.model} />
      ) : (
        <div className="grid gap-2">
          <Label htmlFor={`${uid}-model`}>Model</Label>
          <Select
            id={`${uid}-model`}
            name="model"
            value={model}
            onChange={(e) => setModel(e.target.value)}
            aria-invalid={!!fe.model || undefined}
            data-testid="project-limit-model"
          >
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.id === ALL_MODELS ? "All models (each model separately)" : c.id}
              </option>
            ))}
          </Select>
          <FieldError errors={fe.model} />
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        {LIMIT_KEYS.map((k) => (
          <TextField
            key={`${model}:${k.key}`}
            label={k.label}
            name={k.key}
            inputMode="numeric"
            title={k.title}
            defaultValue={existing && existing.model === model && existing[k.key] !== null ? String(existing[k.key]) : ""}
            placeholder={tierLimit[k.key] === null ? "No limit" : `Up to ${num(tierLimit[k.key]!)}`}
            error={fe[k.key]}
            hint={tierLimit[k.key] === null ? `Tier ${tier}: unlimited` : `Tier ${tier}: ${num(tierLimit[k.key]!)}`}
            testId={`project-limit-${k.key}-input`}
          />
        ))}
      </div>
      <FormAlert message={formError} />
      <DialogFooter className="pt-1">
        <DialogClose asChild>
          <Button variant="outline" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <FormSubmitButton pending={pending} pendingText="Saving…" data-testid="project-limit-submit">
          Save limit
        </FormSubmitButton>
      </DialogFooter>
    </form>
  );
}

"use client";

import * as React from "react";
import Link from "next/link";
import { FolderKanban, Pencil, Plus, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FieldError } from "@/components/ui/field-error";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { TextField } from "@/components/admin/form-fields";
import { RoleBadge } from "@/components/orgs/role-badge";
import { cn } from "@/lib/utils";
import { ALL_MODELS, LIMIT_FIELDS, limitText, modelLabel, plural, type Limits } from "./format";

// Each visible project's limits as the API enforces them: the tier's, tightened by the
// project's own overrides. Project owners (and organization owners, who own every project)
// set and remove overrides here; everyone else reads the same table with no controls at all.

export type ProjectOverride = Limits & { model: string; tier: Limits };
export type ProjectEffective = {
  model: string;
  limits: Limits;
  tier: Limits;
  tightened: Record<keyof Limits, boolean>;
  ownRow: boolean;
  enabled: boolean;
};
export type ProjectLimitsRow = {
  id: string;
  name: string;
  role: "owner" | "member";
  canManage: boolean;
  overrides: ProjectOverride[];
  effective: ProjectEffective[];
};
/** A model that can get an override ("*" = all models), with the tier's limit for it. */
export type OverrideChoice = { model: string; tier: Limits };

type Target = { project: ProjectLimitsRow; model: string | null };

export function ProjectLimits({
  tier,
  projects,
  choices,
  setAction,
  removeAction,
}: {
  tier: number;
  projects: ProjectLimitsRow[];
  choices: OverrideChoice[];
  setAction: FormAction;
  removeAction: FormAction;
}) {
  // One dialog and one confirmation for every project: they must outlive the row they act on.
  const [editing, setEditing] = React.useState<Target | null>(null);
  const [editOpen, setEditOpen] = React.useState(false);
  const [removing, setRemoving] = React.useState<{ projectId: string; projectName: string; model: string } | null>(null);
  const [removeOpen, setRemoveOpen] = React.useState(false);
  const anyManageable = projects.some((p) => p.canManage);

  if (projects.length === 0) {
    return (
      <EmptyState
        icon={FolderKanban}
        title="No projects to show"
        description="Projects you are a member of appear here with their limits."
        data-testid="project-limits-empty"
      />
    );
  }

  const edit = (project: ProjectLimitsRow, model: string | null) => {
    setEditing({ project, model });
    setEditOpen(true);
  };

  return (
    <div className="grid gap-4 *:min-w-0">
      {projects.map((p) => (
        <ProjectCard
          key={p.id}
          tier={tier}
          project={p}
          onEdit={(model) => edit(p, model)}
          onRemove={(model) => {
            setRemoving({ projectId: p.id, projectName: p.name, model });
            setRemoveOpen(true);
          }}
        />
      ))}
      {anyManageable && (
        <>
          <OverrideDialog
            open={editOpen}
            onOpenChange={setEditOpen}
            tier={tier}
            target={editing}
            choices={choices}
            action={setAction}
          />
          <ConfirmDialog
            open={removeOpen}
            onOpenChange={setRemoveOpen}
            title="Remove this override?"
            description={
              <p>
                In <span className="font-medium text-foreground">{removing?.projectName}</span>,{" "}
                {removing?.model === ALL_MODELS ? (
                  "every model then uses"
                ) : (
                  <>
                    <span className="font-mono text-foreground">{removing?.model}</span> then uses
                  </>
                )}{" "}
                the organization&apos;s tier {tier} limits
                {removing?.model === ALL_MODELS ? "." : " (and the project's all-models override, if any)."} The API applies it at
                once.
              </p>
            }
            confirmLabel="Remove override"
            pendingLabel="Removing…"
            action={removeAction}
            fields={{ projectId: removing?.projectId ?? "", model: removing?.model ?? "" }}
            confirmTestId="confirm-remove-override"
          />
        </>
      )}
    </div>
  );
}

function ProjectCard({
  tier,
  project: p,
  onEdit,
  onRemove,
}: {
  tier: number;
  project: ProjectLimitsRow;
  onEdit: (model: string | null) => void;
  onRemove: (model: string) => void;
}) {
  const allModels = p.overrides.find((o) => o.model === ALL_MODELS) ?? null;
  const named = p.overrides.length - (allModels ? 1 : 0);
  const summary =
    p.overrides.length === 0
      ? `No overrides: every model uses the organization's tier ${tier} limits.`
      : [allModels ? "An override for all models" : null, named ? `${plural(named, "model override")}` : null].filter(Boolean).join(" and ") +
        `, within the tier ${tier} limits.`;
  return (
    <Card data-testid="project-limits" data-project-id={p.id} data-project-name={p.name} className="gap-4">
      <CardHeader>
        <CardTitle className="flex min-w-0 flex-wrap items-center gap-2">
          <Link href={`/projects/${p.id}/settings`} className="truncate underline-offset-4 hover:underline" title={`${p.name}: settings`}>
            {p.name}
          </Link>
          <RoleBadge role={p.role} />
        </CardTitle>
        <CardDescription data-testid="project-limits-summary">{summary}</CardDescription>
        {p.canManage && (
          <CardAction>
            <Button variant="outline" size="sm" onClick={() => onEdit(null)} data-testid="add-override-button">
              <Plus aria-hidden="true" />
              Add override
            </Button>
          </CardAction>
        )}
      </CardHeader>
      {p.overrides.length > 0 && (
        <CardContent>
          <div className="overflow-hidden rounded-lg border">
            <Table data-testid="project-effective-table">
              <TableHeader className="bg-muted/40">
                <TableRow className="hover:bg-transparent">
                  <TableHead className="pl-4">Model</TableHead>
                  {LIMIT_FIELDS.map((f) => (
                    <TableHead key={f.key} className="text-right" title={`${f.title} in force, and the tier's value when the project's is tighter`}>
                      {f.label}
                    </TableHead>
                  ))}
                  {p.canManage && (
                    <TableHead className="pr-4 text-right">
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  )}
                </TableRow>
              </TableHeader>
              <TableBody>
                {allModels && (
                  <TableRow data-testid="project-limit-row" data-model={ALL_MODELS} className="bg-muted/20">
                    <TableCell className="pl-4">
                      <div className="grid gap-0.5">
                        <span className="inline-flex items-center gap-2 font-medium">
                          All models <Badge variant="secondary">override</Badge>
                        </span>
                        <span className="text-xs text-muted-foreground">Each model separately</span>
                      </div>
                    </TableCell>
                    {LIMIT_FIELDS.map((f) => (
                      <TableCell key={f.key} className="text-right" data-testid={`project-limit-${f.key}`}>
                        <div className={cn("tabular-nums", allModels[f.key] === null ? "text-muted-foreground" : "font-medium")}>
                          {allModels[f.key] === null ? "Not set" : limitText(allModels[f.key])}
                        </div>
                        <div className="text-xs text-muted-foreground">tier {limitText(allModels.tier[f.key]).toLowerCase()}</div>
                      </TableCell>
                    ))}
                    {p.canManage && <RowActions label="all models" onEdit={() => onEdit(ALL_MODELS)} onRemove={() => onRemove(ALL_MODELS)} />}
                  </TableRow>
                )}
                {p.effective.map((e) => (
                  <TableRow key={e.model} data-testid="project-limit-row" data-model={e.model}>
                    <TableCell className="max-w-[18rem] pl-4">
                      <span className="inline-flex max-w-full min-w-0 items-center gap-2">
                        <span className="truncate font-mono text-[13px]" title={e.model}>
                          {e.model}
                        </span>
                        {e.ownRow && <Badge variant="secondary">override</Badge>}
                        {!e.enabled && <Badge variant="muted">Unavailable</Badge>}
                      </span>
                    </TableCell>
                    {LIMIT_FIELDS.map((f) => (
                      <TableCell key={f.key} className="text-right" data-testid={`project-limit-${f.key}`} data-value={e.limits[f.key] ?? ""}>
                        <div className={cn("tabular-nums", e.tightened[f.key] ? "font-medium" : "text-muted-foreground")}>{limitText(e.limits[f.key])}</div>
                        <div className="text-xs text-muted-foreground">
                          {e.tightened[f.key] ? `tier ${limitText(e.tier[f.key]).toLowerCase()}` : "tier default"}
                        </div>
                      </TableCell>
                    ))}
                    {p.canManage &&
                      (e.ownRow ? (
                        <RowActions label={e.model} onEdit={() => onEdit(e.model)} onRemove={() => onRemove(e.model)} />
                      ) : (
                        <TableCell className="pr-3 text-right">
                          <div className="flex justify-end gap-0.5">
                            <Button
                              variant="ghost"
                              size="icon-sm"
                              className="text-muted-foreground hover:text-foreground"
                              aria-label={`Set an override for ${e.model}`}
                              title="Set an override"
                              data-testid="set-override-button"
                              onClick={() => onEdit(e.model)}
                            >
                              <Plus aria-hidden="true" />
                            </Button>
                            <span className="inline-block size-8" aria-hidden="true" />
                          </div>
                        </TableCell>
                      ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </CardContent>
      )}
    </Card>
  );
}

function RowActions({ label, onEdit, onRemove }: { label: string; onEdit: () => void; onRemove: () => void }) {
  return (
    <TableCell className="pr-3 text-right">
      <div className="flex justify-end gap-0.5">
        <Button
          variant="ghost"
          size="icon-sm"
          className="text-muted-foreground hover:text-foreground"
          aria-label={`Edit the override for ${label}`}
          title="Edit override"
          data-testid="edit-override-button"
          onClick={onEdit}
        >
          <Pencil aria-hidden="true" />
        </Button>
        <Button
          variant="ghost"
          size="icon-sm"
          className="text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
          aria-label={`Remove the override for ${label}`}
          title="Remove override"
          data-testid="remove-override-button"
          onClick={onRemove}
        >
          <Trash2 aria-hidden="true" />
        </Button>
      </div>
    </TableCell>
  );
}

function OverrideDialog({
  open,
  onOpenChange,
  tier,
  target,
  choices,
  action,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  tier: number;
  target: Target | null;
  choices: OverrideChoice[];
  action: FormAction;
}) {
  // A fresh form each time the dialog opens, so nothing typed last time lingers.
  const [session, setSession] = React.useState(0);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-lg" data-testid="override-dialog" onCloseAutoFocus={() => setSession((s) => s + 1)}>
        <DialogHeader>
          <DialogTitle>{target?.model ? `Limits of ${modelLabel(target.model)}` : "Add a project override"}</DialogTitle>
          <DialogDescription>
            {target ? (
              <>
                For <span className="font-medium text-foreground">{target.project.name}</span>. Overrides can only be tighter than
                the organization&apos;s tier {tier}; blank means the tier&apos;s limit applies.
              </>
            ) : null}
          </DialogDescription>
        </DialogHeader>
        {target && (
          <OverrideForm
            key={`${session}:${target.project.id}:${target.model ?? ""}`}
            tier={tier}
            target={target}
            choices={choices}
            action={action}
            onDone={() => onOpenChange(false)}
          />
        )}
      </DialogContent>
    </Dialog>
  );
}

function OverrideForm({
  tier,
  target,
  choices,
  action,
  onDone,
}: {
  tier: number;
  target: Target;
  choices: OverrideChoice[];
  action: FormAction;
  onDone: () => void;
}) {
  const uid = React.useId();
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, {
    fields: ["model", "rpm", "tpm", "rpd"],
    onSuccess: onDone,
  });
  const own = new Map(target.project.overrides.map((o) => [o.model, o]));
  // Adding starts on the first model without an override of its own.
  const [model, setModel] = React.useState(target.model ?? choices.find((c) => !own.has(c.model))?.model ?? choices[0]?.model ?? ALL_MODELS);
  const existing = own.get(model) ?? null;
  const tierLimit = existing?.tier ?? choices.find((c) => c.model === model)?.tier ?? { rpm: null, tpm: null, rpd: null };
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
      <input type="hidden" name="projectId" value={target.project.id} />
      {target.model ? (
        <input type="hidden" name="model" value={target.model} />
      ) : (
        <div className="grid gap-2">
          <Label htmlFor={`${uid}-model`}>Model</Label>
          <Select
            id={`${uid}-model`}
            name="model"
            value={model}
            onChange={(e) => setModel(e.target.value)}
            aria-invalid={!!fe.model || undefined}
            data-testid="override-model"
          >
            {choices.map((c) => (
              <option key={c.model} value={c.model}>
                {c.model === ALL_MODELS ? "All models (each model separately)" : c.model}
                {own.has(c.model) ? " — has an override" : ""}
              </option>
            ))}
          </Select>
          <FieldError errors={fe.model} />
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        {LIMIT_FIELDS.map((f) => (
          <TextField
            key={`${model}:${f.key}`}
            label={f.label}
            name={f.key}
            inputMode="numeric"
            title={f.title}
            defaultValue={existing && existing[f.key] !== null ? String(existing[f.key]) : ""}
            placeholder={tierLimit[f.key] === null ? "No limit" : `Up to ${limitText(tierLimit[f.key])}`}
            error={fe[f.key]}
            hint={`Tier ${tier}: ${limitText(tierLimit[f.key]).toLowerCase()}`}
            testId={`override-${f.key}-input`}
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
        <FormSubmitButton pending={pending} pendingText="Saving…" data-testid="override-submit">
          Save override
        </FormSubmitButton>
      </DialogFooter>
    </form>
  );
}

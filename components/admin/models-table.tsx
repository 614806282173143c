"use client";

import * as React from "react";
import { Pencil, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FormAction } from "@/components/ui/use-form-action";
import { formatPrice } from "@/lib/admin/money";
import { cn } from "@/lib/utils";
import { EditModelDialog } from "./edit-model-dialog";
import { CAPABILITY_LABELS, formatTokens, missingPrices, PROVIDER_LABELS, SOURCE_LABELS } from "./model-format";
import type { AdminModelRow } from "./types";

type Props = {
  models: AdminModelRow[];
  updateAction: FormAction;
  deleteAction: FormAction;
  /** Shown instead of the table when the catalog is empty (the dialogs stay mounted). */
  empty?: React.ReactNode;
};

/** The model catalog with its prices; edit any model, delete the ones made in the console. */
export function ModelsTable({ models, updateAction, deleteAction, empty }: Props) {
  // One dialog of each kind for the whole table: they must outlive the row they act on.
  const [editing, setEditing] = React.useState<AdminModelRow | null>(null);
  const [editOpen, setEditOpen] = React.useState(false);
  const [deleting, setDeleting] = React.useState<AdminModelRow | null>(null);
  const [deleteOpen, setDeleteOpen] = React.useState(false);

  return (
    <>
      {models.length === 0 && empty ? (
        empty
      ) : (
        <div className="overflow-hidden rounded-xl border bg-card">
          <Table data-testid="models-table">
            <TableHeader className="bg-muted/40">
              <TableRow className="hover:bg-transparent">
                <TableHead className="pl-4">Model</TableHead>
                <TableHead className="text-right">Context</TableHead>
                <TableHead>Capabilities</TableHead>
                <TableHead className="text-right" title="Dollars per 1M input tokens">
                  Input / 1M
                </TableHead>
                <TableHead className="text-right" title="Dollars per 1M cached input tokens">
                  Cached / 1M
                </TableHead>
                <TableHead className="text-right" title="Dollars per 1M output tokens">
                  Output / 1M
                </TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="pr-4 text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {models.map((m) => {
                const missing = missingPrices(m);
                const source = SOURCE_LABELS[m.source] ?? { label: m.source, hint: "" };
                return (
                  <TableRow
                    key={m.id}
                    data-testid="model-row"
                    data-model-id={m.id}
                    className={cn(!m.enabled && "text-muted-foreground")}
                  >
                    <TableCell className="max-w-[14rem] pl-4">
                      <div className="truncate font-medium text-foreground" title={m.id} data-testid="model-id">
                        {m.id}
                      </div>
                      <div className="truncate text-xs text-muted-foreground" data-testid="model-origin">
                        {PROVIDER_LABELS[m.provider] ?? m.provider}
                        {m.via && <> via {m.via}</>} · <span title={source.hint}>{source.label}</span>
                      </div>
                      {m.upstreamId !== m.id && (
                        <div className="truncate font-mono text-xs text-muted-foreground" title={m.upstreamId}>
                          {m.upstreamId}
                        </div>
                      )}
                    </TableCell>
                    <TableCell className="text-right tabular-nums" data-testid="model-context">
                      {formatTokens(m.contextWindow)}
                    </TableCell>
                    <TableCell>
                      <div className="flex w-44 flex-wrap gap-1">
                        {m.capabilities.map((c) => (
                          <Badge key={c} variant="muted">
                            {CAPABILITY_LABELS[c] ?? c}
                          </Badge>
                        ))}
                      </div>
                    </TableCell>
                    <PriceCell micros={m.inputPriceMicros} missing={missing.input} testId="model-input-price" />
                    <PriceCell micros={m.cachedInputPriceMicros} missing={false} testId="model-cached-price" fallback="Same as input" />
                    <PriceCell micros={m.outputPriceMicros} missing={missing.output} testId="model-output-price" />
                    <TableCell>
                      <Badge variant={m.enabled ? "success" : "muted"} data-testid="model-status">
                        {m.enabled ? "Enabled" : "Disabled"}
                      </Badge>
                    </TableCell>
                    <TableCell className="pr-3 text-right">
                      <div className="flex justify-end gap-0.5">
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          className="text-muted-foreground hover:text-foreground"
                          aria-label={`Edit ${m.id}`}
                          title="Edit model"
                          data-testid="edit-model-button"
                          onClick={() => {
                            setEditing(m);
                            setEditOpen(true);
                          }}
                        >
                          <Pencil aria-hidden="true" />
                        </Button>
                        {m.source === "console" ? (
                          <Button
                            variant="ghost"
                            size="icon-sm"
                            className="text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
                            aria-label={`Delete ${m.id}`}
                            title="Delete model"
                            data-testid="delete-model-button"
                            onClick={() => {
                              setDeleting(m);
                              setDeleteOpen(true);
                            }}
                          >
                            <Trash2 aria-hidden="true" />
                          </Button>
                        ) : (
                          // Keeps the columns aligned; env and discovered models can only be disabled.
                          <span className="inline-block size-8" aria-hidden="true" />
                        )}
                      </div>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}

      <EditModelDialog open={editOpen} onOpenChange={setEditOpen} model={editing} action={updateAction} />
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title="Delete model?"
        description={
          <>
            <p>
              <span className="font-medium text-foreground">{deleting?.id}</span> disappears from the API at once: requests
              naming it get <span className="font-mono">model_not_found</span>. Its usage history stays.
            </p>
            <p className="mt-2">You can register it again later.</p>
          </>
        }
        confirmLabel="Delete model"
        pendingLabel="Deleting…"
        action={deleteAction}
        fields={{ modelId: deleting?.id ?? "" }}
        confirmTestId="confirm-delete-model-button"
      />
    </>
  );
}

function PriceCell({ micros, missing, testId, fallback }: { micros: number | null; missing: boolean; testId: string; fallback?: string }) {
  const price = formatPrice(micros);
  return (
    <TableCell className="text-right tabular-nums" data-testid={testId}>
      {price ? (
        <span className="text-foreground">{price}</span>
      ) : missing ? (
        <Badge variant="warning" title="The API refuses requests to this model until it has a price">
          Not priced
        </Badge>
      ) : (
        <span className="text-xs text-muted-foreground">{fallback ?? "—"}</span>
      )}
    </TableCell>
  );
}

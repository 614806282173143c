"use client";

import * as React from "react";
import { Bot, Pencil, Trash2 } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DateText } from "@/components/projects/date-text";
import type { FormAction } from "@/components/ui/use-form-action";
import { EditKeyDialog } from "./edit-key-dialog";
import type { ApiKeyRow } from "./types";

type Props = {
  projectId: string;
  keys: ApiKeyRow[];
  /** Project owners get the Edit and Revoke actions. */
  canManage: boolean;
  updateAction: FormAction;
  revokeAction: FormAction;
  /** Shown instead of the table when there are no keys (the dialogs stay mounted). */
  empty?: React.ReactNode;
};

export function ApiKeysTable({ projectId, keys, canManage, updateAction, revokeAction, empty }: Props) {
  // One edit dialog and one confirmation for the whole table: they must outlive the row they
  // act on (a revoked row disappears before the confirmation has closed).
  const [editing, setEditing] = React.useState<ApiKeyRow | null>(null);
  const [editOpen, setEditOpen] = React.useState(false);
  const [revoking, setRevoking] = React.useState<ApiKeyRow | null>(null);
  const [revokeOpen, setRevokeOpen] = React.useState(false);

  return (
    <>
      {keys.length === 0 && empty ? (
        empty
      ) : (
        <div className="overflow-hidden rounded-xl border bg-card">
          <Table data-testid="api-keys-table">
            <TableHeader className="bg-muted/40">
              <TableRow className="hover:bg-transparent">
                <TableHead className="pl-4">Name</TableHead>
                <TableHead>Secret key</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>Created by</TableHead>
                <TableHead>Permissions</TableHead>
                <TableHead>Owner</TableHead>
                <TableHead>Expires</TableHead>
                {canManage && (
                  <TableHead className="pr-4 text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.map((k) => (
                <TableRow key={k.id} data-testid="key-row" data-key-name={k.name}>
                  <TableCell className="max-w-[16rem] truncate pl-4 font-medium" title={k.name}>
                    {k.name}
                  </TableCell>
                  <TableCell>
                    <code className="font-mono text-[13px] text-muted-foreground">{k.redactedValue}</code>
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    <DateText value={k.created} />
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    <DateText value={k.lastUsed} fallback="Never" />
                  </TableCell>
                  <TableCell className="max-w-[12rem] truncate text-muted-foreground" title={k.createdBy ?? undefined}>
                    {k.createdBy ?? "—"}
                  </TableCell>
                  <TableCell>
                    <span title={k.permissionsDetail ?? undefined} data-testid="key-permissions">
                      {k.permissionsLabel}
                    </span>
                  </TableCell>
                  <TableCell>
                    <Owner owner={k.owner} />
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    {k.expired ? (
                      <span className="inline-flex items-center gap-2">
                        <Badge variant="destructive">Expired</Badge>
                        <DateText value={k.expires} />
                      </span>
                    ) : (
                      <DateText value={k.expires} fallback="Never" />
                    )}
                  </TableCell>
                  {canManage && (
                    <TableCell className="pr-3 text-right">
                      <div className="flex justify-end gap-0.5">
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          className="text-muted-foreground hover:text-foreground"
                          aria-label={`Edit ${k.name}`}
                          title="Edit key"
                          data-testid="edit-key-button"
                          onClick={() => {
                            setEditing(k);
                            setEditOpen(true);
                          }}
                        >
                          <Pencil aria-hidden="true" />
                        </Button>
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          className="text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
                          aria-label={`Revoke ${k.name}`}
                          title="Revoke key"
                          data-testid="revoke-key-button"
                          onClick={() => {
                            setRevoking(k);
                            setRevokeOpen(true);
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

      {canManage && (
        <>
          <EditKeyDialog
            open={editOpen}
            onOpenChange={setEditOpen}
            projectId={projectId}
            apiKey={editing}
            action={updateAction}
          />
          <ConfirmDialog
            open={revokeOpen}
            onOpenChange={setRevokeOpen}
            title="Revoke secret key?"
            description={
              <>
                <p>
                  <span className="font-medium text-foreground">{revoking?.name}</span>{" "}
                  <span className="font-mono">({revoking?.redactedValue})</span> will stop working immediately. Any
                  apps or services using it will get authentication errors.
                </p>
                <p className="mt-2">This cannot be undone.</p>
              </>
            }
            confirmLabel="Revoke key"
            pendingLabel="Revoking…"
            action={revokeAction}
            fields={{ projectId, keyId: revoking?.id ?? "" }}
            confirmTestId="confirm-revoke-button"
          />
        </>
      )}
    </>
  );
}

function Owner({ owner }: { owner: ApiKeyRow["owner"] }) {
  switch (owner.kind) {
    case "you":
      return <span>You</span>;
    case "user":
      return (
        <span className="inline-block max-w-[12rem] truncate align-middle" title={owner.label}>
          {owner.label}
        </span>
      );
    case "service_account":
      return (
        <span className="inline-flex items-center gap-2">
          <span className="max-w-[10rem] truncate" title={owner.label}>
            {owner.label}
          </span>
          <Badge variant="muted">
            <Bot aria-hidden="true" />
            Service account
          </Badge>
        </span>
      );
    default:
      return <span className="text-muted-foreground">—</span>;
  }
}

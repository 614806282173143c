"use client";

import * as React from "react";
import Link from "next/link";
import { Bot, KeyRound, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DateText } from "./date-text";
import type { FormattedDate } from "./format";
import type { FormAction } from "@/components/ui/use-form-action";

export type ServiceAccountRow = { id: string; name: string; created: FormattedDate | null; activeKeys: number };

const keysText = (n: number) => `${n} active API ${n === 1 ? "key" : "keys"}`;

export function ServiceAccountsTable({
  projectId,
  serviceAccounts,
  canManage,
  canCreateKeys,
  deleteAction,
  empty,
}: {
  projectId: string;
  serviceAccounts: ServiceAccountRow[];
  canManage: boolean;
  canCreateKeys: boolean;
  deleteAction: FormAction;
  /** Shown instead of the table when there are none (the confirmation stays mounted). */
  empty?: React.ReactNode;
}) {
  const [deleting, setDeleting] = React.useState<ServiceAccountRow | null>(null);
  const [deleteOpen, setDeleteOpen] = React.useState(false);

  return (
    <>
      {serviceAccounts.length === 0 && empty ? (
        empty
      ) : (
        <div className="overflow-hidden rounded-xl border bg-card">
          <Table data-testid="service-accounts-table">
            <TableHeader className="bg-muted/40">
              <TableRow className="hover:bg-transparent">
                <TableHead className="pl-4">Name</TableHead>
                <TableHead>ID</TableHead>
                <TableHead>Created</TableHead>
                <TableHead className="text-right">Active keys</TableHead>
                {canManage && (
                  <TableHead className="pr-4 text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {serviceAccounts.map((sa) => (
                <TableRow key={sa.id} data-testid="service-account-row" data-service-account-name={sa.name}>
                  <TableCell className="pl-4">
                    <span className="flex max-w-[18rem] items-center gap-2 font-medium">
                      <Bot className="size-4 shrink-0 text-muted-foreground" aria-hidden="true" />
                      <span className="truncate" title={sa.name}>
                        {sa.name}
                      </span>
                    </span>
                  </TableCell>
                  <TableCell>
                    <code className="font-mono text-[13px] text-muted-foreground">{sa.id}</code>
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    <DateText value={sa.created} />
                  </TableCell>
                  <TableCell className="text-right tabular-nums" data-testid="service-account-active-keys">
                    {sa.activeKeys}
                  </TableCell>
                  {canManage && (
                    <TableCell className="pr-3 text-right">
                      <div className="flex justify-end gap-0.5">
                        {canCreateKeys && (
                          <Button
                            asChild
                            variant="ghost"
                            size="icon-sm"
                            className="text-muted-foreground hover:text-foreground"
                          >
                            <Link
                              href={`/projects/${encodeURIComponent(projectId)}/api-keys?owner=${encodeURIComponent(sa.id)}`}
                              aria-label={`Create a key for ${sa.name}`}
                              title="Create a key"
                              data-testid="service-account-create-key-link"
                            >
                              <KeyRound aria-hidden="true" />
                            </Link>
                          </Button>
                        )}
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          className="text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
                          aria-label={`Delete ${sa.name}`}
                          title="Delete service account"
                          data-testid="delete-service-account-button"
                          onClick={() => {
                            setDeleting(sa);
                            setDeleteOpen(true);
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
        <ConfirmDialog
          open={deleteOpen}
          onOpenChange={setDeleteOpen}
          title="Delete service account?"
          description={
            <>
              <p>
                <span className="font-medium text-foreground">{deleting?.name}</span> will be deleted.{" "}
                {deleting && deleting.activeKeys > 0 ? (
                  <>
                    Its <span className="font-medium text-foreground" data-testid="keys-to-revoke">{keysText(deleting.activeKeys)}</span>{" "}
                    will be revoked immediately, and apps using {deleting.activeKeys === 1 ? "it" : "them"} will stop working.
                  </>
                ) : (
                  "It has no active API keys, so no keys will be revoked."
                )}
              </p>
              <p className="mt-2">This cannot be undone.</p>
            </>
          }
          confirmLabel="Delete service account"
          pendingLabel="Deleting…"
          action={deleteAction}
          fields={{ projectId, serviceAccountId: deleting?.id ?? "" }}
          confirmTestId="confirm-delete-service-account-button"
        />
      )}
    </>
  );
}

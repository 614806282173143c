"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { RoleBadge } from "./role-badge";
import type { FormAction } from "@/components/ui/use-form-action";

export type InvitationRow = { id: string; email: string; role: "owner" | "reader"; invited: string; expires: string };

export function PendingInvitations({
  orgId,
  invitations,
  canManage,
  revokeAction,
}: {
  orgId: string;
  invitations: InvitationRow[];
  canManage: boolean;
  revokeAction: FormAction;
}) {
  // One dialog for the table, so it stays mounted while the revoked row disappears.
  const [revoking, setRevoking] = useState<InvitationRow | null>(null);
  const [open, setOpen] = useState(false);
  if (invitations.length === 0 && !open) {
    return (
      <p className="rounded-xl border border-dashed px-4 py-6 text-center text-sm text-muted-foreground" data-testid="no-invitations">
        No pending invitations.
      </p>
    );
  }
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid="invitations-table">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead className="pl-4">Email</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Invited</TableHead>
            <TableHead>Expires</TableHead>
            {canManage && (
              <TableHead className="pr-4 text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            )}
          </TableRow>
        </TableHeader>
        <TableBody>
          {invitations.map((inv) => (
            <TableRow key={inv.id} data-testid="invitation-row" data-email={inv.email}>
              <TableCell className="pl-4 font-medium">{inv.email}</TableCell>
              <TableCell>
                <RoleBadge role={inv.role} />
              </TableCell>
              <TableCell className="text-muted-foreground">{inv.invited}</TableCell>
              <TableCell className="text-muted-foreground">{inv.expires}</TableCell>
              {canManage && (
                <TableCell className="pr-4 text-right">
                  <Button
                    variant="ghost"
                    size="sm"
                    className="text-muted-foreground hover:text-destructive"
                    aria-label={`Revoke invitation for ${inv.email}`}
                    data-testid="revoke-invitation-button"
                    onClick={() => {
                      setRevoking(inv);
                      setOpen(true);
                    }}
                  >
                    Revoke
                  </Button>
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title="Revoke invitation?"
        description={`The link sent to ${revoking?.email ?? ""} stops working right away. You can invite them again later.`}
        confirmLabel="Revoke invitation"
        pendingLabel="Revoking…"
        action={revokeAction}
        fields={{ orgId, invitationId: revoking?.id ?? "" }}
        confirmTestId="confirm-revoke-invitation-button"
      />
    </div>
  );
}

import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { RevokeInvitationButton } from "./revoke-invitation-button";
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
  if (invitations.length === 0) {
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
                  <RevokeInvitationButton orgId={orgId} invitationId={inv.id} email={inv.email} action={revokeAction} />
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

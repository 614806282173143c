"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { MemberRoleSelect } from "./member-role-select";
import { RoleBadge } from "./role-badge";
import type { CallAction } from "./types";
import type { FormAction } from "@/components/ui/use-form-action";

export type MemberRow = {
  userId: string;
  name: string | null;
  email: string;
  role: "owner" | "reader";
  joined: string;
};

function initials(name: string | null, email: string) {
  const parts = (name || email).trim().split(/[\s@._-]+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[1][0] : (name || email).slice(0, 2)).toUpperCase();
}

export function MembersTable({
  orgId,
  orgName,
  members,
  currentUserId,
  canManage,
  changeRoleAction,
  removeAction,
}: {
  orgId: string;
  orgName: string;
  members: MemberRow[];
  currentUserId: string;
  canManage: boolean;
  changeRoleAction: CallAction<{ orgId: string; userId: string; role: string }>;
  removeAction: FormAction;
}) {
  // One dialog for the table, so it stays mounted while the removed row disappears.
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const [open, setOpen] = useState(false);
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid="members-table">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead className="pl-4">Name</TableHead>
            <TableHead>Email</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Joined</TableHead>
            {canManage && (
              <TableHead className="pr-4 text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            )}
          </TableRow>
        </TableHeader>
        <TableBody>
          {members.map((m) => {
            const isSelf = m.userId === currentUserId;
            const label = m.name || m.email;
            return (
              <TableRow key={m.userId} data-testid="member-row" data-email={m.email} data-role={m.role}>
                <TableCell className="pl-4">
                  <div className="flex items-center gap-3">
                    <span
                      aria-hidden="true"
                      className="inline-flex size-7 shrink-0 items-center justify-center rounded-full border bg-muted text-[10px] font-semibold text-muted-foreground"
                    >
                      {initials(m.name, m.email)}
                    </span>
                    <span className={m.name ? "font-medium" : "text-muted-foreground"}>{m.name || "—"}</span>
                    {isSelf && <Badge variant="muted">You</Badge>}
                  </div>
                </TableCell>
                <TableCell className="text-muted-foreground">{m.email}</TableCell>
                <TableCell>
                  {canManage ? (
                    <MemberRoleSelect orgId={orgId} userId={m.userId} role={m.role} memberLabel={label} action={changeRoleAction} />
                  ) : (
                    <RoleBadge role={m.role} />
                  )}
                </TableCell>
                <TableCell className="text-muted-foreground">{m.joined}</TableCell>
                {canManage && (
                  <TableCell className="pr-4 text-right">
                    {!isSelf && (
                      <Button
                        variant="ghost"
                        size="sm"
                        className="text-muted-foreground hover:text-destructive"
                        aria-label={`Remove ${label}`}
                        data-testid="remove-member-button"
                        onClick={() => {
                          setRemoving(m);
                          setOpen(true);
                        }}
                      >
                        Remove
                      </Button>
                    )}
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Remove ${removing?.name || removing?.email || "member"}?`}
        description={`They immediately lose access to ${orgName} and every project in it. You can invite them again later.`}
        confirmLabel="Remove member"
        pendingLabel="Removing…"
        action={removeAction}
        fields={{ orgId, userId: removing?.userId ?? "" }}
        confirmTestId="confirm-remove-button"
      />
    </div>
  );
}

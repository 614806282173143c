import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { MemberRoleSelect } from "./member-role-select";
import { RemoveMemberButton } from "./remove-member-button";
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
                      <RemoveMemberButton orgId={orgId} orgName={orgName} userId={m.userId} memberLabel={label} action={removeAction} />
                    )}
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

"use client";

import * as React from "react";
import { UserMinus } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ProjectRole } from "@/lib/auth/roles";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DateText } from "./date-text";
import type { FormattedDate } from "./format";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

export type MemberRow = {
  userId: string;
  name: string | null;
  email: string;
  role: ProjectRole;
  added: FormattedDate | null;
  isYou: boolean;
};

const ROLE_LABEL: Record<ProjectRole, string> = { owner: "Owner", member: "Member" };

export function MembersTable({
  projectId,
  members,
  canManage,
  changeRoleAction,
  removeAction,
  empty,
}: {
  projectId: string;
  members: MemberRow[];
  canManage: boolean;
  changeRoleAction: FormAction;
  removeAction: FormAction;
  /** Shown instead of the table when there are no members (the confirmation stays mounted). */
  empty?: React.ReactNode;
}) {
  const [removing, setRemoving] = React.useState<MemberRow | null>(null);
  const [removeOpen, setRemoveOpen] = React.useState(false);

  return (
    <>
      {members.length === 0 && empty ? (
        empty
      ) : (
        <div className="overflow-hidden rounded-xl border bg-card">
          <Table data-testid="members-table">
            <TableHeader className="bg-muted/40">
              <TableRow className="hover:bg-transparent">
                <TableHead className="pl-4">Name</TableHead>
                <TableHead>Email</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Added</TableHead>
                {canManage && (
                  <TableHead className="pr-4 text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.map((m) => (
                <TableRow key={m.userId} data-testid="member-row" data-member-email={m.email}>
                  <TableCell className="pl-4">
                    <span className="flex max-w-[16rem] items-center gap-2">
                      <span className={m.name ? "truncate font-medium" : "truncate text-muted-foreground"} title={m.name ?? undefined}>
                        {m.name || "—"}
                      </span>
                      {m.isYou && <Badge variant="muted">You</Badge>}
                    </span>
                  </TableCell>
                  <TableCell className="max-w-[18rem] truncate text-muted-foreground" title={m.email}>
                    {m.email}
                  </TableCell>
                  <TableCell>
                    {canManage ? (
                      <RoleSelect projectId={projectId} member={m} action={changeRoleAction} />
                    ) : (
                      <Badge variant={m.role === "owner" ? "secondary" : "outline"} data-testid="member-role">
                        {ROLE_LABEL[m.role]}
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    <DateText value={m.added} />
                  </TableCell>
                  {canManage && (
                    <TableCell className="pr-3 text-right">
                      <Button
                        variant="ghost"
                        size="icon-sm"
                        className="text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
                        aria-label={`Remove ${m.email} from the project`}
                        title="Remove from project"
                        data-testid="remove-member-button"
                        onClick={() => {
                          setRemoving(m);
                          setRemoveOpen(true);
                        }}
                      >
                        <UserMinus aria-hidden="true" />
                      </Button>
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
          open={removeOpen}
          onOpenChange={setRemoveOpen}
          title={removing?.isYou ? "Leave this project?" : "Remove member?"}
          description={
            removing?.isYou ? (
              <p>
                You will lose your project role. Unless you are an organization owner, you will no longer see this
                project.
              </p>
            ) : (
              <p>
                <span className="font-medium text-foreground">{removing?.name || removing?.email}</span> will lose access
                to this project. Keys they own are not revoked: revoke them on the API keys page if they should stop
                working.
              </p>
            )
          }
          confirmLabel={removing?.isYou ? "Leave project" : "Remove member"}
          pendingLabel="Removing…"
          action={removeAction}
          fields={{ projectId, userId: removing?.userId ?? "" }}
          confirmTestId="confirm-remove-member-button"
        />
      )}
    </>
  );
}

/** Changing the select saves right away; failures toast and the select shows the saved role again. */
function RoleSelect({ projectId, member, action }: { projectId: string; member: MemberRow; action: FormAction }) {
  const [value, setValue] = React.useState<ProjectRole>(member.role);
  const [savedRole, setSavedRole] = React.useState<ProjectRole>(member.role);
  // Follow the server's value after a refresh (e.g. another owner changed it).
  if (savedRole !== member.role) {
    setSavedRole(member.role);
    setValue(member.role);
  }
  const { pending, submitData } = useFormAction(action, {
    toastErrors: true,
    onError: () => setValue(member.role),
  });

  function onChange(e: React.ChangeEvent<HTMLSelectElement>) {
    const role = e.target.value as ProjectRole;
    setValue(role);
    const data = new FormData();
    data.set("projectId", projectId);
    data.set("userId", member.userId);
    data.set("role", role);
    submitData(data);
  }

  return (
    <div className="flex items-center gap-2">
      <Select
        value={value}
        onChange={onChange}
        disabled={pending}
        aria-label={`Role for ${member.email}`}
        wrapperClassName="w-32"
        className="h-8"
        data-testid="member-role-select"
      >
        <option value="owner">Owner</option>
        <option value="member">Member</option>
      </Select>
      {pending && <Spinner label="Saving role" className="text-muted-foreground" />}
    </div>
  );
}

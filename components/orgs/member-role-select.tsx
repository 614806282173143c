"use client";

import { useOptimistic, useTransition } from "react";
import { Select } from "@/components/ui/select";
import { callWithToast } from "@/components/ui/use-form-action";
import type { CallAction } from "./types";

type Role = "owner" | "reader";

/** Changes an organization member's role as soon as a new value is picked. */
export function MemberRoleSelect({
  orgId,
  userId,
  role,
  memberLabel,
  action,
}: {
  orgId: string;
  userId: string;
  role: Role;
  memberLabel: string;
  action: CallAction<{ orgId: string; userId: string; role: string }>;
}) {
  const [shownRole, setShownRole] = useOptimistic<Role>(role);
  const [pending, startTransition] = useTransition();

  function onChange(e: React.ChangeEvent<HTMLSelectElement>) {
    const next = e.target.value as Role;
    startTransition(async () => {
      setShownRole(next);
      // On failure the optimistic value falls back to the server's role when the transition ends.
      await callWithToast(() => action({ orgId, userId, role: next }));
    });
  }

  return (
    <Select
      aria-label={`Role for ${memberLabel}`}
      value={shownRole}
      onChange={onChange}
      aria-busy={pending || undefined}
      data-pending={pending ? "true" : undefined}
      data-testid="member-role-select"
      wrapperClassName="w-28"
      className="h-8"
    >
      <option value="owner">Owner</option>
      <option value="reader">Reader</option>
    </Select>
  );
}

"use client";

import * as React from "react";
import { UserPlus } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { FormAlert } from "@/components/ui/form-alert";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

const FIELDS = ["email", "role"] as const;

/** "Add member": an existing organization member, by email, as owner or member. */
export function AddMemberDialog({
  projectId,
  action,
  suggestions,
}: {
  projectId: string;
  action: FormAction;
  /** Emails of organization members who are not in the project yet (autocomplete). */
  suggestions: string[];
}) {
  const [open, setOpen] = React.useState(false);
  const [session, setSession] = React.useState(0);
  function onOpenChange(next: boolean) {
    if (next) setSession((s) => s + 1);
    setOpen(next);
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button data-testid="add-member-button">
          <UserPlus aria-hidden="true" />
          Add member
        </Button>
      </DialogTrigger>
      <AddMemberContent
        key={session}
        projectId={projectId}
        action={action}
        suggestions={suggestions}
        onDone={() => onOpenChange(false)}
      />
    </Dialog>
  );
}

function AddMemberContent({
  projectId,
  action,
  suggestions,
  onDone,
}: {
  projectId: string;
  action: FormAction;
  suggestions: string[];
  onDone: () => void;
}) {
  const uid = React.useId();
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS, onSuccess: onDone });
  return (
    <DialogContent>
      <DialogHeader>
        <DialogTitle>Add project member</DialogTitle>
        <DialogDescription>
          Add someone who is already a member of the organization. To add someone new, invite them to the organization
          first.
        </DialogDescription>
      </DialogHeader>
      <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
        <input type="hidden" name="projectId" value={projectId} />
        <div className="grid gap-2">
          <Label htmlFor={`${uid}-email`}>Email</Label>
          <Input
            id={`${uid}-email`}
            name="email"
            type="email"
            placeholder="name@example.com"
            required
            autoComplete="off"
            list={suggestions.length ? `${uid}-emails` : undefined}
            aria-invalid={!!fe.email || undefined}
            aria-describedby={fe.email ? `${uid}-email-error` : undefined}
            data-testid="member-email-input"
          />
          {suggestions.length > 0 && (
            <datalist id={`${uid}-emails`}>
              {suggestions.map((e) => (
                <option key={e} value={e} />
              ))}
            </datalist>
          )}
          <FieldError id={`${uid}-email-error`} errors={fe.email} />
        </div>
        <div className="grid gap-2">
          <Label htmlFor={`${uid}-role`}>Role</Label>
          <Select
            id={`${uid}-role`}
            name="role"
            defaultValue="member"
            aria-invalid={!!fe.role || undefined}
            aria-describedby={`${uid}-role-help`}
            data-testid="add-member-role-select"
          >
            <option value="member">Member</option>
            <option value="owner">Owner</option>
          </Select>
          {fe.role ? (
            <FieldError errors={fe.role} />
          ) : (
            <p id={`${uid}-role-help`} className="text-[13px] text-muted-foreground">
              Owners manage the project&apos;s keys, service accounts, members and settings. Members can view them.
            </p>
          )}
        </div>
        <FormAlert message={formError} />
        <DialogFooter className="pt-1">
          <DialogClose asChild>
            <Button variant="outline" disabled={pending}>
              Cancel
            </Button>
          </DialogClose>
          <FormSubmitButton pending={pending} pendingText="Adding…" data-testid="add-member-submit">
            Add member
          </FormSubmitButton>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}

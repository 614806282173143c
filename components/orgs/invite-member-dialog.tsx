"use client";

import { useState } from "react";
import { CircleCheck, UserPlus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
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
import { ORG_ROLE_HINTS } from "./format";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import type { InviteResult } from "./types";

type Props = {
  orgId: string;
  orgName: string;
  /** The organization's active projects. */
  projects: { id: string; name: string }[];
  action: FormAction<InviteResult>;
};

export function InviteMemberDialog(props: Props) {
  const [open, setOpen] = useState(false);
  // A new key gives "Invite another" a fresh, empty form.
  const [round, setRound] = useState(0);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button data-testid="invite-button">
          <UserPlus aria-hidden="true" />
          Invite member
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg" data-testid="invite-dialog">
        <InviteFlow key={round} {...props} onDone={() => setOpen(false)} onAnother={() => setRound((r) => r + 1)} />
      </DialogContent>
    </Dialog>
  );
}

function InviteFlow({ orgId, orgName, projects, action, onDone, onAnother }: Props & { onDone: () => void; onAnother: () => void }) {
  const { state, pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action);
  // Controlled fields: React resets uncontrolled ones after every submission, even a rejected one.
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"owner" | "reader">("reader");
  const [checked, setChecked] = useState<Set<string>>(() => new Set(projects[0] ? [projects[0].id] : []));
  const [projectRoles, setProjectRoles] = useState<Record<string, "owner" | "member">>({});

  if (state?.ok && state.data) {
    return <InviteCreated invite={state.data} onDone={onDone} onAnother={onAnother} />;
  }

  const projectsError = Object.entries(fe).find(([k]) => k.startsWith("projects"))?.[1];

  function toggle(projectId: string, on: boolean) {
    setChecked((prev) => {
      const next = new Set(prev);
      if (on) next.add(projectId);
      else next.delete(projectId);
      return next;
    });
  }

  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
      <DialogHeader>
        <DialogTitle>Invite member</DialogTitle>
        <DialogDescription>Invite someone to {orgName}. You get a link to send them.</DialogDescription>
      </DialogHeader>
      <input type="hidden" name="orgId" value={orgId} />

      <div className="space-y-2">
        <Label htmlFor="invite-email">Email</Label>
        <Input
          id="invite-email"
          name="email"
          type="email"
          autoComplete="off"
          placeholder="name@example.com"
          required
          maxLength={254}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          aria-invalid={!!fe.email || undefined}
          aria-describedby={fe.email ? "invite-email-error" : undefined}
          data-testid="invite-email-input"
        />
        <FieldError id="invite-email-error">{fe.email}</FieldError>
      </div>

      <div className="space-y-2">
        <Label htmlFor="invite-role">Organization role</Label>
        <Select
          id="invite-role"
          name="role"
          value={role}
          onChange={(e) => setRole(e.target.value as "owner" | "reader")}
          aria-describedby="invite-role-hint"
          aria-invalid={!!fe.role || undefined}
          data-testid="invite-role-select"
        >
          <option value="reader">Reader</option>
          <option value="owner">Owner</option>
        </Select>
        <p id="invite-role-hint" className="text-[13px] text-muted-foreground" data-testid="invite-role-hint">
          {ORG_ROLE_HINTS[role]}
        </p>
        <FieldError>{fe.role}</FieldError>
      </div>

      <fieldset className="min-w-0 space-y-2">
        <legend className="text-sm font-medium">Projects</legend>
        <p className="text-[13px] text-muted-foreground">
          {role === "owner"
            ? "Owners can manage every project. These project roles apply if they are later made a reader."
            : "They will only see the projects you add them to. Members use a project; owners also manage it."}
        </p>
        {projects.length === 0 ? (
          <p className="rounded-md border border-dashed px-3 py-3 text-sm text-muted-foreground">
            There are no active projects yet. You can add them to projects later.
          </p>
        ) : (
          <ul className="max-h-56 divide-y overflow-y-auto rounded-md border" data-testid="invite-projects">
            {projects.map((p) => {
              const on = checked.has(p.id);
              const boxId = `invite-project-${p.id}`;
              return (
                <li key={p.id} className="flex items-center gap-3 px-3 py-2">
                  <input
                    id={boxId}
                    type="checkbox"
                    name="project"
                    value={p.id}
                    checked={on}
                    onChange={(e) => toggle(p.id, e.target.checked)}
                    className="size-4 shrink-0 accent-primary"
                    data-testid="invite-project-checkbox"
                    data-project-name={p.name}
                  />
                  <label htmlFor={boxId} className="min-w-0 flex-1 truncate text-sm" title={p.name}>
                    {p.name}
                  </label>
                  <Select
                    name={`projectRole:${p.id}`}
                    value={projectRoles[p.id] ?? "member"}
                    onChange={(e) => {
                      const value = e.target.value as "owner" | "member";
                      setProjectRoles((prev) => ({ ...prev, [p.id]: value }));
                    }}
                    disabled={!on}
                    aria-label={`Role in ${p.name}`}
                    wrapperClassName="w-28 shrink-0"
                    className="h-8"
                    data-testid="invite-project-role-select"
                    data-project-name={p.name}
                  >
                    <option value="member">Member</option>
                    <option value="owner">Owner</option>
                  </Select>
                </li>
              );
            })}
          </ul>
        )}
        <FieldError>{projectsError}</FieldError>
      </fieldset>

      <FormAlert message={formError} />

      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <FormSubmitButton pending={pending} pendingText="Creating invitation…" data-testid="invite-submit">
          Create invitation
        </FormSubmitButton>
      </DialogFooter>
    </form>
  );
}

function InviteCreated({ invite, onDone, onAnother }: { invite: InviteResult; onDone: () => void; onAnother: () => void }) {
  // Built in the browser: the address the inviter is using is the one the invitee can reach.
  const link = `${typeof window === "undefined" ? "" : window.location.origin}${invite.path}`;
  return (
    <div className="grid gap-5" data-testid="invite-created">
      <DialogHeader>
        <DialogTitle className="flex items-center gap-2">
          <CircleCheck className="size-5 text-success" aria-hidden="true" />
          Invitation created
        </DialogTitle>
        <DialogDescription>
          {invite.emailed ? "We emailed this link to " : "Send this link to "}
          <span className="font-medium text-foreground">{invite.email}</span>. It expires in 7 days.
        </DialogDescription>
      </DialogHeader>
      <div className="space-y-2">
        <Label htmlFor="invite-link">Invitation link</Label>
        <div className="flex items-center gap-2">
          <Input
            id="invite-link"
            readOnly
            value={link}
            onFocus={(e) => e.currentTarget.select()}
            className="font-mono text-[13px]"
            data-testid="invite-link"
          />
          <CopyButton value={link} label="Copy link" showLabel variant="outline" toastMessage="Invitation link copied" data-testid="invite-link-copy" />
        </div>
        <p className="text-[13px] text-muted-foreground">
          Only someone signed in as {invite.email} can accept it. Revoke it from Pending invitations if it was sent to
          the wrong person.
        </p>
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={onAnother} data-testid="invite-another">
          Invite another
        </Button>
        <Button onClick={onDone} data-testid="invite-done">
          Done
        </Button>
      </DialogFooter>
    </div>
  );
}

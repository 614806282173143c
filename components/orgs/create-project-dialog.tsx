"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Plus } from "lucide-react";
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
import { FormAlert } from "@/components/ui/form-alert";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import type { CreatedProject } from "./types";

type Props = { orgId: string; action: FormAction<CreatedProject> };

export function CreateProjectDialog(props: Props) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button data-testid="create-project-button">
          <Plus aria-hidden="true" />
          Create project
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-md">
        <CreateProjectForm {...props} />
      </DialogContent>
    </Dialog>
  );
}

function CreateProjectForm({ orgId, action }: Props) {
  const router = useRouter();
  const [name, setName] = useState("");
  const { state, pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, {
    fields: ["name"],
    onSuccess: (result) => {
      if (result.data) router.push(`/projects/${result.data.projectId}/api-keys`);
    },
  });
  const created = state?.ok === true;
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
      <DialogHeader>
        <DialogTitle>Create project</DialogTitle>
        <DialogDescription>
          Projects keep API keys, service accounts and members separate, e.g. per application or environment.
        </DialogDescription>
      </DialogHeader>
      <input type="hidden" name="orgId" value={orgId} />
      <div className="space-y-2">
        <Label htmlFor="project-name">Name</Label>
        <Input
          id="project-name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="My application"
          maxLength={80}
          required
          autoComplete="off"
          aria-invalid={!!fe.name || undefined}
          aria-describedby={fe.name ? "project-name-error" : "project-name-hint"}
          data-testid="project-name-input"
        />
        {fe.name ? (
          <FieldError id="project-name-error">{fe.name}</FieldError>
        ) : (
          <p id="project-name-hint" className="text-[13px] text-muted-foreground">
            Up to 80 characters. You can rename it later.
          </p>
        )}
      </div>
      <FormAlert message={formError} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        {/* Stays busy after success while the new project's page loads. */}
        <FormSubmitButton pending={pending || created} pendingText={created ? "Opening…" : "Creating…"} data-testid="create-project-submit">
          Create project
        </FormSubmitButton>
      </DialogFooter>
    </form>
  );
}

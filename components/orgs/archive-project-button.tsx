"use client";

import { useState } from "react";
import { Archive, ArchiveRestore } from "lucide-react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

type Props = { projectId: string; projectName: string; archived: boolean; activeKeys: number; action: FormAction };

/** Archive (or unarchive, for an archived project) with a confirmation. */
export function ArchiveProjectButton(props: Props) {
  const [open, setOpen] = useState(false);
  const verb = props.archived ? "Unarchive" : "Archive";
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <AlertDialogTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className={props.archived ? "text-muted-foreground hover:text-foreground" : "text-muted-foreground hover:text-destructive"}
          aria-label={`${verb} ${props.projectName}`}
          data-testid={props.archived ? "unarchive-project-button" : "archive-project-button"}
        >
          {props.archived ? <ArchiveRestore aria-hidden="true" /> : <Archive aria-hidden="true" />}
          {verb}
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <ArchiveForm {...props} onDone={() => setOpen(false)} />
      </AlertDialogContent>
    </AlertDialog>
  );
}

function ArchiveForm({ projectId, projectName, archived, activeKeys, action, onDone }: Props & { onDone: () => void }) {
  const { state, pending, onSubmit } = useFormAction(action, { onSuccess: onDone });
  const keys = `${activeKeys} active API key${activeKeys === 1 ? "" : "s"}`;
  return (
    <form onSubmit={onSubmit} className="grid gap-4">
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="archived" value={archived ? "false" : "true"} />
      <AlertDialogHeader>
        <AlertDialogTitle>
          {archived ? "Unarchive" : "Archive"} {projectName}?
        </AlertDialogTitle>
        <AlertDialogDescription>
          {archived
            ? `The project becomes active again and its ${keys} start working again.`
            : `Every API key of this project stops working right away (${keys}). Its settings and keys are kept, so you can unarchive it later.`}
        </AlertDialogDescription>
      </AlertDialogHeader>
      <FormAlert message={state && !state.ok ? state.error : null} />
      <AlertDialogFooter>
        <AlertDialogCancel>Cancel</AlertDialogCancel>
        <FormSubmitButton pending={pending}
          variant={archived ? "default" : "destructive"}
          pendingText={archived ? "Unarchiving…" : "Archiving…"}
          data-testid={archived ? "confirm-unarchive-button" : "confirm-archive-button"}
        >
          {archived ? "Unarchive project" : "Archive project"}
        </FormSubmitButton>
      </AlertDialogFooter>
    </form>
  );
}

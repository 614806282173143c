"use client";

import * as React from "react";
import { Archive, ArchiveRestore } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

/** Archive / unarchive, for organization owners. */
export function ProjectDangerZone({
  projectId,
  projectName,
  status,
  archiveAction,
  unarchiveAction,
}: {
  projectId: string;
  projectName: string;
  status: "active" | "archived";
  archiveAction: FormAction;
  unarchiveAction: FormAction;
}) {
  const [confirmOpen, setConfirmOpen] = React.useState(false);
  // Lives here, not in the button: the button unmounts as soon as the project is active again.
  const unarchive = useFormAction(unarchiveAction, { toastErrors: true });
  const archived = status === "archived";

  return (
    <Card className="border-destructive/30" data-testid="danger-zone">
      <CardHeader>
        <CardTitle>Danger zone</CardTitle>
        <CardDescription>Only organization owners can archive and unarchive projects.</CardDescription>
      </CardHeader>
      <CardContent>
        <div className="flex flex-col gap-4 rounded-lg border border-destructive/30 p-4 sm:flex-row sm:items-center sm:justify-between">
          {archived ? (
            <>
              <div className="space-y-1">
                <p className="text-sm font-medium">Unarchive this project</p>
                <p className="text-sm text-muted-foreground">
                  Its API keys that are not revoked or expired start working again.
                </p>
              </div>
              <form onSubmit={unarchive.onSubmit}>
                <input type="hidden" name="projectId" value={projectId} />
                <FormSubmitButton
                  variant="outline"
                  pending={unarchive.pending}
                  pendingText="Unarchiving…"
                  data-testid="unarchive-project-button"
                >
                  <ArchiveRestore aria-hidden="true" />
                  Unarchive project
                </FormSubmitButton>
              </form>
            </>
          ) : (
            <>
              <div className="space-y-1">
                <p className="text-sm font-medium">Archive this project</p>
                <p className="text-sm text-muted-foreground">
                  All of its API keys stop working immediately. You can unarchive it later.
                </p>
              </div>
              <Button
                variant="outline"
                className="border-destructive/40 text-destructive hover:bg-destructive/10 hover:text-destructive dark:border-destructive/50"
                onClick={() => setConfirmOpen(true)}
                data-testid="archive-project-button"
              >
                <Archive aria-hidden="true" />
                Archive project
              </Button>
            </>
          )}
        </div>
      </CardContent>
      <ConfirmDialog
        open={confirmOpen}
        onOpenChange={setConfirmOpen}
        title="Archive project?"
        description={
          <>
            <p>
              Every API key of <span className="font-medium text-foreground">{projectName}</span> stops working
              immediately: apps and services using them will get errors.
            </p>
            <p className="mt-2">
              Keys, service accounts and members are kept, and no new keys can be created. You can unarchive the project
              later.
            </p>
          </>
        }
        confirmLabel="Archive project"
        pendingLabel="Archiving…"
        action={archiveAction}
        fields={{ projectId }}
        confirmTestId="confirm-archive-button"
      />
    </Card>
  );
}

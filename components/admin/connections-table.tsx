"use client";

import * as React from "react";
import { CircleAlert, CircleCheck, Pencil, PlugZap, Trash2 } from "lucide-react";
import { toast } from "sonner";
import { unstable_rethrow } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { FormAction } from "@/components/ui/use-form-action";
import { DateText } from "@/components/projects/date-text";
import type { CallAction } from "@/components/orgs/types";
import type { ActionResult } from "@/lib/actions";
import type { ConnectionTestResult } from "@/lib/admin/providers";
import { EditConnectionDialog } from "./connection-dialog";
import type { ConnectionRow } from "./types";

type TestState = { pending: true } | { pending: false; result: ConnectionTestResult };

type Props = {
  connections: ConnectionRow[];
  updateAction: FormAction;
  deleteAction: FormAction;
  testAction: CallAction<{ connectionId: string }, ConnectionTestResult>;
  empty?: React.ReactNode;
};

const SHOWN_MODELS = 8;

export function ConnectionsTable({ connections, updateAction, deleteAction, testAction, empty }: Props) {
  const [editing, setEditing] = React.useState<ConnectionRow | null>(null);
  const [editOpen, setEditOpen] = React.useState(false);
  const [deleting, setDeleting] = React.useState<ConnectionRow | null>(null);
  const [deleteOpen, setDeleteOpen] = React.useState(false);
  const [tests, setTests] = React.useState<Record<string, TestState>>({});

  async function runTest(c: ConnectionRow) {
    setTests((t) => ({ ...t, [c.id]: { pending: true } }));
    let r: ActionResult<ConnectionTestResult>;
    try {
      r = await testAction({ connectionId: c.id });
    } catch (err) {
      unstable_rethrow(err);
      r = { ok: false, error: "Could not reach the server. Check your connection and try again." };
    }
    if (r.ok && r.data) {
      setTests((t) => ({ ...t, [c.id]: { pending: false, result: r.data! } }));
    } else {
      // The console could not run the test at all (session ended, connection deleted…).
      setTests((t) => {
        const next = { ...t };
        delete next[c.id];
        return next;
      });
      toast.error(r.ok ? "The test returned nothing." : r.error);
    }
  }

  return (
    <>
      {connections.length === 0 && empty ? (
        empty
      ) : (
        <div className="overflow-hidden rounded-xl border bg-card">
          <Table data-testid="connections-table">
            <TableHeader className="bg-muted/40">
              <TableRow className="hover:bg-transparent">
                <TableHead className="pl-4">Name</TableHead>
                <TableHead>Base URL</TableHead>
                <TableHead>API key</TableHead>
                <TableHead className="text-right">Models</TableHead>
                <TableHead>Added</TableHead>
                <TableHead className="pr-4 text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {connections.map((c) => {
                const test = tests[c.id];
                return (
                  <React.Fragment key={c.id}>
                    <TableRow data-testid="connection-row" data-connection-name={c.name} className={test ? "border-b-0" : undefined}>
                      <TableCell className="max-w-[14rem] truncate pl-4 font-medium" title={c.name}>
                        {c.name}
                      </TableCell>
                      <TableCell className="max-w-[20rem] truncate font-mono text-[13px] text-muted-foreground" title={c.baseUrl}>
                        {c.baseUrl}
                      </TableCell>
                      <TableCell>
                        {c.apiKeyRedacted ? (
                          <code className="font-mono text-[13px] text-muted-foreground" data-testid="connection-key">
                            {c.apiKeyRedacted}
                          </code>
                        ) : (
                          <span className="text-muted-foreground" data-testid="connection-key">
                            None
                          </span>
                        )}
                      </TableCell>
                      <TableCell className="text-right tabular-nums" data-testid="connection-models">
                        {c.models}
                      </TableCell>
                      <TableCell className="text-muted-foreground">
                        <DateText value={c.created} />
                      </TableCell>
                      <TableCell className="pr-3 text-right">
                        <div className="flex items-center justify-end gap-0.5">
                          <Button
                            variant="outline"
                            size="sm"
                            className="mr-1"
                            disabled={test?.pending}
                            aria-busy={test?.pending || undefined}
                            onClick={() => runTest(c)}
                            data-testid="test-connection-button"
                          >
                            {test?.pending ? <Spinner label="" /> : <PlugZap aria-hidden="true" />}
                            {test?.pending ? "Testing…" : "Test connection"}
                          </Button>
                          <Button
                            variant="ghost"
                            size="icon-sm"
                            className="text-muted-foreground hover:text-foreground"
                            aria-label={`Edit ${c.name}`}
                            title="Edit connection"
                            data-testid="edit-connection-button"
                            onClick={() => {
                              setEditing(c);
                              setEditOpen(true);
                            }}
                          >
                            <Pencil aria-hidden="true" />
                          </Button>
                          <Button
                            variant="ghost"
                            size="icon-sm"
                            className="text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
                            aria-label={`Delete ${c.name}`}
                            title="Delete connection"
                            data-testid="delete-connection-button"
                            onClick={() => {
                              setDeleting(c);
                              setDeleteOpen(true);
                            }}
                          >
                            <Trash2 aria-hidden="true" />
                          </Button>
                        </div>
                      </TableCell>
                    </TableRow>
                    {test && !test.pending && (
                      <TableRow className="hover:bg-transparent">
                        <TableCell colSpan={6} className="px-4 pt-0 pb-3 whitespace-normal">
                          <TestResult result={test.result} />
                        </TableCell>
                      </TableRow>
                    )}
                  </React.Fragment>
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}

      <EditConnectionDialog open={editOpen} onOpenChange={setEditOpen} connection={editing} action={updateAction} />
      <ConfirmDialog
        open={deleteOpen}
        onOpenChange={setDeleteOpen}
        title="Delete connection?"
        description={
          <>
            <p>
              <span className="font-medium text-foreground">{deleting?.name}</span> and its stored API key are deleted.
            </p>
            {deleting && deleting.models > 0 ? (
              <p className="mt-2" data-testid="connection-models-to-delete">
                Its {deleting.models === 1 ? "model goes" : `${deleting.models} models go`} with it: requests naming{" "}
                {deleting.models === 1 ? "it" : "them"} get model_not_found at once.
              </p>
            ) : (
              <p className="mt-2">No models are served through it.</p>
            )}
          </>
        }
        confirmLabel="Delete connection"
        pendingLabel="Deleting…"
        action={deleteAction}
        fields={{ connectionId: deleting?.id ?? "" }}
        confirmTestId="confirm-delete-connection-button"
        onSuccess={() =>
          setTests((t) => {
            const next = { ...t };
            if (deleting) delete next[deleting.id];
            return next;
          })
        }
      />
    </>
  );
}

function TestResult({ result }: { result: ConnectionTestResult }) {
  if (result.ok) {
    const shown = result.models.slice(0, SHOWN_MODELS);
    return (
      <div
        role="status"
        className="flex items-start gap-2 rounded-md border border-success/30 bg-success/10 px-3 py-2 text-sm"
        data-testid="connection-test-result"
        data-ok="true"
      >
        <CircleCheck className="mt-0.5 size-4 shrink-0 text-success" aria-hidden="true" />
        <div className="min-w-0">
          <p className="font-medium">
            Connected in {result.latencyMs} ms: {result.models.length === 1 ? "1 model" : `${result.models.length} models`} available.
          </p>
          {shown.length > 0 && (
            <p className="mt-0.5 text-muted-foreground">
              <span className="font-mono text-[13px] break-all">{shown.join(", ")}</span>
              {result.models.length > shown.length && ` and ${result.models.length - shown.length} more`}
            </p>
          )}
        </div>
      </div>
    );
  }
  return (
    <div
      role="alert"
      className="flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive"
      data-testid="connection-test-result"
      data-ok="false"
    >
      <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <p className="min-w-0 break-words">
        <span className="font-medium">Connection failed.</span> {result.error}
      </p>
    </div>
  );
}

"use client";

import * as React from "react";
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
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { CheckboxField, TextField } from "./form-fields";
import type { ConnectionRow } from "./types";

const FIELDS = ["name", "baseUrl", "apiKey", "removeApiKey"] as const;

/** "Add connection": name, base URL and API key. */
export function CreateConnectionDialog({ action }: { action: FormAction }) {
  const [open, setOpen] = React.useState(false);
  const [session, setSession] = React.useState(0);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button data-testid="add-connection-button">
          <Plus aria-hidden="true" />
          Add connection
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-lg" data-testid="connection-dialog" onCloseAutoFocus={() => setSession((s) => s + 1)}>
        <DialogHeader>
          <DialogTitle>Add an upstream connection</DialogTitle>
          <DialogDescription>
            Any OpenAI-compatible server: OpenAI, vLLM, Ollama, llama.cpp server, LM Studio or another Gatehouse.
          </DialogDescription>
        </DialogHeader>
        <ConnectionForm key={session} action={action} connection={null} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

/** Edit a connection; the key field starts blank (the stored key is never sent to the browser). */
export function EditConnectionDialog({
  open,
  onOpenChange,
  connection,
  action,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  connection: ConnectionRow | null;
  action: FormAction;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {connection && (
        <DialogContent className="sm:max-w-lg" data-testid="connection-dialog">
          <DialogHeader>
            <DialogTitle>Edit {connection.name}</DialogTitle>
            <DialogDescription>Models served through this connection use the new settings at once.</DialogDescription>
          </DialogHeader>
          <ConnectionForm key={connection.id} action={action} connection={connection} onDone={() => onOpenChange(false)} />
        </DialogContent>
      )}
    </Dialog>
  );
}

function ConnectionForm({ action, connection, onDone }: { action: FormAction; connection: ConnectionRow | null; onDone: () => void }) {
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS, onSuccess: onDone });
  const [removeKey, setRemoveKey] = React.useState(false);
  const hasKey = Boolean(connection?.apiKeyRedacted);
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
      {connection && <input type="hidden" name="connectionId" value={connection.id} />}
      <TextField
        label="Name"
        name="name"
        defaultValue={connection?.name}
        placeholder="OpenAI"
        maxLength={80}
        error={fe.name}
        testId="connection-name-input"
        required
      />
      <TextField
        label="Base URL"
        name="baseUrl"
        type="url"
        defaultValue={connection?.baseUrl}
        placeholder="https://api.openai.com/v1"
        className="font-mono text-[13px]"
        error={fe.baseUrl}
        hint="The API root: requests go to {base URL}/chat/completions, /embeddings and /models."
        testId="connection-base-url-input"
        required
      />
      <TextField
        label="API key"
        name="apiKey"
        type="password"
        autoComplete="new-password"
        placeholder={hasKey ? `Leave blank to keep ${connection?.apiKeyRedacted}` : "Optional for servers without keys"}
        className="font-mono text-[13px]"
        disabled={removeKey}
        error={fe.apiKey}
        hint="Stored encrypted; the console only ever shows its first and last characters."
        testId="connection-api-key-input"
      />
      {hasKey && (
        <CheckboxField
          name="removeApiKey"
          checked={removeKey}
          onChange={(e) => setRemoveKey(e.target.checked)}
          label="Remove the stored key"
          description="Requests to this upstream are then sent without an Authorization header."
          testId="connection-remove-key"
        />
      )}
      <FormAlert message={formError} />
      <DialogFooter className="pt-1">
        <DialogClose asChild>
          <Button variant="outline" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <FormSubmitButton pending={pending} pendingText="Saving…" data-testid="connection-submit">
          {connection ? "Save" : "Add connection"}
        </FormSubmitButton>
      </DialogFooter>
    </form>
  );
}

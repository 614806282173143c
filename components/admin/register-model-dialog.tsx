"use client";

import * as React from "react";
import Link from "next/link";
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
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { SegmentedControl } from "@/components/projects/segmented-control";
import { TextField } from "./form-fields";
import type { ConnectionOption } from "./types";

type Kind = "local" | "upstream";

type Props = {
  connections: ConnectionOption[];
  /** The environment's upstream (UPSTREAM_BASE_URL), when one is configured. */
  envUpstream: ConnectionOption | null;
  localAction: FormAction;
  upstreamAction: FormAction;
};

/** "Register model": a local GGUF file by path, or a model of an upstream connection. */
export function RegisterModelDialog(props: Props) {
  const [open, setOpen] = React.useState(false);
  // A fresh form after every close.
  const [session, setSession] = React.useState(0);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button data-testid="register-model-button">
          <Plus aria-hidden="true" />
          Register model
        </Button>
      </DialogTrigger>
      <DialogContent
        className="sm:max-w-xl"
        data-testid="register-model-dialog"
        onCloseAutoFocus={() => setSession((s) => s + 1)}
      >
        <RegisterModelContent key={session} {...props} onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

function RegisterModelContent({ connections, envUpstream, localAction, upstreamAction, onDone }: Props & { onDone: () => void }) {
  const uid = React.useId();
  const [kind, setKind] = React.useState<Kind>("local");
  return (
    <>
      <DialogHeader>
        <DialogTitle>Register a model</DialogTitle>
        <DialogDescription>It is served by the API as soon as it is registered, to every project that allows it.</DialogDescription>
      </DialogHeader>
      <div className="grid gap-2">
        <span id={`${uid}-kind`} className="text-sm leading-none font-medium">
          Served from
        </span>
        <SegmentedControl
          name="kind"
          labelledBy={`${uid}-kind`}
          value={kind}
          onValueChange={setKind}
          options={[
            { value: "local", label: "Local GGUF file", testId: "register-kind-local" },
            { value: "upstream", label: "Upstream connection", testId: "register-kind-upstream" },
          ]}
          className="w-full"
        />
      </div>
      {kind === "local" ? (
        <LocalForm action={localAction} onDone={onDone} />
      ) : (
        <UpstreamForm action={upstreamAction} connections={connections} envUpstream={envUpstream} onDone={onDone} />
      )}
    </>
  );
}

function Footer({ pending, disabled, testId }: { pending: boolean; disabled?: boolean; testId: string }) {
  return (
    <DialogFooter className="pt-1">
      <DialogClose asChild>
        <Button variant="outline" disabled={pending}>
          Cancel
        </Button>
      </DialogClose>
      <FormSubmitButton pending={pending} pendingText="Registering…" disabled={disabled} data-testid={testId}>
        Register model
      </FormSubmitButton>
    </DialogFooter>
  );
}

function LocalForm({ action, onDone }: { action: FormAction; onDone: () => void }) {
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: ["path", "id"], onSuccess: onDone });
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5" data-testid="register-local-form">
      <TextField
        label="GGUF file"
        name="path"
        placeholder="/models/qwen2.5-0.5b-instruct-q4_k_m.gguf"
        className="font-mono text-[13px]"
        error={fe.path}
        hint="Absolute path on the server. Only the file's metadata is read now (its context window); the weights load on first use."
        testId="register-local-path"
        required
      />
      <TextField
        label="Model ID"
        name="id"
        placeholder="Defaults to the file name"
        error={fe.id}
        hint="What clients send as model. Letters, digits and . _ : / -"
        testId="register-local-id"
      />
      <FormAlert message={formError} />
      <Footer pending={pending} testId="register-local-submit" />
    </form>
  );
}

function UpstreamForm({
  action,
  connections,
  envUpstream,
  onDone,
}: {
  action: FormAction;
  connections: ConnectionOption[];
  envUpstream: ConnectionOption | null;
  onDone: () => void;
}) {
  const uid = React.useId();
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, {
    fields: ["connectionId", "upstreamId", "id"],
    onSuccess: onDone,
  });
  const options = [...(envUpstream ? [envUpstream] : []), ...connections];
  if (options.length === 0) {
    return (
      <div className="grid gap-5">
        <p className="rounded-md border border-dashed px-3 py-2.5 text-sm text-muted-foreground" data-testid="no-connections">
          There are no upstream connections yet.{" "}
          <Link href="/admin/providers" className="font-medium text-foreground underline underline-offset-4">
            Add a connection
          </Link>{" "}
          to an OpenAI-compatible server first.
        </p>
        <Footer pending={false} disabled testId="register-upstream-submit" />
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5" data-testid="register-upstream-form">
      <div className="grid gap-2">
        <Label htmlFor={`${uid}-connection`}>Connection</Label>
        <Select
          id={`${uid}-connection`}
          name="connectionId"
          defaultValue={options[0].id}
          aria-invalid={!!fe.connectionId || undefined}
          aria-describedby={fe.connectionId ? `${uid}-connection-error` : undefined}
          data-testid="register-upstream-connection"
        >
          {options.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.baseUrl})
            </option>
          ))}
        </Select>
        <FieldError id={`${uid}-connection-error`} errors={fe.connectionId} />
      </div>
      <TextField
        label="Upstream model"
        name="upstreamId"
        placeholder="gpt-4o-mini"
        error={fe.upstreamId}
        hint="The name the upstream knows the model by. Known OpenAI models start at their list prices; others start unpriced."
        testId="register-upstream-model"
        required
      />
      <TextField
        label="Model ID"
        name="id"
        placeholder="Defaults to the upstream model"
        error={fe.id}
        hint="What clients send as model."
        testId="register-upstream-id"
      />
      <FormAlert message={formError} />
      <Footer pending={pending} testId="register-upstream-submit" />
    </form>
  );
}

"use client";

import * as React from "react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { Plus, TriangleAlert } from "lucide-react";
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
import { SegmentedControl } from "@/components/projects/segmented-control";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { ALL_PERMISSIONS } from "@/lib/keys/permissions";
import { PermissionsFields } from "./permissions-fields";
import type { CreatedKey, ServiceAccountOption } from "./types";

type OwnerType = "user" | "service_account";
type Expiry = "never" | "7" | "30" | "90" | "custom";

const FIELDS = ["name", "ownerType", "serviceAccountId", "owner", "mode", "permissions", "expiry", "expiresAt"] as const;

type Props = {
  projectId: string;
  serviceAccounts: ServiceAccountOption[];
  action: FormAction<CreatedKey>;
  /** A service account to pre-select (from `?owner=`); opens the dialog on load. */
  preselectServiceAccountId?: string | null;
  /** Archived projects cannot get new keys. */
  disabled?: boolean;
};

/** "Create new secret key": the form, then a one-time "Save your key" view with the secret. */
export function CreateKeyDialog({ projectId, serviceAccounts, action, preselectServiceAccountId, disabled }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const preselected =
    preselectServiceAccountId && serviceAccounts.some((s) => s.id === preselectServiceAccountId)
      ? preselectServiceAccountId
      : null;
  const [open, setOpen] = React.useState(() => Boolean(preselected) && !disabled);
  // Remounting the content after each close gives a fresh form and drops the secret from
  // memory (not just from the DOM) once the dialog has finished closing.
  const [session, setSession] = React.useState(0);

  function onOpenChange(next: boolean) {
    setOpen(next);
    // Drop ?owner= so a reload does not reopen the dialog.
    if (!next && preselected) router.replace(pathname, { scroll: false });
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button
          data-testid="create-key-button"
          disabled={disabled}
          title={disabled ? "Unarchive the project to create keys" : undefined}
        >
          <Plus aria-hidden="true" />
          Create new secret key
        </Button>
      </DialogTrigger>
      <CreateKeyContent
        key={session}
        projectId={projectId}
        serviceAccounts={serviceAccounts}
        action={action}
        preselected={preselected}
        onDone={() => onOpenChange(false)}
        onClosed={() => setSession((s) => s + 1)}
      />
    </Dialog>
  );
}

function CreateKeyContent({
  projectId,
  serviceAccounts,
  action,
  preselected,
  onDone,
  onClosed,
}: {
  projectId: string;
  serviceAccounts: ServiceAccountOption[];
  action: FormAction<CreatedKey>;
  preselected: string | null;
  onDone: () => void;
  /** After the close animation, when focus has returned to the trigger. */
  onClosed: () => void;
}) {
  const uid = React.useId();
  const { state, pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS });
  const [ownerType, setOwnerType] = React.useState<OwnerType>(preselected ? "service_account" : "user");
  const [expiry, setExpiry] = React.useState<Expiry>("never");
  const created = state?.ok ? state.data : undefined;
  const noServiceAccounts = ownerType === "service_account" && serviceAccounts.length === 0;
  const ownerError = fe.serviceAccountId ?? fe.owner ?? fe.ownerType;
  const expiryError = fe.expiresAt ?? fe.expiry;

  // Once the secret is on screen, only Done or the close button dismiss the dialog: a stray
  // click or Escape must not throw away a key that cannot be shown again.
  const guard = (e: Event) => {
    if (created || pending) e.preventDefault();
  };

  return (
    <DialogContent
      className="sm:max-w-xl"
      onInteractOutside={guard}
      onEscapeKeyDown={guard}
      onCloseAutoFocus={onClosed}
      data-testid="create-key-dialog"
    >
      {created ? (
        <SaveKeyView created={created} onDone={onDone} />
      ) : (
        <>
          <DialogHeader>
            <DialogTitle>Create new secret key</DialogTitle>
            <DialogDescription>The full key is shown only once, right after you create it.</DialogDescription>
          </DialogHeader>
          <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
            <input type="hidden" name="projectId" value={projectId} />

            <div className="grid gap-2">
              <span id={`${uid}-owner`} className="text-sm leading-none font-medium">
                Owned by
              </span>
              <SegmentedControl
                name="ownerType"
                labelledBy={`${uid}-owner`}
                describedBy={`${uid}-owner-help`}
                value={ownerType}
                onValueChange={setOwnerType}
                options={[
                  { value: "user", label: "You", testId: "key-owner-you" },
                  { value: "service_account", label: "Service account", testId: "key-owner-service-account" },
                ]}
                className="w-full"
              />
              <p id={`${uid}-owner-help`} className="text-[13px] text-muted-foreground">
                {ownerType === "user"
                  ? "The key is tied to your user account and listed as yours."
                  : "The key belongs to a service account of this project, not to a person."}
              </p>
            </div>

            {ownerType === "service_account" && (
              <div className="grid gap-2">
                <Label htmlFor={`${uid}-sa`}>Service account</Label>
                {noServiceAccounts ? (
                  <p className="rounded-md border border-dashed px-3 py-2.5 text-sm text-muted-foreground" data-testid="no-service-accounts">
                    This project has no service accounts yet.{" "}
                    <Link
                      href={`/projects/${encodeURIComponent(projectId)}/service-accounts`}
                      className="font-medium text-foreground underline underline-offset-4"
                    >
                      Create a service account
                    </Link>
                  </p>
                ) : (
                  <Select
                    id={`${uid}-sa`}
                    name="serviceAccountId"
                    defaultValue={preselected ?? ""}
                    aria-invalid={!!ownerError || undefined}
                    aria-describedby={ownerError ? `${uid}-sa-error` : undefined}
                    data-testid="key-service-account-select"
                  >
                    <option value="" disabled>
                      Choose a service account
                    </option>
                    {serviceAccounts.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </Select>
                )}
                <FieldError id={`${uid}-sa-error`} errors={ownerError} />
              </div>
            )}

            <div className="grid gap-2">
              <Label htmlFor={`${uid}-name`}>Name</Label>
              <Input
                id={`${uid}-name`}
                name="name"
                placeholder="My test key"
                maxLength={80}
                required
                autoComplete="off"
                aria-invalid={!!fe.name || undefined}
                aria-describedby={fe.name ? `${uid}-name-error` : undefined}
                data-testid="key-name-input"
              />
              <FieldError id={`${uid}-name-error`} errors={fe.name} />
            </div>

            <PermissionsFields defaultValue={ALL_PERMISSIONS} error={fe.permissions ?? fe.mode} />

            <div className="grid gap-2">
              <Label htmlFor={`${uid}-expiry`}>Expires</Label>
              <div className="flex flex-col gap-2 sm:flex-row">
                <Select
                  id={`${uid}-expiry`}
                  name="expiry"
                  value={expiry}
                  onChange={(e) => setExpiry(e.target.value as Expiry)}
                  wrapperClassName="sm:w-48"
                  aria-invalid={!!fe.expiry || undefined}
                  data-testid="key-expiry-select"
                >
                  <option value="never">Never</option>
                  <option value="7">In 7 days</option>
                  <option value="30">In 30 days</option>
                  <option value="90">In 90 days</option>
                  <option value="custom">Custom date…</option>
                </Select>
                {expiry === "custom" && (
                  <Input
                    type="date"
                    name="expiresAt"
                    aria-label="Expiry date"
                    required
                    className="sm:w-48"
                    aria-invalid={!!fe.expiresAt || undefined}
                    aria-describedby={`${uid}-expiry-help`}
                    data-testid="key-expiry-date"
                  />
                )}
              </div>
              {expiryError ? (
                <FieldError errors={expiryError} />
              ) : (
                <p id={`${uid}-expiry-help`} className="text-[13px] text-muted-foreground">
                  {expiry === "custom"
                    ? "The key stops working at the end of that day (UTC)."
                    : "Expired keys stop working; you can revoke a key at any time."}
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
              <FormSubmitButton
                pending={pending}
                pendingText="Creating…"
                disabled={noServiceAccounts}
                data-testid="create-key-submit"
              >
                Create secret key
              </FormSubmitButton>
            </DialogFooter>
          </form>
        </>
      )}
    </DialogContent>
  );
}

function SaveKeyView({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const uid = React.useId();
  const inputRef = React.useRef<HTMLInputElement>(null);
  // The form that had focus is gone; move focus to the secret (selected, ready to copy).
  React.useEffect(() => inputRef.current?.focus(), []);
  return (
    <>
      <DialogHeader>
        <DialogTitle>Save your key</DialogTitle>
        <DialogDescription>
          Save the secret key for <span className="font-medium text-foreground">{created.name}</span> somewhere safe
          and accessible. Anyone who has it can call the API as this project.
        </DialogDescription>
      </DialogHeader>
      <div className="grid gap-2">
        <Label htmlFor={`${uid}-secret`}>Secret key</Label>
        <div className="flex gap-2">
          <Input
            ref={inputRef}
            id={`${uid}-secret`}
            readOnly
            value={created.secret}
            spellCheck={false}
            autoComplete="off"
            onFocus={(e) => e.currentTarget.select()}
            className="font-mono text-[13px]"
            data-testid="new-key-secret"
          />
          <CopyButton
            value={created.secret}
            label="Copy"
            showLabel
            variant="outline"
            size="default"
            toastMessage="Secret key copied"
            data-testid="copy-key-button"
          />
        </div>
      </div>
      <p className="flex items-start gap-2 rounded-md border border-warning/40 bg-warning/10 px-3 py-2.5 text-sm">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-[oklch(0.55_0.13_65)] dark:text-warning" aria-hidden="true" />
        <span>
          You won&apos;t be able to see this key again. If you lose it, revoke it and create a new one.
        </span>
      </p>
      <DialogFooter>
        <Button onClick={onDone} data-testid="key-done-button">
          Done
        </Button>
      </DialogFooter>
    </>
  );
}

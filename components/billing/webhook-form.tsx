"use client";

import { FieldError } from "@/components/ui/field-error";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

/** The address budget alerts are POSTed to; blank removes it. */
export function WebhookForm({ orgId, url, action }: { orgId: string; url: string | null; action: FormAction }) {
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: ["url"] });
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-2" data-testid="webhook-form">
      <input type="hidden" name="orgId" value={orgId} />
      <Label htmlFor="alert-webhook-url">Alert webhook</Label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Input
          id="alert-webhook-url"
          name="url"
          type="url"
          defaultValue={url ?? ""}
          placeholder="https://example.com/hooks/gatehouse"
          autoComplete="off"
          spellCheck={false}
          maxLength={2000}
          aria-invalid={!!fe.url || undefined}
          aria-describedby={fe.url ? "alert-webhook-url-error" : "alert-webhook-url-hint"}
          data-testid="webhook-url-input"
        />
        <FormSubmitButton variant="outline" pending={pending} pendingText="Saving…" data-testid="webhook-save" className="sm:w-24">
          Save
        </FormSubmitButton>
      </div>
      {fe.url ? (
        <FieldError id="alert-webhook-url-error" errors={fe.url} />
      ) : (
        <p id="alert-webhook-url-hint" className="text-[13px] leading-snug text-muted-foreground">
          Each alert is sent once as a JSON POST (<code className="font-mono text-xs">budget.alert</code> or{" "}
          <code className="font-mono text-xs">budget.cap_reached</code>). Leave blank to only list alerts here.
        </p>
      )}
      <FormAlert message={formError} />
    </form>
  );
}

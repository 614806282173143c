"use client";

import Link from "next/link";
import { Button } from "@/components/ui/button";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { FormAlert } from "@/components/ui/form-alert";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

/** Accepting redirects on the server; only failures come back here. */
export function InviteAcceptForm({ action, token, email }: { action: FormAction; token: string; email: string }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <p className="text-sm text-muted-foreground">
        You are signed in as <span className="font-medium text-foreground">{email}</span>.
      </p>
      <FormAlert message={state && !state.ok ? state.error : null} data-testid="accept-invite-error" />
      <div className="grid gap-2">
        <FormSubmitButton pending={pending} className="w-full" pendingText="Joining…" data-testid="accept-invite-button">
          Accept invitation
        </FormSubmitButton>
        <Button asChild variant="ghost" className="w-full">
          <Link href="/">Not now</Link>
        </Button>
      </div>
    </form>
  );
}

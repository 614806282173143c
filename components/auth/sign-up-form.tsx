"use client";

import { useActionState, useEffect, useRef } from "react";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/field-error";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import type { ActionResult } from "@/lib/actions";

type Props = {
  action: (prev: ActionResult | null, form: FormData) => Promise<ActionResult>;
  callbackUrl: string;
  defaultEmail?: string;
};

export function SignUpForm({ action, callbackUrl, defaultEmail }: Props) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useActionState(action, null);
  const fe = state && !state.ok ? (state.fieldErrors ?? {}) : {};

  useEffect(() => {
    if (!state?.ok || !formRef.current) return;
    const form = new FormData(formRef.current);
    void signIn("credentials", {
      email: String(form.get("email")),
      password: String(form.get("password")),
      redirect: false,
    }).then((res) => {
      router.replace(res?.error ? "/sign-in" : callbackUrl);
      router.refresh();
    });
  }, [state, callbackUrl, router]);

  return (
    <form ref={formRef} action={formAction} className="space-y-4" noValidate>
      <div className="space-y-2">
        <Label htmlFor="name">Name</Label>
        <Input id="name" name="name" autoComplete="name" maxLength={80} aria-invalid={!!fe.name} />
        <FieldError>{fe.name}</FieldError>
      </div>
      <div className="space-y-2">
        <Label htmlFor="email">Email</Label>
        <Input id="email" name="email" type="email" autoComplete="email" required defaultValue={defaultEmail} aria-invalid={!!fe.email} />
        <FieldError>{fe.email}</FieldError>
      </div>
      <div className="space-y-2">
        <Label htmlFor="password">Password</Label>
        <Input id="password" name="password" type="password" autoComplete="new-password" required aria-invalid={!!fe.password} aria-describedby="password-hint" />
        {fe.password ? <FieldError>{fe.password}</FieldError> : (
          <p id="password-hint" className="text-xs text-muted-foreground">At least 10 characters, mixing letters with digits or symbols.</p>
        )}
      </div>
      {state && !state.ok && !Object.keys(fe).length && (
        <p role="alert" className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive">{state.error}</p>
      )}
      <FormSubmitButton className="w-full" pendingText="Creating account…">Create account</FormSubmitButton>
    </form>
  );
}

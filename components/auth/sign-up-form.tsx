"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { FieldError } from "@/components/ui/field-error";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";

type Props = { action: FormAction; callbackUrl: string; defaultEmail?: string };

export function SignUpForm({ action, callbackUrl, defaultEmail }: Props) {
  const router = useRouter();
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, {
    fields: ["name", "email", "password"],
    // The account exists: sign in with what was typed, then go where the user was headed.
    onSuccess: (_result, form) => {
      void signIn("credentials", {
        email: String(form.get("email")),
        password: String(form.get("password")),
        redirect: false,
      }).then((res) => {
        router.replace(res?.error ? "/sign-in" : callbackUrl);
        router.refresh();
      });
    },
  });

  return (
    <form onSubmit={onSubmit} onInput={onInput} className="space-y-4" noValidate>
      <div className="space-y-2">
        <Label htmlFor="name">Name</Label>
        <Input id="name" name="name" autoComplete="name" aria-invalid={!!fe.name} />
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
        {fe.password ? (
          <FieldError>{fe.password}</FieldError>
        ) : (
          <p id="password-hint" className="text-xs text-muted-foreground">At least 10 characters, mixing letters with digits or symbols.</p>
        )}
      </div>
      {formError && (
        <p role="alert" className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive">{formError}</p>
      )}
      <FormSubmitButton className="w-full" pending={pending || undefined} pendingText="Creating account…">Create account</FormSubmitButton>
    </form>
  );
}

"use client";

import { useState } from "react";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Incorrect email or password.",
  OAuthAccountNotLinked: "That email is already registered with another sign-in method.",
  AccessDenied: "Sign-in was refused. Your account needs an email address.",
  SessionRequired: "Sign in to continue.",
};

export function SignInForm(props: { callbackUrl: string; initialError?: string; providers: { id: string; name: string }[]; defaultEmail?: string }) {
  const router = useRouter();
  const [error, setError] = useState(props.initialError ? (MESSAGES[props.initialError] ?? "Sign-in failed. Try again.") : "");
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError("");
    const res = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    }).catch(() => null);
    if (!res || res.error) {
      setPending(false);
      setError(res?.error ? (MESSAGES[res.error] ?? res.error) : "Could not reach the server. Try again.");
      return;
    }
    router.replace(props.callbackUrl);
    router.refresh();
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <div className="space-y-2">
          <Label htmlFor="email">Email</Label>
          <Input id="email" name="email" type="email" autoComplete="email" required autoFocus defaultValue={props.defaultEmail} />
        </div>
        <div className="space-y-2">
          <Label htmlFor="password">Password</Label>
          <Input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        {error && (
          <p role="alert" className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive">
            {error}
          </p>
        )}
        <Button type="submit" className="w-full" disabled={pending}>
          {pending && <Spinner />} Sign in
        </Button>
      </form>
      {props.providers.length > 0 && (
        <div className="space-y-2">
          <div className="flex items-center gap-3 text-xs text-muted-foreground">
            <span className="h-px flex-1 bg-border" /> or <span className="h-px flex-1 bg-border" />
          </div>
          {props.providers.map((p) => (
            <Button key={p.id} variant="outline" className="w-full" onClick={() => signIn(p.id, { callbackUrl: props.callbackUrl })}>
              Continue with {p.name}
            </Button>
          ))}
        </div>
      )}
    </div>
  );
}

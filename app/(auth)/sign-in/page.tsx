import Link from "next/link";
import { redirect } from "next/navigation";
import type { Metadata } from "next";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getCurrentUser } from "@/lib/auth/session";
import { oauthProviderList } from "@/lib/auth/options";
import { safeCallbackUrl } from "@/lib/console/safe-redirect";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const callbackUrl = safeCallbackUrl(sp.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Welcome back</CardTitle>
        <CardDescription>Sign in to your Gatehouse account.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <SignInForm
          callbackUrl={callbackUrl}
          initialError={typeof sp.error === "string" ? sp.error : undefined}
          providers={oauthProviderList()}
          defaultEmail={typeof sp.email === "string" ? sp.email : undefined}
        />
        <p className="text-center text-sm text-muted-foreground">
          No account?{" "}
          <Link className="font-medium text-foreground underline-offset-4 hover:underline" href={`/sign-up${callbackUrl !== "/" ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`}>
            Create one
          </Link>
        </p>
      </CardContent>
    </Card>
  );
}

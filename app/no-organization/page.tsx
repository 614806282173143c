import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Building2 } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CenteredPage } from "@/components/orgs/centered-page";
import { SignOutButton } from "@/components/orgs/sign-out-button";
import { getCurrentUser } from "@/lib/auth/session";
import { listUserOrgs } from "@/lib/orgs/orgs";

export const metadata: Metadata = { title: "No organization" };

export default async function NoOrganizationPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  // Someone who has (re)joined an organization meanwhile goes back to the console.
  if ((await listUserOrgs(user.id)).length > 0) redirect("/");

  return (
    <CenteredPage>
      <Card data-testid="no-organization">
        <CardHeader>
          <div className="mb-2 flex size-10 items-center justify-center rounded-lg border bg-muted/50 text-muted-foreground shadow-xs">
            <Building2 className="size-5" aria-hidden="true" />
          </div>
          <CardTitle className="text-xl">You are not in an organization</CardTitle>
          <CardDescription>
            Your account <span className="font-medium text-foreground">{user.email}</span> is not a member of any
            organization, so there are no projects or API keys to show.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <p className="text-sm text-muted-foreground">
            To join one, ask an organization owner to invite {user.email}, then open the invitation link they send you.
            If you meant to use a different account, sign out and sign in again.
          </p>
          <SignOutButton className="w-full" data-testid="no-org-sign-out">
            Sign out
          </SignOutButton>
        </CardContent>
      </Card>
    </CenteredPage>
  );
}

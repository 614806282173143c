import type { Metadata } from "next";
import Link from "next/link";
import { Building2, LinkIcon } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { InviteAcceptForm } from "@/components/orgs/invite-accept-form";
import { SignOutButton } from "@/components/orgs/sign-out-button";
import { getCurrentUser } from "@/lib/auth/session";
import { findInvitation } from "@/lib/orgs/invitations";
import { acceptInviteAction } from "./actions";

export const metadata: Metadata = { title: "Invitation", robots: { index: false, follow: false } };

const asRole = (role: "owner" | "reader") => (role === "owner" ? "an owner" : "a reader");

function Strong({ children }: { children: React.ReactNode }) {
  return <span className="font-medium text-foreground">{children}</span>;
}

function CardIcon({ children }: { children: React.ReactNode }) {
  return (
    <div className="mb-2 flex size-10 items-center justify-center rounded-lg border bg-muted/50 text-muted-foreground shadow-xs [&_svg]:size-5">
      {children}
    </div>
  );
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findInvitation(token);

  if (!invitation) {
    return (
      <Card data-testid="invite-invalid">
        <CardHeader>
          <CardIcon>
            <LinkIcon aria-hidden="true" />
          </CardIcon>
          <CardTitle className="text-xl">This invitation is invalid or has expired</CardTitle>
          <CardDescription>
            Invitation links work once and expire after 7 days. Ask an owner of the organization to send you a new one.
          </CardDescription>
        </CardHeader>
        <CardFooter>
          <Button asChild variant="outline" className="w-full">
            <Link href="/">Go to Gatehouse</Link>
          </Button>
        </CardFooter>
      </Card>
    );
  }

  const user = await getCurrentUser();
  const inviter = invitation.invitedBy?.name || invitation.invitedBy?.email || "Someone";
  const org = invitation.org.name;
  const invitePath = `/invite/${token}`;
  const query = `callbackUrl=${encodeURIComponent(invitePath)}&email=${encodeURIComponent(invitation.email)}`;

  const header = (
    <CardHeader>
      <CardIcon>
        <Building2 aria-hidden="true" />
      </CardIcon>
      <CardTitle className="text-xl">Join {org}</CardTitle>
      <CardDescription data-testid="invite-summary">
        <Strong>{inviter}</Strong> invited you to join <Strong>{org}</Strong> as {asRole(invitation.role)}.
      </CardDescription>
    </CardHeader>
  );

  if (!user) {
    return (
      <Card data-testid="invite-card">
        {header}
        <CardContent className="space-y-4">
          <p className="text-sm text-muted-foreground">
            Sign in or create an account with <Strong>{invitation.email}</Strong> to accept.
          </p>
          <div className="grid gap-2">
            <Button asChild className="w-full">
              <Link href={`/sign-in?${query}`} data-testid="invite-sign-in-link">
                Sign in to accept
              </Link>
            </Button>
            <Button asChild variant="outline" className="w-full">
              <Link href={`/sign-up?${query}`} data-testid="invite-sign-up-link">
                Create account
              </Link>
            </Button>
          </div>
        </CardContent>
      </Card>
    );
  }

  if (user.email.toLowerCase() !== invitation.email.toLowerCase()) {
    return (
      <Card data-testid="invite-card">
        {header}
        <CardContent className="space-y-4">
          <p className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm" data-testid="invite-wrong-account">
            This invitation is for <Strong>{invitation.email}</Strong>, but you are signed in as{" "}
            <Strong>{user.email}</Strong>. Sign out, then sign in or create an account with {invitation.email} to accept it.
          </p>
          <div className="grid gap-2">
            <SignOutButton callbackUrl={invitePath} className="w-full" data-testid="invite-sign-out-button">
              Sign out and switch account
            </SignOutButton>
            <Button asChild variant="ghost" className="w-full">
              <Link href="/">Not now</Link>
            </Button>
          </div>
        </CardContent>
      </Card>
    );
  }

  return (
    <Card data-testid="invite-card">
      {header}
      <CardContent>
        <InviteAcceptForm action={acceptInviteAction} token={token} email={invitation.email} />
      </CardContent>
    </Card>
  );
}

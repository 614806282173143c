"use client";

import { useState } from "react";
import { signOut } from "next-auth/react";
import { LogOut } from "lucide-react";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/** Signs out with next-auth, then goes to `callbackUrl` (a same-site path). */
export function SignOutButton({
  callbackUrl = "/sign-in",
  children = "Sign out",
  ...props
}: Omit<ButtonProps, "onClick" | "asChild"> & { callbackUrl?: string }) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="outline"
      {...props}
      disabled={pending || props.disabled}
      aria-busy={pending || undefined}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl }).catch(() => setPending(false));
      }}
    >
      {pending ? <Spinner label="" /> : <LogOut aria-hidden="true" />}
      {children}
    </Button>
  );
}

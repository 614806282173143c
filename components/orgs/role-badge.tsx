import { Badge } from "@/components/ui/badge";
import { ORG_ROLE_LABELS, PROJECT_ROLE_LABELS } from "./format";

export function RoleBadge({ role, ...props }: { role: "owner" | "reader" | "member" } & React.ComponentProps<typeof Badge>) {
  const label = role === "member" ? PROJECT_ROLE_LABELS.member : ORG_ROLE_LABELS[role];
  return (
    <Badge variant={role === "owner" ? "secondary" : "outline"} {...props}>
      {label}
    </Badge>
  );
}

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";
import { ArchiveProjectButton } from "./archive-project-button";
import type { FormAction } from "@/components/ui/use-form-action";

export type ProjectRow = {
  id: string;
  name: string;
  status: "active" | "archived";
  activeKeys: number;
  members: number;
  created: string;
  archived: string | null;
};

export function ProjectsTable({
  projects,
  canManage,
  archiveAction,
}: {
  projects: ProjectRow[];
  canManage: boolean;
  archiveAction: FormAction;
}) {
  const active = projects.filter((p) => p.status === "active");
  const archived = projects.filter((p) => p.status === "archived");
  const columns = canManage ? 6 : 5;
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid="projects-table">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead className="pl-4">Name</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Active keys</TableHead>
            <TableHead className="text-right">Members</TableHead>
            <TableHead>Created</TableHead>
            {canManage && (
              <TableHead className="pr-4 text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            )}
          </TableRow>
        </TableHeader>
        <TableBody>
          {active.map((p) => (
            <Row key={p.id} project={p} canManage={canManage} archiveAction={archiveAction} />
          ))}
          {archived.length > 0 && (
            <TableRow className="bg-muted/40 hover:bg-muted/40" data-testid="archived-separator">
              <TableCell colSpan={columns} className="py-2 pl-4 text-xs font-medium tracking-wider text-muted-foreground uppercase">
                Archived · {archived.length}
              </TableCell>
            </TableRow>
          )}
          {archived.map((p) => (
            <Row key={p.id} project={p} canManage={canManage} archiveAction={archiveAction} />
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function Row({ project: p, canManage, archiveAction }: { project: ProjectRow; canManage: boolean; archiveAction: FormAction }) {
  const isArchived = p.status === "archived";
  return (
    <TableRow
      data-testid="project-row"
      data-project-name={p.name}
      data-status={p.status}
      className={cn(isArchived && "text-muted-foreground")}
    >
      <TableCell className="max-w-[20rem] pl-4">
        <Link
          href={`/projects/${p.id}/api-keys`}
          className={cn(
            "block truncate rounded-sm font-medium underline-offset-4 outline-none hover:underline focus-visible:ring-[3px] focus-visible:ring-ring/50",
            isArchived && "font-normal",
          )}
          title={p.name}
        >
          {p.name}
        </Link>
      </TableCell>
      <TableCell>
        {isArchived ? (
          <Badge variant="muted" title={p.archived ? `Archived ${p.archived}` : undefined}>
            Archived
          </Badge>
        ) : (
          <Badge variant="success">Active</Badge>
        )}
      </TableCell>
      <TableCell className="text-right tabular-nums">{p.activeKeys}</TableCell>
      <TableCell className="text-right tabular-nums">{p.members}</TableCell>
      <TableCell className="text-muted-foreground">{p.created}</TableCell>
      {canManage && (
        <TableCell className="pr-4 text-right">
          <ArchiveProjectButton
            projectId={p.id}
            projectName={p.name}
            archived={isArchived}
            activeKeys={p.activeKeys}
            action={archiveAction}
          />
        </TableCell>
      )}
    </TableRow>
  );
}

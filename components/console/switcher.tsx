"use client";

import * as React from "react";
import Link from "next/link";
import { Check, ChevronsUpDown, FolderKanban, Settings } from "lucide-react";
import { cn } from "@/lib/utils";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuGroup,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

export type SwitcherOrg = { id: string; name: string };
export type SwitcherProject = { id: string; name: string; status: string };

export type SwitcherProps = {
  orgs: SwitcherOrg[];
  currentOrgId: string;
  /** Projects of the current org. */
  projects: SwitcherProject[];
  currentProjectId?: string | null;
  className?: string;
};

const triggerClasses =
  "inline-flex h-8 min-w-0 items-center gap-1.5 rounded-md px-2 text-sm font-medium transition-colors outline-none hover:bg-accent hover:text-accent-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 data-[state=open]:bg-accent";

function isActiveStatus(status: string) {
  return status.toLowerCase() === "active";
}

function OrgAvatar({ name, className }: { name: string; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "inline-flex size-5 shrink-0 items-center justify-center rounded-[5px] bg-primary text-[10px] font-semibold text-primary-foreground",
        className,
      )}
    >
      {(name.trim()[0] ?? "?").toUpperCase()}
    </span>
  );
}

/**
 * Organization / project switcher: `Org ▾ / Project ▾`.
 * Choosing an org → `/orgs/{id}/settings`; choosing a project → `/projects/{id}/api-keys`.
 */
export function Switcher({ orgs, currentOrgId, projects, currentProjectId, className }: SwitcherProps) {
  const currentOrg = orgs.find((o) => o.id === currentOrgId);
  const currentProject = currentProjectId ? projects.find((p) => p.id === currentProjectId) : undefined;
  const orgName = currentOrg?.name ?? "Organization";

  return (
    <div className={cn("flex min-w-0 items-center gap-0.5", className)} data-testid="switcher">
      <DropdownMenu>
        <DropdownMenuTrigger className={cn(triggerClasses, "shrink")} data-testid="org-switcher">
          <OrgAvatar name={orgName} />
          <span className="sr-only">Organization: {orgName}</span>
          <span
            aria-hidden="true"
            className="hidden max-w-[12rem] truncate sm:block"
            data-testid="org-switcher-current"
          >
            {orgName}
          </span>
          <ChevronsUpDown aria-hidden="true" className="size-3.5 shrink-0 text-muted-foreground" />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <DropdownMenuLabel>Organizations</DropdownMenuLabel>
          <DropdownMenuGroup>
            {orgs.map((org) => {
              const selected = org.id === currentOrgId;
              return (
                <DropdownMenuItem key={org.id} asChild data-testid={`org-option-${org.id}`}>
                  <Link href={`/orgs/${org.id}/settings`} aria-current={selected ? "true" : undefined}>
                    <OrgAvatar name={org.name} />
                    <span className="truncate">{org.name}</span>
                    {selected && <Check aria-label="Current" className="ml-auto text-foreground" />}
                  </Link>
                </DropdownMenuItem>
              );
            })}
          </DropdownMenuGroup>
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild data-testid="org-settings-link">
            <Link href={`/orgs/${currentOrgId}/settings`}>
              <Settings aria-hidden="true" />
              Organization settings
            </Link>
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>

      <span aria-hidden="true" className="shrink-0 px-0.5 text-lg font-light text-muted-foreground/60 select-none">
        /
      </span>

      <DropdownMenu>
        <DropdownMenuTrigger className={cn(triggerClasses, "shrink")} data-testid="project-switcher">
          <span className="sr-only">Project: </span>
          <span
            className={cn("max-w-[10rem] truncate sm:max-w-[14rem]", !currentProject && "text-muted-foreground")}
            data-testid="project-switcher-current"
          >
            {currentProject?.name ?? "Select project"}
          </span>
          <ChevronsUpDown aria-hidden="true" className="size-3.5 shrink-0 text-muted-foreground" />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <DropdownMenuLabel>Projects</DropdownMenuLabel>
          {projects.length === 0 ? (
            <p className="px-2 py-1.5 text-sm text-muted-foreground">No projects yet</p>
          ) : (
            <DropdownMenuGroup>
              {projects.map((project) => {
                const selected = project.id === currentProjectId;
                const active = isActiveStatus(project.status);
                return (
                  <DropdownMenuItem key={project.id} asChild data-testid={`project-option-${project.id}`}>
                    <Link href={`/projects/${project.id}/api-keys`} aria-current={selected ? "true" : undefined}>
                      <span className={cn("truncate", !active && "text-muted-foreground")}>{project.name}</span>
                      {!active && (
                        <span className="shrink-0 rounded border px-1 text-[10px] text-muted-foreground lowercase">
                          {project.status}
                        </span>
                      )}
                      {selected && <Check aria-label="Current" className="ml-auto text-foreground" />}
                    </Link>
                  </DropdownMenuItem>
                );
              })}
            </DropdownMenuGroup>
          )}
          <DropdownMenuSeparator />
          <DropdownMenuItem asChild data-testid="manage-projects">
            <Link href={`/orgs/${currentOrgId}/projects`}>
              <FolderKanban aria-hidden="true" />
              Manage projects
            </Link>
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </div>
  );
}

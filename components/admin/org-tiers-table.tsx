"use client";

import * as React from "react";
import { useOptimistic, useTransition } from "react";
import { Select } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { callWithToast } from "@/components/ui/use-form-action";
import { DateText } from "@/components/projects/date-text";
import type { CallAction } from "@/components/orgs/types";
import type { OrgTierRow } from "./types";

const TIERS = [1, 2, 3, 4, 5];

type Props = {
  orgs: OrgTierRow[];
  action: CallAction<{ orgId: string; tier: string }>;
  empty?: React.ReactNode;
};

/** Organizations with their usage tier; picking another tier applies it at once. */
export function OrgTiersTable({ orgs, action, empty }: Props) {
  if (orgs.length === 0 && empty) return <>{empty}</>;
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid="org-tiers-table">
        <TableHeader className="bg-muted/40">
          <TableRow className="hover:bg-transparent">
            <TableHead className="pl-4">Organization</TableHead>
            <TableHead>Owner</TableHead>
            <TableHead className="text-right">Members</TableHead>
            <TableHead className="text-right">Projects</TableHead>
            <TableHead>Created</TableHead>
            <TableHead className="pr-4">Tier</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {orgs.map((o) => (
            <TableRow key={o.id} data-testid="org-tier-row" data-org-id={o.id} data-org-name={o.name}>
              <TableCell className="max-w-[20rem] pl-4">
                <div className="truncate font-medium" title={o.name}>
                  {o.name}
                </div>
                <div className="truncate font-mono text-xs text-muted-foreground">{o.id}</div>
              </TableCell>
              <TableCell className="max-w-[16rem] truncate text-muted-foreground" title={o.owner ?? undefined}>
                {o.owner ?? "—"}
              </TableCell>
              <TableCell className="text-right tabular-nums">{o.members}</TableCell>
              <TableCell className="text-right tabular-nums">{o.projects}</TableCell>
              <TableCell className="text-muted-foreground">
                <DateText value={o.created} />
              </TableCell>
              <TableCell className="pr-4">
                <OrgTierSelect orgId={o.id} orgName={o.name} tier={o.tier} action={action} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function OrgTierSelect({ orgId, orgName, tier, action }: { orgId: string; orgName: string; tier: number; action: Props["action"] }) {
  const [shown, setShown] = useOptimistic(tier);
  const [pending, startTransition] = useTransition();
  function onChange(e: React.ChangeEvent<HTMLSelectElement>) {
    const next = Number(e.target.value);
    startTransition(async () => {
      setShown(next);
      // On failure the optimistic value falls back to the server's tier when the transition ends.
      await callWithToast(() => action({ orgId, tier: String(next) }));
    });
  }
  return (
    <Select
      aria-label={`Usage tier of ${orgName}`}
      value={String(shown)}
      onChange={onChange}
      aria-busy={pending || undefined}
      data-pending={pending ? "true" : undefined}
      data-testid="org-tier-select"
      wrapperClassName="w-28"
      className="h-8"
    >
      {TIERS.map((t) => (
        <option key={t} value={t}>
          Tier {t}
        </option>
      ))}
    </Select>
  );
}

import Link from "next/link";
import { ArrowDown } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { CAPABILITY_LABELS, PROVIDER_LABELS } from "@/components/admin/model-format";
import { formatPrice } from "@/lib/admin/money";
import { cn } from "@/lib/utils";
import { perThousand } from "./format";
import type { PricingModel, PricingSort } from "./pricing";

const NOT_PRICED = "Not priced (cannot be used)";

function Price({ micros, fallback }: { micros: number | null; fallback?: string }) {
  if (micros === null) {
    return fallback ? (
      <span className="text-muted-foreground">{fallback}</span>
    ) : (
      <span className="text-[13px] font-medium text-destructive" data-testid="not-priced">
        {NOT_PRICED}
      </span>
    );
  }
  return (
    <div className="flex flex-col items-end">
      <span className="font-medium tabular-nums">
        {formatPrice(micros)} <span className="text-xs font-normal text-muted-foreground">/ 1M</span>
      </span>
      <span className="text-xs text-muted-foreground tabular-nums">{perThousand(micros)} / 1K</span>
    </div>
  );
}

function SortHead({ label, value, sort, href, className }: { label: string; value: PricingSort; sort: PricingSort; href: (s: PricingSort) => string; className?: string }) {
  const active = sort === value;
  return (
    <TableHead className={className} aria-sort={active ? "ascending" : "none"}>
      <Link
        href={href(value)}
        scroll={false}
        className={cn(
          "inline-flex items-center gap-1 rounded-sm outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50",
          active && "text-foreground",
        )}
        data-testid={`pricing-sort-${value}`}
      >
        {label}
        {active && <ArrowDown className="size-3" aria-hidden="true" />}
        {active && <span className="sr-only">(sorted, lowest first)</span>}
      </Link>
    </TableHead>
  );
}

/** Prices of one kind of model: chat (input, cached input, output, training) or embeddings (input only). */
export function PricingTable({
  kind,
  models,
  sort,
  sortHref,
}: {
  kind: "chat" | "embeddings";
  models: PricingModel[];
  sort: PricingSort;
  sortHref: (s: PricingSort) => string;
}) {
  const chat = kind === "chat";
  return (
    <div className="overflow-hidden rounded-xl border bg-card">
      <Table data-testid={`pricing-table-${kind}`}>
        <TableHeader className="bg-muted/40">
          <TableRow className="hover:bg-transparent">
            <SortHead label="Model" value="id" sort={sort} href={sortHref} className="pl-4" />
            <TableHead>Provider</TableHead>
            <TableHead>Capabilities</TableHead>
            <SortHead label="Input" value="input" sort={sort} href={sortHref} className="text-right" />
            {chat && <TableHead className="text-right">Cached input</TableHead>}
            {chat && <SortHead label="Output" value="output" sort={sort} href={sortHref} className="text-right" />}
            {chat && <TableHead className="pr-4 text-right">Training</TableHead>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {models.map((m) => {
            const usable = m.inputPriceMicros !== null && (!chat || m.outputPriceMicros !== null);
            return (
              <TableRow key={m.id} data-testid="pricing-row" data-model={m.id} data-usable={usable ? "true" : "false"} className="align-top">
                <TableCell className="pl-4">
                  <div className="flex flex-col">
                    <span className="font-mono text-[13px] font-medium">{m.id}</span>
                    <span className="text-xs text-muted-foreground">{m.contextWindow.toLocaleString("en-US")} tokens of context</span>
                  </div>
                </TableCell>
                <TableCell className="text-muted-foreground">{PROVIDER_LABELS[m.provider] ?? m.provider}</TableCell>
                <TableCell>
                  <div className="flex max-w-[16rem] flex-wrap gap-1">
                    {m.capabilities.map((c) => (
                      <Badge key={c} variant="muted">
                        {CAPABILITY_LABELS[c] ?? c}
                      </Badge>
                    ))}
                  </div>
                </TableCell>
                <TableCell className="text-right">
                  <Price micros={m.inputPriceMicros} />
                </TableCell>
                {chat && (
                  <TableCell className="text-right">
                    <Price micros={m.inputPriceMicros === null ? null : m.cachedInputPriceMicros} fallback={m.inputPriceMicros === null ? "—" : "Same as input"} />
                  </TableCell>
                )}
                {chat && (
                  <TableCell className="text-right">
                    <Price micros={m.outputPriceMicros} />
                  </TableCell>
                )}
                {chat && (
                  <TableCell className="pr-4 text-right" data-testid="training-price">
                    <Price micros={m.trainingPriceMicros} fallback="Not offered" />
                  </TableCell>
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

"use client";

import { Printer } from "lucide-react";
import { Button } from "@/components/ui/button";

/** Opens the browser's print dialog, where "Save as PDF" is one of the destinations. */
export function PrintButton() {
  return (
    <Button size="sm" onClick={() => window.print()} className="print:hidden" data-testid="print-statement">
      <Printer aria-hidden="true" />
      Print / Save as PDF
    </Button>
  );
}

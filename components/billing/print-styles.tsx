// Print rules for the statement page. The page's own controls hide themselves with Tailwind's
// `print:` variants; the console frame around it (sidebar, sticky header, toasts, the main
// column's padding and width) is rendered by the shared layout, so it is hidden here, only
// while a statement is on screen. Printing always uses the light palette: paper is white
// whatever theme the console is in.
const PRINT_CSS = `
@media print {
  @page { margin: 14mm 12mm; }
  [data-testid="sidebar"], [data-testid="console-header"], [data-sonner-toaster], a[href="#main-content"] { display: none !important; }
  #main-content { max-width: none !important; padding: 0 !important; }
  html, body { background: #fff !important; }
  html.dark {
    color-scheme: light;
    --background: oklch(1 0 0);
    --foreground: oklch(0.17 0.004 286);
    --card: oklch(1 0 0);
    --card-foreground: oklch(0.17 0.004 286);
    --muted: oklch(0.967 0.001 286);
    --muted-foreground: oklch(0.45 0.012 286);
    --border: oklch(0.88 0.003 286);
    --destructive: oklch(0.577 0.215 27.3);
    --success: oklch(0.5 0.13 155);
    --warning: oklch(0.6 0.15 70);
  }
  [data-slot="table-container"] { overflow: visible !important; }
  tr { break-inside: avoid; }
}
`;

export function StatementPrintStyles() {
  return <style data-testid="statement-print-styles">{PRINT_CSS}</style>;
}

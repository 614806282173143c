"use client";

import * as React from "react";
import { Code } from "lucide-react";
import { cn } from "@/lib/utils";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { Label } from "@/components/ui/label";
import { codeSnippet, type CodeLanguage } from "./code";
import { Switch } from "./controls";
import { buildRequestBody, type RequestSpec } from "./request";

const LANGUAGES: { value: CodeLanguage; label: string }[] = [
  { value: "curl", label: "curl" },
  { value: "node", label: "Node" },
  { value: "python", label: "Python" },
];

/** "View code": the current request as curl / Node / Python, for the Gatehouse /v1 API. */
export function ViewCodeDialog({ specs }: { specs: { label: string; spec: RequestSpec }[] }) {
  const [open, setOpen] = React.useState(false);
  const [language, setLanguage] = React.useState<CodeLanguage>("curl");
  const [stream, setStream] = React.useState(false);
  const [column, setColumn] = React.useState(0);
  const [origin, setOrigin] = React.useState("");
  const tabRefs = React.useRef<(HTMLButtonElement | null)[]>([]);

  const current = specs[Math.min(column, specs.length - 1)];
  const built = current ? buildRequestBody(current.spec, { stream }) : null;
  const code = built?.ok && origin ? codeSnippet(language, `${origin}/v1`, built.body) : "";

  const onTabKey = (e: React.KeyboardEvent, i: number) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = (i + step + LANGUAGES.length) % LANGUAGES.length;
    setLanguage(LANGUAGES[next].value);
    tabRefs.current[next]?.focus();
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        // The base URL is the address this console is open at, as the browser sees it.
        if (o) setOrigin(window.location.origin);
        setOpen(o);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" size="sm" data-testid="view-code">
          <Code aria-hidden="true" />
          <span className="max-sm:sr-only">View code</span>
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-3xl" data-testid="view-code-dialog">
        <DialogHeader>
          <DialogTitle>View code</DialogTitle>
          <DialogDescription>
            This request, sent to the Gatehouse API with a project API key. Set <code className="font-mono text-xs">OPENAI_API_KEY</code> to a key
            of this project first.
          </DialogDescription>
        </DialogHeader>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div role="tablist" aria-label="Language" className="inline-flex items-center gap-0.5 rounded-lg border bg-muted/60 p-0.5 dark:bg-input/20">
            {LANGUAGES.map((l, i) => (
              <button
                key={l.value}
                ref={(el) => {
                  tabRefs.current[i] = el;
                }}
                type="button"
                role="tab"
                id={`view-code-tab-${l.value}`}
                aria-selected={language === l.value}
                aria-controls="view-code-panel"
                tabIndex={language === l.value ? 0 : -1}
                onClick={() => setLanguage(l.value)}
                onKeyDown={(e) => onTabKey(e, i)}
                data-state={language === l.value ? "active" : "inactive"}
                data-testid={`view-code-tab-${l.value}`}
                className="inline-flex h-7 items-center rounded-md px-3 text-xs font-medium text-muted-foreground transition-colors outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 data-[state=active]:bg-background data-[state=active]:text-foreground data-[state=active]:shadow-xs dark:data-[state=active]:bg-input/60"
              >
                {l.label}
              </button>
            ))}
          </div>
          <div className="flex items-center gap-4">
            {specs.length > 1 && (
              <label className="flex items-center gap-2 text-xs text-muted-foreground">
                Column
                <select
                  value={column}
                  onChange={(e) => setColumn(Number(e.target.value))}
                  className="h-7 rounded-md border bg-background px-1.5 text-xs text-foreground"
                  data-testid="view-code-column"
                >
                  {specs.map((s, i) => (
                    <option key={i} value={i}>
                      {s.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <div className="flex items-center gap-2">
              <Switch id="view-code-stream" checked={stream} onCheckedChange={setStream} data-testid="view-code-stream" />
              <Label htmlFor="view-code-stream" className="text-xs font-normal">
                Stream
              </Label>
            </div>
          </div>
        </div>
        {built && !built.ok ? (
          <FormAlert message={`The request is not complete yet: ${built.error}`} data-testid="view-code-error" />
        ) : (
          <div id="view-code-panel" role="tabpanel" aria-labelledby={`view-code-tab-${language}`} className="relative min-w-0">
            <pre
              className={cn("max-h-[60dvh] overflow-auto rounded-lg border bg-muted/40 p-4 pr-12 font-mono text-xs leading-relaxed")}
              data-testid={`view-code-${language}`}
              data-language={language}
            >
              <code>{code}</code>
            </pre>
            <CopyButton
              value={code}
              label="Copy code"
              toastMessage="Code copied"
              className="absolute top-2 right-2 bg-background/80"
              data-testid="view-code-copy"
            />
          </div>
        )}
        <p className="text-xs text-muted-foreground">
          The code calls this Gatehouse instance. Create a key for this project under API keys if you do not have one.
        </p>
      </DialogContent>
    </Dialog>
  );
}

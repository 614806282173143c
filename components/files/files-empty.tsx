"use client";

import * as React from "react";
import { FileText } from "lucide-react";
import { CopyButton } from "@/components/ui/copy-button";

type Language = "curl" | "python" | "node";

const LANGUAGES: { value: Language; label: string }[] = [
  { value: "curl", label: "curl" },
  { value: "python", label: "Python" },
  { value: "node", label: "Node" },
];

/** The upload call, for the Gatehouse API at `baseUrl` (…/v1), with the official SDKs or curl. */
export function uploadSnippet(language: Language, baseUrl: string): string {
  switch (language) {
    case "curl":
      return [
        `curl ${baseUrl}/files \\`,
        `  -H "Authorization: Bearer $OPENAI_API_KEY" \\`,
        `  -F purpose="fine-tune" \\`,
        `  -F file="@train.jsonl"`,
      ].join("\n");
    case "python":
      return [
        "from openai import OpenAI",
        "",
        `client = OpenAI(base_url=${JSON.stringify(baseUrl)})`,
        "",
        'file = client.files.create(file=open("train.jsonl", "rb"), purpose="fine-tune")',
        "print(file.id)",
      ].join("\n");
    case "node":
      return [
        'import fs from "node:fs";',
        'import OpenAI from "openai";',
        "",
        `const client = new OpenAI({ baseURL: ${JSON.stringify(baseUrl)} });`,
        "",
        'const file = await client.files.create({ file: fs.createReadStream("train.jsonl"), purpose: "fine-tune" });',
        "console.log(file.id);",
      ].join("\n");
  }
}

const noSubscribe = () => () => {};

/** The address this console is open at, as the browser sees it ("" while rendering on the server). */
function useOrigin() {
  return React.useSyncExternalStore(noSubscribe, () => window.location.origin, () => "");
}

/** The Files page with no files: what files are for, and how to upload one with the API. */
export function FilesEmpty({ action }: { action?: React.ReactNode }) {
  const origin = useOrigin();
  const [language, setLanguage] = React.useState<Language>("curl");
  const tabRefs = React.useRef<(HTMLButtonElement | null)[]>([]);
  const code = uploadSnippet(language, `${origin || "http://localhost:3000"}/v1`);

  const onTabKey = (e: React.KeyboardEvent, i: number) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = (i + step + LANGUAGES.length) % LANGUAGES.length;
    setLanguage(LANGUAGES[next].value);
    tabRefs.current[next]?.focus();
  };

  return (
    <div className="flex flex-col items-center rounded-xl border border-dashed px-6 py-10 text-center" data-testid="files-empty">
      <div className="mb-4 flex size-10 items-center justify-center rounded-lg border bg-muted/50 text-muted-foreground shadow-xs">
        <FileText className="size-5" aria-hidden="true" />
      </div>
      <h3 className="text-sm font-semibold">No files yet</h3>
      <p className="mt-1 max-w-xl text-sm text-balance text-muted-foreground">
        Files hold the data this project&apos;s jobs and assistants read: JSONL training sets for fine-tuning, request batches,
        documents and images. {action ? "Upload one here" : "Project owners upload them here"}, or send them to the API with a key of
        this project.
      </p>
      {action && <div className="mt-5 flex flex-wrap items-center justify-center gap-2">{action}</div>}

      <div className="mt-8 w-full max-w-2xl text-left">
        <div className="mb-2 flex items-center justify-between gap-3">
          <div role="tablist" aria-label="Language" className="inline-flex items-center gap-0.5 rounded-lg border bg-muted/60 p-0.5 dark:bg-input/20">
            {LANGUAGES.map((l, i) => (
              <button
                key={l.value}
                ref={(el) => {
                  tabRefs.current[i] = el;
                }}
                type="button"
                role="tab"
                id={`files-snippet-tab-${l.value}`}
                aria-selected={language === l.value}
                aria-controls="files-snippet-panel"
                tabIndex={language === l.value ? 0 : -1}
                onClick={() => setLanguage(l.value)}
                onKeyDown={(e) => onTabKey(e, i)}
                data-state={language === l.value ? "active" : "inactive"}
                data-testid={`files-snippet-tab-${l.value}`}
                className="inline-flex h-7 items-center rounded-md px-3 text-xs font-medium text-muted-foreground transition-colors outline-none hover:text-foreground focus-visible:ring-[3px] focus-visible:ring-ring/50 data-[state=active]:bg-background data-[state=active]:text-foreground data-[state=active]:shadow-xs dark:data-[state=active]:bg-input/60"
              >
                {l.label}
              </button>
            ))}
          </div>
          <p className="text-xs text-muted-foreground">
            Set <code className="font-mono">OPENAI_API_KEY</code> to an API key of this project.
          </p>
        </div>
        <div id="files-snippet-panel" role="tabpanel" aria-labelledby={`files-snippet-tab-${language}`} className="relative min-w-0">
          <pre className="overflow-x-auto rounded-lg border bg-muted/40 p-4 pr-12 font-mono text-xs leading-relaxed" data-testid="files-snippet" data-language={language}>
            <code>{code}</code>
          </pre>
          <CopyButton value={code} label="Copy code" toastMessage="Code copied" className="absolute top-2 right-2 bg-background/80" />
        </div>
      </div>
    </div>
  );
}

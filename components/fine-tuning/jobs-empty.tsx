"use client";

import * as React from "react";
import Link from "next/link";
import { Plus, Sparkles } from "lucide-react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { SegmentedControl } from "@/components/projects/segmented-control";

type Language = "node" | "python";

function snippet(language: Language, baseUrl: string, model: string): string {
  if (language === "python") {
    return [
      "from openai import OpenAI",
      "",
      `client = OpenAI(base_url=${JSON.stringify(baseUrl)})  # OPENAI_API_KEY: a key of this project`,
      "",
      'file = client.files.create(file=open("train.jsonl", "rb"), purpose="fine-tune")',
      `job = client.fine_tuning.jobs.create(model=${JSON.stringify(model)}, training_file=file.id)`,
      "print(job.id, job.status)",
    ].join("\n");
  }
  return [
    'import fs from "node:fs";',
    'import OpenAI from "openai";',
    "",
    `const client = new OpenAI({ baseURL: ${JSON.stringify(baseUrl)} }); // OPENAI_API_KEY: a key of this project`,
    "",
    'const file = await client.files.create({ file: fs.createReadStream("train.jsonl"), purpose: "fine-tune" });',
    `const job = await client.fineTuning.jobs.create({ model: ${JSON.stringify(model)}, training_file: file.id });`,
    "console.log(job.id, job.status);",
  ].join("\n");
}

const subscribeNever = () => () => {};

/** No jobs yet: what fine-tuning does here, how to start from the console or from code. */
export function JobsEmpty({ newHref, canCreate, manageNote, model }: { newHref: string; canCreate: boolean; manageNote: string | null; model: string }) {
  const [language, setLanguage] = React.useState<Language>("python");
  // The base URL is the address this console is open at, as the browser sees it.
  const origin = React.useSyncExternalStore(subscribeNever, () => window.location.origin, () => "");
  const code = snippet(language, `${origin || "https://gatehouse.example.com"}/v1`, model);

  return (
    <div className="rounded-xl border border-dashed px-6 py-10" data-testid="ft-empty">
      <div className="mx-auto flex max-w-2xl flex-col items-center text-center">
        <div className="mb-4 flex size-10 items-center justify-center rounded-lg border bg-muted/50 text-muted-foreground shadow-xs">
          <Sparkles className="size-5" aria-hidden="true" />
        </div>
        <h2 className="text-sm font-semibold">No fine-tuning jobs yet</h2>
        <p className="mt-1 text-sm text-balance text-muted-foreground">
          Fine-tuning trains a copy of a base model on your own example conversations, so it answers in your format and style with
          shorter prompts. Upload a JSONL file with one <code className="font-mono text-xs">{`{"messages": [...]}`}</code> conversation per
          line; the job checks every line, trains, and publishes a new model (and a checkpoint per epoch) that only this project can use.
        </p>
        <div className="mt-5">
          {canCreate ? (
            <Button asChild data-testid="ft-empty-create">
              <Link href={newHref}>
                <Plus aria-hidden="true" />
                Create job
              </Link>
            </Button>
          ) : (
            <p className="text-sm text-muted-foreground">{manageNote}</p>
          )}
        </div>
      </div>
      <div className="mx-auto mt-8 max-w-2xl">
        <div className="mb-2 flex items-center justify-between gap-3">
          <p className="text-xs font-medium text-muted-foreground">Or from code, with the OpenAI SDK</p>
          <SegmentedControl
            name="language"
            size="sm"
            label="Language"
            value={language}
            onValueChange={setLanguage}
            options={[
              { value: "python", label: "Python", testId: "ft-snippet-python" },
              { value: "node", label: "Node", testId: "ft-snippet-node" },
            ]}
          />
        </div>
        <div className="relative rounded-lg border bg-muted/40">
          <pre className="overflow-x-auto p-4 pr-12 text-left font-mono text-xs leading-relaxed" data-testid="ft-snippet">
            <code>{code}</code>
          </pre>
          <CopyButton value={code} label="Copy code" className="absolute top-2 right-2" />
        </div>
      </div>
    </div>
  );
}

"use client";

import * as React from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { cn } from "@/lib/utils";
import { CopyButton } from "@/components/ui/copy-button";

// Model output rendered as GitHub-flavoured markdown. Raw HTML is not rendered (react-markdown
// escapes it) and images become links, so an answer cannot make the browser load anything.

type HastLike = { type: string; value?: string; tagName?: string; properties?: Record<string, unknown>; children?: HastLike[] };

function textOf(node: HastLike | undefined): string {
  if (!node) return "";
  if (node.type === "text") return node.value ?? "";
  return (node.children ?? []).map(textOf).join("");
}

function languageOf(node: HastLike | undefined): string | null {
  const code = node?.children?.find((c) => c.type === "element" && c.tagName === "code");
  const classes = code?.properties?.className;
  const list = Array.isArray(classes) ? classes.map(String) : typeof classes === "string" ? classes.split(" ") : [];
  const lang = list.find((c) => c.startsWith("language-"));
  return lang ? lang.slice("language-".length) : null;
}

function CodeBlock({ node, children }: { node?: HastLike; children?: React.ReactNode }) {
  const text = textOf(node).replace(/\n$/, "");
  const lang = languageOf(node);
  return (
    <div className="group/code my-3 overflow-hidden rounded-lg border bg-muted/40" data-testid="markdown-code-block">
      <div className="flex h-8 items-center justify-between border-b bg-muted/60 pr-1 pl-3 text-xs text-muted-foreground">
        <span className="font-mono">{lang ?? "text"}</span>
        <CopyButton value={text} label="Copy code" toastMessage="Code copied" className="size-7" data-testid="copy-code" />
      </div>
      <pre className="overflow-x-auto p-3 font-mono text-[13px] leading-relaxed">{children}</pre>
    </div>
  );
}

const components: Components = {
  pre: ({ node, children }) => <CodeBlock node={node as HastLike | undefined}>{children}</CodeBlock>,
  code: ({ className, children }) => (
    <code className={cn(!className && "rounded bg-muted px-1 py-0.5 font-mono text-[0.9em]", className)}>{children}</code>
  ),
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="font-medium underline underline-offset-4">
      {children}
    </a>
  ),
  img: ({ src, alt }) => (
    <a href={typeof src === "string" ? src : undefined} target="_blank" rel="noopener noreferrer nofollow" className="underline underline-offset-4">
      {alt || "image"}
    </a>
  ),
  table: ({ children }) => (
    <div className="my-3 overflow-x-auto">
      <table className="w-full border-collapse text-sm">{children}</table>
    </div>
  ),
  th: ({ children }) => <th className="border px-2 py-1 text-left font-medium">{children}</th>,
  td: ({ children }) => <td className="border px-2 py-1 align-top">{children}</td>,
};

const proseClasses =
  "min-w-0 text-sm leading-relaxed break-words [&_blockquote]:my-3 [&_blockquote]:border-l-2 [&_blockquote]:pl-3 [&_blockquote]:text-muted-foreground [&_h1]:mt-4 [&_h1]:mb-2 [&_h1]:text-lg [&_h1]:font-semibold [&_h2]:mt-4 [&_h2]:mb-2 [&_h2]:text-base [&_h2]:font-semibold [&_h3]:mt-3 [&_h3]:mb-1.5 [&_h3]:font-semibold [&_hr]:my-4 [&_li]:my-0.5 [&_ol]:my-2 [&_ol]:list-decimal [&_ol]:pl-5 [&_p]:my-2 [&_ul]:my-2 [&_ul]:list-disc [&_ul]:pl-5 [&>*:first-child]:mt-0 [&>*:last-child]:mb-0";

export const Markdown = React.memo(function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div className={cn(proseClasses, className)}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});

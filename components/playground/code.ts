// The "View code" snippets: the exact request the playground sends, as curl, Node (official
// `openai` SDK) and Python (`openai` SDK). The key only ever appears as an environment variable.

export type CodeLanguage = "curl" | "node" | "python";

/** Single-quotes a string for POSIX shells: ' becomes '\'' (close, escaped quote, reopen). */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function curlSnippet(baseUrl: string, body: Record<string, unknown>): string {
  return [
    `curl ${shellQuote(`${baseUrl}/chat/completions`)} \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -H "Authorization: Bearer $OPENAI_API_KEY" \\`,
    `  -d ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join("\n");
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JavaScript literal, formatted like Prettier would (unquoted keys where possible). */
function jsLiteral(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = indent + "  ";
    return `[\n${value.map((v) => inner + jsLiteral(v, inner)).join(",\n")},\n${indent}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    const inner = indent + "  ";
    const lines = entries.map(([k, v]) => `${inner}${IDENT.test(k) ? k : JSON.stringify(k)}: ${jsLiteral(v, inner)}`);
    return `{\n${lines.join(",\n")},\n${indent}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function nodeSnippet(baseUrl: string, body: Record<string, unknown>): string {
  const stream = body.stream === true;
  const lines = [
    `import OpenAI from "openai";`,
    ``,
    `const client = new OpenAI({`,
    `  baseURL: ${JSON.stringify(baseUrl)},`,
    `  apiKey: process.env.OPENAI_API_KEY,`,
    `});`,
    ``,
    `const ${stream ? "stream" : "completion"} = await client.chat.completions.create(${jsLiteral(body, "")});`,
    ``,
  ];
  if (stream) {
    lines.push(
      `for await (const chunk of stream) {`,
      `  const delta = chunk.choices[0]?.delta;`,
      `  if (delta?.content) process.stdout.write(delta.content);`,
      `  if (delta?.tool_calls) console.log(JSON.stringify(delta.tool_calls));`,
      `  if (chunk.usage) console.log("\\n", chunk.usage);`,
      `}`,
    );
  } else {
    lines.push(`console.log(completion.choices[0].message);`);
  }
  return lines.join("\n");
}

/** A Python literal: JSON with True/False/None (JSON string escapes are valid Python too). */
function pyLiteral(value: unknown, indent: string): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = indent + "    ";
    return `[\n${value.map((v) => inner + pyLiteral(v, inner)).join(",\n")},\n${indent}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    const inner = indent + "    ";
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pyLiteral(v, inner)}`).join(",\n")},\n${indent}}`;
  }
  return JSON.stringify(value);
}

const PY_KEYWORDS = new Set(["from", "import", "class", "def", "global", "lambda", "in", "is", "not", "and", "or", "pass", "return"]);

export function pythonSnippet(baseUrl: string, body: Record<string, unknown>): string {
  const stream = body.stream === true;
  const args = Object.entries(body).map(([k, v]) => {
    // Every Chat Completions parameter is a valid keyword argument; guard anyway.
    const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && !PY_KEYWORDS.has(k) ? k : null;
    return key ? `    ${key}=${pyLiteral(v, "    ")},` : `    **{${JSON.stringify(k)}: ${pyLiteral(v, "    ")}},`;
  });
  const lines = [
    `import os`,
    `from openai import OpenAI`,
    ``,
    `client = OpenAI(`,
    `    base_url=${JSON.stringify(baseUrl)},`,
    `    api_key=os.environ["OPENAI_API_KEY"],`,
    `)`,
    ``,
    `${stream ? "stream" : "completion"} = client.chat.completions.create(`,
    ...args,
    `)`,
    ``,
  ];
  if (stream) {
    lines.push(
      `for chunk in stream:`,
      `    if chunk.choices and chunk.choices[0].delta.content:`,
      `        print(chunk.choices[0].delta.content, end="", flush=True)`,
      `    if chunk.choices and chunk.choices[0].delta.tool_calls:`,
      `        print(chunk.choices[0].delta.tool_calls)`,
      `    if chunk.usage:`,
      `        print("\\n", chunk.usage)`,
    );
  } else {
    lines.push(`print(completion.choices[0].message)`);
  }
  return lines.join("\n");
}

export function codeSnippet(language: CodeLanguage, baseUrl: string, body: Record<string, unknown>): string {
  if (language === "curl") return curlSnippet(baseUrl, body);
  if (language === "node") return nodeSnippet(baseUrl, body);
  return pythonSnippet(baseUrl, body);
}

// Clients that call with the legacy `functions` parameter expect the legacy answer: a single
// `function_call` on the message (and in stream deltas) and finish_reason "function_call",
// not tool_calls. Providers only speak tools; this turns their answer back.

type Json = Record<string, unknown>;

export function usesLegacyFunctions(raw: Json): boolean {
  return raw.functions !== undefined && raw.tools === undefined;
}

export function toLegacyCompletion<T extends { choices: Json[] }>(body: T): T {
  for (const choice of body.choices) {
    const message = choice.message as Json;
    const calls = message.tool_calls as { function: { name: string; arguments: string } }[] | undefined;
    if (calls?.length) {
      message.function_call = { name: calls[0].function.name, arguments: calls[0].function.arguments };
      delete message.tool_calls;
    }
    if (choice.finish_reason === "tool_calls") choice.finish_reason = "function_call";
  }
  return body;
}

export async function* toLegacyChunks(chunks: AsyncIterable<{ choices: Json[] }>): AsyncGenerator<{ choices: Json[] }> {
  for await (const chunk of chunks) {
    for (const choice of chunk.choices) {
      const delta = choice.delta as Json | undefined;
      const calls = delta?.tool_calls as { index: number; function?: { name?: string; arguments?: string } }[] | undefined;
      if (delta && calls) {
        // Legacy function calling has one call: later parallel calls are dropped.
        const first = calls.find((c) => c.index === 0);
        if (first?.function) delta.function_call = { ...(first.function.name ? { name: first.function.name } : {}), arguments: first.function.arguments ?? "" };
        delete delta.tool_calls;
      }
      if (choice.finish_reason === "tool_calls") choice.finish_reason = "function_call";
    }
    yield chunk;
  }
}

"use client";

import * as React from "react";
import { unstable_rethrow } from "next/navigation";
import { toast } from "sonner";
import type { ActionResult, ActionState } from "@/lib/actions";

export type FormAction<T = undefined> = (prev: ActionState<T>, form: FormData) => Promise<ActionResult<T>>;

type Success<T> = Extract<ActionResult<T>, { ok: true }>;
type Failure<T> = Extract<ActionResult<T>, { ok: false }>;

type Options<T> = {
  /** Called once per successful result (after the success toast). */
  onSuccess?: (result: Success<T>, form: FormData) => void;
  /** Called once per failed result. */
  onError?: (result: Failure<T>) => void;
  /** Toast failures as well as returning them. */
  toastErrors?: boolean;
  /** Field names the form shows errors for; other failures become `formError`. */
  fields?: readonly string[];
};

const NETWORK_ERROR = "Could not reach the server. Check your connection and try again.";

/**
 * `useActionState` for console forms:
 * - submits through `onSubmit`, so React does not clear what the user typed when the server
 *   refuses it (a plain `<form action>` is reset after every submission);
 * - turns a failed request into an ActionResult instead of an error page, while letting a
 *   server-side redirect() through to the router;
 * - toasts `message` on success and splits errors into per-field and form-level messages;
 *   a field's error disappears as soon as the user edits that field (wire `onInput`).
 */
export function useFormAction<T = undefined>(action: FormAction<T>, options: Options<T> = {}) {
  const submitted = React.useRef<FormData | null>(null);
  const [state, dispatch, pending] = React.useActionState<ActionState<T>, FormData>(async (prev, form) => {
    try {
      return await action(prev, form);
    } catch (err) {
      unstable_rethrow(err);
      return { ok: false, error: NETWORK_ERROR };
    }
  }, null);

  const onResult = React.useEffectEvent((result: ActionResult<T>) => {
    if (result.ok) {
      if (result.message) toast.success(result.message);
      options.onSuccess?.(result, submitted.current ?? new FormData());
    } else {
      if (options.toastErrors) toast.error(result.error);
      options.onError?.(result);
    }
  });

  // Fields edited since the last result: their (now stale) errors are hidden.
  const [edited, setEdited] = React.useState<{ after: ActionState<T>; names: ReadonlySet<string> }>({ after: null, names: new Set() });
  const editedNames = edited.after === state ? edited.names : new Set<string>();

  React.useEffect(() => {
    if (state) onResult(state);
  }, [state]);

  const onInput = React.useCallback(
    (event: React.FormEvent<HTMLFormElement>) => {
      const name = (event.target as HTMLInputElement).name;
      if (!name) return;
      setEdited((prev) => {
        const names = prev.after === state ? prev.names : new Set<string>();
        return names.has(name) ? prev : { after: state, names: new Set(names).add(name) };
      });
    },
    [state],
  );

  const submitData = React.useCallback(
    (data: FormData) => {
      submitted.current = data;
      React.startTransition(() => dispatch(data));
    },
    [dispatch],
  );

  const onSubmit = React.useCallback(
    (event: React.FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      submitData(new FormData(event.currentTarget));
    },
    [submitData],
  );

  const fieldErrors: Record<string, string> = Object.fromEntries(
    Object.entries(state && !state.ok ? (state.fieldErrors ?? {}) : {}).filter(([name]) => !editedNames.has(name)),
  );
  const shown = options.fields;
  const allFieldErrors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const hasShownFieldError = shown ? shown.some((f) => allFieldErrors[f]) : Object.keys(allFieldErrors).length > 0;
  const formError = state && !state.ok && !hasShownFieldError ? state.error : null;

  return { state, pending, onSubmit, onInput, submitData, fieldErrors, formError };
}

/** Calls a server action directly (buttons, selects); toasts the outcome and returns it. */
export async function callWithToast<T>(call: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  let result: ActionResult<T>;
  try {
    result = await call();
  } catch (err) {
    unstable_rethrow(err);
    result = { ok: false, error: NETWORK_ERROR };
  }
  if (result.ok) {
    if (result.message) toast.success(result.message);
  } else {
    toast.error(result.error);
  }
  return result;
}

"use client";

import * as React from "react";
import { toast } from "sonner";
import type { ActionResult, ActionState } from "@/lib/actions";
import type { FormAction } from "./types";

type Options<T> = {
  /** Called once per successful result (after the success toast). */
  onSuccess?: (result: Extract<ActionResult<T>, { ok: true }>) => void;
  /** Called once per failed result. */
  onError?: (result: Extract<ActionResult<T>, { ok: false }>) => void;
  /** Toast failures instead of (or as well as) showing them in the form. */
  toastErrors?: boolean;
  /** Field names the form shows errors for; other failures are returned as `formError`. */
  fields?: readonly string[];
};

/**
 * `useActionState` for console forms. Submits through `onSubmit` (so React does not reset the
 * fields after a failed submit), toasts the result's `message` on success, and splits errors
 * into per-field messages and one form-level message.
 */
export function useFormAction<T = undefined>(action: FormAction<T>, options: Options<T> = {}) {
  const [state, dispatch, pending] = React.useActionState<ActionState<T>, FormData>(action, null);

  const onResult = React.useEffectEvent((result: ActionResult<T>) => {
    if (result.ok) {
      if (result.message) toast.success(result.message);
      options.onSuccess?.(result);
    } else {
      if (options.toastErrors) toast.error(result.error);
      options.onError?.(result);
    }
  });

  React.useEffect(() => {
    if (state) onResult(state);
  }, [state]);

  const submitData = React.useCallback(
    (data: FormData) => {
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

  const fieldErrors: Record<string, string> = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const shownFields = options.fields;
  const hasShownFieldError = shownFields ? shownFields.some((f) => fieldErrors[f]) : Object.keys(fieldErrors).length > 0;
  const formError = state && !state.ok && !hasShownFieldError ? state.error : null;

  return { state, pending, onSubmit, submitData, fieldErrors, formError };
}

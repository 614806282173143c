import type { ActionResult, ActionState } from "@/lib/actions";

/** A server action usable with `useActionState`: `(previous state, form data) => result`. */
export type FormAction<T = undefined> = (prev: ActionState<T>, form: FormData) => Promise<ActionResult<T>>;

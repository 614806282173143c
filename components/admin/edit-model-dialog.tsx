"use client";

import * as React from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { FormAlert } from "@/components/ui/form-alert";
import { FormSubmitButton } from "@/components/ui/form-submit-button";
import { useFormAction, type FormAction } from "@/components/ui/use-form-action";
import { priceInputValue } from "@/lib/admin/money";
import { CheckboxField, PriceField, TextField } from "./form-fields";
import { CAPABILITY_LABELS, SOURCE_LABELS } from "./model-format";
import type { AdminModelRow } from "./types";

const FIELDS = ["inputPrice", "cachedInputPrice", "outputPrice", "trainingPrice", "contextWindow", "capabilities", "enabled"] as const;
const CAPABILITIES = ["chat", "embeddings", "tools", "json_schema", "vision"] as const;

/** Prices, context window, capabilities and availability of one model. Controlled by the table. */
export function EditModelDialog({
  open,
  onOpenChange,
  model,
  action,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  model: AdminModelRow | null;
  action: FormAction;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {model && (
        <DialogContent className="sm:max-w-xl" data-testid="edit-model-dialog">
          <DialogHeader>
            <DialogTitle>Edit {model.id}</DialogTitle>
            <DialogDescription>
              Changes apply to the API at once. Prices are in US dollars per 1 million tokens.
            </DialogDescription>
          </DialogHeader>
          <EditModelForm key={model.id} model={model} action={action} onDone={() => onOpenChange(false)} />
        </DialogContent>
      )}
    </Dialog>
  );
}

function EditModelForm({ model, action, onDone }: { model: AdminModelRow; action: FormAction; onDone: () => void }) {
  const { pending, onSubmit, onInput, fieldErrors: fe, formError } = useFormAction(action, { fields: FIELDS, onSuccess: onDone });
  const source = SOURCE_LABELS[model.source];
  return (
    <form onSubmit={onSubmit} onInput={onInput} noValidate className="grid gap-5">
      <input type="hidden" name="modelId" value={model.id} />

      <CheckboxField
        name="enabled"
        defaultChecked={model.enabled}
        label="Enabled"
        description={
          model.source === "console"
            ? "Disabled models are hidden from the API; requests naming them get model_not_found."
            : `Disabled models are hidden from the API. ${source?.hint ?? ""}`
        }
        testId="edit-model-enabled"
      />

      <fieldset className="grid gap-3">
        <legend className="mb-3 text-sm font-medium">Prices per 1M tokens</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          <PriceField
            label="Input"
            name="inputPrice"
            defaultValue={priceInputValue(model.inputPriceMicros)}
            error={fe.inputPrice}
            testId="edit-model-input-price"
          />
          <PriceField
            label="Cached input"
            name="cachedInputPrice"
            defaultValue={priceInputValue(model.cachedInputPriceMicros)}
            placeholder="Same as input"
            error={fe.cachedInputPrice}
            testId="edit-model-cached-price"
          />
          <PriceField
            label="Output"
            name="outputPrice"
            defaultValue={priceInputValue(model.outputPriceMicros)}
            error={fe.outputPrice}
            testId="edit-model-output-price"
          />
        </div>
        <p className="text-[13px] leading-snug text-muted-foreground">
          Up to 6 decimal places. Leave a price blank for &quot;not priced&quot;: the API refuses a model without an input
          price (and, for chat, an output price) rather than serve it for free.
        </p>
        <div className="grid gap-4 sm:grid-cols-3">
          <PriceField
            label="Training"
            name="trainingPrice"
            defaultValue={priceInputValue(model.trainingPriceMicros)}
            placeholder="Not fine-tunable"
            error={fe.trainingPrice}
            testId="edit-model-training-price"
          />
        </div>
        <p className="text-[13px] leading-snug text-muted-foreground">
          Fine-tuning jobs are charged their trained tokens at the training price. Leave it blank and the model cannot be fine-tuned.
        </p>
      </fieldset>

      <TextField
        label="Context window"
        name="contextWindow"
        inputMode="numeric"
        defaultValue={String(model.contextWindow)}
        suffix="tokens"
        error={fe.contextWindow}
        hint="Prompt and completion together; longer requests are refused with context_length_exceeded."
        testId="edit-model-context"
        wrapperClassName="sm:max-w-xs"
      />

      <fieldset className="grid gap-2" aria-describedby={fe.capabilities ? "capabilities-error" : undefined}>
        <legend className="mb-2 text-sm font-medium">Capabilities</legend>
        <div className="flex flex-wrap gap-x-5 gap-y-2.5">
          {CAPABILITIES.map((c) => (
            <CheckboxField
              key={c}
              name="capabilities"
              value={c}
              defaultChecked={model.capabilities.includes(c)}
              label={CAPABILITY_LABELS[c]}
              testId={`edit-model-capability-${c}`}
            />
          ))}
        </div>
        <FieldError id="capabilities-error" errors={fe.capabilities} />
      </fieldset>

      <FormAlert message={formError} />
      <DialogFooter className="pt-1">
        <DialogClose asChild>
          <Button variant="outline" disabled={pending}>
            Cancel
          </Button>
        </DialogClose>
        <FormSubmitButton pending={pending} pendingText="Saving…" data-testid="edit-model-submit">
          Save
        </FormSubmitButton>
      </DialogFooter>
    </form>
  );
}

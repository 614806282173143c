"use client";

import * as React from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { RefreshCw, Upload, X } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FieldError } from "@/components/ui/field-error";
import { FormAlert } from "@/components/ui/form-alert";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { SegmentedControl } from "@/components/projects/segmented-control";
import { formatUsd } from "@/components/usage/format";
import type { ActionResult } from "@/lib/actions";
import { cn } from "@/lib/utils";
import { formatBytes, formatDateTime, jobHref } from "./format";
import { ProgressBar } from "./progress-bar";
import type { HyperLimits, TrainableModel, TrainingFileOption, ValidationReport } from "./types";
import { uploadTrainingFile, type UploadHandle } from "./upload";
import { ValidationReportView } from "./validation-report";

type Body = Record<string, unknown>;
type HyperKey = "n_epochs" | "batch_size" | "learning_rate_multiplier";
type Hyper = Record<HyperKey, { mode: "auto" | "custom"; value: string }>;
type Which = "training" | "validation";
type UploadState = { filename: string; progress: number; handle: UploadHandle };

const HYPER: { key: HyperKey; label: string; hint: string; step: string; initial: string }[] = [
  { key: "n_epochs", label: "Epochs", hint: "Passes over the training data.", step: "1", initial: "3" },
  { key: "batch_size", label: "Batch size", hint: "Examples per training step.", step: "1", initial: "4" },
  { key: "learning_rate_multiplier", label: "Learning rate multiplier", hint: "Scales the base learning rate.", step: "any", initial: "1" },
];

/** Report checks start this long after the last change. */
const CHECK_DELAY_MS = 350;

/** "3" → 3; anything that is not a number goes to the API as typed, so its message names it. */
const numberOrText = (v: string): unknown => {
  const t = v.trim();
  return t !== "" && Number.isFinite(Number(t)) ? Number(t) : t;
};

type ReportState =
  | { key: string; status: "checking" }
  | { key: string; status: "done"; report: ValidationReport }
  | { key: string; status: "error"; error: string; fieldErrors: Record<string, string> };

export function CreateJobForm({
  projectId,
  files: initialFiles,
  models,
  limits,
  maxSuffix,
  validate,
  create,
}: {
  projectId: string;
  files: TrainingFileOption[];
  models: TrainableModel[];
  limits: HyperLimits;
  maxSuffix: number;
  validate: (projectId: string, body: Body) => Promise<ActionResult<ValidationReport>>;
  create: (projectId: string, body: Body) => Promise<ActionResult<{ id: string }>>;
}) {
  const router = useRouter();
  const [files, setFiles] = React.useState(initialFiles);
  const [trainingFile, setTrainingFile] = React.useState(initialFiles[0]?.id ?? "");
  const [validationFile, setValidationFile] = React.useState("");
  const [model, setModel] = React.useState(models[0]?.id ?? "");
  const [suffix, setSuffix] = React.useState("");
  const [seed, setSeed] = React.useState("");
  const [hyper, setHyper] = React.useState<Hyper>(() => ({
    n_epochs: { mode: "auto", value: HYPER[0].initial },
    batch_size: { mode: "auto", value: HYPER[1].initial },
    learning_rate_multiplier: { mode: "auto", value: HYPER[2].initial },
  }));
  const [uploads, setUploads] = React.useState<Partial<Record<Which, UploadState>>>({});
  const [report, setReport] = React.useState<ReportState | null>(null);
  const [recheck, setRecheck] = React.useState(0);
  const [submitting, setSubmitting] = React.useState(false);
  const [submitError, setSubmitError] = React.useState<{ error: string; fieldErrors: Record<string, string> } | null>(null);
  const seq = React.useRef(0);

  // What the report depends on: the body without suffix and seed (checked when submitting).
  const reportBody = React.useMemo(() => {
    const body: Body = { model, training_file: trainingFile };
    if (validationFile) body.validation_file = validationFile;
    const hp: Body = {};
    for (const h of HYPER) if (hyper[h.key].mode === "custom") hp[h.key] = numberOrText(hyper[h.key].value);
    if (Object.keys(hp).length) body.hyperparameters = hp;
    return body;
  }, [model, trainingFile, validationFile, hyper]);
  const reportKey = JSON.stringify(reportBody);
  const canCheck = !!trainingFile && !!model;

  React.useEffect(() => {
    if (!canCheck) return;
    const mine = ++seq.current;
    const t = setTimeout(async () => {
      setReport({ key: reportKey, status: "checking" });
      let r: ActionResult<ValidationReport>;
      try {
        r = await validate(projectId, JSON.parse(reportKey) as Body);
      } catch {
        r = { ok: false, error: "Could not reach the server. Check your connection and try again." };
      }
      if (mine !== seq.current) return; // the form changed meanwhile
      setReport(
        r.ok && r.data
          ? { key: reportKey, status: "done", report: r.data }
          : { key: reportKey, status: "error", error: r.ok ? "The files could not be checked." : r.error, fieldErrors: r.ok ? {} : (r.fieldErrors ?? {}) },
      );
    }, CHECK_DELAY_MS);
    return () => clearTimeout(t);
  }, [canCheck, reportKey, recheck, projectId, validate]);

  const current = report && report.key === reportKey && canCheck ? report : null;
  const checking = canCheck && (!current || current.status === "checking");
  const uploading = Object.values(uploads).some(Boolean);
  const ready = current?.status === "done" && current.report.ok;
  const fieldErrors = { ...(current?.status === "error" ? current.fieldErrors : {}), ...(submitError?.fieldErrors ?? {}) };
  const autoKeys = HYPER.filter((h) => hyper[h.key].mode === "auto").map((h) => h.key);
  const selectedModel = models.find((m) => m.id === model);

  const clearSubmitError = (...names: string[]) =>
    setSubmitError((e) => (e && names.some((n) => n in e.fieldErrors) ? null : e));

  function startUpload(which: Which, file: File) {
    uploads[which]?.handle.abort();
    const handle = uploadTrainingFile(projectId, file, (progress) =>
      setUploads((u) => (u[which]?.handle === handle ? { ...u, [which]: { ...u[which]!, progress } } : u)),
    );
    setUploads((u) => ({ ...u, [which]: { filename: file.name, progress: 0, handle } }));
    handle.promise
      .then((f) => {
        const option: TrainingFileOption = { id: f.id, filename: f.filename, bytes: f.bytes, createdAt: f.created_at * 1000 };
        setFiles((prev) => [option, ...prev.filter((x) => x.id !== option.id)]);
        if (which === "training") setTrainingFile(option.id);
        else setValidationFile(option.id);
        toast.success(`Uploaded ${f.filename}`);
      })
      .catch((err: Error) => {
        if (err.name !== "AbortError") toast.error(err.message);
      })
      .finally(() => setUploads((u) => (u[which]?.handle === handle ? { ...u, [which]: undefined } : u)));
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!ready || submitting) return;
    const body: Body = { ...reportBody };
    if (suffix.trim()) body.suffix = suffix.trim();
    if (seed.trim()) body.seed = numberOrText(seed);
    setSubmitting(true);
    setSubmitError(null);
    let r: ActionResult<{ id: string }>;
    try {
      r = await create(projectId, body);
    } catch {
      r = { ok: false, error: "Could not reach the server. Check your connection and try again." };
    }
    if (r.ok && r.data) {
      if (r.message) toast.success(r.message);
      router.push(jobHref(projectId, r.data.id));
      return; // stays "submitting" while the job's page loads
    }
    setSubmitting(false);
    if (!r.ok) {
      setSubmitError({ error: r.error, fieldErrors: r.fieldErrors ?? {} });
      toast.error(r.error);
    }
  }

  const fileSelect = (which: Which) => {
    const value = which === "training" ? trainingFile : validationFile;
    const param = which === "training" ? "training_file" : "validation_file";
    const upload = uploads[which];
    const errorId = `ft-${which}-error`;
    const others = files.filter((f) => f.id !== (which === "training" ? validationFile : trainingFile));
    return (
      <div className="grid gap-2">
        <Label htmlFor={`ft-${which}-file`}>
          {which === "training" ? "Training file" : "Validation file"}
          {which === "validation" && <span className="font-normal text-muted-foreground">(optional)</span>}
        </Label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Select
            id={`ft-${which}-file`}
            value={value}
            onChange={(e) => {
              if (which === "training") setTrainingFile(e.target.value);
              else setValidationFile(e.target.value);
              clearSubmitError(param);
            }}
            aria-invalid={!!fieldErrors[param] || undefined}
            aria-describedby={fieldErrors[param] ? errorId : undefined}
            data-testid={`ft-${which}-file`}
            wrapperClassName="min-w-0 flex-1"
          >
            <option value="">{which === "training" ? (files.length ? "Choose a file…" : "No files yet: upload one") : "None"}</option>
            {others.map((f) => (
              <option key={f.id} value={f.id}>
                {f.filename} · {formatBytes(f.bytes)} · {formatDateTime(f.createdAt)} · {f.id}
              </option>
            ))}
          </Select>
          <Button type="button" variant="outline" asChild>
            <label className="cursor-pointer">
              <Upload aria-hidden="true" />
              Upload JSONL
              <input
                type="file"
                accept=".jsonl,.json,.txt,application/jsonl,application/json,text/plain"
                className="sr-only"
                data-testid={`ft-${which}-upload`}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = "";
                  if (file) startUpload(which, file);
                }}
              />
            </label>
          </Button>
        </div>
        {upload && (
          <div className="flex items-center gap-3 rounded-md border px-3 py-2 text-sm" data-testid={`ft-${which}-upload-progress`}>
            <Spinner label="" />
            <span className="min-w-0 flex-1 truncate">{upload.filename}</span>
            <ProgressBar value={upload.progress} label={`Uploading ${upload.filename}`} className="w-32" />
            <span className="w-10 text-right text-xs text-muted-foreground tabular-nums">{Math.round(upload.progress * 100)}%</span>
            <Button type="button" variant="ghost" size="icon-sm" aria-label="Cancel the upload" onClick={() => upload.handle.abort()}>
              <X aria-hidden="true" />
            </Button>
          </div>
        )}
        <FieldError id={errorId} errors={fieldErrors[param]} />
      </div>
    );
  };

  return (
    <form onSubmit={submit} className="grid max-w-4xl gap-6" data-testid="ft-create-form" noValidate>
      <Card>
        <CardHeader>
          <CardTitle>Training data</CardTitle>
          <CardDescription>
            JSONL, one conversation per line:{" "}
            <code className="font-mono text-xs break-all">{`{"messages": [{"role": "user", "content": "…"}, {"role": "assistant", "content": "…"}]}`}</code>
            . At least 10 examples. A validation file, if given, measures the loss on examples the model does not train on.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          {fileSelect("training")}
          {fileSelect("validation")}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Model</CardTitle>
          <CardDescription>The base model to train, and how the new model is named.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5 sm:grid-cols-2">
          <div className="grid gap-2 sm:col-span-2">
            <Label htmlFor="ft-model">Base model</Label>
            <Select
              id="ft-model"
              value={model}
              onChange={(e) => {
                setModel(e.target.value);
                clearSubmitError("model");
              }}
              aria-invalid={!!fieldErrors.model || undefined}
              data-testid="ft-model"
            >
              {models.filter((m) => !m.fineTuned).length > 0 && (
                <optgroup label="Base models">
                  {models
                    .filter((m) => !m.fineTuned)
                    .map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.id} · {formatUsd(m.trainingPriceMicros)} per 1M training tokens
                      </option>
                    ))}
                </optgroup>
              )}
              {models.some((m) => m.fineTuned) && (
                <optgroup label="This project's fine-tuned models">
                  {models
                    .filter((m) => m.fineTuned)
                    .map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.id}
                      </option>
                    ))}
                </optgroup>
              )}
            </Select>
            {selectedModel && (
              <p className="text-xs text-muted-foreground">
                {selectedModel.contextWindow ? `${selectedModel.contextWindow.toLocaleString("en-US")}-token context: longer examples are refused. ` : ""}
                Training costs {formatUsd(selectedModel.trainingPriceMicros)} per 1M trained tokens.
              </p>
            )}
            <FieldError errors={fieldErrors.model} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="ft-suffix">
              Suffix <span className="font-normal text-muted-foreground">(optional)</span>
            </Label>
            <Input
              id="ft-suffix"
              value={suffix}
              maxLength={maxSuffix}
              placeholder="e.g. support-bot"
              autoComplete="off"
              onChange={(e) => {
                setSuffix(e.target.value);
                clearSubmitError("suffix");
              }}
              aria-invalid={!!fieldErrors.suffix || undefined}
              data-testid="ft-suffix"
            />
            <p className="text-xs text-muted-foreground">Part of the model name: letters, digits, - and _.</p>
            <FieldError errors={fieldErrors.suffix} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="ft-seed">
              Seed <span className="font-normal text-muted-foreground">(optional)</span>
            </Label>
            <Input
              id="ft-seed"
              inputMode="numeric"
              value={seed}
              placeholder="Random"
              autoComplete="off"
              onChange={(e) => {
                setSeed(e.target.value);
                clearSubmitError("seed");
              }}
              aria-invalid={!!fieldErrors.seed || undefined}
              data-testid="ft-seed"
            />
            <p className="text-xs text-muted-foreground">The same seed and data train the same model.</p>
            <FieldError errors={fieldErrors.seed} />
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Hyperparameters</CardTitle>
          <CardDescription>On Auto, each is chosen from the size of the training data (the report shows the values).</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5 sm:grid-cols-3">
          {HYPER.map((h) => {
            const limit = limits[h.key];
            const state = hyper[h.key];
            const param = `hyperparameters.${h.key}`;
            const error = fieldErrors[param];
            return (
              <div key={h.key} className="grid content-start gap-2" data-testid={`ft-hp-${h.key}`}>
                <span id={`ft-hp-${h.key}-label`} className="text-sm font-medium">
                  {h.label}
                </span>
                <SegmentedControl
                  name={`${h.key}_mode`}
                  size="sm"
                  labelledBy={`ft-hp-${h.key}-label`}
                  value={state.mode}
                  onValueChange={(mode) => setHyper((x) => ({ ...x, [h.key]: { ...x[h.key], mode } }))}
                  options={[
                    { value: "auto", label: "Auto", testId: `ft-hp-${h.key}-auto` },
                    { value: "custom", label: "Custom", testId: `ft-hp-${h.key}-custom` },
                  ]}
                  className="w-full"
                />
                {state.mode === "custom" && (
                  <Input
                    type="number"
                    aria-labelledby={`ft-hp-${h.key}-label`}
                    min={limit.min}
                    max={limit.max}
                    step={h.step}
                    value={state.value}
                    onChange={(e) => setHyper((x) => ({ ...x, [h.key]: { ...x[h.key], value: e.target.value } }))}
                    aria-invalid={!!error || undefined}
                    data-testid={`ft-hp-${h.key}-value`}
                  />
                )}
                <p className="text-xs text-muted-foreground">
                  {h.hint} {limit.integer ? "An integer" : "A number"} from {limit.min} to {limit.max}.
                </p>
                <FieldError errors={error} />
              </div>
            );
          })}
        </CardContent>
      </Card>

      <Card>
        <CardHeader className="has-data-[slot=card-action]:grid-cols-[1fr_auto]">
          <CardTitle>Review</CardTitle>
          <CardDescription>Every line is checked and counted with the base model&apos;s tokenizer, as the job will.</CardDescription>
          <div data-slot="card-action" className="col-start-2 row-span-2 row-start-1 self-start">
            <Button
              type="button"
              variant="ghost"
              size="sm"
              disabled={!canCheck || checking}
              onClick={() => setRecheck((n) => n + 1)}
              data-testid="ft-recheck"
            >
              <RefreshCw aria-hidden="true" className={cn(checking && "animate-spin motion-reduce:animate-none")} />
              Check again
            </Button>
          </div>
        </CardHeader>
        <CardContent className="grid gap-4" aria-live="polite">
          {!canCheck ? (
            <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground" data-testid="ft-report-idle">
              {models.length === 0
                ? "No model can be fine-tuned in this project: an administrator sets a training price on a local chat model to allow it."
                : "Choose or upload a training file to see its report."}
            </p>
          ) : checking ? (
            <div className="flex items-center gap-2 rounded-lg border border-dashed px-4 py-6 text-sm text-muted-foreground" data-testid="ft-report-checking">
              <Spinner label="" />
              Checking the files…
            </div>
          ) : current?.status === "error" ? (
            <FormAlert message={current.error} data-testid="ft-report-error" />
          ) : current?.status === "done" ? (
            <ValidationReportView report={current.report} autoKeys={autoKeys} />
          ) : null}
          {submitError && !Object.keys(submitError.fieldErrors).length && <FormAlert message={submitError.error} />}
          <div className="flex flex-wrap items-center justify-end gap-3 border-t pt-4">
            {!ready && canCheck && !checking && (
              <p className="mr-auto text-sm text-muted-foreground" data-testid="ft-submit-blocked">
                Fix what the report shows to create the job.
              </p>
            )}
            <Button variant="outline" asChild>
              <Link href={`/projects/${encodeURIComponent(projectId)}/fine-tuning`}>Cancel</Link>
            </Button>
            <Button type="submit" disabled={!ready || checking || uploading || submitting} aria-busy={submitting || undefined} data-testid="ft-submit">
              {submitting && <Spinner label="" />}
              {submitting ? "Creating…" : "Create job"}
            </Button>
          </div>
        </CardContent>
      </Card>
    </form>
  );
}

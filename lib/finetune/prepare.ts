import "server-only";
import { getFile, openFileContent } from "@/lib/files/files";
import { getCatalogModel, type CatalogModel } from "@/lib/models/catalog";
import { costMicros } from "@/lib/usage/cost";
import { MAX_REPORTED_PROBLEMS, parseDataset, problemsText, type DatasetProblem } from "./dataset";
import { encodeDataset, type EncodedDataset } from "./encode";
import type { JobError } from "./jobs";
import { resolveHyperparameters, type Hyperparameters, type ResolvedHyperparameters } from "./params";

// The data checks before training, shared by the worker (a job's validating_files stage) and
// the console (the report shown before a job is created): every line parsed and tokenized with
// the base model's template, problems by line number, counts, epochs and the estimated cost.

/** OpenAI's minimum: fewer examples cannot teach a model much. */
export const MIN_TRAINING_EXAMPLES = 10;

export class JobFailure extends Error {
  constructor(readonly error: JobError) {
    super(error.message);
  }
}

export type FileReport = {
  fileId: string;
  filename: string;
  lines: number;
  examples: number;
  problems: DatasetProblem[];
  problemCount: number;
  tokens: { total: number; targets: number; min: number; max: number };
};

export type ValidationReport = {
  ok: boolean;
  /** Why the files cannot be trained on (what the job fails with). */
  error: JobError | null;
  training: FileReport;
  validation: FileReport | null;
  hyperparameters: ResolvedHyperparameters;
  estimatedTrainedTokens: number;
  estimatedCostMicros: number;
};

export type TrainingInput = { projectId: string; model: string; trainingFile: string; validationFile: string | null; hyperparameters: Hyperparameters };

/** Trained tokens at a per-1M training price, rounded as every usage cost is (lib/usage/cost.ts). */
export function trainingCostMicros(tokens: number, priceMicros: number): bigint {
  return costMicros({ inputPriceMicros: priceMicros, cachedInputPriceMicros: null, outputPriceMicros: null }, { promptTokens: tokens, cachedTokens: 0, completionTokens: 0 });
}

async function readFile(input: TrainingInput, base: CatalogModel, fileId: string, param: "training_file" | "validation_file", signal?: AbortSignal) {
  const which = param === "training_file" ? "training" : "validation";
  const file = await getFile(input.projectId, fileId);
  if (!file) throw new JobFailure({ code: `invalid_${which}_file`, param, message: `The ${which} file ${fileId} does not exist (it may have been deleted).` });
  const parsed = await parseDataset(openFileContent(file));
  signal?.throwIfAborted();
  const encoded = await encodeDataset(base, parsed.examples, base.contextWindow, MAX_REPORTED_PROBLEMS, signal);
  const problems = [...parsed.problems, ...encoded.problems].sort((a, b) => a.line - b.line).slice(0, MAX_REPORTED_PROBLEMS);
  const report: FileReport = {
    fileId: file.id, filename: file.filename, lines: parsed.lines, examples: encoded.examples.length,
    problems, problemCount: parsed.problemCount + encoded.problemCount, tokens: encoded.tokens,
  };
  return { encoded, report };
}

/** Why a file's lines cannot be trained on: its problems by line, or too few examples. */
export function fileError(report: Pick<FileReport, "lines" | "examples" | "problems" | "problemCount">, param: "training_file" | "validation_file"): JobError | null {
  const which = param === "training_file" ? "training" : "validation";
  if (report.problemCount > 0) {
    const n = report.problemCount;
    return {
      code: `invalid_${which}_file`, param,
      message: `The job failed due to an invalid ${which} file. ${n} of ${report.lines} lines ${n === 1 ? "has a problem" : "have problems"}: ${problemsText(report.problems, n)}.`,
    };
  }
  if (param === "training_file" && report.examples < MIN_TRAINING_EXAMPLES) {
    return { code: "invalid_training_file", param, message: `Training file has ${report.examples} example(s), but must have at least ${MIN_TRAINING_EXAMPLES} examples.` };
  }
  if (param === "validation_file" && report.examples === 0) return { code: "invalid_validation_file", param, message: "The validation file has no examples." };
  return null;
}

/** Reads, checks and tokenizes the job's files. Data problems are in the report (ok: false); a missing model or file throws JobFailure. */
export async function prepareTraining(input: TrainingInput, signal?: AbortSignal): Promise<{ base: CatalogModel; train: EncodedDataset; validation: EncodedDataset | null; hyper: ResolvedHyperparameters; report: ValidationReport }> {
  const base = await getCatalogModel(input.model);
  if (!base || base.provider !== "local") throw new JobFailure({ code: "model_not_available", param: "model", message: `The base model ${input.model} is not available for local fine-tuning.` });
  const train = await readFile(input, base, input.trainingFile, "training_file", signal);
  const validation = input.validationFile ? await readFile(input, base, input.validationFile, "validation_file", signal) : null;
  const hyper = resolveHyperparameters(input.hyperparameters, train.encoded.examples.length);
  const estimatedTrainedTokens = train.encoded.tokens.total * hyper.n_epochs;
  const error = fileError(train.report, "training_file") ?? (validation ? fileError(validation.report, "validation_file") : null);
  const report: ValidationReport = {
    ok: error === null, error, training: train.report, validation: validation?.report ?? null, hyperparameters: hyper,
    estimatedTrainedTokens, estimatedCostMicros: Number(trainingCostMicros(estimatedTrainedTokens, base.trainingPriceMicros ?? 0)),
  };
  return { base, train: train.encoded, validation: validation?.encoded ?? null, hyper, report };
}

/** The report alone, for the console's create form (no job yet). */
export async function validateTrainingFiles(input: TrainingInput): Promise<ValidationReport> {
  return (await prepareTraining(input)).report;
}

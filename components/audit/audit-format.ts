// Labels and compact renderings for audit events. Pure functions, used by the server page.

const ACTION_LABELS: Record<string, string> = {
  "org.created": "Organization created",
  "org.renamed": "Organization renamed",
  "member.invited": "Member invited",
  "member.invitation_revoked": "Invitation revoked",
  "member.joined": "Member joined",
  "member.role_changed": "Member role changed",
  "member.removed": "Member removed",
  "member.left": "Member left",
  "project.created": "Project created",
  "project.renamed": "Project renamed",
  "project.archived": "Project archived",
  "project.unarchived": "Project unarchived",
  "project_member.added": "Project member added",
  "project_member.role_changed": "Project member role changed",
  "project_member.removed": "Project member removed",
  "api_key.created": "API key created",
  "api_key.updated": "API key updated",
  "api_key.revoked": "API key revoked",
  "service_account.created": "Service account created",
  "service_account.deleted": "Service account deleted",
  "org.tier_changed": "Usage tier changed",
  "project.api_settings_changed": "API settings changed",
  "project.model_limit_set": "Model limit set",
  "project.model_limit_removed": "Model limit removed",
  "org.tier_advanced": "Usage tier advanced",
  "billing.credit_posted": "Credit posted",
  "billing.code_redeemed": "Credit code redeemed",
  "billing.budget_set": "Budget changed",
  "billing.settings_changed": "Billing settings changed",
  "fine_tuning.job_created": "Fine-tuning job created",
  "fine_tuning.job_cancelled": "Fine-tuning job cancelled",
  "fine_tuning.model_deleted": "Fine-tuned model deleted",
  "file.deleted": "File deleted",
};

const GROUP_LABELS: Record<string, string> = {
  org: "Organization",
  member: "Members",
  project: "Projects",
  project_member: "Project members",
  api_key: "API keys",
  service_account: "Service accounts",
  billing: "Billing",
  fine_tuning: "Fine-tuning",
  file: "Files",
};

const TARGET_LABELS: Record<string, string> = {
  organization: "Organization",
  user: "User",
  invitation: "Invitation",
  project: "Project",
  api_key: "API key",
  service_account: "Service account",
  credit_entry: "Credit entry",
  redemption_code: "Credit code",
  budget: "Budget",
  fine_tuning_job: "Fine-tuning job",
  model: "Model",
  file: "File",
};

function humanize(s: string) {
  const words = s.replace(/[._]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : s;
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? humanize(action);
}

export function targetLabel(targetType: string | null): string {
  if (!targetType) return "";
  return TARGET_LABELS[targetType] ?? humanize(targetType);
}

export type ActionTone = "success" | "destructive" | "secondary";

export function actionTone(action: string): ActionTone {
  const verb = action.slice(action.indexOf(".") + 1);
  if (/^(created|joined|added|unarchived|invited)$/.test(verb)) return "success";
  if (/^(revoked|removed|deleted|left|archived|invitation_revoked)$/.test(verb)) return "destructive";
  return "secondary";
}

export type ActionGroup = { prefix: string; label: string; actions: { value: string; label: string }[] };

/** Actions grouped by their prefix ("member.", "api_key.", …), in the given order. */
export function groupActions(actions: readonly string[]): ActionGroup[] {
  const groups = new Map<string, ActionGroup>();
  for (const action of actions) {
    const key = action.slice(0, action.indexOf("."));
    let g = groups.get(key);
    if (!g) {
      g = { prefix: `${key}.`, label: GROUP_LABELS[key] ?? humanize(key), actions: [] };
      groups.set(key, g);
    }
    g.actions.push({ value: action, label: actionLabel(action) });
  }
  return [...groups.values()];
}

// Details never hold secrets by design; this is a second line of defence.
const SECRET_KEY = /secret|token|password|hash|authorization|cookie/i;
const KEY_LABELS: Record<string, string> = { redacted: "key", keysRevoked: "keys revoked", serviceAccountId: "service account" };

function truncate(s: string, max = 80) {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return truncate(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return v.every((x) => typeof x !== "object" || x === null) ? truncate(v.join(", ")) : `${v.length} items`;
  try {
    return truncate(JSON.stringify(v));
  } catch {
    return "…";
  }
}

/** `from → to · name: Foo · keys revoked: 2`; empty when there is nothing to show. */
export function formatDetails(details: unknown): string {
  if (!details || typeof details !== "object" || Array.isArray(details)) return "";
  const entries = Object.entries(details as Record<string, unknown>).filter(([k]) => !SECRET_KEY.test(k));
  const parts: string[] = [];
  const rec = Object.fromEntries(entries);
  const scalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  const hasChange = "from" in rec && "to" in rec && scalar(rec.from) && scalar(rec.to);
  if (hasChange) parts.push(`${valueText(rec.from)} → ${valueText(rec.to)}`);
  for (const [k, v] of entries) {
    if (hasChange && (k === "from" || k === "to")) continue;
    parts.push(`${KEY_LABELS[k] ?? humanize(k).toLowerCase()}: ${valueText(v)}`);
  }
  return parts.join(" · ");
}

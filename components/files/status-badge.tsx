import { Badge } from "@/components/ui/badge";

const TONES: Record<string, { variant: "success" | "warning" | "destructive" | "muted"; label: string }> = {
  processed: { variant: "success", label: "Processed" },
  uploaded: { variant: "warning", label: "Uploaded" },
  error: { variant: "destructive", label: "Error" },
};

/** A file's status (OpenAI's: uploaded, processed, error). */
export function FileStatusBadge({ status, details }: { status: string; details?: string | null }) {
  const tone = TONES[status] ?? { variant: "muted" as const, label: status };
  return (
    <Badge variant={tone.variant} title={details ?? undefined} data-testid="file-status" data-status={status}>
      {tone.label}
    </Badge>
  );
}

// Shapes the admin billing actions hand to their client components (plain text, no bigint).

export type OrgOption = { id: string; name: string; owner: string | null };

/** Codes just created: shown once, then only their last characters are kept. */
export type CreatedCodes = { codes: string[]; amount: string; maxRedemptions: number; expires: string | null };

export type CodeRow = {
  id: string;
  hint: string;
  amount: string;
  uses: number;
  maxUses: number;
  status: "active" | "used_up" | "expired" | "revoked";
  expires: string | null;
  creditDays: number | null;
  note: string;
  created: string;
};

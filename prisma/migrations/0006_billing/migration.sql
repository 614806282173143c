-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "billingStartedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "RequestBody" ADD COLUMN     "headers" JSONB;

-- CreateTable
CREATE TABLE "BillingSettings" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "signupCreditMicros" BIGINT NOT NULL DEFAULT 5000000,
    "signupCreditDays" INTEGER,
    "enforceCredit" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BillingSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierRequirement" (
    "tier" INTEGER NOT NULL,
    "paidMicros" BIGINT NOT NULL,
    "daysSinceFirstPayment" INTEGER NOT NULL,

    CONSTRAINT "TierRequirement_pkey" PRIMARY KEY ("tier")
);

-- CreateTable
CREATE TABLE "CreditEntry" (
    "id" BIGSERIAL NOT NULL,
    "orgId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "projectId" TEXT,
    "model" TEXT,
    "periodHour" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "refId" TEXT,
    "idempotencyKey" TEXT,
    "actorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CreditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Budget" (
    "scope" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "projectId" TEXT,
    "capMicros" BIGINT,
    "alertMicros" BIGINT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Budget_pkey" PRIMARY KEY ("scope")
);

-- CreateTable
CREATE TABLE "BudgetAlert" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "thresholdMicros" BIGINT NOT NULL,
    "spentMicros" BIGINT NOT NULL,
    "delivery" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BudgetAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrgBilling" (
    "orgId" TEXT NOT NULL,
    "alertWebhookUrl" TEXT,
    "autoRecharge" BOOLEAN NOT NULL DEFAULT false,
    "autoRechargeThresholdMicros" BIGINT,
    "autoRechargeAmountMicros" BIGINT,
    "autoRechargeMonthlyCapMicros" BIGINT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrgBilling_pkey" PRIMARY KEY ("orgId")
);

-- CreateTable
CREATE TABLE "RedemptionCode" (
    "id" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "codeHint" TEXT NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "maxRedemptions" INTEGER NOT NULL DEFAULT 1,
    "redemptionCount" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3),
    "creditDays" INTEGER,
    "note" TEXT NOT NULL DEFAULT '',
    "createdById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RedemptionCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" TEXT NOT NULL,
    "codeId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "userId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Redemption_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CreditEntry_idempotencyKey_key" ON "CreditEntry"("idempotencyKey");

-- CreateIndex
CREATE INDEX "CreditEntry_orgId_createdAt_idx" ON "CreditEntry"("orgId", "createdAt");

-- CreateIndex
CREATE INDEX "CreditEntry_orgId_kind_periodHour_idx" ON "CreditEntry"("orgId", "kind", "periodHour");

-- CreateIndex
CREATE INDEX "Budget_orgId_idx" ON "Budget"("orgId");

-- CreateIndex
CREATE INDEX "BudgetAlert_orgId_createdAt_idx" ON "BudgetAlert"("orgId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "BudgetAlert_scope_month_kind_thresholdMicros_key" ON "BudgetAlert"("scope", "month", "kind", "thresholdMicros");

-- CreateIndex
CREATE UNIQUE INDEX "RedemptionCode_codeHash_key" ON "RedemptionCode"("codeHash");

-- CreateIndex
CREATE INDEX "Redemption_orgId_idx" ON "Redemption"("orgId");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_codeId_orgId_key" ON "Redemption"("codeId", "orgId");

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "RedemptionCode"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Usage postings are found by hour across organizations.
CREATE INDEX "CreditEntry_usage_periodHour_idx" ON "CreditEntry"("periodHour") WHERE "kind" = 'usage';

-- The ledger is append-only: corrections are new entries (adjustments), never edits.
CREATE FUNCTION "gatehouse_credit_entry_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'CreditEntry is append-only: post an adjustment instead of changing or removing an entry';
END;
$$;
CREATE TRIGGER "CreditEntry_append_only" BEFORE UPDATE OR DELETE ON "CreditEntry"
  FOR EACH ROW EXECUTE FUNCTION "gatehouse_credit_entry_append_only"();

-- Defaults: the settings row, and tier requirements like OpenAI's (cumulative paid amount and
-- days since the first payment).
INSERT INTO "BillingSettings" ("id", "updatedAt") VALUES ('default', CURRENT_TIMESTAMP);
INSERT INTO "TierRequirement" ("tier", "paidMicros", "daysSinceFirstPayment") VALUES
  (2, 50000000, 7), (3, 100000000, 7), (4, 250000000, 14), (5, 1000000000, 30);

-- Organizations that existed before billing get the sign-up credit too; their usage is charged
-- from now on (billingStartedAt defaults to now).
INSERT INTO "CreditEntry" ("orgId", "kind", "amountMicros", "description", "idempotencyKey")
  SELECT "id", 'grant', 5000000, 'Sign-up credit', 'signup:' || "id" FROM "Organization";

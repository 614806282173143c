-- AlterTable
ALTER TABLE "UsageRollup" DROP CONSTRAINT "UsageRollup_pkey",
ADD COLUMN     "userId" TEXT NOT NULL DEFAULT '',
ADD CONSTRAINT "UsageRollup_pkey" PRIMARY KEY ("hour", "orgId", "projectId", "apiKeyId", "userId", "model");


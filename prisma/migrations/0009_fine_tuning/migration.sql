-- AlterTable
ALTER TABLE "Model" ADD COLUMN     "fineTuningJobId" TEXT,
ADD COLUMN     "projectId" TEXT,
ADD COLUMN     "trainingPriceMicros" INTEGER;

-- CreateTable
CREATE TABLE "FineTuningJob" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "userId" TEXT,
    "model" TEXT NOT NULL,
    "trainer" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "trainingFile" TEXT NOT NULL,
    "validationFile" TEXT,
    "suffix" TEXT,
    "seed" INTEGER NOT NULL,
    "hyperparameters" JSONB NOT NULL,
    "resolvedHyperparameters" JSONB,
    "metadata" JSONB,
    "validationReport" JSONB,
    "fineTunedModel" TEXT,
    "trainedTokens" INTEGER,
    "resultFiles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "error" JSONB,
    "progress" JSONB,
    "estimatedFinish" TIMESTAMP(3),
    "upstreamJobId" TEXT,
    "workDir" TEXT,
    "resumeState" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "cancelRequestedAt" TIMESTAMP(3),
    "billedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "FineTuningJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FineTuningEvent" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "level" TEXT NOT NULL DEFAULT 'info',
    "type" TEXT NOT NULL DEFAULT 'message',
    "message" TEXT NOT NULL,
    "data" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FineTuningEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FineTuningCheckpoint" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "modelId" TEXT NOT NULL,
    "metrics" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FineTuningCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FineTuningJob_projectId_createdAt_idx" ON "FineTuningJob"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "FineTuningJob_status_createdAt_idx" ON "FineTuningJob"("status", "createdAt");

-- CreateIndex
CREATE INDEX "FineTuningEvent_jobId_seq_idx" ON "FineTuningEvent"("jobId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "FineTuningCheckpoint_jobId_step_key" ON "FineTuningCheckpoint"("jobId", "step");

-- CreateIndex
CREATE INDEX "Model_projectId_idx" ON "Model"("projectId");

-- AddForeignKey
ALTER TABLE "FineTuningEvent" ADD CONSTRAINT "FineTuningEvent_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "FineTuningJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FineTuningCheckpoint" ADD CONSTRAINT "FineTuningCheckpoint_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "FineTuningJob"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Local models can be fine-tuned at a nominal training price (admins can change it).
UPDATE "Model" SET "trainingPriceMicros" = 100000 WHERE "provider" = 'local' AND "trainingPriceMicros" IS NULL;

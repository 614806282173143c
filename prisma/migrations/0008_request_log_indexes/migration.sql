-- CreateIndex
CREATE INDEX "UsageEvent_orgId_userId_createdAt_idx" ON "UsageEvent"("orgId", "userId", "createdAt");


-- The request log's error drill-downs: failed requests are few, so they get an index of their own.
CREATE INDEX "UsageEvent_orgId_createdAt_errors_idx" ON "UsageEvent"("orgId", "createdAt") WHERE "status" >= 400;

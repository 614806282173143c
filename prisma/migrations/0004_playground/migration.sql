-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "playgroundForMembers" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "PlaygroundPreset" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "createdById" TEXT,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PlaygroundPreset_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PlaygroundPreset_projectId_updatedAt_idx" ON "PlaygroundPreset"("projectId", "updatedAt");

-- AddForeignKey
ALTER TABLE "PlaygroundPreset" ADD CONSTRAINT "PlaygroundPreset_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlaygroundPreset" ADD CONSTRAINT "PlaygroundPreset_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


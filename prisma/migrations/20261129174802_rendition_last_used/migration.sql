-- AlterTable
ALTER TABLE "Rendition" ADD COLUMN     "lastUsedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "Rendition_lastUsedAt_idx" ON "Rendition"("lastUsedAt");

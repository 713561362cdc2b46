-- CreateEnum
CREATE TYPE "BatchStatus" AS ENUM ('RUNNING', 'PAUSED', 'CANCELLED', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "BatchItemStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'CANCELLED');

-- AlterTable
ALTER TABLE "Segmentation" ADD COLUMN     "batchId" UUID;

-- CreateTable
CREATE TABLE "Batch" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "action" JSONB NOT NULL,
    "status" "BatchStatus" NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resumedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BatchItem" (
    "id" UUID NOT NULL,
    "batchId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "status" "BatchItemStatus" NOT NULL DEFAULT 'QUEUED',
    "segmentationId" UUID,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "BatchItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Batch_ownerId_createdAt_idx" ON "Batch"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "BatchItem_batchId_status_idx" ON "BatchItem"("batchId", "status");

-- CreateIndex
CREATE INDEX "BatchItem_segmentationId_idx" ON "BatchItem"("segmentationId");

-- CreateIndex
CREATE UNIQUE INDEX "BatchItem_batchId_assetId_key" ON "BatchItem"("batchId", "assetId");

-- CreateIndex
CREATE INDEX "Segmentation_batchId_status_idx" ON "Segmentation"("batchId", "status");

-- AddForeignKey
ALTER TABLE "Segmentation" ADD CONSTRAINT "Segmentation_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Batch" ADD CONSTRAINT "Batch_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Owner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchItem" ADD CONSTRAINT "BatchItem_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "Batch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BatchItem" ADD CONSTRAINT "BatchItem_segmentationId_fkey" FOREIGN KEY ("segmentationId") REFERENCES "Segmentation"("id") ON DELETE SET NULL ON UPDATE CASCADE;
-- Cached answers per owner end on every commit that touched the owner's rows (see migration
-- owner_changes). Item changes touch their batch's updatedAt, so the batch's trigger covers them.
CREATE TRIGGER "Batch_notify_owner" AFTER INSERT OR UPDATE OR DELETE ON "Batch" FOR EACH ROW EXECUTE FUNCTION maskgraph_notify_owner();

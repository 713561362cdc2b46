-- AlterTable
ALTER TABLE "Asset" ADD COLUMN     "reviewPriority" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Segmentation" ADD COLUMN     "reviewPriority" DOUBLE PRECISION;

-- CreateIndex
CREATE INDEX "Asset_ownerId_reviewPriority_id_idx" ON "Asset"("ownerId", "reviewPriority", "id");

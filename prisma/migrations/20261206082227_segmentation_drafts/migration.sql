-- AlterTable
ALTER TABLE "Segmentation" ADD COLUMN     "draftOfId" UUID;

-- CreateIndex
CREATE INDEX "Segmentation_draftOfId_idx" ON "Segmentation"("draftOfId");

-- AlterTable
ALTER TABLE "Segmentation" ADD COLUMN     "reviewIfPriorityAbove" DOUBLE PRECISION,
ADD COLUMN     "reviewWaived" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "UploadRule" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "description" TEXT,
    "whenTags" TEXT[],
    "whenMimeTypes" TEXT[],
    "segment" BOOLEAN NOT NULL,
    "segmentModelId" TEXT,
    "segmentRefine" BOOLEAN NOT NULL DEFAULT false,
    "renderPresets" TEXT[],
    "reviewIfPriorityAbove" DOUBLE PRECISION,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UploadRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UploadRule_ownerId_createdAt_idx" ON "UploadRule"("ownerId", "createdAt");

-- AddForeignKey
ALTER TABLE "UploadRule" ADD CONSTRAINT "UploadRule_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Owner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

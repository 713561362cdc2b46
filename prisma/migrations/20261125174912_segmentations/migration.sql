-- CreateEnum
CREATE TYPE "SegmentationStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "Segmentation" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "modelId" TEXT NOT NULL,
    "weightsSha256" CHAR(64) NOT NULL,
    "contentKey" CHAR(64) NOT NULL,
    "status" "SegmentationStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "reused" BOOLEAN NOT NULL DEFAULT false,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "inferenceWidth" INTEGER NOT NULL,
    "inferenceHeight" INTEGER NOT NULL,
    "queueWaitMs" DOUBLE PRECISION,
    "preprocessMs" DOUBLE PRECISION,
    "inferenceMs" DOUBLE PRECISION,
    "postprocessMs" DOUBLE PRECISION,
    "storeMs" DOUBLE PRECISION,
    "maskSha256" CHAR(64),
    "maskWidth" INTEGER,
    "maskHeight" INTEGER,
    "maskByteSize" INTEGER,
    "foregroundRatio" DOUBLE PRECISION,
    "subjectFound" BOOLEAN,
    "bboxX" INTEGER,
    "bboxY" INTEGER,
    "bboxWidth" INTEGER,
    "bboxHeight" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Segmentation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Segmentation_assetId_createdAt_idx" ON "Segmentation"("assetId", "createdAt");

-- CreateIndex
CREATE INDEX "Segmentation_contentKey_status_idx" ON "Segmentation"("contentKey", "status");

-- CreateIndex
CREATE INDEX "Segmentation_status_idx" ON "Segmentation"("status");

-- CreateIndex
CREATE INDEX "Segmentation_maskSha256_idx" ON "Segmentation"("maskSha256");

-- AddForeignKey
ALTER TABLE "Segmentation" ADD CONSTRAINT "Segmentation_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

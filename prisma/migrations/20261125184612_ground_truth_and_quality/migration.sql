-- CreateTable
CREATE TABLE "GroundTruth" (
    "assetId" UUID NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "foregroundRatio" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "GroundTruth_pkey" PRIMARY KEY ("assetId")
);

-- CreateTable
CREATE TABLE "QualityScore" (
    "segmentationId" UUID NOT NULL,
    "groundTruthSha256" CHAR(64) NOT NULL,
    "hce" INTEGER NOT NULL,
    "hceFpPoints" INTEGER NOT NULL,
    "hceFpIndep" INTEGER NOT NULL,
    "hceFnPoints" INTEGER NOT NULL,
    "hceFnIndep" INTEGER NOT NULL,
    "mae" DOUBLE PRECISION NOT NULL,
    "sm" DOUBLE PRECISION,
    "wfm" DOUBLE PRECISION NOT NULL,
    "adpF" DOUBLE PRECISION NOT NULL,
    "meanF" DOUBLE PRECISION NOT NULL,
    "maxF" DOUBLE PRECISION NOT NULL,
    "adpE" DOUBLE PRECISION NOT NULL,
    "meanE" DOUBLE PRECISION NOT NULL,
    "maxE" DOUBLE PRECISION NOT NULL,
    "iou" DOUBLE PRECISION NOT NULL,
    "dice" DOUBLE PRECISION NOT NULL,
    "ber" DOUBLE PRECISION NOT NULL,
    "computedMs" DOUBLE PRECISION NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QualityScore_pkey" PRIMARY KEY ("segmentationId")
);

-- CreateIndex
CREATE INDEX "GroundTruth_sha256_idx" ON "GroundTruth"("sha256");

-- AddForeignKey
ALTER TABLE "GroundTruth" ADD CONSTRAINT "GroundTruth_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QualityScore" ADD CONSTRAINT "QualityScore_segmentationId_fkey" FOREIGN KEY ("segmentationId") REFERENCES "Segmentation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateEnum
CREATE TYPE "MaskVersionSource" AS ENUM ('CORRECTION', 'RESTORE', 'CONFIRMATION');

-- CreateTable
CREATE TABLE "MaskVersion" (
    "id" UUID NOT NULL,
    "segmentationId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "parentVersion" INTEGER NOT NULL,
    "source" "MaskVersionSource" NOT NULL,
    "authorId" UUID NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "foregroundRatio" DOUBLE PRECISION NOT NULL,
    "bboxX" INTEGER,
    "bboxY" INTEGER,
    "bboxWidth" INTEGER,
    "bboxHeight" INTEGER,
    "hce" INTEGER NOT NULL,
    "hceFpPoints" INTEGER NOT NULL,
    "hceFpIndep" INTEGER NOT NULL,
    "hceFnPoints" INTEGER NOT NULL,
    "hceFnIndep" INTEGER NOT NULL,
    "pixelsChanged" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MaskVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MaskVersion_sha256_idx" ON "MaskVersion"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "MaskVersion_segmentationId_version_key" ON "MaskVersion"("segmentationId", "version");

-- AddForeignKey
ALTER TABLE "MaskVersion" ADD CONSTRAINT "MaskVersion_segmentationId_fkey" FOREIGN KEY ("segmentationId") REFERENCES "Segmentation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "Asset" ADD COLUMN     "focalX" DOUBLE PRECISION,
ADD COLUMN     "focalY" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "MaskVersion" ADD COLUMN     "centreX" DOUBLE PRECISION,
ADD COLUMN     "centreY" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "Segmentation" ADD COLUMN     "centreX" DOUBLE PRECISION,
ADD COLUMN     "centreY" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "Preset" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "effect" JSONB,
    "output" JSONB NOT NULL,
    "crop" JSONB,
    "widths" INTEGER[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Preset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImageVariant" (
    "id" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "preset" TEXT NOT NULL,
    "cacheKey" CHAR(64) NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "format" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "renderMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImageVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssetSummary" (
    "assetId" UUID NOT NULL,
    "maskSha256" CHAR(64),
    "thumbhash" TEXT NOT NULL,
    "dataUrl" TEXT NOT NULL,
    "dominant" TEXT NOT NULL,
    "foreground" TEXT,
    "background" TEXT,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssetSummary_pkey" PRIMARY KEY ("assetId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Preset_ownerId_name_key" ON "Preset"("ownerId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ImageVariant_cacheKey_key" ON "ImageVariant"("cacheKey");

-- CreateIndex
CREATE INDEX "ImageVariant_assetId_preset_idx" ON "ImageVariant"("assetId", "preset");

-- CreateIndex
CREATE INDEX "ImageVariant_sha256_idx" ON "ImageVariant"("sha256");

-- AddForeignKey
ALTER TABLE "Preset" ADD CONSTRAINT "Preset_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "Owner"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ImageVariant" ADD CONSTRAINT "ImageVariant_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssetSummary" ADD CONSTRAINT "AssetSummary_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

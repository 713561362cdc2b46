-- AlterTable
ALTER TABLE "Asset" ADD COLUMN     "blobMissingAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "GroundTruth" ADD COLUMN     "blobMissingAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "MaskVersion" ADD COLUMN     "blobMissingAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Segmentation" ADD COLUMN     "blobMissingAt" TIMESTAMPTZ(3);

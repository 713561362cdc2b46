-- AlterTable
ALTER TABLE "Segmentation" ADD COLUMN     "refineMs" DOUBLE PRECISION,
ADD COLUMN     "refined" BOOLEAN NOT NULL DEFAULT false;

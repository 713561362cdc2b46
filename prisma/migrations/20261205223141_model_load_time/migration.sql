-- AlterTable
ALTER TABLE "Segmentation" ADD COLUMN     "modelLoadMs" DOUBLE PRECISION;

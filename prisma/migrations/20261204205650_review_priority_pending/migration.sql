-- AlterTable
ALTER TABLE "Segmentation" ADD COLUMN     "reviewPriorityPending" BOOLEAN NOT NULL DEFAULT false;

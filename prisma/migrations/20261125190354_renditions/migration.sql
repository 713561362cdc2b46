-- CreateTable
CREATE TABLE "Rendition" (
    "id" UUID NOT NULL,
    "segmentationId" UUID NOT NULL,
    "cacheKey" CHAR(64) NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "format" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "renderMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Rendition_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Rendition_sha256_idx" ON "Rendition"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "Rendition_segmentationId_cacheKey_key" ON "Rendition"("segmentationId", "cacheKey");

-- AddForeignKey
ALTER TABLE "Rendition" ADD CONSTRAINT "Rendition_segmentationId_fkey" FOREIGN KEY ("segmentationId") REFERENCES "Segmentation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "ImageProxy" (
    "sourceSha256" CHAR(64) NOT NULL,
    "maxSide" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "format" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "byteSize" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImageProxy_pkey" PRIMARY KEY ("sourceSha256","maxSide")
);

-- CreateIndex
CREATE INDEX "ImageProxy_sha256_idx" ON "ImageProxy"("sha256");

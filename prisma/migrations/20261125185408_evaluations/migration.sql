-- CreateTable
CREATE TABLE "Evaluation" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "models" TEXT[],
    "filter" JSONB NOT NULL,
    "status" "SegmentationStatus" NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "assetCount" INTEGER NOT NULL DEFAULT 0,
    "summary" JSONB,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationItem" (
    "id" UUID NOT NULL,
    "evaluationId" UUID NOT NULL,
    "assetId" UUID NOT NULL,
    "modelId" TEXT NOT NULL,
    "segmentationId" UUID NOT NULL,
    "hce" INTEGER NOT NULL,
    "mae" DOUBLE PRECISION NOT NULL,
    "sm" DOUBLE PRECISION,
    "wfm" DOUBLE PRECISION NOT NULL,
    "maxF" DOUBLE PRECISION NOT NULL,
    "meanE" DOUBLE PRECISION NOT NULL,
    "inferenceMs" DOUBLE PRECISION,

    CONSTRAINT "EvaluationItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Evaluation_ownerId_createdAt_idx" ON "Evaluation"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "EvaluationItem_evaluationId_hce_idx" ON "EvaluationItem"("evaluationId", "hce");

-- AddForeignKey
ALTER TABLE "EvaluationItem" ADD CONSTRAINT "EvaluationItem_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "Evaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvaluationItem" ADD CONSTRAINT "EvaluationItem_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "QueueState" (
    "queue" TEXT NOT NULL,
    "pausedAt" TIMESTAMPTZ(3),
    "pausedBy" TEXT,

    CONSTRAINT "QueueState_pkey" PRIMARY KEY ("queue")
);

/**
 * `maskgraph batch …`: batches through a running gateway's GraphQL API, as the owner of an
 * API key (MASKGRAPH_KEY), so a batch from the shell obeys the same rules, limits and
 * fairness as one from a frontend. The gateway is MASKGRAPH_URL (default: this machine's
 * PORT on loopback).
 */
export class BatchClientError extends Error {
  override name = 'BatchClientError';
}

export interface BatchCountsView {
  total: number;
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  skipped: number;
}

export interface BatchSummary {
  id: string | null;
  status: string;
  kind: string;
  model: string | null;
  mode: string | null;
  counts: BatchCountsView;
  throughput: number | null;
  etaSeconds: number | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface BatchItemSummary {
  assetId: string;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
}

const BATCH_FIELDS = 'id status kind model mode counts { total queued running succeeded failed skipped } throughput etaSeconds createdAt finishedAt';

/** Statuses a batch leaves only by a person's action (or never). */
export const SETTLED_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'DRY_RUN']);

export class BatchClient {
  constructor(
    private readonly url: string,
    private readonly key: string | undefined,
  ) {}

  /** From MASKGRAPH_URL and MASKGRAPH_KEY, or this machine's gateway on PORT. */
  static fromEnvironment(env: NodeJS.ProcessEnv, port: number): BatchClient {
    return new BatchClient(env.MASKGRAPH_URL ?? `http://127.0.0.1:${port}`, env.MASKGRAPH_KEY || undefined);
  }

  private async request<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await fetch(new URL('/graphql', this.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.key ? { authorization: `Bearer ${this.key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    }).catch((error: unknown) => {
      throw new BatchClientError(`No gateway answered at ${this.url} (${error instanceof Error ? error.message : String(error)}); set MASKGRAPH_URL`);
    });
    const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    const error = body.errors?.[0];
    if (error) {
      const hint = error.extensions?.code === 'UNAUTHENTICATED' ? ' (set MASKGRAPH_KEY to an API key: `maskgraph keys create NAME`)' : '';
      throw new BatchClientError(`${error.extensions?.code ?? 'ERROR'}: ${error.message}${hint}`);
    }
    if (!response.ok || !body.data) throw new BatchClientError(`The gateway at ${this.url} answered ${response.status}`);
    return body.data;
  }

  async start(input: Record<string, unknown>): Promise<BatchSummary> {
    const data = await this.request<{ startBatch: BatchSummary }>(`mutation($input: StartBatchInput!) { startBatch(input: $input) { ${BATCH_FIELDS} } }`, {
      input,
    });
    return data.startBatch;
  }

  async get(id: string): Promise<BatchSummary> {
    return (await this.request<{ batch: BatchSummary }>(`query($id: ID!) { batch(id: $id) { ${BATCH_FIELDS} } }`, { id })).batch;
  }

  async list(status: string | undefined, first: number): Promise<BatchSummary[]> {
    const data = await this.request<{ batches: BatchSummary[] }>(
      `query($status: BatchStatus, $first: Int) { batches(status: $status, first: $first) { ${BATCH_FIELDS} } }`,
      { status, first },
    );
    return data.batches;
  }

  async items(id: string, status: string | undefined, first: number): Promise<BatchItemSummary[]> {
    const data = await this.request<{ batch: { items: BatchItemSummary[] } }>(
      `query($id: ID!, $status: BatchItemStatus, $first: Int) { batch(id: $id) { items(status: $status, first: $first) { assetId status errorCode errorMessage } } }`,
      { id, status, first },
    );
    return data.batch.items;
  }

  async control(action: 'pauseBatch' | 'resumeBatch' | 'cancelBatch', id: string): Promise<BatchSummary> {
    const data = await this.request<Record<string, BatchSummary>>(`mutation($id: ID!) { ${action}(id: $id) { ${BATCH_FIELDS} } }`, { id });
    return data[action]!;
  }

  async retry(id: string, failedOnly: boolean): Promise<BatchSummary> {
    const data = await this.request<{ retryBatch: BatchSummary }>(
      `mutation($id: ID!, $failedOnly: Boolean) { retryBatch(id: $id, failedOnly: $failedOnly) { ${BATCH_FIELDS} } }`,
      {
        id,
        failedOnly,
      },
    );
    return data.retryBatch;
  }

  /** Reads the batch every `intervalMs` until it settles (a pause only waits longer), telling `onUpdate` each time. */
  async wait(id: string, onUpdate: (batch: BatchSummary) => void, intervalMs = 1000): Promise<BatchSummary> {
    for (;;) {
      const batch = await this.get(id);
      onUpdate(batch);
      if (SETTLED_STATUSES.has(batch.status)) return batch;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** One line: status, a bar, the counts and the pace. */
export function describeBatch(batch: BatchSummary, width = 30): string {
  const { counts } = batch;
  const done = counts.succeeded + counts.failed + counts.skipped;
  const filled = counts.total === 0 ? width : Math.round((done / counts.total) * width);
  const pace = batch.throughput === null ? '' : `  ${batch.throughput.toFixed(1)}/s`;
  const eta = batch.etaSeconds === null ? '' : `  eta ${batch.etaSeconds} s`;
  return (
    `${(batch.id ?? 'dry run').padEnd(36)} ${batch.status.padEnd(9)} [${'#'.repeat(filled).padEnd(width)}] ${done}/${counts.total}` +
    `  ok ${counts.succeeded} failed ${counts.failed} skipped ${counts.skipped} queued ${counts.queued} running ${counts.running}${pace}${eta}`
  );
}

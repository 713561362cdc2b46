/**
 * Prometheus metrics (prom-client), one registry per process, served on /metrics by every
 * role. Names follow Prometheus conventions: seconds, `_total` counters.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface QueueStats {
  waiting: number;
  running: number;
  oldestWaitingSeconds: number;
}

/** Model runs take seconds; HTTP answers take milliseconds. */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class AppMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly jobStageDuration: Histogram<'stage' | 'model'>;
  readonly jobsFinished: Counter<'status' | 'model'>;
  /** A job delivered again: its worker died or its lease ran out. */
  readonly jobRedeliveries: Counter<'queue'>;
  readonly renderDuration: Histogram<'effect'>;
  /** Preset images rendered (each URL and format once, on its first GET). */
  readonly imageRenders: Counter<'preset'>;
  /** Quality estimates computed (not answered from the cache). */
  readonly qualityEstimates: Counter;
  /** What renders decoded: a preview proxy or the original (src/images/proxy.service.ts). */
  readonly renderSources: Counter<'source'>;
  /** Preview proxies made, of photos and of masks. */
  readonly proxiesMade: Counter<'kind'>;
  /** Proxy bytes read from this process's memory or from the store (ProxyService's cache). */
  readonly proxyReads: Counter<'from'>;

  /** `queues`: each job queue's name and how to read its depth, for the queue gauges. */
  constructor(role: string, queues: Record<string, () => Promise<QueueStats>> = {}) {
    this.registry.setDefaultLabels({ role });
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'maskgraph_http_request_duration_seconds',
      help: 'HTTP requests (GraphQL included) from arrival to the last byte, by route template',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers: [this.registry],
    });
    this.jobStageDuration = new Histogram({
      name: 'maskgraph_job_stage_duration_seconds',
      help: 'Segmentation job stages (queue_wait, model_load when the job loaded its model, preprocess, inference, postprocess, refine, store) by model',
      labelNames: ['stage', 'model'],
      buckets: JOB_BUCKETS,
      registers: [this.registry],
    });
    this.jobsFinished = new Counter({
      name: 'maskgraph_jobs_finished_total',
      help: 'Segmentation jobs that ended, by final status and model',
      labelNames: ['status', 'model'],
      registers: [this.registry],
    });
    this.jobRedeliveries = new Counter({
      name: 'maskgraph_job_redeliveries_total',
      help: 'Jobs delivered again after a lease expired or a worker died (retries)',
      labelNames: ['queue'],
      registers: [this.registry],
    });
    this.renderDuration = new Histogram({
      name: 'maskgraph_render_duration_seconds',
      help: 'Full-size effect renders, by effect kind',
      labelNames: ['effect'],
      buckets: JOB_BUCKETS,
      registers: [this.registry],
    });
    this.qualityEstimates = new Counter({
      name: 'maskgraph_quality_estimates_computed_total',
      help: 'Quality estimates computed on the metrics threads (cached ones are not counted)',
      registers: [this.registry],
    });
    this.renderSources = new Counter({
      name: 'maskgraph_render_sources_total',
      help: 'Image renders decoded, by source: proxy (the output fits in the preview proxy) or original',
      labelNames: ['source'],
      registers: [this.registry],
    });
    this.proxiesMade = new Counter({
      name: 'maskgraph_proxies_made_total',
      help: 'Preview proxies made (each photo and mask once per content hash), by kind',
      labelNames: ['kind'],
      registers: [this.registry],
    });
    this.proxyReads = new Counter({
      name: 'maskgraph_proxy_reads_total',
      help: "Preview proxies' bytes read, by where from: memory (this process read them before) or store",
      labelNames: ['from'],
      registers: [this.registry],
    });
    this.imageRenders = new Counter({
      name: 'maskgraph_image_renders_total',
      help: 'Preset images rendered, by preset (each URL and format renders once)',
      labelNames: ['preset'],
      registers: [this.registry],
    });
    const gauge = (name: string, help: string, pick: (stats: QueueStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['queue'],
        registers: [this.registry],
        async collect() {
          for (const [queue, read] of Object.entries(queues)) {
            const stats = await read().catch(() => undefined);
            if (stats) this.set({ queue }, pick(stats));
          }
        },
      });
    gauge('maskgraph_queue_waiting_jobs', 'Jobs waiting for a worker', (stats) => stats.waiting);
    gauge('maskgraph_queue_running_jobs', 'Jobs held by a worker', (stats) => stats.running);
    gauge('maskgraph_queue_oldest_waiting_seconds', 'Age of the oldest waiting job', (stats) => stats.oldestWaitingSeconds);
    // The main thread's event loop utilisation is the rate of this counter: near 1 means
    // something runs on the loop instead of waiting for I/O (it must stay low under load).
    let seen = performance.eventLoopUtilization();
    new Counter({
      name: 'maskgraph_event_loop_busy_seconds_total',
      help: "Time the main thread's event loop spent running code rather than waiting for I/O",
      registers: [this.registry],
      collect() {
        const now = performance.eventLoopUtilization();
        this.inc((now.active - seen.active) / 1000);
        seen = now;
      },
    });
  }

  /** Per model: inference threads holding it, loads so far, the last load's time (from the engine). */
  reportModels(read: () => { modelId: string; threads: number; loads: number; lastLoadSeconds: number | undefined }[]): void {
    const models = (name: string, help: string, pick: (model: ReturnType<typeof read>[number]) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['model'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const model of read()) {
            const value = pick(model);
            if (value !== undefined) this.set({ model: model.modelId }, value);
          }
        },
      });
    models('maskgraph_model_resident_threads', 'Inference workers (child processes) holding the model now (0: unloaded)', (model) => model.threads);
    models('maskgraph_model_loads', 'Times the model was loaded in this process, on any thread', (model) => model.loads);
    models('maskgraph_model_last_load_seconds', "The model's last load time, apart from any run", (model) => model.lastLoadSeconds);
  }

  /** The render threads' V8 heaps and libvips' tracked memory (RenderPool.memory), read at each scrape. */
  reportRenderMemory(read: () => Promise<{ threadHeapUsedBytes: number; threadHeapTotalBytes: number; libvipsTrackedBytes: number }>): void {
    let last: ReturnType<typeof read> | undefined;
    // One read per scrape serves the three gauges.
    const sample = () => (last ??= read().finally(() => setTimeout(() => (last = undefined), 1000)));
    const gauge = (name: string, help: string, pick: (memory: Awaited<ReturnType<typeof read>>) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(pick(await sample()));
        },
      });
    gauge(
      'maskgraph_render_threads_heap_used_bytes',
      "V8 heap in use on the started render threads, together (the main thread's is nodejs_heap_size_used_bytes)",
      (m) => m.threadHeapUsedBytes,
    );
    gauge('maskgraph_render_threads_heap_total_bytes', 'V8 heap reserved by the started render threads, together', (m) => m.threadHeapTotalBytes);
    gauge(
      'maskgraph_libvips_tracked_bytes',
      'Memory libvips tracks of its own (its operation cache, images being processed), whole process',
      (m) => m.libvipsTrackedBytes,
    );
  }

  /** `maskgraph_memory_allocator{allocator}` 1: which malloc the process runs on (see bin/maskgraph). */
  reportAllocator(allocator: string): void {
    new Gauge({
      name: 'maskgraph_memory_allocator',
      help: 'The malloc this process runs on (1 for its name)',
      labelNames: ['allocator'],
      registers: [this.registry],
    }).set({ allocator }, 1);
  }

  /** `maskgraph_event_followers`: subscriptions and waits listening for row changes in this process. */
  countFollowers(read: () => number): void {
    new Gauge({
      name: 'maskgraph_event_followers',
      help: 'Subscriptions and waits in this process listening for changes of segmentations and evaluations',
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  /** `maskgraph_sql_statements_total` from the database's own count (src/storage/database.ts). */
  countSqlStatements(read: () => number): void {
    let reported = 0;
    new Counter({
      name: 'maskgraph_sql_statements_total',
      help: 'SQL statements this process sent to the database (queries, BEGIN, COMMIT)',
      registers: [this.registry],
      collect() {
        const now = read();
        this.inc(now - reported);
        reported = now;
      },
    });
  }
}

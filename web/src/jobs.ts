/**
 * The jobs view (#/jobs): the viewer's batches with a progress bar, throughput and ETA;
 * pause, resume and cancel; a finished batch's failed items with their reasons, and retry.
 * Read again every second while a batch is running or paused and the view is shown.
 */
import { gql } from './api.js';
import { clearError, h, showError } from './dom.js';

interface BatchRow {
  id: string;
  status: string;
  kind: string;
  preset: string | null;
  model: string | null;
  tagsAdded: string[] | null;
  tagsRemoved: string[] | null;
  counts: { total: number; queued: number; running: number; succeeded: number; failed: number; skipped: number };
  throughput: number | null;
  etaSeconds: number | null;
  createdAt: string;
  items: { assetId: string; errorCode: string | null; errorMessage: string | null }[];
}

const LIST = `{ batches(first: 20) { id status kind model tagsAdded tagsRemoved preset counts { total queued running succeeded failed skipped }
  throughput etaSeconds createdAt items(status: FAILED, first: 20) { assetId errorCode errorMessage } } }`;
const REFRESH_MS = 1000;

function describe(batch: BatchRow): string {
  if (batch.kind === 'SEGMENT') return `Segment with ${batch.model ?? 'the default model'}`;
  if (batch.kind === 'TAG') {
    const parts = [
      batch.tagsAdded?.length ? `add ${batch.tagsAdded.join(', ')}` : '',
      batch.tagsRemoved?.length ? `remove ${batch.tagsRemoved.join(', ')}` : '',
    ];
    return `Tags: ${parts.filter(Boolean).join('; ')}`;
  }
  if (batch.kind === 'RENDER') return `Render ${batch.preset ?? ''} images`;
  return 'Delete';
}

export function renderJobs(view: HTMLElement): void {
  const list = h('div', { class: 'jobs', 'data-testid': 'jobs' });
  const empty = h('p', { class: 'muted', hidden: true }, 'No batches yet: select assets in the library and act on them all at once.');
  view.replaceChildren(h('h2', {}, 'Jobs'), empty, list);
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function control(mutation: string, id: string, extra = ''): Promise<void> {
    try {
      await gql(`mutation($id: ID!) { ${mutation}(id: $id${extra}) { id } }`, { id });
      clearError();
    } catch (error) {
      showError(error);
    }
    await refresh();
  }

  function row(batch: BatchRow): HTMLElement {
    const { counts } = batch;
    const done = counts.succeeded + counts.failed + counts.skipped;
    const pace = [batch.throughput === null ? '' : `${batch.throughput.toFixed(1)}/s`, batch.etaSeconds === null ? '' : `about ${batch.etaSeconds} s left`];
    const open = batch.status === 'PENDING' || batch.status === 'RUNNING' || batch.status === 'PAUSED';
    const button = (label: string, action: () => Promise<void>) => h('button', { type: 'button', onclick: () => void action() }, label);
    return h(
      'section',
      { class: 'panel batch', 'data-testid': `batch-${batch.id}`, 'data-status': batch.status },
      h('div', { class: 'row' }, h('strong', {}, describe(batch)), h('span', { class: `status ${batch.status === 'FAILED' ? 'bad' : ''}` }, batch.status)),
      h(
        'div',
        { class: 'row' },
        h('progress', { max: String(Math.max(counts.total, 1)), value: String(counts.total === 0 ? 1 : done), 'aria-label': 'progress' }),
        h('span', {}, `${done} of ${counts.total}`),
        h(
          'span',
          { class: 'muted' },
          `${counts.succeeded} done · ${counts.failed} failed · ${counts.skipped} skipped · ${counts.running} running · ${counts.queued} waiting`,
        ),
        h('span', { class: 'muted' }, pace.filter(Boolean).join(' · ')),
      ),
      h(
        'div',
        { class: 'row' },
        (batch.status === 'PENDING' || batch.status === 'RUNNING') && button('Pause', () => control('pauseBatch', batch.id)),
        batch.status === 'PAUSED' && button('Resume', () => control('resumeBatch', batch.id)),
        open &&
          button('Cancel', () =>
            confirm('Cancel this batch? Waiting items are dropped; running ones finish.') ? control('cancelBatch', batch.id) : Promise.resolve(),
          ),
        batch.status === 'FAILED' && button('Retry failed', () => control('retryBatch', batch.id, ', failedOnly: true')),
      ),
      batch.items.length > 0 &&
        h(
          'details',
          { class: 'failed-items' },
          h('summary', {}, `${counts.failed} failed item${counts.failed === 1 ? '' : 's'}`),
          h(
            'ul',
            {},
            ...batch.items.map((item) =>
              h('li', {}, h('a', { href: `#/asset/${item.assetId}` }, item.assetId), ` ${item.errorCode ?? ''}: ${item.errorMessage ?? ''}`),
            ),
          ),
        ),
    );
  }

  async function refresh(): Promise<void> {
    clearTimeout(timer);
    if (!list.isConnected) return; // another view is shown
    try {
      const { batches } = await gql<{ batches: BatchRow[] }>(LIST);
      // Failed lists a person opened stay open across refreshes.
      const opened = new Set(
        [...list.querySelectorAll<HTMLElement>('.batch')].filter((element) => element.querySelector('details')?.open).map((element) => element.dataset.testid),
      );
      list.replaceChildren(...batches.map(row));
      for (const element of list.querySelectorAll<HTMLElement>('.batch'))
        if (opened.has(element.dataset.testid)) element.querySelector('details')?.setAttribute('open', '');
      empty.hidden = batches.length > 0;
      if (batches.some((batch) => ['PENDING', 'RUNNING', 'PAUSED'].includes(batch.status))) timer = setTimeout(() => void refresh(), REFRESH_MS);
    } catch (error) {
      showError(error);
    }
  }
  void refresh();
}

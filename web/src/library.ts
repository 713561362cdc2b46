/**
 * The library view: upload (several files, per-file progress), filter, browse pages, delete;
 * select assets (click, shift-click for a range, or every asset the filter matches) and tag,
 * untag, segment or delete them all with one batch, after its dry run's count is confirmed.
 */
import { gql, gqlUpload } from './api.js';
import { clearError, h, showError } from './dom.js';

interface AssetCard {
  id: string;
  name: string;
  tags: string[];
  width: number;
  height: number;
  thumbnail: string;
}

const PAGE = 24;
const LIST = `query($first: Int, $after: String, $filter: AssetFilter, $orderBy: AssetOrder) {
  assets(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount edges { node { id name tags width height thumbnail(size: 256) } } pageInfo { hasNextPage endCursor } } }`;

export function renderLibrary(view: HTMLElement): void {
  const grid = h('div', { class: 'grid', 'data-testid': 'grid' });
  /** Ids picked one by one, in the grid's order for shift-click ranges; or every asset the filter matches. */
  const selected = new Set<string>();
  let allMatching = false;
  let matching = 0;
  let lastPicked: number | undefined;
  const bulk = h('div', { class: 'bulk review-bar', 'data-testid': 'bulk', hidden: true });
  const uploads = h('ul', { class: 'uploads' });
  const count = h('span', { class: 'muted' });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const nameInput = h('input', { type: 'search', name: 'name', placeholder: 'part of a name' });
  const tagInput = h('input', { type: 'search', name: 'tag', placeholder: 'a tag' });
  const order = h(
    'select',
    { name: 'order' },
    h('option', { value: 'CREATED_AT_DESC' }, 'Newest first'),
    h('option', { value: 'REVIEW_PRIORITY' }, 'Most likely to need a correction'),
    h('option', { value: 'NAME_ASC' }, 'Name'),
  );
  let after: string | null = null;

  const filter = () => ({
    ...(nameInput.value.trim() ? { nameContains: nameInput.value.trim() } : {}),
    ...(tagInput.value.trim() ? { tags: [tagInput.value.trim()] } : {}),
  });

  async function load(reset: boolean): Promise<void> {
    try {
      if (reset) after = null;
      const { assets } = await gql<{
        assets: { totalCount: number; edges: { node: AssetCard }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      }>(LIST, { first: PAGE, after, filter: filter(), orderBy: order.value });
      if (reset) grid.replaceChildren();
      for (const { node } of assets.edges) grid.append(card(node));
      after = assets.pageInfo.endCursor;
      more.hidden = !assets.pageInfo.hasNextPage;
      count.textContent = `${assets.totalCount} asset${assets.totalCount === 1 ? '' : 's'}`;
      matching = assets.totalCount;
      renderBulk();
      clearError();
    } catch (error) {
      showError(error);
    }
  }

  function card(asset: AssetCard): HTMLElement {
    const remove = h('button', { type: 'button', 'aria-label': `Delete ${asset.name}` }, '✕');
    const pick = h('input', { type: 'checkbox', class: 'pick', 'aria-label': `Select ${asset.name}`, 'data-id': asset.id });
    pick.checked = allMatching || selected.has(asset.id);
    pick.addEventListener('click', (event) => picked(pick, event.shiftKey));
    const element = h(
      'div',
      { class: 'card' },
      h('a', { href: `#/asset/${asset.id}`, title: asset.name }, h('img', { src: asset.thumbnail, alt: asset.name, loading: 'lazy' })),
      h('div', { class: 'meta' }, pick, h('span', {}, asset.name), remove),
    );
    remove.addEventListener('click', async () => {
      if (!confirm(`Delete ${asset.name}?`)) return;
      try {
        await gql('mutation($id: ID!) { deleteAsset(id: $id) { id } }', { id: asset.id });
        element.remove();
      } catch (error) {
        showError(error);
      }
    });
    return element;
  }

  /** A checkbox clicked: it, or with shift the range from the last one clicked, takes its new state. */
  function picked(box: HTMLInputElement, range: boolean): void {
    const boxes = [...grid.querySelectorAll<HTMLInputElement>('input.pick')];
    const index = boxes.indexOf(box);
    if (allMatching) {
      // Leaving "all that match" keeps what is shown, less this one.
      allMatching = false;
      for (const other of boxes) if (other !== box) selected.add(other.dataset.id!);
    }
    const [from, to] = range && lastPicked !== undefined ? [Math.min(lastPicked, index), Math.max(lastPicked, index)] : [index, index];
    for (const other of boxes.slice(from, to + 1)) {
      other.checked = box.checked;
      if (box.checked) selected.add(other.dataset.id!);
      else selected.delete(other.dataset.id!);
    }
    lastPicked = index;
    renderBulk();
  }

  function clearSelection(): void {
    selected.clear();
    allMatching = false;
    lastPicked = undefined;
    for (const box of grid.querySelectorAll<HTMLInputElement>('input.pick')) box.checked = false;
    renderBulk();
  }

  /** Runs one action over the selection: its dry run's count first, confirmed, then the batch. */
  async function act(verb: string, action: Record<string, unknown>): Promise<void> {
    const selection = allMatching ? { filter: filter() } : { assetIds: [...selected] };
    const START = 'mutation($input: StartBatchInput!) { startBatch(input: $input) { id status counts { total } } }';
    try {
      const dry = await gql<{ startBatch: { counts: { total: number } } }>(START, { input: { ...selection, action, dryRun: true } });
      const total = dry.startBatch.counts.total;
      if (total === 0) return showError(new Error(`Nothing to ${verb.toLowerCase()}: no selected asset needs it`));
      if (!confirm(`${verb} ${total} asset${total === 1 ? '' : 's'}?`)) return;
      const started = await gql<{ startBatch: { id: string } }>(START, { input: { ...selection, action } });
      clearError();
      clearSelection();
      bulk.hidden = false;
      bulk.replaceChildren(
        h('span', { 'data-testid': 'batch-started', 'data-id': started.startBatch.id }, `${verb}: ${total} asset${total === 1 ? '' : 's'} in a batch. `),
        h('a', { href: '#/jobs' }, 'Follow it in Jobs'),
      );
    } catch (error) {
      showError(error);
    }
  }

  function renderBulk(): void {
    const size = allMatching ? matching : selected.size;
    if (size === 0) {
      if (!bulk.querySelector('[data-testid="batch-started"]')) bulk.hidden = true;
      return;
    }
    const tag = h('input', { type: 'text', name: 'bulk-tag', placeholder: 'tag', 'aria-label': 'Tag for the selection' });
    const withTag = (verb: string, field: 'add' | 'remove') => () => {
      const value = tag.value.trim();
      if (!value) return showError(new Error('Type a tag first'));
      void act(verb, { tag: { [field]: [value] } });
    };
    bulk.hidden = false;
    const controls: (HTMLElement | null)[] = [
      h('strong', { 'data-testid': 'selected-count' }, `${size} selected${allMatching ? ' (all that match)' : ''}`),
      !allMatching && matching > size
        ? h(
            'button',
            {
              type: 'button',
              onclick: () => {
                allMatching = true;
                for (const box of grid.querySelectorAll<HTMLInputElement>('input.pick')) box.checked = true;
                renderBulk();
              },
            },
            `Select all ${matching} that match`,
          )
        : null,
      h('button', { type: 'button', onclick: clearSelection }, 'Clear'),
      tag,
      h('button', { type: 'button', onclick: withTag('Tag', 'add') }, 'Add tag'),
      h('button', { type: 'button', onclick: withTag('Untag', 'remove') }, 'Remove tag'),
      h('button', { type: 'button', onclick: () => void act('Segment', { segment: { mode: 'MISSING' } }) }, 'Segment'),
      h('button', { type: 'button', onclick: () => void act('Delete', { delete: { confirm: true } }) }, 'Delete'),
    ];
    bulk.replaceChildren(...controls.filter((control) => control !== null));
  }

  async function uploadAll(files: FileList | File[]): Promise<void> {
    await Promise.all(
      [...files].map(async (file) => {
        const bar = h('progress', { max: '1', value: '0' });
        const state = h('span', { class: 'muted' }, ' uploading');
        uploads.append(h('li', {}, `${file.name} `, bar, state));
        try {
          await gqlUpload('mutation($f: Upload!) { uploadAsset(file: $f) { id } }', {}, 'f', file, (fraction) => (bar.value = fraction));
          bar.value = 1;
          state.textContent = ' done';
        } catch (error) {
          // The bytes may all have gone (a full bar) before the server refused them: the bar goes, the reason shows as an error.
          bar.remove();
          state.className = 'bad';
          state.setAttribute('role', 'alert');
          state.textContent = ` failed: ${error instanceof Error ? error.message : String(error)}`;
        }
      }),
    );
    await load(true);
  }

  const picker = h('input', { type: 'file', multiple: true, accept: 'image/*', id: 'file-picker' });
  picker.addEventListener('change', () => picker.files && void uploadAll(picker.files));
  const drop = h('div', { class: 'drop' }, h('label', { for: 'file-picker' }, 'Drop images here or choose files '), picker);
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    if (event.dataTransfer?.files.length) void uploadAll(event.dataTransfer.files);
  });
  // A new filter is a new selection: what was picked may no longer be shown.
  nameInput.addEventListener('input', () => {
    clearSelection();
    void load(true);
  });
  tagInput.addEventListener('input', () => {
    clearSelection();
    void load(true);
  });
  order.addEventListener('change', () => void load(true));
  more.addEventListener('click', () => void load(false));

  view.replaceChildren(
    drop,
    uploads,
    h('div', { class: 'filters' }, h('label', {}, 'Name', nameInput), h('label', {}, 'Tag', tagInput), h('label', {}, 'Order', order), count),
    bulk,
    grid,
    h('p', {}, more),
  );
  void load(true);
}

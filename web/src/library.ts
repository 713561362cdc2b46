/** The library view: upload (several files, per-file progress), filter, browse pages, delete. */
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
      clearError();
    } catch (error) {
      showError(error);
    }
  }

  function card(asset: AssetCard): HTMLElement {
    const remove = h('button', { type: 'button', 'aria-label': `Delete ${asset.name}` }, '✕');
    const element = h(
      'div',
      { class: 'card' },
      h('a', { href: `#/asset/${asset.id}`, title: asset.name }, h('img', { src: asset.thumbnail, alt: asset.name, loading: 'lazy' })),
      h('div', { class: 'meta' }, h('span', {}, asset.name), remove),
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
  nameInput.addEventListener('input', () => void load(true));
  tagInput.addEventListener('input', () => void load(true));
  order.addEventListener('change', () => void load(true));
  more.addEventListener('click', () => void load(false));

  view.replaceChildren(
    drop,
    uploads,
    h('div', { class: 'filters' }, h('label', {}, 'Name', nameInput), h('label', {}, 'Tag', tagInput), h('label', {}, 'Order', order), count),
    grid,
    h('p', {}, more),
  );
  void load(true);
}

/**
 * The review queue (#/review): the library's segmented, untouched assets, the mask most
 * likely to need a correction first (`assets(orderBy: REVIEW_PRIORITY, filter: { needsReview: true })`).
 * Each one opens in the asset view with a bar above it: confirm the mask as right, correct it
 * with the editor, or skip it for now.
 */
import { gql } from './api.js';
import { renderAssetView, type AssetViewHandle } from './asset-view.js';
import { h, showError } from './dom.js';

const NEXT = `query($after: String) {
  assets(first: 1, after: $after, orderBy: REVIEW_PRIORITY, filter: { needsReview: true }) {
    totalCount edges { cursor node { id name reviewPriority } } } }`;

interface NextPage {
  assets: { totalCount: number; edges: { cursor: string; node: { id: string; name: string; reviewPriority: number } }[] };
}

export function renderReviewQueue(view: HTMLElement): void {
  /** Skipped assets stay in the queue; the cursor walks past them. */
  let after: string | null = null;
  let reviewed = 0;

  async function showNext(): Promise<void> {
    let page: NextPage;
    try {
      page = await gql<NextPage>(NEXT, { after });
    } catch (error) {
      return showError(error);
    }
    const edge = page.assets.edges[0];
    if (!edge) {
      view.replaceChildren(
        h(
          'section',
          { class: 'review-bar', 'data-testid': 'review-bar' },
          h('strong', {}, reviewed > 0 ? `Done: ${reviewed} reviewed.` : 'Nothing to review.'),
          after
            ? h(
                'button',
                {
                  type: 'button',
                  onclick: () => {
                    after = null;
                    void showNext();
                  },
                },
                'Start over with the skipped ones',
              )
            : '',
          h('a', { href: '#/' }, 'Back to the library'),
        ),
      );
      return;
    }
    const confirm = h('button', { type: 'button', class: 'primary', 'data-testid': 'review-confirm' }, 'Mask is right');
    const next = h('button', { type: 'button', 'data-testid': 'review-next', hidden: true }, 'Next');
    const skip = h('button', { type: 'button', 'data-testid': 'review-skip' }, 'Skip');
    const bar = h(
      'section',
      { class: 'review-bar', 'data-testid': 'review-bar' },
      h('strong', {}, `Review: ${page.assets.totalCount} left`),
      h('span', { class: 'muted', 'data-testid': 'review-priority' }, `priority ${edge.node.reviewPriority.toFixed(1)} (estimated clicks)`),
      confirm,
      skip,
      next,
      h('span', { class: 'muted' }, 'or correct it below and save'),
    );
    const done = () => {
      reviewed += 1;
      void showNext();
    };
    confirm.addEventListener('click', async () => {
      const segmentationId = handle?.currentSegmentationId();
      if (!segmentationId) return;
      confirm.disabled = true;
      try {
        await gql('mutation($id: ID!) { confirmMask(segmentationId: $id) { version } }', { id: segmentationId });
        done();
      } catch (error) {
        confirm.disabled = false;
        showError(error);
      }
    });
    skip.addEventListener('click', () => {
      after = edge.cursor;
      void showNext();
    });
    next.addEventListener('click', done);
    // A saved correction takes the asset out of the queue; the person may keep looking at it.
    const onCorrected = () => {
      confirm.hidden = true;
      skip.hidden = true;
      next.hidden = false;
    };
    const handle: AssetViewHandle | undefined = await renderAssetView(view, edge.node.id, { header: bar, onCorrected });
  }

  void showNext();
}

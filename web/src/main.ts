/** Routes between the library (#/), an asset (#/asset/ID), the review queue (#/review) and the jobs (#/jobs); keeps the API key. */
import { apiKey, setApiKey } from './api.js';
import { renderAssetView } from './asset-view.js';
import { clearError } from './dom.js';
import { renderJobs } from './jobs.js';
import { renderLibrary } from './library.js';
import { renderReviewQueue } from './review-queue.js';

function route(): void {
  clearError();
  const view = document.getElementById('view')!;
  const asset = /^#\/asset\/([0-9a-f-]{36})$/.exec(location.hash);
  if (asset) void renderAssetView(view, asset[1]!);
  else if (location.hash === '#/review') renderReviewQueue(view);
  else if (location.hash === '#/jobs') renderJobs(view);
  else renderLibrary(view);
}

const keyInput = document.getElementById('api-key') as HTMLInputElement;

/**
 * A sign-in link (printed by the gateway's first start) carries the key in the fragment:
 * keep it and take it out of the address bar and the history. It may arrive on a fresh
 * load or, when the page is already open in the tab, as a hash change.
 */
function takeSignInKey(): void {
  const signIn = /^#key=(mg_[A-Za-z0-9_-]{43})$/.exec(location.hash);
  if (!signIn) return;
  setApiKey(signIn[1]!);
  keyInput.value = signIn[1]!;
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
}

takeSignInKey();
keyInput.value = apiKey();
document.getElementById('key-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  setApiKey(keyInput.value.trim());
  route();
});
window.addEventListener('hashchange', () => {
  takeSignInKey();
  route();
});
route();

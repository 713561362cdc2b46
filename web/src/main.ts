/** Routes between the library (#/) and an asset (#/asset/ID); keeps the API key. */
import { apiKey, setApiKey } from './api.js';
import { renderAssetView } from './asset-view.js';
import { clearError } from './dom.js';
import { renderLibrary } from './library.js';

function route(): void {
  clearError();
  const view = document.getElementById('view')!;
  const asset = /^#\/asset\/([0-9a-f-]{36})$/.exec(location.hash);
  if (asset) void renderAssetView(view, asset[1]!);
  else renderLibrary(view);
}

const keyInput = document.getElementById('api-key') as HTMLInputElement;
keyInput.value = apiKey();
document.getElementById('key-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  setApiKey(keyInput.value.trim());
  route();
});
window.addEventListener('hashchange', route);
route();

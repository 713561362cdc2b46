/**
 * The mask editor: brush, eraser and soft brush painted on a canvas over the photo, undo and
 * redo, then saved as strokes (points in image pixels, not pixels) with `correctMask`; a
 * version list with each correction's HCE, restore, and "use as ground truth".
 * Keys: B brush, E eraser, S soft, [ and ] size, Ctrl+Z undo, Ctrl+Shift+Z redo.
 */
import { gql } from './api.js';
import { clearError, h, showError } from './dom.js';

type Mode = 'ADD' | 'ERASE' | 'SOFT';
interface Stroke {
  mode: Mode;
  radiusPx: number;
  points: [number, number][];
}
interface Version {
  version: number;
  source: string;
  correction: { hce: number; pixelsChanged: number } | null;
}

/** Stroke colours on the canvas: what the brush will do, before it is saved. */
const PAINT: Record<Mode, string> = { ADD: 'rgba(52, 199, 89, 0.6)', ERASE: 'rgba(255, 59, 48, 0.6)', SOFT: 'rgba(52, 199, 89, 0.35)' };

export interface MaskEditor {
  /** The canvas, to lay over the photo on the stage. */
  canvas: HTMLCanvasElement;
  /** The tools and the version list. */
  panel: HTMLElement;
  /** Shows this segmentation's versions (after a segmentation finishes). */
  load(segmentationId: string | undefined): Promise<void>;
}

export function maskEditor(asset: { id: string; width: number; height: number }, onSaved: () => void): MaskEditor {
  const canvas = h('canvas', { class: 'editor', 'data-testid': 'mask-editor', width: String(asset.width), height: String(asset.height) });
  const context = canvas.getContext('2d')!;
  const strokes: Stroke[] = [];
  const undone: Stroke[] = [];
  let mode: Mode = 'ADD';
  let segmentationId: string | undefined;
  let drawing: Stroke | undefined;

  const size = h('input', {
    type: 'range',
    min: '1',
    max: String(Math.max(8, Math.round(Math.max(asset.width, asset.height) / 10))),
    step: '1',
    value: String(Math.max(4, Math.round(Math.max(asset.width, asset.height) / 100))),
    id: 'brush-size',
  });
  const tools = (['ADD', 'ERASE', 'SOFT'] as const).map((value) => {
    const button = h('button', { type: 'button', 'data-mode': value }, { ADD: 'Brush (B)', ERASE: 'Eraser (E)', SOFT: 'Soft brush (S)' }[value]);
    button.addEventListener('click', () => select(value));
    return button;
  });
  const undoButton = h('button', { type: 'button' }, 'Undo');
  const redoButton = h('button', { type: 'button' }, 'Redo');
  const saveButton = h('button', { type: 'button', class: 'primary' }, 'Save as new version');
  const versions = h('div', { 'data-testid': 'mask-versions' });

  function select(next: Mode) {
    mode = next;
    for (const button of tools) button.classList.toggle('active', button.dataset.mode === next);
  }
  function redraw() {
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.lineCap = 'round';
    context.lineJoin = 'round';
    for (const stroke of drawing ? [...strokes, drawing] : strokes) {
      context.strokeStyle = PAINT[stroke.mode];
      context.lineWidth = 2 * stroke.radiusPx;
      context.beginPath();
      stroke.points.forEach(([x, y], index) => (index === 0 ? context.moveTo(x, y) : context.lineTo(x, y)));
      if (stroke.points.length === 1) context.lineTo(stroke.points[0]![0] + 0.01, stroke.points[0]![1]);
      context.stroke();
    }
    undoButton.disabled = strokes.length === 0;
    redoButton.disabled = undone.length === 0;
    saveButton.disabled = strokes.length === 0 || !segmentationId;
  }
  /** Canvas pixels are image pixels: the canvas is the photo's size, scaled by CSS. */
  const pointOf = (event: PointerEvent): [number, number] => {
    const box = canvas.getBoundingClientRect();
    return [((event.clientX - box.left) / box.width) * asset.width, ((event.clientY - box.top) / box.height) * asset.height];
  };
  canvas.addEventListener('pointerdown', (event) => {
    if (!segmentationId) return;
    canvas.setPointerCapture(event.pointerId);
    drawing = { mode, radiusPx: Number(size.value), points: [pointOf(event)] };
    redraw();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const [x, y] = pointOf(event);
    const [lastX, lastY] = drawing.points.at(-1)!;
    // A point every couple of image pixels is plenty for a round brush.
    if (Math.hypot(x - lastX, y - lastY) >= 2) drawing.points.push([x, y]);
    redraw();
  });
  const finish = () => {
    if (!drawing) return;
    strokes.push(drawing);
    undone.length = 0;
    drawing = undefined;
    redraw();
  };
  canvas.addEventListener('pointerup', finish);
  canvas.addEventListener('pointercancel', finish);

  const undo = () => {
    if (strokes.length > 0) undone.push(strokes.pop()!);
    redraw();
  };
  const redo = () => {
    if (undone.length > 0) strokes.push(undone.pop()!);
    redraw();
  };
  undoButton.addEventListener('click', undo);
  redoButton.addEventListener('click', redo);
  const onKey = (event: KeyboardEvent) => {
    // The asset view was left: this editor is gone.
    if (!canvas.isConnected) return document.removeEventListener('keydown', onKey);
    if (event.target instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(event.target.tagName)) return;
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && key === 'z') {
      event.preventDefault();
      return event.shiftKey ? redo() : undo();
    }
    if (key === 'b') select('ADD');
    else if (key === 'e') select('ERASE');
    else if (key === 's') select('SOFT');
    else if (key === '[' || key === ']') size.value = String(Number(size.value) + (key === ']' ? 1 : -1) * Math.max(1, Math.round(Number(size.value) / 8)));
  };
  document.addEventListener('keydown', onKey);

  async function act(task: () => Promise<unknown>) {
    try {
      await task();
      clearError();
      onSaved();
      await load(segmentationId);
    } catch (error) {
      showError(error);
    }
  }
  saveButton.addEventListener('click', () =>
    act(async () => {
      await gql('mutation($input: CorrectMaskInput!) { correctMask(input: $input) { version } }', { input: { segmentationId, strokes } });
      strokes.length = 0;
      undone.length = 0;
      redraw();
    }),
  );

  async function load(id: string | undefined) {
    segmentationId = id;
    redraw();
    if (!id) return void versions.replaceChildren(h('p', { class: 'muted' }, 'Segment the photo first.'));
    const { segmentation } = await gql<{ segmentation: { versions: Version[] } }>(
      'query($id: ID!) { segmentation(id: $id) { versions { version source correction { hce pixelsChanged } } } }',
      { id },
    );
    const latest = segmentation.versions.at(-1)?.version;
    versions.replaceChildren(
      h(
        'table',
        {},
        h('tr', {}, ...['version', 'source', 'HCE', 'pixels changed', ''].map((title) => h('th', {}, title))),
        ...segmentation.versions.map((version) => {
          const restore = h('button', { type: 'button', disabled: version.version === latest }, 'Restore');
          restore.addEventListener('click', () =>
            act(() => gql('mutation($id: ID!, $v: Int!) { restoreMaskVersion(segmentationId: $id, version: $v) { version } }', { id, v: version.version })),
          );
          const truth = h('button', { type: 'button' }, 'Use as ground truth');
          truth.addEventListener('click', () =>
            act(() =>
              gql('mutation($asset: ID!, $id: ID!, $v: Int) { setGroundTruth(assetId: $asset, fromVersion: { segmentationId: $id, version: $v }) { id } }', {
                asset: asset.id,
                id,
                v: version.version,
              }),
            ),
          );
          return h(
            'tr',
            { 'data-version': String(version.version) },
            h('td', {}, String(version.version)),
            h('td', {}, version.source.toLowerCase()),
            h('td', {}, version.correction ? String(version.correction.hce) : '—'),
            h('td', {}, version.correction ? String(version.correction.pixelsChanged) : '—'),
            h('td', {}, restore, ' ', truth),
          );
        }),
      ),
    );
  }

  select('ADD');
  const panel = h(
    'section',
    { class: 'panel' },
    h('h2', {}, 'Correct the mask'),
    h('div', { class: 'row' }, ...tools),
    h('div', { class: 'row' }, h('label', { for: 'brush-size' }, 'Brush size (px)'), size),
    h('div', { class: 'row' }, undoButton, redoButton, saveButton),
    versions,
  );
  return { canvas, panel, load };
}

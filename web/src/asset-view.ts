/**
 * One asset: segment it with a chosen model and watch the job live, judge the mask over the
 * photo (opacity and before/after split), preview and download effects, see quality scores.
 */
import { gql, gqlUpload, subscribe } from './api.js';
import { clearError, h, showError } from './dom.js';
import { maskEditor } from './mask-editor.js';
import { zoomPan } from './zoom-pan.js';

interface Segmentation {
  id: string;
  model: string;
  status: string;
  progress: number;
  refined: boolean;
  errorMessage: string | null;
  mask: { url: string; foregroundRatio: number; subjectFound: boolean } | null;
}
interface Model {
  id: string;
  displayName: string;
  available: boolean;
  unavailableReason: string | null;
  isDefault: boolean;
}

const SEGMENTATION = 'id model status progress refined errorMessage mask { url foregroundRatio subjectFound }';
type ControlValues = Record<string, number | string>;
/**
 * Each effect's `EffectInput` member and the controls that fill it; `params` builds the
 * member's object where it is not the controls' values as they are, and `defaults` gives a
 * control this kind's documented default where it differs from the control's own.
 */
const EFFECTS: {
  kind: string;
  member: string;
  label: string;
  controls: string[];
  params?: (values: ControlValues) => Record<string, unknown>;
  defaults?: Record<string, string>;
}[] = [
  { kind: 'BACKGROUND_BLUR', member: 'backgroundBlur', label: 'Background blur', controls: ['strength', 'featherPx'] },
  { kind: 'DEPTH_OF_FIELD', member: 'depthOfField', label: 'Depth of field', controls: ['strength', 'falloffPx', 'lens', 'highlights'] },
  { kind: 'CUTOUT', member: 'cutout', label: 'Cutout', controls: ['featherPx'] },
  {
    kind: 'BACKGROUND_REPLACE',
    member: 'backgroundReplace',
    label: 'Replace background',
    controls: ['color', 'color2', 'shadowOpacity'],
    params: ({ color, color2, shadowOpacity }) => ({ color, gradient: { to: color2 }, shadow: Number(shadowOpacity) > 0 ? { opacity: shadowOpacity } : null }),
    defaults: { color: '#ffffff' }, // the API's white background until a colour is picked
  },
  { kind: 'COLOR_SPLASH', member: 'colorSplash', label: 'Colour splash', controls: ['featherPx'] },
  { kind: 'OUTLINE', member: 'outline', label: 'Outline', controls: ['widthPx', 'color'], defaults: { color: '#ffffff' } },
  { kind: 'MASK_OVERLAY', member: 'maskOverlay', label: 'Mask overlay', controls: ['color', 'opacity'], defaults: { color: '#ff2d55' } },
  { kind: 'MASK', member: 'mask', label: 'Mask', controls: ['threshold'] },
  { kind: 'HCE_POINTS', member: 'hcePoints', label: 'HCE points (needs ground truth)', controls: [] },
];
const CONTROLS: Record<
  string,
  { label: string; type: 'range' | 'color' | 'select'; min?: number; max?: number; step?: number; options?: string[]; value: string }
> = {
  strength: { label: 'Strength', type: 'range', min: 0, max: 1, step: 0.05, value: '0.5' },
  featherPx: { label: 'Feather (px)', type: 'range', min: 0, max: 30, step: 1, value: '0' },
  falloffPx: { label: 'Falloff (px)', type: 'range', min: 20, max: 1000, step: 10, value: '200' },
  lens: { label: 'Lens', type: 'select', options: ['DISC', 'GAUSSIAN'], value: 'DISC' },
  highlights: { label: 'Highlights', type: 'range', min: 0, max: 1, step: 0.05, value: '0.5' },
  widthPx: { label: 'Width (px)', type: 'range', min: 1, max: 60, step: 1, value: '12' },
  opacity: { label: 'Opacity', type: 'range', min: 0, max: 1, step: 0.05, value: '0.45' },
  shadowOpacity: { label: 'Shadow', type: 'range', min: 0, max: 1, step: 0.05, value: '0' },
  threshold: { label: 'Threshold', type: 'range', min: 1, max: 255, step: 1, value: '128' },
  color: { label: 'Colour', type: 'color', value: '#1e90ff' },
  color2: { label: 'Gradient to', type: 'color', value: '#ffffff' },
};

/** What a host view (the review queue) can ask of an asset view it shows. */
export interface AssetViewHandle {
  /** The segmentation on the stage, if any. */
  currentSegmentationId(): string | undefined;
}

/** `header` goes above the stage (the review queue's bar); `onCorrected` runs after each saved version. */
export async function renderAssetView(
  view: HTMLElement,
  assetId: string,
  host: { header?: HTMLElement; onCorrected?: () => void } = {},
): Promise<AssetViewHandle | undefined> {
  view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  let data: {
    asset: { id: string; name: string; url: string; width: number; height: number; groundTruth: { url: string } | null; segmentations: Segmentation[] };
    models: Model[];
  };
  try {
    data = await gql(
      `query($id: ID!) { asset(id: $id) { id name url width height groundTruth { url } segmentations { ${SEGMENTATION} } }
        models { id displayName available unavailableReason isDefault } }`,
      { id: assetId },
    );
  } catch (error) {
    view.replaceChildren(h('p', {}, h('a', { href: '#/' }, '← Library')));
    showError(error);
    return undefined;
  }
  const { asset, models } = data;
  let current: Segmentation | undefined = asset.segmentations.find((segmentation) => segmentation.status === 'SUCCEEDED');

  // Stage: the photo with the mask tinted over it, and the mask editor's canvas over both.
  const overlay = h('div', { class: 'overlay', 'data-testid': 'mask-overlay', hidden: true });
  const editor = maskEditor(asset, () => {
    void reloadCurrent();
    host.onCorrected?.();
  });
  const hceLayer = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  hceLayer.setAttribute('viewBox', `0 0 ${asset.width} ${asset.height}`);
  hceLayer.setAttribute('class', 'hce-points');
  hceLayer.setAttribute('data-testid', 'hce-points');
  const content = h('div', { class: 'stage-content' }, h('img', { src: asset.url, alt: asset.name }), overlay, hceLayer, editor.canvas);
  const stage = h('div', { class: 'stage', 'data-testid': 'stage' }, content);
  const zoom = zoomPan(stage, content);
  const opacity = h('input', { type: 'range', min: '0', max: '1', step: '0.05', value: '0.5', id: 'overlay-opacity' });
  const split = h('input', { type: 'range', min: '0', max: '100', step: '1', value: '0', id: 'overlay-split' });
  const updateOverlay = () => {
    overlay.style.opacity = opacity.value;
    overlay.style.clipPath = `inset(0 0 0 ${split.value}%)`;
  };
  opacity.addEventListener('input', updateOverlay);
  split.addEventListener('input', updateOverlay);
  /** A run's mask on the stage, in the previews and (unless it is a draft, which is never corrected) in the editor. */
  const showMask = (segmentation: Segmentation | undefined, draft = false) => {
    current = segmentation;
    if (!segmentation?.mask) return;
    overlay.style.setProperty('-webkit-mask-image', `url("${segmentation.mask.url}")`);
    overlay.style.setProperty('mask-image', `url("${segmentation.mask.url}")`);
    overlay.hidden = false;
    updateOverlay();
    void refreshPreview();
    if (!draft) void editor.load(segmentation.id).catch(showError);
  };
  /** After a correction: the latest mask version on the stage, in the effects and the quality panel. */
  async function reloadCurrent(): Promise<void> {
    if (!current) return;
    const { segmentation } = await gql<{ segmentation: Segmentation }>(`query($id: ID!) { segmentation(id: $id) { ${SEGMENTATION} } }`, { id: current.id });
    showMask(segmentation);
    void refreshQuality();
  }

  // Segmentation panel.
  const modelSelect = h('select', { id: 'model' });
  for (const model of models) {
    const option = h(
      'option',
      { value: model.id, disabled: !model.available, title: model.unavailableReason ?? '' },
      `${model.displayName}${model.available ? '' : ' (unavailable)'}`,
    );
    if (model.isDefault) option.selected = true;
    modelSelect.append(option);
  }
  const progress = h('progress', { max: '1', value: '0', id: 'segment-progress' });
  const status = h('span', { class: 'muted', 'data-testid': 'segment-status' }, current ? `${current.model}: ${current.status}` : 'not segmented yet');
  const segmentButton = h('button', { type: 'button', class: 'primary' }, 'Segment');
  const refine = h('input', { type: 'checkbox', id: 'refine-edges', title: "Refine the mask's edges at the photo's full resolution after the model" });
  segmentButton.addEventListener('click', async () => {
    segmentButton.disabled = true;
    try {
      // With a draft: a quick U²-Net-p mask comes with the answer and stands in (stage and
      // previews) until the asked model's own arrives.
      const { segmentAsset } = await gql<{ segmentAsset: Segmentation & { draft: Segmentation | null } }>(
        `mutation($id: ID!, $model: String, $refine: Boolean) { segmentAsset(input: { assetId: $id, model: $model, refine: $refine, draft: true }) { ${SEGMENTATION} draft { ${SEGMENTATION} } } }`,
        { id: asset.id, model: modelSelect.value, refine: refine.checked },
      );
      const draft = segmentAsset.draft?.status === 'SUCCEEDED' ? segmentAsset.draft : undefined;
      let latest: Segmentation = segmentAsset;
      const show = (segmentation: Segmentation) => {
        latest = segmentation;
        progress.value = segmentation.progress;
        const standIn = draft && segmentation.status !== 'SUCCEEDED' ? ` (showing a ${draft.model} draft meanwhile)` : '';
        status.textContent = `${segmentation.model}${segmentation.refined ? ' (refined edges)' : ''}: ${segmentation.status}${segmentation.errorMessage ? ` — ${segmentation.errorMessage}` : ''}${standIn}`;
      };
      if (draft && segmentAsset.status !== 'SUCCEEDED') showMask(draft, true);
      show(segmentAsset);
      if (segmentAsset.status !== 'SUCCEEDED' && segmentAsset.status !== 'FAILED') {
        await subscribe<{ segmentationUpdated: Segmentation }>(
          `subscription($id: ID!) { segmentationUpdated(id: $id) { ${SEGMENTATION} } }`,
          { id: segmentAsset.id },
          (event) => show(event.segmentationUpdated),
        );
      }
      if (latest.status === 'SUCCEEDED') showMask(latest);
      await refreshQuality();
      clearError();
    } catch (error) {
      showError(error);
    } finally {
      segmentButton.disabled = false;
    }
  });

  // Effects panel.
  const kind = h('select', { id: 'effect-kind' });
  for (const effect of EFFECTS) kind.append(h('option', { value: effect.kind }, effect.label));
  const controls = h('div', {});
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  // Hidden until a preview exists: an <img> without a source shows as a broken image.
  const previewImage = h('img', { alt: 'Effect preview', 'data-testid': 'effect-preview', hidden: true });
  const format = h('select', { id: 'download-format' }, ...['PNG', 'WEBP', 'AVIF', 'JPEG'].map((value) => h('option', { value }, value)));
  const downloadButton = h('button', { type: 'button' }, 'Download full size');

  /** The `effect` field's variables: the kind's member of `EffectInput`, and `output`. */
  function effectVariables(output: Record<string, unknown>) {
    const spec = EFFECTS.find((effect) => effect.kind === kind.value)!;
    const values: ControlValues = {};
    for (const name of spec.controls) values[name] = CONTROLS[name]!.type === 'range' ? Number(inputs.get(name)!.value) : inputs.get(name)!.value;
    return { input: { [spec.member]: spec.params ? spec.params(values) : values }, output };
  }
  function renderControls() {
    const spec = EFFECTS.find((effect) => effect.kind === kind.value)!;
    inputs.clear();
    controls.replaceChildren(
      ...spec.controls.map((name) => {
        const control = CONTROLS[name]!;
        const input =
          control.type === 'select'
            ? h('select', { id: `control-${name}` }, ...control.options!.map((option) => h('option', { value: option }, option)))
            : h('input', {
                type: control.type,
                id: `control-${name}`,
                value: spec.defaults?.[name] ?? control.value,
                ...(control.type === 'range' ? { min: String(control.min), max: String(control.max), step: String(control.step) } : {}),
              });
        input.addEventListener('input', () => void refreshPreview());
        inputs.set(name, input);
        return h('div', { class: 'row' }, h('label', { for: `control-${name}` }, control.label), input);
      }),
    );
    const transparent = spec.kind === 'CUTOUT' || spec.kind === 'OUTLINE';
    format.value = transparent ? 'PNG' : 'JPEG';
    (format.querySelector('option[value="JPEG"]') as HTMLOptionElement).disabled = transparent;
  }
  // Previews follow a slider while it moves: one preview in flight at a time, and when it
  // lands the latest values are asked next (values passed over meanwhile are skipped), so a
  // drag updates as fast as the gateway renders from its proxies, never queueing stale frames.
  let previewRunning = false;
  let previewAgain = false;
  async function refreshPreview(): Promise<void> {
    if (previewRunning) {
      previewAgain = true;
      return;
    }
    previewRunning = true;
    try {
      do {
        previewAgain = false;
        await showPreview();
      } while (previewAgain);
    } finally {
      previewRunning = false;
    }
  }
  async function showPreview(): Promise<void> {
    if (!current) return;
    try {
      const transparent = kind.value === 'CUTOUT' || kind.value === 'OUTLINE';
      const variables = { id: current.id, ...effectVariables({ maxWidth: 512, format: transparent ? 'PNG' : 'WEBP' }) };
      const result = await gql<{ segmentation: { effect: { url: string } } }>(
        'query($id: ID!, $input: EffectInput!, $output: OutputInput) { segmentation(id: $id) { effect(input: $input, output: $output) { url } } }',
        variables,
      );
      // Decoded off screen first, so the old preview stays until the new one can replace it at once.
      const next = new Image();
      next.src = result.segmentation.effect.url;
      await next.decode();
      previewImage.src = next.src;
      previewImage.hidden = false;
      previewImage.dataset.variables = JSON.stringify(variables);
      clearError();
    } catch (error) {
      showError(error);
    }
  }
  kind.addEventListener('change', () => {
    renderControls();
    void refreshPreview();
  });
  downloadButton.addEventListener('click', async () => {
    if (!current) return showError(new Error('Segment the photo first'));
    try {
      const result = await gql<{ segmentation: { effect: { url: string; format: string } } }>(
        'query($id: ID!, $input: EffectInput!, $output: OutputInput) { segmentation(id: $id) { effect(input: $input, output: $output) { url format } } }',
        { id: current.id, ...effectVariables({ format: format.value }) },
      );
      // Through a blob: URL, so the file is named after the photo (a server's
      // Content-Disposition would otherwise name it after the rendition's id).
      const response = await fetch(result.segmentation.effect.url);
      if (!response.ok) throw new Error(`The download failed (HTTP ${response.status})`);
      const objectUrl = URL.createObjectURL(await response.blob());
      const extension = format.value === 'JPEG' ? 'jpg' : format.value.toLowerCase();
      const link = h('a', { href: objectUrl, download: `${asset.name.replace(/\.[^.]+$/, '')}-${kind.value.toLowerCase().replace(/_/g, '-')}.${extension}` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
    } catch (error) {
      showError(error);
    }
  });

  // HCE's correction points over the photo: where the clicks to fix the mask would go.
  const showHcePoints = h('input', { type: 'checkbox', id: 'show-hce-points' });
  async function drawHcePoints(): Promise<void> {
    hceLayer.replaceChildren();
    if (!showHcePoints.checked || !current) return;
    try {
      const { segmentation } = await gql<{ segmentation: { quality: { hcePoints: Record<string, [number, number][]> } | null } }>(
        'query($id: ID!) { segmentation(id: $id) { quality { hcePoints { falsePositive falsePositiveRegions falseNegative falseNegativeRegions } } } }',
        { id: current.id },
      );
      if (!segmentation.quality) return showError(new Error('HCE points need a ground truth for this asset'));
      const radius = Math.max(3, Math.max(asset.width, asset.height) / 150);
      for (const [kind, colour, scale] of [
        ['falsePositive', '#ff3b30', 1],
        ['falseNegative', '#0a84ff', 1],
        ['falsePositiveRegions', '#ff3b30', 2.5],
        ['falseNegativeRegions', '#0a84ff', 2.5],
      ] as const) {
        for (const [x, y] of segmentation.quality.hcePoints[kind]!) {
          const dot = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
          Object.entries({
            cx: x + 0.5,
            cy: y + 0.5,
            r: radius * scale,
            fill: scale === 1 ? colour : 'none',
            stroke: colour,
            'stroke-width': radius / 2,
            'data-kind': kind,
          }).forEach(([name, value]) => dot.setAttribute(name, String(value)));
          hceLayer.append(dot);
        }
      }
    } catch (error) {
      showError(error);
    }
  }
  showHcePoints.addEventListener('change', () => void drawHcePoints());

  // Quality panel.
  const quality = h('div', { 'data-testid': 'quality' });
  const truthPicker = h('input', { type: 'file', accept: 'image/png', id: 'ground-truth' });
  truthPicker.addEventListener('change', async () => {
    const file = truthPicker.files?.[0];
    if (!file) return;
    try {
      await gqlUpload('mutation($id: ID!, $m: Upload!) { setGroundTruth(assetId: $id, mask: $m) { id } }', { id: asset.id }, 'm', file, () => {});
      asset.groundTruth = { url: '' };
      await refreshQuality();
      clearError();
    } catch (error) {
      showError(error);
    }
  });
  async function refreshQuality(): Promise<void> {
    void drawHcePoints();
    try {
      const { asset: fresh } = await gql<{
        asset: {
          segmentations: {
            model: string;
            status: string;
            quality: Record<string, number | null> | null;
            qualityEstimate: Record<string, number | string | null> | null;
          }[];
        };
      }>(
        `query($id: ID!) { asset(id: $id) { segmentations { model status quality { hce mae sm wfm maxF meanE iou }
          qualityEstimate { uncertainFraction fragments holes estimatedHce comparedWithModel } } } }`,
        { id: asset.id },
      );
      const done = fresh.segmentations.filter((segmentation) => segmentation.status === 'SUCCEEDED');
      const withTruth = done.filter((segmentation) => segmentation.quality);
      const format = (value: number | string | null | undefined) =>
        typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(3)) : (value ?? '—');
      quality.replaceChildren(
        withTruth.length > 0
          ? h(
              'table',
              {},
              h('tr', {}, ...['model', 'HCE', 'MAE', 'S', 'wF', 'maxF', 'E', 'IoU'].map((title) => h('th', {}, title))),
              ...withTruth.map((segmentation) =>
                h(
                  'tr',
                  {},
                  h('td', {}, segmentation.model),
                  ...['hce', 'mae', 'sm', 'wfm', 'maxF', 'meanE', 'iou'].map((key) => h('td', {}, format(segmentation.quality![key]))),
                ),
              ),
            )
          : h('p', { class: 'muted' }, done.length === 0 ? 'No mask yet.' : 'Upload a ground-truth mask to score the masks (HCE and the DIS metrics).'),
        ...(done.length > 0 && withTruth.length === 0
          ? [
              h(
                'table',
                {},
                h('tr', {}, ...['model', 'uncertain', 'fragments', 'holes', 'est. HCE'].map((title) => h('th', {}, title))),
                ...done.map((segmentation) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, segmentation.model),
                    ...['uncertainFraction', 'fragments', 'holes', 'estimatedHce'].map((key) => h('td', {}, format(segmentation.qualityEstimate?.[key]))),
                  ),
                ),
              ),
            ]
          : []),
      );
    } catch (error) {
      showError(error);
    }
  }

  view.replaceChildren(
    h('p', {}, h('a', { href: '#/' }, '← Library'), ` ${asset.name} · ${asset.width}×${asset.height}`),
    host.header ?? '',
    h(
      'div',
      { class: 'asset' },
      h(
        'div',
        {},
        stage,
        zoom.controls,
        h('div', { class: 'row' }, h('label', { for: 'overlay-opacity' }, 'Mask opacity'), opacity),
        h('div', { class: 'row' }, h('label', { for: 'overlay-split' }, 'Before / after'), split),
      ),
      h(
        'div',
        {},
        h(
          'section',
          { class: 'panel' },
          h('h2', {}, 'Segment'),
          h('div', { class: 'row' }, h('label', { for: 'model' }, 'Model'), modelSelect),
          h('div', { class: 'row' }, h('label', { for: 'refine-edges' }, 'Refine edges'), refine),
          h('div', { class: 'row' }, segmentButton, progress),
          status,
        ),
        editor.panel,
        h(
          'section',
          { class: 'panel' },
          h('h2', {}, 'Effects'),
          h('div', { class: 'row' }, h('label', { for: 'effect-kind' }, 'Effect'), kind),
          controls,
          h('div', { class: 'preview' }, previewImage),
          h('div', { class: 'row' }, h('label', { for: 'download-format' }, 'Format'), format, downloadButton),
        ),
        h(
          'section',
          { class: 'panel' },
          h('h2', {}, 'Quality'),
          h('div', { class: 'row' }, h('label', { for: 'ground-truth' }, 'Ground truth'), truthPicker),
          quality,
          h(
            'div',
            { class: 'row' },
            h('label', { for: 'show-hce-points' }, 'HCE points'),
            showHcePoints,
            h('span', { class: 'muted' }, 'red: false positive, blue: false negative; rings: whole regions'),
          ),
        ),
      ),
    ),
  );
  renderControls();
  if (!current) void editor.load(undefined);
  showMask(current);
  void refreshQuality();
  return { currentSegmentationId: () => current?.id };
}

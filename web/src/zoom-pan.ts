/**
 * Zoom and pan for the stage: the wheel zooms about the pointer, dragging with Space held
 * (or the middle button) pans, + and − zoom, 0 fits. Everything on the stage moves together
 * in one CSS transform, so the editor's canvas still maps the pointer to image pixels
 * through its on-screen box.
 */
import { h } from './dom.js';

const MIN_SCALE = 1;
const MAX_SCALE = 16;

export interface ZoomPan {
  /** The zoom buttons and the current scale. */
  controls: HTMLElement;
}

export function zoomPan(stage: HTMLElement, content: HTMLElement): ZoomPan {
  let scale = 1;
  let x = 0;
  let y = 0;
  let spaceHeld = false;
  let panning: { pointerId: number; startX: number; startY: number; fromX: number; fromY: number } | undefined;
  const label = h('span', { class: 'muted', 'data-testid': 'zoom-level' }, '100 %');

  /** Keeps the content covering the stage: no panning past an edge. */
  function apply() {
    const width = stage.clientWidth;
    const height = stage.clientHeight;
    x = Math.min(0, Math.max(width - width * scale, x));
    y = Math.min(0, Math.max(height - height * scale, y));
    content.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
    label.textContent = `${Math.round(scale * 100)} %`;
  }
  /** Zooms by `factor` keeping the stage point (px, py) where it is. */
  function zoomAt(factor: number, px: number, py: number) {
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale * factor));
    x = px - ((px - x) * next) / scale;
    y = py - ((py - y) * next) / scale;
    scale = next;
    apply();
  }
  const zoomCentre = (factor: number) => zoomAt(factor, stage.clientWidth / 2, stage.clientHeight / 2);
  const fit = () => {
    scale = 1;
    x = 0;
    y = 0;
    apply();
  };

  stage.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const box = stage.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY / 300), event.clientX - box.left, event.clientY - box.top);
    },
    { passive: false },
  );
  // Capture phase: a pan gesture never reaches the editor's brush.
  stage.addEventListener(
    'pointerdown',
    (event) => {
      if (!(spaceHeld || event.button === 1)) return;
      event.preventDefault();
      event.stopPropagation();
      stage.setPointerCapture(event.pointerId);
      panning = { pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, fromX: x, fromY: y };
    },
    { capture: true },
  );
  stage.addEventListener(
    'pointermove',
    (event) => {
      if (panning?.pointerId !== event.pointerId) return;
      event.stopPropagation();
      x = panning.fromX + event.clientX - panning.startX;
      y = panning.fromY + event.clientY - panning.startY;
      apply();
    },
    { capture: true },
  );
  const endPan = (event: PointerEvent) => {
    if (panning?.pointerId !== event.pointerId) return;
    event.stopPropagation();
    panning = undefined;
  };
  stage.addEventListener('pointerup', endPan, { capture: true });
  stage.addEventListener('pointercancel', endPan, { capture: true });

  // Keys meant for a focused control are not the stage's: any key in a text field or select,
  // and Space on a focused button or link (it presses it) unless the pointer is over the
  // stage, where Space pans as in image editors; + − 0 zoom whatever has the focus.
  let pointerOverStage = false;
  stage.addEventListener('pointerenter', () => (pointerOverStage = true));
  stage.addEventListener('pointerleave', () => (pointerOverStage = false));
  const typing = (event: KeyboardEvent) =>
    event.target instanceof HTMLElement &&
    (['INPUT', 'SELECT', 'TEXTAREA'].includes(event.target.tagName) ||
      (event.key === ' ' && !pointerOverStage && ['BUTTON', 'A'].includes(event.target.tagName)));
  const onKeyDown = (event: KeyboardEvent) => {
    if (!stage.isConnected) return document.removeEventListener('keydown', onKeyDown);
    if (typing(event) || event.ctrlKey || event.metaKey) return;
    if (event.key === ' ') {
      event.preventDefault(); // no page scroll while panning
      spaceHeld = true;
      stage.classList.add('panning');
    } else if (event.key === '+' || event.key === '=') zoomCentre(1.5);
    else if (event.key === '-') zoomCentre(1 / 1.5);
    else if (event.key === '0') fit();
  };
  const onKeyUp = (event: KeyboardEvent) => {
    if (!stage.isConnected) return document.removeEventListener('keyup', onKeyUp);
    if (event.key !== ' ' || !spaceHeld) return;
    event.preventDefault(); // the Space was the pan's: a focused button is not pressed by it
    spaceHeld = false;
    stage.classList.remove('panning');
  };
  document.addEventListener('keydown', onKeyDown);
  document.addEventListener('keyup', onKeyUp);

  const button = (text: string, title: string, action: () => void) => h('button', { type: 'button', title, onclick: action }, text);
  return {
    controls: h(
      'div',
      { class: 'row' },
      h('label', {}, 'Zoom'),
      button('−', 'Zoom out (−)', () => zoomCentre(1 / 1.5)),
      button('+', 'Zoom in (+)', () => zoomCentre(1.5)),
      button('Fit', 'Whole photo (0)', fit),
      label,
      h('span', { class: 'muted' }, 'wheel to zoom, Space + drag to pan'),
    ),
  };
}

/**
 * Background threads (inference, renders) run at a lower CPU priority than the event loop,
 * so HTTP answers stay quick while they compute. On Linux a nice value belongs to a thread,
 * and threads it starts (onnxruntime's and libvips' pools) inherit it; elsewhere
 * setpriority(0) would renice the whole process, so this does nothing there.
 */
import { setPriority } from 'node:os';

export const BACKGROUND_NICE = 10;

export function lowerThisThreadsPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(BACKGROUND_NICE);
  } catch {
    // Not permitted (a container without the capability): run at normal priority.
  }
}

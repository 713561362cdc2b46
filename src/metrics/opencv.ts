/**
 * OpenCV compiled to WebAssembly (@techstark/opencv-js, pinned to 4.12: its findContours
 * and approxPolyDP reproduce the DIS reference's OpenCV 4.6 exactly; 5.0 changed
 * approxPolyDP). Loaded once, on first use (~0.2 s).
 */
import { createRequire } from 'node:module';

/** The slice of the OpenCV API HCE uses. */
export interface OpenCvMat {
  rows: number;
  data32S: Int32Array;
  delete(): void;
}
export interface OpenCv {
  CV_8UC1: number;
  CV_32SC2: number;
  RETR_TREE: number;
  CHAIN_APPROX_NONE: number;
  Mat: new () => OpenCvMat;
  MatVector: new () => { size(): number; get(index: number): OpenCvMat; delete(): void };
  matFromArray(rows: number, cols: number, type: number, data: ArrayLike<number>): OpenCvMat;
  findContours(image: OpenCvMat, contours: InstanceType<OpenCv['MatVector']>, hierarchy: OpenCvMat, mode: number, method: number): void;
  approxPolyDP(curve: OpenCvMat, approx: OpenCvMat, epsilon: number, closed: boolean): void;
}

let loading: Promise<{ cv: OpenCv }> | undefined;

/**
 * Resolves to `{ cv }`: the module object is a thenable whose `then` never settles, so it
 * must not be returned from an async function or awaited directly.
 */
export function loadOpenCv(): Promise<{ cv: OpenCv }> {
  loading ??= new Promise((resolve) => {
    const module = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv & { onRuntimeInitialized?: () => void };
    if ('Mat' in module && typeof module.Mat === 'function') resolve({ cv: module });
    else module.onRuntimeInitialized = () => resolve({ cv: module });
  });
  return loading;
}

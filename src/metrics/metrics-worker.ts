/** Worker-thread side of MetricsWorker: scores one mask pair per message. */
import { parentPort } from 'node:worker_threads';
import { scoreMaskPair } from './score-files.js';

export interface ScoreRequest {
  id: number;
  gt: Uint8Array;
  pred: Uint8Array;
  width: number;
  height: number;
}

parentPort!.on('message', (request: ScoreRequest) => {
  scoreMaskPair(request.gt, request.pred, request.width, request.height).then(
    ({ score }) => parentPort!.postMessage({ id: request.id, score }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});

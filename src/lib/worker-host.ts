/**
 * The parent's end, for code that runs either on a worker thread or in a child process
 * (ThreadClient's `process` isolation): the data it was started with, and messages both ways.
 */
import { parentPort, workerData } from 'node:worker_threads';

/** What a child process was started with (ThreadClient passes it in this variable). */
export const CHILD_DATA_VARIABLE = 'MASKGRAPH_CHILD_DATA';

export interface WorkerHost {
  data: unknown;
  onMessage<T>(listener: (message: T) => void): void;
  post(message: unknown, transfer?: ArrayBuffer[]): void;
}

function childProcessHost(): WorkerHost {
  // The parent decides when this process ends (it kills it); a terminal's Ctrl-C reaches the
  // whole process group, so the child leaves signals to its parent and ends with its channel.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  process.on('disconnect', () => process.exit(0));
  return {
    data: JSON.parse(process.env[CHILD_DATA_VARIABLE] ?? 'null'),
    onMessage: <T>(listener: (message: T) => void) => void process.on('message', (message) => listener(message as T)),
    // A reply to a parent that has gone (it killed this process or exited) is dropped: the 'disconnect' ends this process.
    post: (message) => void process.send!(message, undefined, {}, () => {}),
  };
}

export const host: WorkerHost = parentPort
  ? {
      data: workerData,
      onMessage: <T>(listener: (message: T) => void) => void parentPort!.on('message', (message: T) => listener(message)),
      post: (message, transfer) => parentPort!.postMessage(message, transfer ?? []),
    }
  : childProcessHost();

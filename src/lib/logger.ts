/**
 * Structured logs through pino: one JSON line per event on stderr (stdout carries command
 * output, such as the first-run sign-in link). The Logger interface keeps call sites
 * independent of pino: `logger.info(message, fields)`. The text is under `msg`.
 */
import { pino, stdSerializers } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * `destination`: where lines go (a file descriptor or a writable stream; stderr by default).
 * Errors under `error` are serialised with stack and cause chain; circular causes are cut.
 */
export function createLogger(level: LogLevel, destination: pino.DestinationStream = pino.destination({ fd: 2, sync: true })): Logger {
  const log = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg', // pino's own key: pino-pretty and log shippers read it without settings
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: stdSerializers.err, cause: stdSerializers.err },
    },
    destination,
  );
  const at =
    (method: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      log[method](fields, message);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Node prints process warnings (deprecations, the AWS SDK's support notice) as multi-line
 * text on stderr, in the middle of the JSON log: send them through the logger instead.
 */
export function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning'); // Node's own printer
  process.on('warning', (warning) => logger.warn('process warning', { name: warning.name, warning: warning.message }));
}

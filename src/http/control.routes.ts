/**
 * The embedded gateway's control route, for `maskgraph keys …`, `fsck` and `queue …` while it runs (its PGlite
 * database admits no second process). Only for callers that can read the data directory:
 * the token lives in `<DATA_DIR>/control.json` (mode 0600), written at start and removed
 * at stop, and requests must come from loopback.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { KeyAdmin } from '../auth/key-admin.js';
import type { FsckOptions, FsckReport } from '../consistency/fsck.js';
import { isAppError } from '../errors.js';
import type { QueueCommand, QueueStatus } from '../jobs/queue-control.js';
import { isLoopbackAddress } from '../lib/loopback.js';
import { sendError } from './send-error.js';

export const CONTROL_FILE = 'control.json';

const commandSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('create'), name: z.string().min(1).max(200), ownerId: z.uuid().optional() }),
  z.object({ action: z.literal('list') }),
  z.object({ action: z.literal('revoke'), id: z.uuid() }),
]);

export type ControlCommand = z.infer<typeof commandSchema>;

const fsckSchema = z.object({ repair: z.boolean(), orphanGraceMs: z.number().int().nonnegative() });
export type FsckCommand = z.infer<typeof fsckSchema>;

const queueSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('status') }),
  z.object({ action: z.literal('pause'), by: z.string().max(200).nullable() }),
  z.object({ action: z.literal('resume') }),
]) satisfies z.ZodType<QueueCommand>;

export function newControlToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tells the CLI where this gateway listens and how to prove it may ask. */
export async function writeControlFile(dataDir: string, url: string, token: string): Promise<() => Promise<void>> {
  const path = join(dataDir, CONTROL_FILE);
  await writeFile(path, JSON.stringify({ url, token, pid: process.pid }), { mode: 0o600 });
  return () => rm(path, { force: true });
}

export interface ControlTargets {
  keys: KeyAdmin;
  fsck: (options: FsckOptions) => Promise<FsckReport>;
  queues: { run(command: QueueCommand): Promise<QueueStatus[]> };
}

export function controlRoutes({ keys: admin, fsck, queues }: ControlTargets, token: string): express.Router {
  const router = express.Router();
  const expected = Buffer.from(`Control ${token}`);
  // The caller is checked before its body is read.
  const authorise = (request: Request, response: Response, next: NextFunction) => {
    const given = Buffer.from(request.headers.authorization ?? '');
    if (isLoopbackAddress(request.socket.remoteAddress) && given.length === expected.length && timingSafeEqual(given, expected)) return next();
    sendError(response, 'FORBIDDEN', 'The control route answers only the CLI on this machine, with the token in DATA_DIR/control.json');
  };
  router.post('/keys', authorise, express.json({ limit: '4kb' }), async (request: Request, response: Response) => {
    const parsed = commandSchema.safeParse(request.body);
    if (!parsed.success) return sendError(response, 'BAD_USER_INPUT', parsed.error.issues.map((issue) => issue.message).join('; '));
    try {
      const command = parsed.data;
      if (command.action === 'create') return void response.json(await admin.create(command.name, command.ownerId));
      if (command.action === 'list') return void response.json(await admin.list());
      return void response.json({ revoked: await admin.revoke(command.id) });
    } catch (error) {
      if (isAppError(error)) return sendError(response, error.code, error.message);
      throw error;
    }
  });
  router.post('/fsck', authorise, express.json({ limit: '1kb' }), async (request: Request, response: Response) => {
    const parsed = fsckSchema.safeParse(request.body);
    if (!parsed.success) return sendError(response, 'BAD_USER_INPUT', parsed.error.issues.map((issue) => issue.message).join('; '));
    response.json(await fsck(parsed.data));
  });
  router.post('/queue', authorise, express.json({ limit: '1kb' }), async (request: Request, response: Response) => {
    const parsed = queueSchema.safeParse(request.body);
    if (!parsed.success) return sendError(response, 'BAD_USER_INPUT', parsed.error.issues.map((issue) => issue.message).join('; '));
    response.json(await queues.run(parsed.data));
  });
  return router;
}

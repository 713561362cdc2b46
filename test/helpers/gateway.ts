/** Starts the real gateway (real HTTP on a free port, real database, real blobs) for a test. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyService } from '../../src/auth/api-keys.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createLogger } from '../../src/lib/logger.js';
import { startGateway, type Gateway } from '../../src/main.js';
import { OwnerRepository } from '../../src/storage/repositories/owner.repository.js';
import type { DatabaseTarget } from './database-targets.js';

export const TEST_SIGNING_SECRET = 'test-secret-test-secret-test-secret-0123';

export interface TestGateway extends Gateway {
  config: Config;
  dataDir: string;
  /** A new owner with a fresh API key. */
  newOwner(name: string): Promise<{ ownerId: string; key: string }>;
  /** Stop and start again on the same data directory and database, with `env` changed. */
  restart(env?: Record<string, string>): Promise<TestGateway>;
  /** Close and remove everything this gateway created. */
  dispose(): Promise<void>;
}

export async function startTestGateway(target: DatabaseTarget, env: Record<string, string> = {}): Promise<TestGateway> {
  const dataDir = await mkdtemp(join(tmpdir(), 'maskgraph-test-'));
  const database = await target.provision();
  return launch(dataDir, { ...database.env, ...env }, async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });
}

async function launch(dataDir: string, env: Record<string, string>, cleanup: () => Promise<void>): Promise<TestGateway> {
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    URL_SIGNING_SECRET: TEST_SIGNING_SECRET,
    LOG_LEVEL: 'error',
    WARM_UP: 'false',
    ...env,
  });
  const gateway = await startGateway(config, createLogger('error'));
  const owners = new OwnerRepository(gateway.database.prisma);
  const apiKeys = new ApiKeyService(owners);
  return {
    ...gateway,
    config,
    dataDir,
    newOwner: async (name) => {
      const owner = await owners.createOwner(name);
      const { secret } = await apiKeys.createKey(owner.id, `${name}-key`);
      return { ownerId: owner.id, key: secret };
    },
    restart: async (changed = {}) => {
      await gateway.close();
      return launch(dataDir, { ...env, ...changed }, cleanup);
    },
    dispose: async () => {
      await gateway.close();
      await cleanup();
    },
  };
}

/** Every blob file currently stored (hash names), for "nothing half-written" checks. */
export async function listBlobFiles(config: Config): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else found.push(entry.name);
    }
  };
  await walk(config.blobDir);
  return found.sort();
}

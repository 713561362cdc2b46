/**
 * API keys: `mg_` + 32 random bytes (base64url). Keys have 256 bits of entropy, so a
 * plain SHA-256 is a sufficient, constant-time-lookup hash (no password stretching needed).
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';
import type { OwnerRepository } from '../storage/repositories/owner.repository.js';
import type { ApiKeyRecord, OwnerRecord } from '../storage/records.js';

const KEY_PREFIX = 'mg_';
const KEY_PATTERN = /^mg_[A-Za-z0-9_-]{43}$/;
export const SINGLE_USER_OWNER_NAME = 'local';

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface CreatedApiKey {
  /** The secret; shown once, never stored. */
  secret: string;
  record: ApiKeyRecord;
}

/** The owner a first start on loopback creates; rename it with SQL if you care. */
const FIRST_RUN_OWNER_NAME = 'me';

export class ApiKeyService {
  /** lastUsedAt is written at most this often per key, so reads stay reads. */
  private static readonly TOUCH_INTERVAL_MS = 60_000;
  private readonly lastTouched = new Map<string, number>();

  constructor(private readonly owners: OwnerRepository) {}

  async createKey(ownerId: string, name: string): Promise<CreatedApiKey> {
    const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
    const record = await this.owners.createApiKey({
      ownerId,
      name,
      prefix: secret.slice(0, 10),
      secretHash: hashApiKey(secret),
    });
    return { secret, record };
  }

  /**
   * Resolves an `Authorization` header to its owner.
   * @throws AppError UNAUTHENTICATED when the header is missing, malformed, unknown or revoked.
   */
  async authenticate(authorization: string | undefined): Promise<OwnerRecord> {
    if (!authorization) {
      throw new AppError('UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer mg_..."');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match || !KEY_PATTERN.test(match[1]!)) {
      throw new AppError('UNAUTHENTICATED', 'Expected "Authorization: Bearer mg_..." with a maskgraph API key');
    }
    const secretHash = hashApiKey(match[1]!);
    const owner = await this.owners.findOwnerByActiveKey(secretHash);
    if (!owner) throw new AppError('UNAUTHENTICATED', 'The API key is unknown or revoked');
    const now = Date.now();
    if (now - (this.lastTouched.get(secretHash) ?? 0) > ApiKeyService.TOUCH_INTERVAL_MS) {
      this.lastTouched.set(secretHash, now);
      await this.owners.touchApiKey(secretHash, new Date(now));
    }
    return owner;
  }

  /**
   * On a gateway that has never had a key: a first owner and its key, so the person who
   * started it can sign in without a separate step. Undefined once any key exists.
   */
  async firstRunKey(): Promise<CreatedApiKey | undefined> {
    if ((await this.owners.countApiKeys()) > 0) return undefined;
    const owner = (await this.owners.findOwnerByName(FIRST_RUN_OWNER_NAME)) ?? (await this.owners.createOwner(FIRST_RUN_OWNER_NAME));
    return this.createKey(owner.id, 'first-run sign-in link');
  }

  /** The owner that single-user mode acts as, created on first use. */
  async singleUserOwner(): Promise<OwnerRecord> {
    return (await this.owners.findOwnerByName(SINGLE_USER_OWNER_NAME)) ?? (await this.owners.createOwner(SINGLE_USER_OWNER_NAME));
  }
}

/**
 * Key administration (`maskgraph keys …`), one implementation for both ways in: the CLI
 * on the database directly, or a running embedded gateway's control route (the embedded
 * database belongs to that one process, so the CLI asks it).
 */
import type { OwnerRepository } from '../storage/repositories/owner.repository.js';
import { AppError } from '../errors.js';
import type { ApiKeyService } from './api-keys.js';

export interface CreatedKeyReport {
  secret: string;
  keyId: string;
  ownerId: string;
  ownerName: string;
}

export interface KeyListing {
  id: string;
  prefix: string;
  name: string;
  ownerId: string;
  ownerName: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface KeyAdmin {
  create(name: string, ownerId: string | undefined): Promise<CreatedKeyReport>;
  list(): Promise<KeyListing[]>;
  /** False when no active key has this id. */
  revoke(id: string): Promise<boolean>;
}

export class DatabaseKeyAdmin implements KeyAdmin {
  constructor(
    private readonly owners: OwnerRepository,
    private readonly apiKeys: ApiKeyService,
  ) {}

  /** @throws AppError NOT_FOUND for an unknown owner id. */
  async create(name: string, ownerId: string | undefined): Promise<CreatedKeyReport> {
    const owner = ownerId ? await this.owners.findOwner(ownerId) : await this.owners.createOwner(name);
    if (!owner) throw new AppError('NOT_FOUND', `no owner with id ${ownerId}`);
    const { secret, record } = await this.apiKeys.createKey(owner.id, name);
    return { secret, keyId: record.id, ownerId: owner.id, ownerName: owner.name };
  }

  async list(): Promise<KeyListing[]> {
    return (await this.owners.listApiKeys()).map((key) => ({
      id: key.id,
      prefix: key.prefix,
      name: key.name,
      ownerId: key.ownerId,
      ownerName: key.owner.name,
      revokedAt: key.revokedAt?.toISOString() ?? null,
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    }));
  }

  revoke(id: string): Promise<boolean> {
    return this.owners.revokeApiKey(id);
  }
}

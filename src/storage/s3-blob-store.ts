/**
 * Blobs in an S3-compatible bucket (AWS S3, MinIO, R2, Ceph…), under `<prefix><sha256>`.
 * Credentials and region come from the SDK's default chain (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_REGION, profiles, instance roles). Checksums are computed
 * only where the API requires them, which S3-compatible servers accept.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { removeFilesOlderThan, sha256Hex, type BlobInfo, type BlobStore, type ByteRange } from './blob-store.js';
import { AppError, isAppError } from '../errors.js';
import { withStorageRetry } from './storage-retry.js';

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export interface S3BlobStoreOptions {
  bucket: string;
  prefix: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  /** Local staging folder for uploads before they go to the bucket. */
  stagingDir?: string;
}

export interface PresignOptions {
  contentType: string;
  contentDisposition: string;
  cacheControl: string;
  expiresInSeconds: number;
}

/** Hands out time-limited GET URLs of the store itself, so clients fetch bytes without the gateway. */
export interface BlobPresigner {
  presignGet(sha256: string, options: PresignOptions): Promise<string>;
}

export function s3ClientConfig(options: Pick<S3BlobStoreOptions, 'endpoint' | 'forcePathStyle'>): S3ClientConfig {
  return {
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // The SDK waits for ever by default: a store that stops answering on an open connection
    // would hold a file route or a job until the client gives up. Both are idle limits.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000 },
  };
}

const isNotFound = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  ((error as { name?: string }).name === 'NotFound' ||
    (error as { name?: string }).name === 'NoSuchKey' ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404);

/** Any failure but a missing object: the store is down, unreachable or refusing (retry later). */
function unavailable(error: unknown): unknown {
  if (isNotFound(error) || isAppError(error)) return error;
  return new AppError('STORAGE_UNAVAILABLE', 'The blob store could not be reached; try again shortly', { cause: error });
}

export class S3BlobStore implements BlobStore, BlobPresigner {
  private readonly stagingDir: string;

  private constructor(
    private readonly client: S3Client,
    private readonly options: S3BlobStoreOptions,
  ) {
    this.stagingDir = options.stagingDir ?? join(tmpdir(), 'maskgraph-staging');
  }

  static async open(options: S3BlobStoreOptions, client = new S3Client(s3ClientConfig(options))): Promise<S3BlobStore> {
    const store = new S3BlobStore(client, options);
    await mkdir(store.stagingDir, { recursive: true });
    return store;
  }

  /** Checks that the bucket answers, so a wrong bucket or endpoint fails the start, not the first upload. */
  async verifyBucket(): Promise<void> {
    await this.call(() => this.client.send(new HeadBucketCommand({ Bucket: this.options.bucket })));
  }

  private key(sha256: string): string {
    if (!SHA256_PATTERN.test(sha256)) throw new Error(`Not a sha256 hex digest: ${sha256}`);
    return `${this.options.prefix}${sha256}`;
  }

  tempPath(): string {
    return join(this.stagingDir, `${randomUUID()}.part`);
  }

  async put(bytes: Uint8Array): Promise<BlobInfo> {
    const sha256 = sha256Hex(bytes);
    if (!(await this.refreshIfPresent(sha256))) {
      await this.call(() =>
        this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256), Body: bytes, ContentLength: bytes.byteLength })),
      );
    }
    return { sha256, byteSize: bytes.byteLength };
  }

  async putFile(tempFile: string, sha256: string): Promise<void> {
    try {
      if (await this.refreshIfPresent(sha256)) return;
      const { size } = await stat(tempFile);
      await this.call(() =>
        this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256), Body: createReadStream(tempFile), ContentLength: size })),
      );
    } finally {
      await rm(tempFile, { force: true });
    }
  }

  /**
   * An existing blob is copied onto itself, which renews its LastModified: garbage
   * collection's grace period then protects it as it protects a new one.
   */
  private async refreshIfPresent(sha256: string): Promise<boolean> {
    if (!(await this.has(sha256))) return false;
    const key = this.key(sha256);
    await this.call(() =>
      this.client.send(
        new CopyObjectCommand({ Bucket: this.options.bucket, Key: key, CopySource: `${this.options.bucket}/${key}`, MetadataDirective: 'REPLACE' }),
      ),
    );
    return true;
  }

  /** Runs one S3 call; any failure but a missing object becomes STORAGE_UNAVAILABLE. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw unavailable(error);
    }
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.call(() => this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) })));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** A stream that fills once GetObject answers; a missing blob errors the stream. */
  read(sha256: string, range?: ByteRange): Readable {
    const output = new PassThrough();
    const bytes = range ? { Range: `bytes=${range.start}-${range.end}` } : {};
    this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256), ...bytes })).then(
      (response) => {
        const body = response.Body as Readable;
        body.on('error', (error) => output.destroy(unavailable(error) as Error));
        body.pipe(output);
      },
      (error: unknown) => output.destroy(unavailable(error) as Error),
    );
    return output;
  }

  async size(sha256: string): Promise<number> {
    const head = await this.call(() => this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) })));
    return head.ContentLength ?? 0;
  }

  async delete(sha256: string): Promise<void> {
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(sha256) })));
  }

  /**
   * Every blob, a page at a time. A page the store cannot answer is asked again with back-off
   * (withStorageRetry): fsck and the blob GC list the whole store while it is live, and one
   * 500 from it (s3rver under a soak's churn, once) used to end fsck with a finding.
   */
  async *list(): AsyncIterable<{ sha256: string; modifiedMs: number }> {
    let token: string | undefined;
    do {
      const page = await withStorageRetry(() =>
        this.call(() => this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: this.options.prefix, ContinuationToken: token }))),
      );
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(this.options.prefix.length) ?? '';
        if (SHA256_PATTERN.test(name)) yield { sha256: name, modifiedMs: object.LastModified?.getTime() ?? Date.now() };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  removeStaleTempFiles(olderThanMs: number): Promise<number> {
    return removeFilesOlderThan(this.stagingDir, olderThanMs);
  }

  presignGet(sha256: string, options: PresignOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: this.key(sha256),
      ResponseContentType: options.contentType,
      ResponseContentDisposition: options.contentDisposition,
      ResponseCacheControl: options.cacheControl,
    });
    return getSignedUrl(this.client, command, { expiresIn: Math.max(1, Math.round(options.expiresInSeconds)) });
  }

  close(): void {
    this.client.destroy();
  }
}

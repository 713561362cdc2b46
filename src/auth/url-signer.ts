/**
 * Signed file URLs. A browser cannot send an Authorization header from an `<img src>`, so
 * the owner check happens when the URL is issued (only to the owner) and the URL carries an
 * HMAC-SHA256 over its path: with an expiry for files, without one for preset images (their
 * path names immutable content, see src/images). Both compare in constant time and also
 * accept the previous secret (URL_SIGNING_SECRET_PREVIOUS) during a rotation.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** As URL_SIGNING_SECRET requires: 32 characters (the generated key has 64 hex digits). */
const MIN_SECRET_CHARS = 32;

export class UrlSigner {
  private readonly secrets: Buffer[];

  constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number,
    previous?: Buffer,
  ) {
    this.secrets = previous ? [secret, previous] : [secret];
  }

  /**
   * Loads the secret from config, else from `keyFile`, creating it on first start so
   * that URLs stay valid across restarts. The file is written to a temporary name and
   * renamed into place, so a crash never leaves a short key; a key file that is short
   * anyway (edited by hand, truncated disk) stops start-up rather than sign with a
   * guessable key.
   */
  static async fromSecretOrFile(secret: string | undefined, keyFile: string, ttlSeconds: number, previous?: string): Promise<UrlSigner> {
    const previousKey = previous ? Buffer.from(previous) : undefined;
    if (secret) return new UrlSigner(Buffer.from(secret), ttlSeconds, previousKey);
    let stored = await readFile(keyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (stored === undefined) {
      const fresh = randomBytes(32).toString('hex');
      await mkdir(dirname(keyFile), { recursive: true });
      const temporary = `${keyFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(fresh);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // link() fails when another process created the key first; then use theirs.
      await link(temporary, keyFile).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      await unlink(temporary);
      stored = await readFile(keyFile, 'utf8');
    }
    const key = stored.trim();
    if (key.length < MIN_SECRET_CHARS) {
      throw new Error(
        `The URL-signing key in ${keyFile} has ${key.length} characters (at least ${MIN_SECRET_CHARS} are needed): delete the file to create a new one (issued file URLs stop working) or set URL_SIGNING_SECRET`,
      );
    }
    return new UrlSigner(Buffer.from(key), ttlSeconds, previousKey);
  }

  private signature(path: string, expires: number | typeof FOREVER, secret = this.secret): string {
    return createHmac('sha256', secret).update(`${path}\n${expires}`).digest('base64url');
  }

  /** A signature that never expires, for a path whose content never changes (domain-separated from `sign`'s). */
  signForever(path: string): string {
    return this.signature(path, FOREVER);
  }

  /** Whether `sig` is `signForever(path)` under the current or the previous secret. */
  verifyForever(path: string, sig: unknown): boolean {
    return typeof sig === 'string' && this.secrets.some((secret) => equal(this.signature(path, FOREVER, secret), sig));
  }

  /** The expiry `sign` gives now: it changes every TTL/4, and with it every file URL. */
  currentExpiry(nowMs = Date.now()): number {
    const step = Math.max(1, Math.floor(this.ttlSeconds / 4));
    return Math.ceil((nowMs / 1000 + this.ttlSeconds) / step) * step;
  }

  /**
   * `path?exp=…&sig=…`. Expiry is rounded up to the next TTL/4 step, so the same file
   * asked for repeatedly gets the same URL for a while and browsers can cache it.
   */
  sign(path: string, nowMs = Date.now()): string {
    const expires = this.currentExpiry(nowMs);
    return `${path}?exp=${expires}&sig=${this.signature(path, expires)}`;
  }

  /** 'valid', 'expired' or 'invalid' (missing or wrong signature). */
  verify(path: string, exp: unknown, sig: unknown, nowMs = Date.now()): 'valid' | 'expired' | 'invalid' {
    if (typeof exp !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(exp)) return 'invalid';
    if (!this.secrets.some((secret) => equal(this.signature(path, Number(exp), secret), sig))) return 'invalid';
    return Number(exp) * 1000 < nowMs ? 'expired' : 'valid';
  }
}

/** In place of an expiry: no `sign` URL can carry it (expiries are digits). */
const FOREVER = 'never';

function equal(expected: string, given: string): boolean {
  const [a, b] = [Buffer.from(expected), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

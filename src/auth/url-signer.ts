/**
 * Signed, expiring file URLs. A browser cannot send an Authorization header from an
 * `<img src>`, so the owner check happens when the URL is issued (only to the owner)
 * and the URL carries an HMAC over its path and expiry.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export class UrlSigner {
  constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * Loads the secret from config, else from `keyFile`, creating it on first start so
   * that URLs stay valid across restarts.
   */
  static async fromSecretOrFile(secret: string | undefined, keyFile: string, ttlSeconds: number): Promise<UrlSigner> {
    if (secret) return new UrlSigner(Buffer.from(secret), ttlSeconds);
    let stored = await readFile(keyFile, 'utf8').catch(() => undefined);
    if (!stored) {
      stored = randomBytes(32).toString('hex');
      await mkdir(dirname(keyFile), { recursive: true });
      await writeFile(keyFile, stored, { mode: 0o600, flag: 'wx' }).catch(async () => {
        stored = await readFile(keyFile, 'utf8'); // another process created it first
      });
      await chmod(keyFile, 0o600);
    }
    return new UrlSigner(Buffer.from(stored.trim()), ttlSeconds);
  }

  private signature(path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${path}\n${expires}`).digest('base64url');
  }

  /**
   * `path?exp=…&sig=…`. Expiry is rounded up to the next TTL/4 step, so the same file
   * asked for repeatedly gets the same URL for a while and browsers can cache it.
   */
  sign(path: string, nowMs = Date.now()): string {
    const step = Math.max(1, Math.floor(this.ttlSeconds / 4));
    const expires = Math.ceil((nowMs / 1000 + this.ttlSeconds) / step) * step;
    return `${path}?exp=${expires}&sig=${this.signature(path, expires)}`;
  }

  /** 'valid', 'expired' or 'invalid' (missing or wrong signature). */
  verify(path: string, exp: unknown, sig: unknown, nowMs = Date.now()): 'valid' | 'expired' | 'invalid' {
    if (typeof exp !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(exp)) return 'invalid';
    const expected = Buffer.from(this.signature(path, Number(exp)));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return Number(exp) * 1000 < nowMs ? 'expired' : 'valid';
  }
}

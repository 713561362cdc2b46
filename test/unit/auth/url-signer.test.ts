import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UrlSigner } from '../../../src/auth/url-signer.js';

const PATH = '/files/assets/01a213bc-f650-7154-8473-2f1937ab129f/original';

function parts(url: string) {
  const parsed = new URL(url, 'http://x');
  return { path: parsed.pathname, exp: parsed.searchParams.get('exp') ?? undefined, sig: parsed.searchParams.get('sig') ?? undefined };
}

describe('UrlSigner', () => {
  const signer = new UrlSigner(Buffer.from('k'.repeat(32)), 3600);

  test('verifies what it signed until it expires', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    const { path, exp, sig } = parts(signer.sign(PATH, now));
    assert.equal(signer.verify(path, exp, sig, now), 'valid');
    assert.equal(signer.verify(path, exp, sig, now + 3600_000), 'valid', 'expiry is at least the TTL away');
    assert.equal(signer.verify(path, exp, sig, now + 2 * 3600_000), 'expired');
  });

  test('gives the same URL for requests close in time, so browsers can cache it', () => {
    const now = Date.parse('2026-11-25T12:00:01Z'); // just after a 15-minute step boundary
    assert.equal(signer.sign(PATH, now), signer.sign(PATH, now + 60_000));
  });

  test('refuses another path, another expiry, another key or missing parts', () => {
    const { path, exp, sig } = parts(signer.sign(PATH));
    assert.equal(signer.verify(path.replace('original', 'thumbnails/256'), exp, sig), 'invalid');
    assert.equal(signer.verify(path, String(Number(exp) + 1), sig), 'invalid');
    assert.equal(new UrlSigner(Buffer.from('o'.repeat(32)), 3600).verify(path, exp, sig), 'invalid');
    assert.equal(signer.verify(path, undefined, sig), 'invalid');
    assert.equal(signer.verify(path, exp, undefined), 'invalid');
    assert.equal(signer.verify(path, '1e99', sig), 'invalid');
  });

  test('keeps a generated secret in a private file, stable across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signer-'));
    const keyFile = join(dir, 'url-signing.key');
    const first = await UrlSigner.fromSecretOrFile(undefined, keyFile, 60);
    const second = await UrlSigner.fromSecretOrFile(undefined, keyFile, 60);
    const { path, exp, sig } = parts(first.sign(PATH));
    assert.equal(second.verify(path, exp, sig), 'valid');
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.equal((await readFile(keyFile, 'utf8')).length, 64);
  });

  test('refuses an empty or short key file instead of signing with it, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signer-'));
    for (const content of ['', '\n', 'short-key']) {
      const keyFile = join(dir, `key-${content.length}`);
      await writeFile(keyFile, content);
      await assert.rejects(
        UrlSigner.fromSecretOrFile(undefined, keyFile, 60),
        (error: Error) => error.message.includes(keyFile) && /at least 32/.test(error.message),
      );
    }
  });

  test('many processes creating the key at once all end up with the one key written, and no temporary files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signer-'));
    const keyFile = join(dir, 'url-signing.key');
    const signers = await Promise.all(Array.from({ length: 16 }, () => UrlSigner.fromSecretOrFile(undefined, keyFile, 60)));
    const { path, exp, sig } = parts(signers[0]!.sign(PATH));
    for (const other of signers) assert.equal(other.verify(path, exp, sig), 'valid');
    assert.deepEqual(await readdir(dir), ['url-signing.key']);
  });
});

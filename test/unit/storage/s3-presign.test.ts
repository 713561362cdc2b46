/**
 * Presigned GETs (FILE_URLS=presigned). s3rver, the S3 server of the integration tests,
 * does not verify signatures, so this test does: it recomputes AWS Signature Version 4
 * from the URL's own parameters with node:crypto, written here from AWS's specification,
 * and checks every X-Amz-* parameter and the response overrides.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { S3BlobStore, s3ClientConfig } from '../../../src/storage/s3-blob-store.js';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SHA = 'ab'.repeat(32);

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

function expectedSignature(url: URL, secret: string, region: string): string {
  const params = [...url.searchParams.entries()].filter(([name]) => name !== 'X-Amz-Signature');
  const query = params
    .map(([name, value]) => [encode(name), encode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = ['GET', url.pathname, query, `host:${url.host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date')!;
  const scope = `${amzDate.slice(0, 8)}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, amzDate.slice(0, 8)), region), 's3'), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex');
}

test('a presigned GET carries valid SigV4 parameters, signature and response headers', async () => {
  const options = { bucket: 'media', prefix: 'blobs/', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true };
  const client = new S3Client({ ...s3ClientConfig(options), region: 'eu-central-1', credentials: CREDENTIALS });
  const store = await S3BlobStore.open(options, client);
  const before = Date.now();
  const url = new URL(
    await store.presignGet(SHA, {
      contentType: 'image/png',
      contentDisposition: "inline; filename*=UTF-8''mask (1).png",
      cacheControl: 'private, max-age=600, immutable',
      expiresInSeconds: 600,
    }),
  );
  store.close();
  assert.equal(url.origin, 'http://127.0.0.1:9000');
  assert.equal(url.pathname, `/media/blobs/${SHA}`);
  const param = (name: string) => url.searchParams.get(name);
  assert.equal(param('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
  assert.equal(param('X-Amz-Expires'), '600');
  assert.equal(param('X-Amz-SignedHeaders'), 'host');
  assert.equal(param('X-Amz-Content-Sha256'), 'UNSIGNED-PAYLOAD');
  const amzDate = param('X-Amz-Date')!;
  assert.match(amzDate, /^\d{8}T\d{6}Z$/);
  const signedAt = Date.parse(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  assert.ok(Math.abs(signedAt - before) < 60_000, 'signed now');
  assert.equal(param('X-Amz-Credential'), `AKIDEXAMPLE/${amzDate.slice(0, 8)}/eu-central-1/s3/aws4_request`);
  assert.equal(param('response-content-type'), 'image/png');
  assert.equal(param('response-cache-control'), 'private, max-age=600, immutable');
  assert.equal(param('response-content-disposition'), "inline; filename*=UTF-8''mask (1).png");
  assert.match(param('X-Amz-Signature')!, /^[0-9a-f]{64}$/);
  assert.equal(param('X-Amz-Signature'), expectedSignature(url, CREDENTIALS.secretAccessKey, 'eu-central-1'));
  // And the check can fail: another secret gives another signature.
  assert.notEqual(param('X-Amz-Signature'), expectedSignature(url, 'another-secret', 'eu-central-1'));
});

/**
 * Standard Webhooks signatures: `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`,
 * keyed with the secret's bytes; the secret is shown as `whsec_<base64>`, the form Standard
 * Webhooks libraries take. During a rotation's grace period both keys sign (space-separated),
 * and a receiver accepts either.
 */
import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';
/** 24 random bytes, as the reference libraries make them. */
const SECRET_BYTES = 24;

/** A new key: what is stored (base64 of the bytes) and what the owner is shown once. */
export function newSecret(): { stored: string; shown: string } {
  const stored = randomBytes(SECRET_BYTES).toString('base64');
  return { stored, shown: `${SECRET_PREFIX}${stored}` };
}

/** The `webhook-signature` header value for one message, one signature per key. */
export function signatureHeader(keys: string[], id: string, timestampSeconds: number, body: string): string {
  return keys.map((key) => `v1,${createHmac('sha256', Buffer.from(key, 'base64')).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`).join(' ');
}

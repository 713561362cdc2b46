/** Reading stored mask PNGs back as 8-bit grey pixels. */
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import type { BlobStore } from '../storage/blob-store.js';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function readBlobMask(blobs: BlobStore, sha256: string): Promise<Uint8Array> {
  const data = await sharp(await readAll(blobs.read(sha256))).toColourspace('b-w').raw({ depth: 'uchar' }).toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

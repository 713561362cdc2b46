/** Reading stored mask PNGs back as 8-bit grey pixels. */
import sharp from 'sharp';
import { readBlob, type BlobStore } from './blob-store.js';

export async function readBlobMask(blobs: BlobStore, sha256: string): Promise<Uint8Array> {
  const data = await sharp(await readBlob(blobs, sha256))
    .toColourspace('b-w')
    .raw({ depth: 'uchar' })
    .toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

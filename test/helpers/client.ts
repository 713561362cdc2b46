/** A minimal GraphQL-over-HTTP client, with multipart uploads as the spec describes them. */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient as createGraphQLWsClient, type Client as GraphQLWsClient } from 'graphql-ws';
import WebSocket from 'ws';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const fixturePath = (name: string) => join(FIXTURES, 'images', name);

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; details?: Record<string, unknown> } }[];
}

export class Client {
  constructor(
    readonly baseUrl: string,
    readonly key?: string,
  ) {}

  withKey(key: string | undefined): Client {
    return new Client(this.baseUrl, key);
  }

  /** The same key on another address (a restarted gateway). */
  withBaseUrl(baseUrl: string): Client {
    return new Client(baseUrl, this.key);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.key ? { authorization: `Bearer ${this.key}` } : {}), ...extra };
  }

  // Responses are arbitrary JSON; each test states the shape it expects.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async query<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  }

  /** uploadAsset through a multipart request; `file` is a fixture path or raw bytes. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async upload<T = any>(
    file: string | Uint8Array,
    options: { name?: string; tags?: string[]; filename?: string; selection?: string; headers?: Record<string, string> } = {},
  ): Promise<GraphQLResponse<T>> {
    const bytes = typeof file === 'string' ? await readFile(file) : file;
    const filename = options.filename ?? (typeof file === 'string' ? basename(file) : 'upload.bin');
    const selection = options.selection ?? 'id name mimeType width height orientation byteSize sha256 tags url thumbnail';
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: `mutation Upload($file: Upload!, $name: String, $tags: [String!]) { uploadAsset(file: $file, name: $name, tags: $tags) { ${selection} } }`,
        variables: { file: null, name: options.name ?? null, tags: options.tags ?? null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([bytes]), filename);
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: this.headers(options.headers ?? { 'apollo-require-preflight': 'true' }),
      body: form,
    });
    return { status: response.status, ...((await response.json()) as object) };
  }
}

/** Any mutation with one file variable, sent as the multipart request spec describes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as Client.query: the caller knows the shape
export async function sendFile<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  fileVariable: string,
  file: Uint8Array,
  filename = 'file.png',
): Promise<GraphQLResponse<T>> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: { ...variables, [fileVariable]: null } }));
  form.append('map', JSON.stringify({ 0: [`variables.${fileVariable}`] }));
  form.append('0', new Blob([file]), filename);
  const response = await fetch(`${client.baseUrl}/graphql`, {
    method: 'POST',
    headers: { ...(client.key ? { authorization: `Bearer ${client.key}` } : {}), 'apollo-require-preflight': 'true' },
    body: form,
  });
  return { status: response.status, ...((await response.json()) as object) };
}

export function errorCode(response: GraphQLResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/** A JPEG no other test uploads (random pixels), for checks that need an unshared blob. */
export async function uniqueJpeg(width = 96, height = 64): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = Math.floor(Math.random() * 256);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();
}

/**
 * A segmentation's review priority once it has landed (it is estimated after SUCCEEDED, off
 * the answer's path): polls until `reviewPriorityPending` is false.
 */
export async function settledReviewPriority(client: Client, segmentationId: string, timeoutMs = 60_000): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.query(`query($id: ID!) { segmentation(id: $id) { reviewPriority reviewPriorityPending } }`, { id: segmentationId });
    const segmentation = response.data?.segmentation as { reviewPriority: number | null; reviewPriorityPending: boolean } | undefined;
    if (!segmentation) throw new Error(`segmentation ${segmentationId}: ${JSON.stringify(response)}`);
    if (!segmentation.reviewPriorityPending) return segmentation.reviewPriority;
    if (Date.now() > deadline) throw new Error(`segmentation ${segmentationId}: review priority still pending after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A graphql-ws client on a gateway's /graphql, as a browser or Node app opens one: lazy, no retries. */
export function subscriptionClient(baseUrl: string, authorization: string): GraphQLWsClient {
  return createGraphQLWsClient({
    url: `${baseUrl.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization },
    lazy: true,
    retryAttempts: 0,
  });
}

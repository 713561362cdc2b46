/** The page's only way to the server: the public GraphQL API (HTTP, multipart, graphql-ws). */
const KEY_STORAGE = 'maskgraph.apiKey';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export function apiKey(): string {
  return localStorage.getItem(KEY_STORAGE) ?? '';
}

export function setApiKey(key: string): void {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

interface Response<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function unwrap<T>(body: Response<T>): T {
  const error = body.errors?.[0];
  if (error) throw new ApiError(error.message, error.extensions?.code ?? 'ERROR');
  return body.data as T;
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders() },
    body: JSON.stringify({ query, variables }),
    ...(signal ? { signal } : {}),
  });
  return unwrap((await response.json()) as Response<T>);
}

/** A mutation with one file, as the GraphQL multipart request spec describes, with upload progress. */
export function gqlUpload<T>(
  query: string,
  variables: Record<string, unknown>,
  fileVariable: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<T> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: { ...variables, [fileVariable]: null } }));
  form.append('map', JSON.stringify({ 0: [`variables.${fileVariable}`] }));
  form.append('0', file, file.name);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/graphql');
    for (const [name, value] of Object.entries({ ...authHeaders(), 'apollo-require-preflight': 'true' })) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onerror = () => reject(new ApiError('The upload failed: network error', 'NETWORK'));
    request.onload = () => {
      try {
        resolve(unwrap(JSON.parse(request.responseText) as Response<T>));
      } catch (error) {
        reject(error instanceof ApiError ? error : new ApiError(`The server answered ${request.status}`, 'HTTP'));
      }
    };
    request.send(form);
  });
}

/**
 * A subscription over graphql-ws (the graphql-transport-ws protocol, which is small enough
 * to speak directly). Calls `onNext` per event; resolves when the server completes it.
 */
export function subscribe<T>(query: string, variables: Record<string, unknown>, onNext: (data: T) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`, 'graphql-transport-ws');
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init', payload: apiKey() ? { authorization: `Bearer ${apiKey()}` } : {} }));
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as { type: string; payload?: Response<T> | Response<T>['errors'] };
      if (message.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
      else if (message.type === 'next') {
        try {
          onNext(unwrap(message.payload as Response<T>));
        } catch (error) {
          reject(error);
          socket.close();
        }
      } else if (message.type === 'error') {
        const errors = message.payload as Response<T>['errors'];
        reject(new ApiError(errors?.[0]?.message ?? 'Subscription refused', errors?.[0]?.extensions?.code ?? 'ERROR'));
        socket.close();
      } else if (message.type === 'complete') {
        resolve();
        socket.close();
      }
    };
    socket.onclose = (event) => {
      if (event.code === 4403) reject(new ApiError('The API key was refused', 'UNAUTHENTICATED'));
      resolve();
    };
  });
}

/**
 * Which browsers' pages may talk to this gateway. A page on another origin can open a
 * WebSocket to any address (browsers apply no CORS to WebSockets) and can reach a loopback
 * gateway through DNS rebinding (its own name resolving to 127.0.0.1). So:
 * - a WebSocket upgrade that carries an Origin must come from the gateway's own origin,
 *   PUBLIC_URL or ALLOWED_ORIGINS (non-browser clients send no Origin and pass);
 * - in single-user mode, where no key protects anything, the Host header must name a
 *   loopback address or PUBLIC_URL's host, so a rebound name is refused.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isLoopbackHostname } from '../lib/loopback.js';

export interface OriginPolicyOptions {
  singleUser: boolean;
  publicUrl: string | undefined;
  allowedOrigins: readonly string[];
}

/** The scheme the client used: TLS on the socket, or X-Forwarded-Proto from a proxy on loopback. */
export function requestProtocol(request: IncomingMessage): 'http' | 'https' {
  if ((request.socket as Partial<TLSSocket>).encrypted) return 'https';
  const forwarded = request.headers['x-forwarded-proto'];
  const fromLoopbackProxy = isLoopbackHostname(request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '');
  return fromLoopbackProxy && typeof forwarded === 'string' && forwarded.split(',')[0]!.trim() === 'https' ? 'https' : 'http';
}

export class OriginPolicy {
  private readonly origins: Set<string>;
  private readonly publicHost: string | undefined;

  constructor(private readonly options: OriginPolicyOptions) {
    this.origins = new Set([...options.allowedOrigins, ...(options.publicUrl ? [options.publicUrl] : [])].map((url) => new URL(url).origin));
    this.publicHost = options.publicUrl ? new URL(options.publicUrl).host : undefined;
  }

  /** False when single-user mode is asked under a name that is not loopback or PUBLIC_URL's. */
  isAllowedHost(host: string | undefined): boolean {
    if (!this.options.singleUser) return true;
    if (!host) return false;
    if (host === this.publicHost) return true;
    try {
      return isLoopbackHostname(new URL(`http://${host}`).hostname);
    } catch {
      return false;
    }
  }

  /** A WebSocket upgrade: no Origin (not a browser), the gateway's own origin, or a listed one. */
  isAllowedUpgrade(request: IncomingMessage): boolean {
    if (!this.isAllowedHost(request.headers.host)) return false;
    const origin = request.headers.origin;
    return origin === undefined || this.isGrantedOrigin(origin, request);
  }

  /**
   * Whether a page on `origin` may read this gateway's answers (CORS) or open its WebSocket:
   * the gateway's own origin, PUBLIC_URL's, or one listed in ALLOWED_ORIGINS. Keys are bearer
   * tokens, never cookies, so a grant never includes credentials.
   */
  isGrantedOrigin(origin: string, request: IncomingMessage): boolean {
    if (this.origins.has(origin)) return true;
    return origin === `${requestProtocol(request)}://${request.headers.host}`;
  }
}

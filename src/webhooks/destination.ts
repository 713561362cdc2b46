/**
 * Where webhooks may go, and the POST that goes there. A destination must resolve to public
 * unicast addresses only: loopback, private, link-local (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, unique-local, multicast and reserved ranges are refused unless the
 * host is in WEBHOOK_ALLOWED_HOSTS. The check runs when a webhook is created and again
 * inside every connection's own DNS lookup, so a name that later resolves elsewhere (DNS
 * rebinding) is refused at connect time. Redirects are never followed; a response body is
 * never read.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup as lookupAsync } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A destination the guard refuses (never retried). */
export class DestinationRefused extends Error {
  override name = 'DestinationRefused';
}

export interface DestinationPolicy {
  /** Host names let through whatever they resolve to (a receiver on this network, tests on loopback). */
  allowedHosts: ReadonlySet<string>;
}

/** Only public unicast addresses (an IPv4-mapped IPv6 address is judged as its IPv4). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * A webhook's URL as given: http(s), no credentials, and (unless allowed) a host that resolves
 * to public addresses now.
 * @throws DestinationRefused with the reason in words.
 */
export async function checkDestination(raw: string, policy: DestinationPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationRefused('The url is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DestinationRefused('The url must use http or https');
  if (url.username || url.password) throw new DestinationRefused('The url must not carry credentials');
  const host = hostOf(url);
  if (policy.allowedHosts.has(host)) return url;
  const addresses = isIP(host)
    ? [host]
    : await lookupAsync(host, { all: true }).then(
        (found) => found.map((entry) => entry.address),
        () => [],
      );
  if (addresses.length === 0) throw new DestinationRefused(`The host ${host} does not resolve`);
  const blocked = addresses.find((address) => !isPublicAddress(address));
  if (blocked)
    throw new DestinationRefused(`The host ${host} resolves to ${blocked}, a private or reserved address (WEBHOOK_ALLOWED_HOSTS lets a host through)`);
  return url;
}

/** DNS as usual, then the same check on every address, inside the connection's own lookup. */
function guardedLookup(policy: DestinationPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const blocked = policy.allowedHosts.has(hostname.toLowerCase()) ? undefined : addresses.find((entry) => !isPublicAddress(entry.address));
      if (blocked) return callback(new DestinationRefused(`${hostname} now resolves to ${blocked.address}, a private or reserved address`), '', 0);
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

export interface PostResult {
  status: number;
  /** The receiver's Retry-After in seconds (429, 503), when it gave one. */
  retryAfterSeconds: number | undefined;
}

/** How an attempt failed before any status came back. */
export class DeliveryFailed extends Error {
  override name = 'DeliveryFailed';
  constructor(
    readonly kind: 'timeout' | 'network' | 'refused',
    message: string,
  ) {
    super(message);
  }
}

/**
 * POSTs `body` and answers with the status line once the headers arrive; the response body is
 * dropped unread. The whole exchange, connection included, has `timeoutMs`.
 * @throws DeliveryFailed (timeout, network, a refused destination).
 */
export function postJson(url: URL, headers: Record<string, string>, body: string, options: DestinationPolicy & { timeoutMs: number }): Promise<PostResult> {
  const host = hostOf(url);
  // A literal address needs no lookup, so the lookup's check would never run: judged here.
  if (isIP(host) && !options.allowedHosts.has(host) && !isPublicAddress(host)) {
    return Promise.reject(new DeliveryFailed('refused', `${host} is a private or reserved address`));
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'maskgraph-webhooks' },
        lookup: guardedLookup(options),
        agent: false, // one connection per attempt: nothing pooled outlives the check
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (response) => {
        const retryAfter = Number(response.headers['retry-after']);
        resolve({ status: response.statusCode ?? 0, retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined });
        response.destroy();
      },
    );
    request.on('error', (error: Error & { code?: string }) => {
      if (error instanceof DestinationRefused) return reject(new DeliveryFailed('refused', error.message));
      if (error.name === 'AbortError' || error.name === 'TimeoutError')
        return reject(new DeliveryFailed('timeout', `no answer within ${options.timeoutMs} ms`));
      reject(new DeliveryFailed('network', `${error.code ?? error.name}: ${error.message}`));
    });
    request.end(body);
  });
}

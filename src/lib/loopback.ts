import { isIP } from 'node:net';

/** True for names and addresses that only ever reach this machine: localhost, 127.0.0.0/8, ::1 (brackets allowed). */
export function isLoopbackHostname(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

/** True for a socket's remote address on this machine (IPv4-mapped IPv6 included). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return isLoopbackHostname(address.replace(/^::ffff:/i, ''));
}

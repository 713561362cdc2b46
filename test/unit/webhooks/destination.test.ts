/** Which addresses webhooks may reach, and what a URL must look like. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDestination, DestinationRefused, isPublicAddress } from '../../../src/webhooks/destination.js';

test('only public unicast addresses are public', () => {
  for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2001:4860:4860::8888']) assert.equal(isPublicAddress(address), true, address);
  for (const address of [
    '127.0.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254', // cloud metadata
    '100.64.0.1', // carrier-grade NAT
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254', // a cloud's IPv6 metadata
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not an address',
  ]) {
    assert.equal(isPublicAddress(address), false, address);
  }
});

test('a URL must be http(s), carry no credentials, and name a public host unless it is allowed', async () => {
  const policy = { allowedHosts: new Set(['127.0.0.1', 'receiver.internal']) };
  assert.equal((await checkDestination('http://127.0.0.1:9/hook', policy)).host, '127.0.0.1:9', 'an allowed address');
  assert.equal((await checkDestination('https://receiver.internal/hook', policy)).hostname, 'receiver.internal', 'an allowed name, not looked up');
  assert.equal((await checkDestination('https://8.8.8.8/hook', policy)).hostname, '8.8.8.8', 'a public address');
  for (const url of ['ftp://8.8.8.8/', 'https://user:secret@8.8.8.8/', 'not a url', 'http://10.0.0.1/', 'http://[::1]/', 'http://localhost/']) {
    await assert.rejects(checkDestination(url, policy), DestinationRefused, url);
  }
});

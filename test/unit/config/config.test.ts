import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('loadConfig', () => {
  test('defaults to loopback, port 4000, ./data, embedded database, API keys', () => {
    const config = loadConfig({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 4000);
    assert.equal(config.dataDir, resolve('data'));
    assert.equal(config.blobDir, resolve('data/blobs'));
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.autoMigrate, true);
    assert.equal(config.authMode, 'api-key');
    assert.ok(Object.isFrozen(config));
  });

  test('a DATABASE_URL selects PostgreSQL and explicit migrations', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://db:5432/maskgraph' });
    assert.equal(config.databaseUrl, 'postgresql://db:5432/maskgraph');
    assert.equal(config.autoMigrate, false);
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://db/x', AUTO_MIGRATE: 'true' }).autoMigrate, true);
  });

  test('empty values count as unset', () => {
    assert.equal(loadConfig({ PORT: '', DATABASE_URL: '' }).port, 4000);
  });

  test('reports every invalid variable at once, each by name', () => {
    try {
      loadConfig({ PORT: 'http', MAX_UPLOAD_BYTES: '-1', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const names = error.problems.map((problem) => problem.split(':')[0]);
      assert.deepEqual(names.sort(), ['DATABASE_URL', 'LOG_LEVEL', 'MAX_UPLOAD_BYTES', 'PORT']);
      assert.match(error.message, /PORT: .*received "http"/);
    }
  });

  for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
    test(`single-user mode is allowed on loopback host ${host}`, () => {
      assert.equal(loadConfig({ AUTH_MODE: 'single-user', HOST: host }).authMode, 'single-user');
    });
  }
  for (const host of ['0.0.0.0', '192.168.1.4', '::', 'example.com']) {
    test(`single-user mode is refused on ${host}`, () => {
      assert.throws(() => loadConfig({ AUTH_MODE: 'single-user', HOST: host }), /loopback/);
    });
  }
});

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
    assert.ok(Object.isFrozen(config), 'expected: Object.isFrozen(config)');
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

  test('MODELS_PRELOAD: the default model when unset or empty, a list, or none', () => {
    assert.equal(loadConfig({}).modelsPreload, undefined);
    assert.equal(loadConfig({ MODELS_PRELOAD: '' }).modelsPreload, undefined);
    assert.deepEqual(loadConfig({ MODELS_PRELOAD: 'u2netp, isnet-general' }).modelsPreload, ['u2netp', 'isnet-general']);
    assert.deepEqual(loadConfig({ MODELS_PRELOAD: 'none' }).modelsPreload, []);
  });

  test('reports every invalid variable at once, each by name', () => {
    try {
      loadConfig({ PORT: 'http', MAX_UPLOAD_BYTES: '-1', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError, 'expected: error instanceof ConfigError');
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

  test('roles: all by default; api and worker need a shared PostgreSQL', () => {
    assert.equal(loadConfig({}).role, 'all');
    assert.throws(() => loadConfig({ ROLE: 'worker' }), /ROLE: worker .* needs DATABASE_URL/);
    assert.equal(loadConfig({ ROLE: 'api', DATABASE_URL: 'postgresql://db/x' }).role, 'api');
    assert.throws(() => loadConfig({ ROLE: 'gateway' }), /ROLE/);
  });

  test('the lease must outlast the job timeout; WORKER_CONCURRENCY wins over its older name', () => {
    assert.throws(() => loadConfig({ JOB_LEASE_SECONDS: '60', JOB_TIMEOUT_MS: '60000' }), /JOB_TIMEOUT_MS: must be shorter than the lease/);
    const config = loadConfig({ JOB_LEASE_SECONDS: '10', JOB_TIMEOUT_MS: '9000', WORKER_CONCURRENCY: '3', MAX_CONCURRENT_JOBS: '2' });
    assert.deepEqual([config.jobLeaseSeconds, config.jobTimeoutMs, config.maxConcurrentJobs], [10, 9000, 3]);
    assert.equal(loadConfig({ MAX_CONCURRENT_JOBS: '2' }).maxConcurrentJobs, 2);
  });

  test('S3 settings: a bucket is required, presigned URLs need S3, a prefix ends with /', () => {
    assert.deepEqual(loadConfig({}).blobStore.kind, 'fs');
    assert.throws(() => loadConfig({ BLOB_STORE: 's3' }), /S3_BUCKET: required/);
    assert.throws(() => loadConfig({ FILE_URLS: 'presigned' }), /FILE_URLS: presigned needs BLOB_STORE=s3/);
    assert.throws(() => loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'media', S3_PREFIX: 'no-slash' }), /S3_PREFIX/);
    assert.deepEqual(
      loadConfig({ BLOB_STORE: 's3', S3_BUCKET: 'media', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true', S3_PREFIX: 'mg/' }).blobStore,
      {
        kind: 's3',
        bucket: 'media',
        prefix: 'mg/',
        endpoint: 'http://127.0.0.1:9000',
        forcePathStyle: true,
      },
    );
  });
});

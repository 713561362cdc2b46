// s3rver in a process of its own, for tests that take the object store away (SIGKILL) and
// bring it back. Started with --openssl-legacy-provider: s3rver 3.7.1 encrypts its list
// continuation tokens with DES, which OpenSSL 3 only has in its legacy provider (without
// it, any listing past 1 000 objects fails with InternalError).
// Arguments: PORT (0: any) DIRECTORY BUCKET. Prints {"port":N} once listening.
import S3rver from 's3rver';

const [port, directory, bucket] = process.argv.slice(2);
const server = new S3rver({ port: Number(port), address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
const address = await server.run();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

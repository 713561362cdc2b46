import { startTestGateway } from './test/helpers/gateway.js';
import { DATABASE_TARGETS } from './test/helpers/database-targets.js';
import { Client, sendFile } from './test/helpers/client.js';
const g = await startTestGateway(DATABASE_TARGETS[0]!);
const { key } = await g.newOwner('m');
const c = new Client(g.url, key);
const raw = async (body: string, ct = 'application/json', extra: Record<string,string> = {}) => { const r = await fetch(`${g.url}/graphql`, { method: 'POST', headers: { 'content-type': ct, authorization: `Bearer ${key}`, ...extra }, body }); return `${r.status} ${(await r.text()).slice(0, 160)}`; };
const q = async (query: string, variables: Record<string, unknown> = {}) => { const r = await c.query(query, variables); return `${r.status} ${JSON.stringify(r.errors?.map(e => e.extensions?.code))} ${r.errors?.[0]?.message?.slice(0, 80)}`; };
const seg = '01234567-89ab-7def-8123-456789abcdef';
const cases: [string, () => Promise<string>][] = [
  ['empty body', () => raw('')],
  ['not json', () => raw('{nope')],
  ['json array batch', () => raw(JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }]))],
  ['query not string', () => raw(JSON.stringify({ query: 42 }))],
  ['variables not object', () => raw(JSON.stringify({ query: '{ viewer { id } }', variables: 'x' }))],
  ['unknown operationName', () => raw(JSON.stringify({ query: 'query A { viewer { id } }', operationName: 'B' }))],
  ['two ops no name', () => raw(JSON.stringify({ query: 'query A { viewer { id } } query B { viewer { id } }' }))],
  ['text/plain', () => raw(JSON.stringify({ query: '{ viewer { id } }' }), 'text/plain')],
  ['GET mutation', async () => { const r = await fetch(`${g.url}/graphql?query=${encodeURIComponent('mutation { deleteAsset(id: "x") { id } }')}`, { headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' } }); return `${r.status} ${(await r.text()).slice(0, 160)}`; }],
  ['introspection', () => q('{ __schema { types { name } } }')],
  ['huge string var', () => q('query($n: String) { assets(filter: { nameContains: $n }) { totalCount } }', { n: 'x'.repeat(100_000) })],
  ['float for int', () => q('{ assets(first: 1.5) { totalCount } }')],
  ['negative first', () => q('{ assets(first: -1) { totalCount } }')],
  ['first 0', () => q('{ assets(first: 0) { totalCount } }')],
  ['huge int', () => q('{ assets(first: 99999999999) { totalCount } }')],
  ['unknown enum', () => q('{ assets(orderBy: NOPE) { totalCount } }')],
  ['segmentation bad id', () => q('{ segmentation(id: "../../etc/passwd") { id } }')],
  ['segmentation unknown', () => q(`{ segmentation(id: "${seg}") { id } }`)],
  ['effect on unknown seg', () => q(`{ segmentation(id: "${seg}") { effect(input: { kind: MASK }) { id } } }`)],
  ['effect nan strength', () => q(`query($s: Float) { segmentation(id: "${seg}") { effect(input: { kind: BACKGROUND_BLUR, strength: $s }) { id } } }`, { s: 'NaN' })],
  ['evaluate many models', () => q(`mutation { evaluateModels(input: { models: [${Array(50).fill('"isnet-general"').join(',')}] }) { id } }`)],
  ['updateAsset name empty', () => q(`mutation { updateAsset(id: "${seg}", input: { name: "" }) { id } }`)],
  ['thumbnail size 0', () => q('{ assets(first: 1) { edges { node { thumbnail(size: 0) } } } }')],
  ['waitTimeoutMs huge', () => q(`mutation { segmentAsset(input: { assetId: "${seg}", wait: true, waitTimeoutMs: 99999999 }) { id } }`)],
  ['setGroundTruth unknown', async () => { const r = await sendFile(c, 'mutation($id: ID!, $m: Upload!) { setGroundTruth(assetId: $id, mask: $m) { id } }', { id: seg }, 'm', Buffer.from('x')); return `${r.status} ${JSON.stringify(r.errors?.map(e => e.extensions?.code))}`; }],
  ['multipart bad map', async () => { const f = new FormData(); f.append('operations', JSON.stringify({ query: 'mutation($f: Upload!) { uploadAsset(file: $f) { id } }', variables: { f: null } })); f.append('map', '{"0":["variables.nope"]}'); f.append('0', new Blob([Buffer.from('x')]), 'x.png'); const r = await fetch(`${g.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' }, body: f }); return `${r.status} ${(await r.text()).slice(0, 160)}`; }],
  ['multipart no file', async () => { const f = new FormData(); f.append('operations', JSON.stringify({ query: 'mutation($f: Upload!) { uploadAsset(file: $f) { id } }', variables: { f: null } })); f.append('map', '{"0":["variables.f"]}'); const r = await fetch(`${g.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' }, body: f }); return `${r.status} ${(await r.text()).slice(0, 160)}`; }],
  ['multipart two files', async () => { const f = new FormData(); f.append('operations', JSON.stringify({ query: 'mutation($f: Upload!) { uploadAsset(file: $f) { id } }', variables: { f: null } })); f.append('map', '{"0":["variables.f"],"1":["variables.f"]}'); f.append('0', new Blob([Buffer.from('x')]), 'x.png'); f.append('1', new Blob([Buffer.from('y')]), 'y.png'); const r = await fetch(`${g.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' }, body: f }); return `${r.status} ${(await r.text()).slice(0, 160)}`; }],
  ['files bad path', async () => { const r = await fetch(`${g.url}/files/assets/..%2F..%2Fetc%2Fpasswd/original?exp=1&sig=x`); return `${r.status} ${(await r.text()).slice(0, 120)}`; }],
  ['files huge exp', async () => { const r = await fetch(`${g.url}/files/assets/${seg}/original?exp=99999999999999999999&sig=x`); return `${r.status} ${(await r.text()).slice(0, 120)}`; }],
  ['files array exp', async () => { const r = await fetch(`${g.url}/files/assets/${seg}/original?exp=1&exp=2&sig=x`); return `${r.status} ${(await r.text()).slice(0, 120)}`; }],
  ['PUT graphql', async () => { const r = await fetch(`${g.url}/graphql`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }); return `${r.status} ${(await r.text()).slice(0, 120)}`; }],
  ['json too big', () => raw(JSON.stringify({ query: '{ viewer { id } }', variables: { x: 'y'.repeat(2_000_000) } }))],
  ['deep json vars', () => raw(`{"query":"{ viewer { id } }","variables":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`)],
];
for (const [name, run] of cases) { try { console.log(name.padEnd(26), await run()); } catch (e) { console.log(name, 'THREW', String(e).slice(0, 100)); } }
await g.dispose(); process.exit(0);

/**
 * Every GraphQL example in README.md and docs/ runs against a real gateway, so none can rot.
 * Each ```graphql block gets a fresh asset (a composite photo with its ground truth, so
 * quality and HCE examples have something to score), its segmentation by the default model,
 * and a second asset as a background; an example names them as operation variables
 * ($assetId, $segmentationId, $backgroundAssetId, $webhookId, $ruleId; $after starts a connection at the top).
 * Each operation in a block runs in order and must answer without errors.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import { Client, FIXTURES, sendFile } from '../helpers/client.js';
import { DATABASE_TARGETS } from '../helpers/database-targets.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = [
  'README.md',
  ...(readdirSync(join(ROOT, 'docs'), { recursive: true }) as string[]).filter((file) => file.endsWith('.md')).map((file) => join('docs', file)),
];

interface Example {
  file: string;
  line: number;
  operations: OperationDefinitionNode[];
}

function examples(): Example[] {
  const found: Example[] = [];
  for (const file of DOCS) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const match of text.matchAll(/```graphql\n([\s\S]*?)```/g)) {
      const line = text.slice(0, match.index).split('\n').length;
      const document = parse(match[1]!);
      found.push({
        file: relative(ROOT, join(ROOT, file)),
        line,
        operations: document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION),
      });
    }
  }
  return found;
}

describe('the GraphQL examples in the docs', () => {
  let gateway: TestGateway;
  let client: Client;
  const found = examples();

  let webhookId: string;
  let ruleId: string;

  before(async () => {
    // The webhooks page's example host, let through without a DNS lookup (this machine has no DNS).
    gateway = await startTestGateway(DATABASE_TARGETS[0]!, { WEBHOOK_ALLOWED_HOSTS: 'hooks.example.com' });
    client = new Client(gateway.url, (await gateway.newOwner('reader')).key);
    const created = await client.query(
      'mutation { createWebhook(input: { url: "https://hooks.example.com/docs", events: [BATCH_FINISHED] }) { webhook { id } } }',
    );
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    webhookId = created.data.createWebhook.webhook.id as string;
    // A rule for the upload rules page's examples (a tag no example's upload has).
    const rule = await client.query('mutation { createUploadRule(input: { when: { tags: ["docs-rule"] }, then: { render: ["photo"] } }) { id } }');
    assert.equal(rule.errors, undefined, JSON.stringify(rule.errors));
    ruleId = rule.data.createUploadRule.id as string;
  });
  after(() => gateway?.dispose());

  /** A fresh asset with a ground truth and a segmentation, and a background asset. */
  async function context(): Promise<Record<string, string | null>> {
    const assetId = (await client.upload(`${FIXTURES}/composites/c1-bear-meadow.jpg`, { name: 'bear portrait', tags: ['dogs'], selection: 'id' })).data!
      .uploadAsset.id as string;
    const truth = readFileSync(`${FIXTURES}/composites/c1-bear-meadow.gt.png`);
    const set = await sendFile(client, 'mutation($id: ID!, $m: Upload!) { setGroundTruth(assetId: $id, mask: $m) { id } }', { id: assetId }, 'm', truth);
    assert.equal(set.errors, undefined, JSON.stringify(set.errors));
    const segmented = await client.query(`mutation($id: ID!) { segmentAsset(input: { assetId: $id, wait: true }) { id status } }`, { id: assetId });
    assert.equal(segmented.data?.segmentAsset.status, 'SUCCEEDED', JSON.stringify(segmented));
    const backgroundAssetId = (await client.upload(`${FIXTURES}/images/flower.jpg`, { selection: 'id' })).data!.uploadAsset.id as string;
    return { assetId, segmentationId: segmented.data.segmentAsset.id as string, backgroundAssetId, webhookId, ruleId, after: null };
  }

  test('are found: every page with examples, and enough of them that an empty run cannot pass', () => {
    const pages = new Set(found.map((example) => example.file));
    for (const page of [
      'README.md',
      'docs/api/assets.md',
      'docs/api/segmentations.md',
      'docs/api/effects.md',
      'docs/api/corrections.md',
      'docs/api/quality.md',
      'docs/api/images.md',
      'docs/api/webhooks.md',
      'docs/api/upload-rules.md',
    ])
      assert.ok(pages.has(page), `${page} has GraphQL examples`);
    assert.ok(found.flatMap((example) => example.operations).length >= 12, `operations found: ${found.flatMap((example) => example.operations).length}`);
  });

  for (const example of found) {
    test(`${example.file}:${example.line}`, { timeout: 120_000 }, async () => {
      const values = await context();
      for (const operation of example.operations) {
        const variables: Record<string, unknown> = {};
        for (const definition of operation.variableDefinitions ?? []) {
          const name = definition.variable.name.value;
          assert.ok(name in values, `${example.file}:${example.line} uses $${name}; the test knows ${Object.keys(values).join(', ')}`);
          variables[name] = values[name];
        }
        const response = await client.query(print(operation), variables);
        const label = `${example.file}:${example.line} ${operation.name?.value ?? operation.operation}`;
        assert.equal(response.errors, undefined, `${label}: ${JSON.stringify(response.errors)}`);
        assert.ok(response.data && Object.values(response.data).every((value) => value !== undefined), `${label} answered: ${JSON.stringify(response.data)}`);
      }
    });
  }
});

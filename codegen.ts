// schema.graphql → typed resolvers. Run `npm run codegen`; `npm run codegen:check`
// (part of `npm test`) fails when the committed file is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    'src/graphql/generated/resolvers.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        contextType: '../context.js#GraphQLContext',
        mappers: {
          Asset: '../../storage/records.js#AssetRecord',
          Owner: '../../storage/records.js#OwnerRecord',
          AssetConnection: '../../assets/asset.service.js#AssetPage',
          Segmentation: '../../storage/records.js#SegmentationRecord',
          Model: '../../inference/registry.js#ModelEntry',
          GroundTruth: '../../storage/records.js#GroundTruthRecord',
          QualityReport: '../../storage/records.js#QualityScoreRecord',
          Evaluation: '../../storage/records.js#EvaluationRecord',
          EvaluationItem: '../../storage/records.js#EvaluationItemRecord',
          Rendition: '../../effects/rendition.service.js#RenditionResult',
          MaskVersion: '../../corrections/correction.service.js#MaskVersionView',
          Preset: '../../images/preset.js#PresetSpec',
          Batch: '../../batches/batch.service.js#BatchView',
          BatchItem: '../../storage/repositories/batch.repository.js#BatchItemView',
          Webhook: '../../storage/records.js#WebhookRecord',
          WebhookDelivery: '../../storage/repositories/webhook.repository.js#DeliveryWithAttempts',
          WebhookAttempt: '../../storage/records.js#WebhookAttemptRecord',
          UploadRule: '../../storage/records.js#UploadRuleRecord',
        },
        scalars: { DateTime: 'Date', Upload: '../upload.js#UploadPromise' },
        enumsAsTypes: true,
        strictScalars: true,
      },
    },
  },
};

export default config;

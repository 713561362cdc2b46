// Prisma CLI configuration (`prisma generate`, and `prisma migrate deploy` where the
// schema-engine binary can be downloaded). The gateway itself migrates through
// src/storage/migrate.ts, which needs no binary.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/maskgraph' },
});

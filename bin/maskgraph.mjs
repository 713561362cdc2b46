#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader: no build step to forget.
import { register } from 'tsx/esm/api';

// graphql-js and Express read this when they load: production skips graphql-js's
// development-only checks on every value it resolves (a library page resolves hundreds).
process.env.NODE_ENV ??= 'production';
register();
await import('../src/cli/maskgraph.ts');

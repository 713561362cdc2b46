#!/usr/bin/env node
// Bundles the web page (web/src → web/dist/app.js) with esbuild: one small ES module, no CDN.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';

const root = new URL('../web/', import.meta.url);
await mkdir(new URL('dist/', root), { recursive: true });
await build({
  entryPoints: [new URL('src/main.ts', root).pathname],
  outfile: new URL('dist/app.js', root).pathname,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
await copyFile(new URL('styles.css', root), new URL('dist/styles.css', root));

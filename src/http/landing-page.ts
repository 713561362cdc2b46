/** A self-contained page at `/` (no CDN): what this server is and how to call it. */
export const LANDING_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>maskgraph</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
pre { background: #f4f4f6; padding: 0.75rem; overflow-x: auto; border-radius: 6px; }
code { font-family: ui-monospace, monospace; font-size: 0.9em; }
</style>
</head>
<body>
<h1>maskgraph</h1>
<p>A GraphQL gateway for image segmentation. The API is served at <code>POST /graphql</code>;
the schema is in <code>schema.graphql</code> of the project and available by introspection.</p>
<h2>Upload an image</h2>
<pre><code>curl http://HOST/graphql \\
  -H 'Authorization: Bearer mg_...' \\
  -H 'Apollo-Require-Preflight: true' \\
  -F operations='{"query":"mutation($f: Upload!) { uploadAsset(file: $f) { id width height url } }","variables":{"f":null}}' \\
  -F map='{"0":["variables.f"]}' \\
  -F 0=@photo.jpg</code></pre>
<h2>List assets</h2>
<pre><code>curl http://HOST/graphql -H 'Authorization: Bearer mg_...' -H 'Content-Type: application/json' \\
  -d '{"query":"{ assets(first: 10) { edges { node { id name thumbnail(size: 256) } } pageInfo { endCursor hasNextPage } } }"}'</code></pre>
<p>Health: <a href="/healthz">/healthz</a> · Readiness: <a href="/readyz">/readyz</a></p>
</body>
</html>
`;

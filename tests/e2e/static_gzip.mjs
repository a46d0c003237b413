// A small static server over dist/ that serves it as docs/hosting.md asks a real host to:
// gzip for the text and wasm files, the right MIME types (application/wasm above all, for
// streaming compilation), long-lived caching for the hashed files and revalidation for the
// rest. python's http.server (which scripts/test.sh uses for the other e2e tests) does none
// of that, and Lighthouse would measure the missing compression instead of the app.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The MIME type of each file type dist/ holds; true when the type is worth compressing. */
const TYPES = {
  '.html': ['text/html; charset=utf-8', true],
  '.js': ['text/javascript; charset=utf-8', true],
  '.mjs': ['text/javascript; charset=utf-8', true],
  '.css': ['text/css; charset=utf-8', true],
  '.json': ['application/json', true],
  '.svg': ['image/svg+xml', true],
  '.wasm': ['application/wasm', true],
  '.txt': ['text/plain; charset=utf-8', true],
  '.png': ['image/png', false],
};

/** trunk's content hash in a file's name (`style-9470dd57f7e34a5f.css`): safe to cache for ever. */
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z]+$/;

/**
 * Serves the directory `root` on 127.0.0.1 at a free port. Returns `{ base, close }`: the URL
 * ending in `/`, and a function that stops the server. Each file is read and compressed
 * (gzip -9, as scripts/size-budget.sh measures) once, on its first request.
 */
export async function serveGzip(root) {
  const cache = new Map(); // path -> { body, gzip }
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = join(root, normalize(path.endsWith('/') ? `${path}index.html` : path));
    const [type, compress] = TYPES[extname(file)] ?? ['application/octet-stream', false];
    if (!file.startsWith(root + sep) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    let entry = cache.get(file);
    if (!entry) {
      try {
        const body = await readFile(file);
        entry = { body, gzip: compress ? gzipSync(body, { level: 9 }) : null };
      } catch {
        res.writeHead(404).end();
        return;
      }
      cache.set(file, entry);
    }
    const gzip = entry.gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    const body = gzip ? entry.gzip : entry.body;
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': body.length,
      'Cache-Control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(entry.gzip ? { Vary: 'Accept-Encoding' } : {}),
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    base: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

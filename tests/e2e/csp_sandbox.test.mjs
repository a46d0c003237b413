// Security and embedding (issue 5): the page's Content-Security-Policy allows only its own
// files (no inline script, no eval; wasm under 'wasm-unsafe-eval'), and the app works under it
// in every mode with no violation and no console error; and it runs inside an iframe with
// sandbox="allow-scripts" only. Such a frame has an opaque origin, so the browser fetches the
// module script and the wasm with CORS: this test serves dist/ itself with
// `Access-Control-Allow-Origin: *` (python's http.server sends no CORS header, and the frame
// then stays on "Loading the lab…").

import assert from 'node:assert/strict';
import { collectFrames } from './budget.mjs';
import { appUrl, browserTest, byTestId, clickTestId, corsServer, waitForApp } from './helpers.mjs';

function consoleErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) errors.push(m.text());
  });
  return errors;
}

browserTest('the app works under its Content-Security-Policy in every mode', { timeout: 120_000 }, async ({ page }) => {
  const errors = consoleErrors(page);
  await page.addInitScript(collectFrames);
  const html = await (await fetch(appUrl())).text();
  const csp = /http-equiv=(?:"?)Content-Security-Policy(?:"?)/i.test(html) && /content="([^"]*script-src[^"]*)"/.exec(html)?.[1];
  assert.ok(csp, 'index.html carries a Content-Security-Policy meta');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'|\*/, 'no inline script or style, no eval, no wildcard');

  for (const query of ['', 'mode=manual', 'mode=compare&algos=round-robin,least-connections', 'mode=predict', 'embed=1&controls=rate,algo', 'cache=shared']) {
    await page.goto(appUrl(query));
    await waitForApp(page);
    if (await page.locator(byTestId('fire-burst')).count()) await clickTestId(page, 'fire-burst');
    await page.waitForTimeout(500);
    const violations = await page.evaluate(() => window.__budget.violations);
    assert.deepEqual(violations, [], `no CSP violation with ?${query}`);
  }
  assert.deepEqual(errors, [], 'no console error');
});

browserTest('the app runs in an iframe with sandbox="allow-scripts"', {}, async ({ page }) => {
  const errors = consoleErrors(page);
  const { server, base } = await corsServer();
  try {
    await page.goto(`${base}/fixtures/sandboxed.html`);
    const frame = page.frameLocator('#lab');
    await frame.locator(byTestId('server-bar')).first().waitFor({ state: 'attached', timeout: 30_000 });
    assert.equal(await frame.locator(byTestId('server-bar')).count(), 4, 'four bars in the sandboxed frame');
    const origin = await page.frames().find((f) => f !== page.mainFrame()).evaluate(() => self.origin);
    assert.equal(origin, 'null', 'the frame has an opaque origin (no allow-same-origin)');
    const clock = () => frame.locator('.clock').innerText();
    const before = await clock();
    await page.waitForTimeout(1_000);
    assert.notEqual(await clock(), before, 'the simulation runs in the frame');
    assert.deepEqual(errors, [], 'no console error in the frame');
  } finally {
    server.close();
  }
});

browserTest('a sandboxed frame on a server without CORS says what is wrong and how to fix it', {}, async ({ page }) => {
  // Before, loader.js was a module script: fetched with CORS from the frame's opaque origin,
  // it never ran, and the frame showed "Loading the lab…" forever.
  const { server, base } = await corsServer({ cors: false });
  try {
    await page.goto(`${base}/fixtures/sandboxed.html`);
    const frame = page.frameLocator('#lab');
    const alert = frame.locator('[data-testid="start-failed"]');
    await alert.waitFor({ state: 'visible', timeout: 15_000 });
    const text = await alert.innerText();
    assert.match(text, /sandboxed without allow-same-origin/, text);
    assert.match(text, /Access-Control-Allow-Origin: \*/, 'the header to send');
    assert.match(text, /add allow-same-origin/, 'or the attribute to add');
    assert.equal(await frame.getByText('Loading the lab').count(), 0, 'no longer loading');
  } finally {
    server.close();
  }
});

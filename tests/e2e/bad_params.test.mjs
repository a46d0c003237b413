// A bad parameter never breaks the page: a notice names each one, the rest runs on defaults.

import assert from 'node:assert/strict';

import { appTest, byTestId, readBars } from './helpers.mjs';

appTest('bad parameters show the warning and the defaults', { query: 'rate=abc&servers=0&algo=nope' }, async ({ page }) => {
  const warning = page.locator(byTestId('param-warning'));
  await warning.waitFor({ state: 'visible', timeout: 5_000 });
  const text = await warning.innerText();
  for (const name of ['rate', 'servers', 'algo']) {
    assert.match(text, new RegExp(`\\b${name}\\b`), `the notice names ${name}: ${JSON.stringify(text)}`);
  }
  const bars = await readBars(page);
  assert.equal(bars.length, 3, `the default 3 servers are drawn, found ${bars.length}`);
  assert.equal(await page.locator(byTestId('algo')).inputValue(), 'round-robin', 'the default algorithm is picked');
});

appTest("a queue past the page's million quotes the page's limit, not lbsim's", { query: 'servers=64&queue=1000000' }, async ({ page }) => {
  const warning = page.locator(byTestId('param-warning'));
  await warning.waitFor({ state: 'visible', timeout: 5_000 });
  const text = await warning.innerText();
  assert.match(text, /queue="1000000"/, text);
  assert.match(text, /allowed in the browser: at most 1000000 \(about 40 MB\)/, text);
  assert.doesNotMatch(text, /50000000|2000 MB/, `lbsim's limit is not the page's: ${text}`);
  assert.equal((await readBars(page)).length, 64, 'the 64 servers are drawn');
});

// Text from the URL is text, never markup (issue 5): server names holding a script tag and an
// img with an onerror handler, and an unknown parameter made of tags, show literally; no script
// or img element is created, nothing runs, and nothing is fetched for the img; the history's
// legend, drawn by the small views' bundle from texts the lab hands it, names them literally too.

import assert from 'node:assert/strict';

import { appTest, readBars } from './helpers.mjs';

const SCRIPT = '<script>window.pwned=1</script>';
const IMG = '<img src=x onerror=window.pwned=2>';
const QUERY = `names=${encodeURIComponent(`${SCRIPT},${IMG},b`)}&${encodeURIComponent('<b>bold</b>')}=${encodeURIComponent('<i onmouseover=window.pwned=3>i</i>')}`;

appTest('names and parameters from the URL render as text', { query: QUERY }, async ({ page, requests }) => {
  await page.waitForTimeout(1_000);
  // the history's legend names the servers too: it is drawn once scrolled near, as a reader would
  await page.locator('.history').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="series-legend"]').waitFor({ timeout: 10_000 });
  const legend = await page.locator('[data-testid="series-legend"] li').allInnerTexts();
  assert.deepEqual(legend.slice(0, 3), [SCRIPT, IMG, 'b'], 'the legend names the servers, literally');
  const found = await page.evaluate(() => ({
    pwned: window.pwned,
    scripts: document.querySelectorAll('#app script').length,
    imgs: document.querySelectorAll('img').length,
    tags: document.querySelectorAll('#app b, #app i').length,
    text: document.body.innerText,
  }));
  assert.equal(found.pwned, undefined, 'no script from the URL ran');
  assert.equal(found.scripts, 0, 'no script element in the app');
  assert.equal(found.imgs, 0, 'no img element in the page');
  assert.equal(found.tags, 0, 'no b or i element from the URL');
  const bars = await readBars(page);
  assert.deepEqual(bars.map((b) => b.server), [SCRIPT, IMG, 'b'], 'the names are the servers, literally');
  assert.ok(found.text.includes(SCRIPT) && found.text.includes(IMG), 'the page shows the names as text');
  assert.ok(found.text.includes('<b>bold</b>'), `the notice names the unknown parameter as text: ${found.text.slice(0, 400)}`);
  assert.ok(!requests.some((url) => /\/x$/.test(new URL(url).pathname)), 'the img src was never fetched');
});

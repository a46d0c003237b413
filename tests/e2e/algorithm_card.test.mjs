// The algorithm card: the current algorithm's rule with the line that decided the last pick
// highlighted, its cost per pick, and where nginx, HAProxy and Envoy offer it.

import assert from 'node:assert/strict';

import { appTest, byTestId, clickTestId, eventually } from './helpers.mjs';

for (const [name, viewport] of [
  ['algorithm card highlights the deciding line (desktop)', { width: 1280, height: 800 }],
  ['algorithm card on a phone', { width: 360, height: 740 }],
]) {
  appTest(name, { query: 'mode=manual&algo=least-connections&servers=3', viewport }, async ({ page }) => {
    const card = page.locator(byTestId('algorithm-card'));
    assert.equal(await card.getAttribute('data-algo'), 'least-connections');
    assert.equal(await page.locator(byTestId('decided-line')).count(), 0, 'no pick yet, no line highlighted');
    assert.match(await card.innerText(), /least_conn;/);
    assert.equal(await page.locator(byTestId('card-cost')).innerText(), 'O(log n)');

    await clickTestId(page, 'fire');
    await eventually(async () => {
      const line = await page.locator(byTestId('decided-line')).innerText();
      assert.match(line, /connections < best\.connections/, line);
    });
    assert.match(await page.locator(byTestId('card-note')).innerText(), /chose server1/);

    await page.selectOption(byTestId('algo'), 'peak-ewma');
    await eventually(async () => assert.equal(await card.getAttribute('data-algo'), 'peak-ewma'));
    const text = await card.innerText();
    assert.match(text, /not offered/, 'peak EWMA is not in nginx');
    assert.match(text, /Linkerd/);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= viewport.width + 1, `no sideways scrolling: ${scrollWidth}`);
  });
}

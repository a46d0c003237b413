// The cache lesson: with a cache on each server and Zipf-popular keys, consistent hashing
// keeps each key on one server and its cache warm; round robin spreads every key over every
// cache and misses far more. The same scenario as crates/lbcore/tests/cache_lesson.rs
// (8 servers, 100 entries per cache, 5,000 keys, Zipf 0.9), faster requests so that the
// browser sees some 20,000 of them in a few seconds.

import assert from 'node:assert/strict';

import { appTest, byTestId, eventually, metric } from './helpers.mjs';

const SCENARIO = 'servers=8&cache=per-server&cache-size=100&keys=5000&zipf=0.9&rate=1500&cost=0.004&seed=11&speed=10';

async function hitRatioAfter(page, open, algo, requests) {
  await open(`${SCENARIO}&algo=${algo}`);
  await eventually(async () => assert.ok((await metric(page, 'arrived')) >= requests, 'enough requests'), { timeout: 60_000, interval: 250 });
  return Number(await page.locator(byTestId('cache-hit-ratio')).getAttribute('data-value'));
}

appTest('cache lesson: consistent hashing keeps per-server caches warm, round robin misses', { timeout: 180_000, viewport: { width: 1280, height: 800 } }, async ({ page, open }) => {
  const ring = await hitRatioAfter(page, open, 'consistent-hash', 20_000);
  const perServer = await page.$$eval('[data-testid="server-hit-ratio"]', (li) => li.map((l) => Number(l.dataset.value)));
  assert.equal(perServer.length, 8, 'a hit ratio per server');
  const reached = Number(await page.locator(byTestId('cache-reached')).getAttribute('data-value'));
  assert.ok(reached > 0 && reached < (await metric(page, 'arrived')), 'hits take load off the servers');
  const rr = await hitRatioAfter(page, open, 'round-robin', 20_000);
  console.log(`hit ratio: consistent-hash ${ring.toFixed(3)}, round-robin ${rr.toFixed(3)}`);
  assert.ok(ring - rr > 0.2, `consistent hash ${ring} vs round robin ${rr}: a clear gap`);
});

appTest('caches panel on a phone', { query: `${SCENARIO}&algo=consistent-hash`, viewport: { width: 360, height: 740 } }, async ({ page }) => {
  await page.locator(byTestId('cache-panel')).scrollIntoViewIfNeeded();
  assert.equal(await page.locator(byTestId('cache-mode')).inputValue(), 'per-server');
  await page.selectOption(byTestId('cache-mode'), 'shared');
  await eventually(async () => assert.equal(await page.locator(byTestId('server-hit-ratio')).count(), 0, 'one shared cache: no per-server list'));
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 361, `no sideways scrolling: ${scrollWidth}`);
});

appTest('cache lesson in compare mode: the table shows the hit-ratio gap side by side', { query: `${SCENARIO}&mode=compare&algos=consistent-hash,round-robin`, timeout: 120_000, viewport: { width: 1280, height: 800 } }, async ({ page }) => {
  await eventually(
    async () => {
      const arrived = await page.$$eval('[data-testid="compare-panel"]', (all) => all.map((p) => Number(p.dataset.arrived)));
      assert.ok(arrived[0] >= 20_000, `enough requests: ${arrived}`);
      assert.equal(arrived[0], arrived[1], 'the same traffic in both panels');
    },
    { timeout: 60_000, interval: 250 },
  );
  const cells = await page.$$eval('[data-testid="compare-table"] [data-testid="cell-hit-ratio"]', (td) => td.map((c) => ({ v: Number(c.dataset.value), best: c.dataset.best, text: c.innerText })));
  assert.equal(cells.length, 2);
  assert.ok(cells[0].v - cells[1].v > 0.2, `consistent hash ${cells[0].v} vs round robin ${cells[1].v}`);
  assert.equal(cells[0].best, 'true');
  assert.match(cells[0].text, /★/);
});

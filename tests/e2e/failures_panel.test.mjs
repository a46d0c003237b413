// The failures panel: a failed server with retries on and slow health checks: requests sent
// to it before a check notices fail and are retried elsewhere, and the metrics count both.

import assert from 'node:assert/strict';

import { appTest, byTestId, clickTestId, eventually, metric, queryOf } from './helpers.mjs';

appTest('failures: retried requests are counted, and the controls set the URL', { query: 'servers=3&rate=40&cost=0.05&health-interval=20&seed=4', viewport: { width: 1280, height: 800 } }, async ({ page }) => {
  await page.locator(byTestId('retry')).check();
  await eventually(async () => assert.equal(queryOf(page).retries, '1'));
  await clickTestId(page, 'fail-server2');
  await eventually(async () => assert.ok((await metric(page, 'retried')) >= 3, 'requests to the failed server are retried'), { timeout: 20_000 });
  assert.match(await page.locator(byTestId('failure-counts')).innerText(), /retried/);
  await page.locator(byTestId('retry')).uncheck();
  await eventually(async () => assert.ok((await metric(page, 'failed')) >= 1, 'without retry they fail'), { timeout: 20_000 });
});

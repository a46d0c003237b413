// The Resilience panel (issue 19): opened, the on-demand bundle draws every mechanism's
// setting from lbcore's settings table; a change sets the URL as a link would; a fault started
// from now shows under its bar and as a band in the history while it lasts; the compare table
// gains the client's columns; the decision log tells a hedge in words.

import assert from 'node:assert/strict';

import { appTest, byTestId, decisions, eventually, queryOf, readBars } from './helpers.mjs';

const SETTINGS = ['timeout', 'retries', 'backoff', 'backoff-base', 'backoff-cap', 'jitter', 'cancel', 'retry-budget', 'retry-min', 'retry-bucket', 'retry-bucket-ttl', 'retry-bucket-min', 'hedge-after', 'queue-order', 'max-pending', 'max-requests', 'faults', 'error-latency'];

async function openPanel(page) {
  await page.locator(`${byTestId('resilience-panel')} > summary`).click();
  await page.locator(byTestId('resilience')).waitFor({ timeout: 20_000 });
}

appTest('resilience: every setting has a field, and a change sets the URL', { query: 'servers=4&rate=30&timeout=1', viewport: { width: 1280, height: 800 } }, async ({ page }) => {
  await openPanel(page);
  for (const name of SETTINGS) {
    assert.equal(await page.locator(`${byTestId('resilience')} [data-setting="${name}"]`).count(), 1, `a field for ${name}`);
  }
  const hedge = page.locator(`${byTestId('resilience')} [data-setting="hedge-after"]`);
  await hedge.fill('p95');
  await hedge.dispatchEvent('change');
  await eventually(async () => assert.equal(queryOf(page)['hedge-after'], 'p95'));
  await page.locator(`${byTestId('resilience')} [data-setting="queue-order"]`).selectOption('lifo');
  await eventually(async () => assert.equal(queryOf(page)['queue-order'], 'lifo'));
  const breaker = page.locator(`${byTestId('resilience')} [data-setting="max-pending"]`);
  await breaker.fill('-3');
  await breaker.dispatchEvent('change');
  // refused, naming the setting, the value and what is allowed; the URL keeps what it had
  await eventually(async () => assert.match(await page.locator('body').innerText(), /max-pending="-3": not a whole number; allowed: 0 to 10000000/));
  assert.equal(queryOf(page)['max-pending'], undefined);
});

appTest('resilience: a fault started from now shows under its bar and in the history, then ends', { query: 'servers=3&rate=20&seed=3', viewport: { width: 1280, height: 800 } }, async ({ page }) => {
  await openPanel(page);
  const now = page.locator(byTestId('fault-now'));
  await now.locator('select').first().selectOption('server2');
  await now.locator('select').nth(1).selectOption('slow=0.2');
  await now.locator('input').fill('3');
  await now.locator('input').dispatchEvent('change');
  await now.locator('button').click();
  await eventually(async () => assert.match(queryOf(page).faults ?? '', /^server2:slow=0\.2@[0-9.]+-[0-9.]+$/));
  const [, from, to] = queryOf(page).faults.match(/@([0-9.]+)-([0-9.]+)/).map(Number);
  assert.ok(Math.abs(to - from - 3) < 1e-9, `3 s from now: ${queryOf(page).faults}`);
  // the history is drawn when it first comes near the viewport: below the fold, scroll to it
  await page.locator('.history').scrollIntoViewIfNeeded();
  await eventually(async () => {
    const bars = await readBars(page);
    assert.match(bars[1].label, /slowed to 0\.2×/, 'the slowed server says so');
    assert.doesNotMatch(bars[0].label, /slowed/);
    assert.ok((await page.locator(byTestId('fault-band')).count()) >= 1, 'a band in the history');
  }, { timeout: 10_000 });
  // over after its 3 s of simulated time
  await eventually(async () => assert.doesNotMatch((await readBars(page))[1].label, /slowed/), { timeout: 20_000 });
});

appTest('resilience: compare mode tables goodput, attempts per request and timed out', { query: 'mode=compare&algos=round-robin,least-connections&servers=4&speeds=1,1,1,0.25&rate=30&timeout=1&retries=2&hedge-after=0.2&seed=5', viewport: { width: 1280, height: 800 } }, async ({ page }) => {
  await page.locator(byTestId('compare-table')).waitFor({ timeout: 20_000 });
  for (const column of ['goodput', 'amplification', 'timed-out']) {
    assert.equal(await page.locator(byTestId(`cell-${column}`)).count(), 2, `a ${column} cell per algorithm`);
  }
  await eventually(async () => {
    const amp = Number(await page.locator(byTestId('cell-amplification')).first().getAttribute('data-value'));
    assert.ok(amp > 1, `hedges and retries make more attempts than requests: ${amp}`);
  }, { timeout: 20_000 });
});

appTest('resilience: the decision log tells a hedge in words', { query: 'servers=4&speeds=1,1,1,0.25&dist=const&rate=30&hedge-after=0.15&seed=5', viewport: { width: 1280, height: 800 } }, async ({ page }) => {
  await eventually(async () => {
    const log = await decisions(page);
    assert.ok(log.some((d) => /still unanswered on server4: a copy goes to another server, the first answer wins/.test(d)), log.join('\n'));
  }, { timeout: 20_000 });
});

// The algorithm card: the current algorithm's rule with the line that decided the last pick
// highlighted, its cost per pick, and where nginx, HAProxy and Envoy offer it. Its words are
// fetched (static/algorithm-cards.html) when the card is first drawn, so the test waits for them.

import assert from 'node:assert/strict';

import { appTest, byTestId, clickTestId, eventually } from './helpers.mjs';

for (const [name, viewport] of [
  ['algorithm card highlights the deciding line (desktop)', { width: 1280, height: 800 }],
  ['algorithm card on a phone', { width: 360, height: 740 }],
]) {
  appTest(name, { query: 'mode=manual&algo=least-connections&servers=3', viewport }, async ({ page }) => {
    const card = page.locator(byTestId('algorithm-card'));
    assert.equal(await card.getAttribute('data-algo'), 'least-connections');
    await eventually(async () => assert.match(await card.innerText(), /least_conn;/));
    assert.equal(await page.locator(byTestId('decided-line')).count(), 0, 'no pick yet, no line highlighted');
    assert.equal(await page.locator(byTestId('card-cost')).innerText(), 'O(log n)');

    await clickTestId(page, 'fire');
    await eventually(async () => {
      const line = await page.locator(byTestId('decided-line')).innerText();
      assert.match(line, /connections < best\.connections/, line);
    });
    assert.match(await page.locator(byTestId('card-note')).innerText(), /chose server1/);

    await page.selectOption(byTestId('algo'), 'peak-ewma');
    await eventually(async () => assert.equal(await card.getAttribute('data-algo'), 'peak-ewma'));
    await eventually(async () => assert.match(await card.innerText(), /Linkerd/));
    const text = await card.innerText();
    assert.match(text, /not offered/, 'peak EWMA is not in nginx');
    assert.match(text, /Linkerd/);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= viewport.width + 1, `no sideways scrolling: ${scrollWidth}`);
  });
}

appTest('the algorithm card says why when its words cannot be fetched', { query: 'mode=manual&algo=round-robin&servers=3' }, async ({ page }) => {
  await page.route('**/algorithm-cards.html', (route) => route.abort());
  await page.reload();
  const alert = page.locator(`${byTestId('algorithm-card')} [role=alert]`);
  await alert.waitFor({ timeout: 10_000 });
  assert.match(await alert.innerText(), /The algorithm's card could not load: algorithm-cards\.html did not load \(.+\)\. Reload the page to try again\./);
  assert.match(await page.locator(byTestId('algorithm-card')).innerText(), /How round-robin picks/, 'the heading stays');
});

appTest('the algorithm card marks the line that decided the last pick', { query: 'mode=manual&algo=round-robin&servers=3' }, async ({ page }) => {
  await clickTestId(page, 'fire');
  const line = page.locator(byTestId('decided-line'));
  await eventually(async () => assert.match(await line.innerText(), /if s is up: send the request to s/));
  assert.equal(await line.getAttribute('aria-current'), 'step');
  assert.match(await line.innerText(), /← last pick/);
  // round robin's rule: line 4 decides a pick by turn (src/algorithm_card_data.rs, decides turn -> 3 from 0)
  assert.match(await page.locator(byTestId('card-note')).innerText(), /^Line 4 decided the last pick: /);
  assert.equal(await page.locator('.algorithm-card [aria-current]').count(), 1, 'one line is current');
});

// The card's words come a moment after the page draws. While they load the card holds about
// their height: when it did not (one line, then 278 to 427 px more at 1280 wide), the history
// below it sat inside its 200 px loading margin for the first frames at 1280x800 and fetched the
// small views' bundle (172 KB gzip) at every start, though no reader had come near it.
for (const viewport of [{ width: 1280, height: 800 }, { width: 1366, height: 768 }]) {
  appTest(`the full page fetches no on-demand bundle at start while the card's words load (${viewport.width}x${viewport.height})`, { viewport }, async ({ page, requests, open }) => {
    // the words held back for 1 s, as a slow network would: the page below must not move
    let release;
    const held = new Promise((r) => (release = r));
    await page.route('**/algorithm-cards.html', async (route) => {
      await held;
      await route.continue();
    });
    const before = requests.length;
    await open('');
    const history = page.locator('.history-place');
    const top = await history.evaluate((e) => e.getBoundingClientRect().top);
    await page.waitForTimeout(1_000);
    release();
    await eventually(async () => assert.match(await page.locator(byTestId('algorithm-card')).innerText(), /Envoy/));
    await page.waitForTimeout(500);
    const after = await history.evaluate((e) => e.getBoundingClientRect().top);
    const bundles = requests.slice(before).filter((u) => /views|experiments/.test(new URL(u).pathname));
    assert.deepEqual(bundles, [], 'no on-demand bundle at start');
    assert.ok(top > viewport.height + 200, `the history starts below its loading margin: ${top} px`);
    // the tallest card at these widths (409 px) less the place held (278): the most it may move
    assert.ok(Math.abs(after - top) <= 409 - 278, `the history moved ${after - top} px when the card's words came`);
  });
}

// Predict mode: the learner guesses the server for the next request; the app fires it,
// reveals the engine's choice with its reason, and keeps the score in a live region.

import assert from 'node:assert/strict';

import { appTest, byTestId, clickTestId, eventually, expectConnections } from './helpers.mjs';

async function score(page) {
  const el = page.locator(byTestId('predict-score'));
  return { right: Number(await el.getAttribute('data-right')), total: Number(await el.getAttribute('data-total')), text: await el.innerText() };
}

for (const [name, query, viewport] of [
  ['predict scores a right and a wrong guess', 'mode=predict&algo=round-robin&servers=3', { width: 1280, height: 800 }],
  ['predict works in an embed on a phone', 'mode=predict&algo=round-robin&servers=3&embed=1', { width: 360, height: 740 }],
]) {
  appTest(name, { query, viewport }, async ({ page }) => {
    assert.equal(await page.locator(byTestId('fire')).count(), 0, 'no fire button: each request comes from a guess');
    assert.equal(await page.locator(byTestId('predict-score')).getAttribute('aria-live'), 'polite', 'the score is announced');

    await clickTestId(page, 'guess-server1'); // round robin starts at server1: right
    await eventually(async () => assert.deepEqual((await score(page)).total, 1));
    assert.deepEqual(await score(page).then((s) => [s.right, s.total]), [1, 1]);
    assert.match(await page.locator(byTestId('explanation')).innerText(), /Right!.*chose server1/);

    await clickTestId(page, 'guess-server3'); // next is server2: wrong
    await eventually(async () => assert.deepEqual((await score(page)).total, 2));
    const s = await score(page);
    assert.deepEqual([s.right, s.total], [1, 2]);
    assert.match(s.text, /1 of 2/);
    assert.match(await page.locator(byTestId('explanation')).innerText(), /Not this time.*chose server2/);
    await expectConnections(page, [1, 1, 0], 'two requests fired, held until completed');
  });
}

// The hashing view: when a server joins, hash-mod moves most keys, the ring and Maglev about
// 1/(n+1), bounded load a little more than the ring; the numbers follow the servers slider.

import assert from 'node:assert/strict';

import { appTest, byTestId, clickTestId, eventually } from './helpers.mjs';

async function moved(page, algo) {
  return Number(await page.locator(byTestId(`moved-${algo}`)).getAttribute('data-value'));
}

for (const [name, viewport] of [
  ['hashing view: keys moved when a server joins (desktop)', { width: 1280, height: 800 }],
  ['hashing view on a phone', { width: 360, height: 740 }],
]) {
  appTest(name, { query: 'algo=consistent-hash&servers=5&paused=1', viewport }, async ({ page }) => {
    const view = page.locator(byTestId('hashing-view'));
    await view.waitFor({ state: 'visible' });
    assert.match(await view.innerText(), /5 → 6/);
    const mod = await moved(page, 'hash-mod');
    const ring = await moved(page, 'consistent-hash');
    const maglev = await moved(page, 'maglev');
    assert.ok(mod > 0.6, `hash-mod moves most keys: ${mod}`);
    assert.ok(ring < 0.3 && maglev < 0.3, `ring ${ring} and maglev ${maglev} move about 1/6`);
    assert.ok((await page.locator('.keyspace .moved-mark').count()) > 0, 'moved keys are marked in the picture');

    // The learner's own add, then remove: the view shows what that change moved.
    await clickTestId(page, 'add-server');
    await eventually(async () => assert.match(await view.innerText(), /moved with your change \(5 → 6 servers\)/));
    await clickTestId(page, 'remove-server');
    await eventually(async () => assert.match(await view.innerText(), /moved with your change \(6 → 5 servers\)/));
    const back = await moved(page, 'consistent-hash');
    assert.ok(back < 0.3, `the ring moves back about 1/6 of the keys: ${back}`);
    await page.selectOption(byTestId('algo'), 'round-robin');
    await eventually(async () => assert.equal(await page.locator(byTestId('hashing-view')).count(), 0, 'only for hash-based algorithms'));
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= viewport.width + 1, `no sideways scrolling: ${scrollWidth}`);
  });
}

// What you see is what you share: the URL follows every change (replaceState), and opening
// it again restores the same scenario.

import assert from 'node:assert/strict';

import { appTest, byTestId, eventually, queryOf, readBars, setRange } from './helpers.mjs';

async function visibleState(page) {
  const value = (id) => page.locator(byTestId(id)).inputValue();
  return {
    algo: await value('algo'),
    servers: Number(await value('servers')),
    rate: Number(await value('rate-typed')),
    speed: Number(await value('speed')),
    bars: (await readBars(page)).map((b) => b.server),
  };
}

appTest(
  'URL round trip restores the same state',
  { query: 'algo=least-connections&servers=4&rate=120&speed=2&seed=7&paused=1' },
  async ({ page, open }) => {
    const opened = await visibleState(page);
    assert.deepEqual(
      { algo: opened.algo, servers: opened.servers, rate: opened.rate, speed: opened.speed, bars: opened.bars.length },
      { algo: 'least-connections', servers: 4, rate: 120, speed: 2, bars: 4 },
      'the controls show what the URL asked for',
    );

    await page.locator(byTestId('algo')).selectOption('power-of-two');
    // the rate slider moves in hundredths of a decade (1 to 2,000 /s): 10^2.48 = 302
    await setRange(page, 'rate', 2.48);
    await eventually(async () => {
      const q = queryOf(page);
      assert.equal(q.algo, 'power-of-two', `the URL follows the algorithm picker: ${page.url()}`);
      assert.equal(q.rate, '302', `the URL follows the rate slider: ${page.url()}`);
      assert.equal(q.seed, '7', `the seed stays in the URL: ${page.url()}`);
      assert.equal(q.servers, '4', `servers stays in the URL: ${page.url()}`);
    });
    const changed = await visibleState(page);
    const href = await page.evaluate(() => location.href);

    await open(new URL(href).search.slice(1));
    assert.deepEqual(await visibleState(page), changed, `reopening ${href} restores the same state`);
    assert.deepEqual(queryOf(page), Object.fromEntries(new URL(href).searchParams), 'and the same URL');
  },
);

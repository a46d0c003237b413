// Compare mode: several algorithms race on identical traffic. Every panel counts the same
// arrivals (same scenario, same seed, separate random streams in the engine), the summary
// table marks a best per column in words, fail by name acts on every panel, and the URL
// keeps the race.

import assert from 'node:assert/strict';

import { appTest, byTestId, clickTestId, eventually, queryOf, readBars } from './helpers.mjs';

const ALGOS = ['round-robin', 'least-connections', 'power-of-two', 'peak-ewma'];
const QUERY = `mode=compare&algos=${ALGOS.join(',')}&servers=4&rate=30&cost=0.1&speeds=1,1,0.3,1&seed=5&health-interval=0`;

async function panels(page) {
  return page.$$eval('[data-testid="compare-panel"]', (all) =>
    all.map((p) => ({ algo: p.dataset.algo, arrived: Number(p.dataset.arrived) })),
  );
}

appTest('compare: four panels, identical arrivals, best marked, fail applies to all', { query: QUERY, timeout: 120_000 }, async ({ page }) => {
  assert.deepEqual((await panels(page)).map((p) => p.algo), ALGOS, 'one panel per algorithm, in URL order');
  assert.equal((await readBars(page)).length, 16, 'four servers in each of four panels');

  await eventually(async () => assert.ok((await panels(page))[0].arrived >= 40, 'traffic flows'), { timeout: 20_000 });
  await clickTestId(page, 'play-pause');
  const counts = (await panels(page)).map((p) => p.arrived);
  assert.ok(counts.every((c) => c === counts[0]), `identical arrival counts across panels: ${JSON.stringify(counts)}`);

  await eventually(async () => {
    const best = await page.$$eval('[data-testid="compare-table"] td[data-best="true"]', (cells) => cells.map((c) => c.innerText));
    assert.ok(best.length > 0, 'some column marks a best');
    assert.ok(best.every((t) => t.includes('★')), `the best carries a mark, not colour alone: ${JSON.stringify(best)}`);
  });
  const rows = await page.$$eval('[data-testid="compare-table"] tbody tr', (trs) => trs.map((tr) => tr.dataset.algo));
  assert.deepEqual(rows, ALGOS, 'one table row per algorithm');

  await clickTestId(page, 'play-pause');
  await clickTestId(page, 'fail-server3');
  await eventually(async () => {
    const down = (await readBars(page)).filter((b) => b.server === 'server3');
    assert.equal(down.length, 4);
    for (const b of down) assert.match(b.label, /\bdown\b/, `server3 is down in every panel: ${b.label}`);
  });
  await clickTestId(page, 'play-pause');
  const again = (await panels(page)).map((p) => p.arrived);
  assert.ok(again.every((c) => c === again[0]), `still identical after a failure: ${JSON.stringify(again)}`);

  const q = queryOf(page);
  assert.equal(q.mode, 'compare');
  assert.equal(q.algos, ALGOS.join(','), 'the URL keeps the race');
});

appTest('compare: bad algos entries are named in the notice', { query: 'mode=compare&algos=round-robin,fastest,maglev' }, async ({ page }) => {
  const warning = page.locator(byTestId('param-warning'));
  await warning.waitFor({ state: 'visible', timeout: 5_000 });
  const text = await warning.innerText();
  assert.match(text, /\balgos\b/, text);
  assert.match(text, /\bfastest\b/, text);
  assert.deepEqual((await panels(page)).map((p) => p.algo), ['round-robin', 'maglev']);
});

appTest('compare on a phone stacks the panels', { query: QUERY, viewport: { width: 360, height: 740 } }, async ({ page }) => {
  const boxes = await page.$$eval('[data-testid="compare-panel"]', (all) => all.map((p) => p.getBoundingClientRect().toJSON()));
  assert.equal(boxes.length, 4);
  for (let i = 1; i < boxes.length; i++) {
    assert.ok(boxes[i].top >= boxes[i - 1].bottom - 1, `panel ${i} sits below panel ${i - 1}`);
  }
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 361, `no sideways scrolling on a phone: ${scrollWidth}`);
});

appTest('compare on a desktop puts panels side by side', { query: QUERY, viewport: { width: 1280, height: 800 } }, async ({ page }) => {
  const boxes = await page.$$eval('[data-testid="compare-panel"]', (all) => all.map((p) => p.getBoundingClientRect().toJSON()));
  assert.ok(Math.abs(boxes[0].top - boxes[1].top) < 2, 'the first two panels share a row');
});

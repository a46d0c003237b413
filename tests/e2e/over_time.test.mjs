// A lesson's "Over time": in a frame too small for the history beside the bars (under 600x600),
// the stage draws the one chart the bars cannot show in their place, at the learner's word.
// The stale-queue lesson's first step asks how many of the server's answers reached a client
// still waiting; its answer (none) is what the chart must show. After Show me (5 s at 300 a
// second, then 50 a second for 10 s), one server of 100 a second has a queue of about
// 1,000 requests (its limit) whose clients gave up after 0.2 s: it answers 100 a second, all
// stale. So the chart's latest throughput is 100 a second (the server never idles: const cost
// 0.01 s; a sample may fall between answers, so at least 90) and its latest goodput 0.
// The chart, its caption (which says the window: the last 30 s), its legend and the button
// must be in view in every frame size, with the page not scrolling; pressing again gives the
// bars back.

import assert from 'node:assert/strict';

import { CHART_PARTS, appUrl, browserTest, byTestId, eventually, unseen } from './helpers.mjs';

const FRAMES = [
  { width: 720, height: 480 },
  { width: 360, height: 740 },
  { width: 328, height: 480 },
];

for (const viewport of FRAMES) {
  browserTest(`a lesson's Over time shows throughput against goodput in the bars' place at ${viewport.width}x${viewport.height}`, { viewport, timeout: 120_000 }, async ({ page }) => {
    await page.goto(appUrl('lesson=stale-queue&embed=1'));
    await page.getByRole('button', { name: 'Show me' }).click();
    await page.waitForSelector(`${byTestId('lesson-task')}[data-done="true"]`, { state: 'attached', timeout: 60_000 });
    const toggle = page.getByRole('button', { name: 'Over time' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');

    const chart = page.locator('.stage .series svg');
    await chart.waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.stage .series').count(), 1, 'one chart in the stage');
    assert.equal(await page.locator('.stage .bar-chart').isVisible(), false, 'in the bars\' place');
    const label = await chart.getAttribute('aria-label');
    const latest = (what) => {
      const m = label.match(new RegExp(`${what}, latest ([0-9.]+)`));
      assert.ok(m, `the chart's label says the latest ${what}: ${label}`);
      return Number(m[1]);
    };
    assert.ok(latest('throughput') >= 90, `the server never idles: ${label}`);
    assert.equal(latest('goodput'), 0, `no answer reached a client still waiting: ${label}`);

    const missing = await unseen(page, [
      ['the chart\'s caption', '.stage .series figcaption'],
      ['the chart', '.stage .series svg'],
      ['the legend', `.stage ${byTestId('answers-legend')}`],
      ['Over time', byTestId('over-time')],
      ['the step text', '.lesson-text'],
    ]);
    assert.deepEqual(missing, [], 'all in view, the page not scrolling');
    assert.match(await page.locator('.stage .series figcaption').innerText(), /last 30 s/, 'the caption says its window');

    await toggle.click();
    await eventually(async () => assert.deepEqual(await unseen(page, CHART_PARTS), [], 'the bars are back'));
  });
}

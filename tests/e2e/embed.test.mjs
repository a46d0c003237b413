// embed=1 is the compact layout for an iframe in a course page: it fits 720x480 and a
// 360px phone without horizontal scrolling, and shows only the controls it is asked for.

import assert from 'node:assert/strict';

import { appTest, byTestId } from './helpers.mjs';

const QUERY = 'embed=1&controls=rate,algo';

for (const [width, height] of [
  [720, 480],
  [360, 740],
]) {
  appTest(`embed mode at ${width}x${height}`, { query: QUERY, viewport: { width, height } }, async ({ page }) => {
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `no horizontal scroll: scrollWidth ${scrollWidth} <= ${width}`);

    for (const shown of ['rate', 'algo']) {
      assert.ok(await page.locator(byTestId(shown)).isVisible(), `the chosen control ${shown} is visible`);
    }
    // Not chosen: the servers slider (with add/remove), speed, play, step, fire, share, and
    // the per-server actions.
    for (const hidden of ['servers', 'add-server', 'speed', 'play-pause', 'step', 'fire', 'share', 'complete-server1']) {
      const n = await page.locator(byTestId(hidden)).count();
      const visible = n > 0 && (await page.locator(byTestId(hidden)).first().isVisible());
      assert.ok(!visible, `the control ${hidden} was not chosen and must not show`);
    }

    // Read in one go: the bars are redrawn every frame while the simulation runs. A bar
    // with no connections has no height, so the chart (the bars' svg) must be in view and
    // each bar's column inside it.
    const { chart, bars } = await page.$$eval(byTestId('server-bar'), (groups) => {
      const box = (e) => {
        const r = e.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      };
      return {
        chart: box(groups[0].ownerSVGElement),
        bars: groups.map((g) => ({ server: g.dataset.server, ...box(g) })),
      };
    });
    assert.equal(bars.length, 3, 'three bars by default');
    const inView = (b) => b.x >= 0 && b.x + b.width <= width && b.y >= 0 && b.y + b.height <= height;
    assert.ok(chart.width > 0 && chart.height > 0 && inView(chart), `the chart lies within the ${width}x${height} viewport: ${JSON.stringify(chart)}`);
    for (const bar of bars) {
      assert.ok(
        bar.x >= chart.x && bar.x + bar.width <= chart.x + chart.width,
        `bar ${bar.server} is inside the chart: ${JSON.stringify({ bar, chart })}`,
      );
    }

    if (height <= 480) {
      // An iframe of 720x480 shows the controls it offers without scrolling inside it.
      for (const shown of ['rate', 'algo']) {
        const box = await page.locator(byTestId(shown)).boundingBox();
        assert.ok(box && inView(box), `the chosen control ${shown} is within the ${width}x${height} frame without scrolling: ${JSON.stringify(box)}`);
      }
    }
  });
}

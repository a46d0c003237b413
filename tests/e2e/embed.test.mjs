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

    // Boxes read in one go: the bars are redrawn every frame while the simulation runs.
    const boxes = await page.$$eval(byTestId('server-bar'), (groups) =>
      groups.map((g) => {
        const r = g.getBoundingClientRect();
        return { server: g.dataset.server, x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    );
    assert.equal(boxes.length, 3, 'three bars by default');
    for (const box of boxes) {
      assert.ok(box.width > 0 && box.height > 0, `bar ${box.server} is drawn: ${JSON.stringify(box)}`);
      assert.ok(
        box.x >= 0 && box.x + box.width <= width && box.y >= 0 && box.y + box.height <= height,
        `bar ${box.server} lies within the ${width}x${height} viewport: ${JSON.stringify(box)}`,
      );
    }
  });
}

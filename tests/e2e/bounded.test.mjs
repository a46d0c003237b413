// URLs that froze the tab or blanked the page now keep it responsive: after load, at least
// 20 animation frames in a 2-second window, no task longer than 200 ms, and bars or a notice.
// (A frame budget of 20,000 events, bounded caches, and limits the URL is held to.)

import assert from 'node:assert/strict';

import { appTest, byTestId } from './helpers.mjs';

const CASES = [
  // A 1 ns on-period could never take an arrival: the arrival loop never returned.
  ['arrivals=bursty&burst-on=0.000000001', 'notice'],
  // A billion requests a second: a frame took about a second of work.
  ['servers=64&rate=1000000000&speed=10', 'pace'],
  // Ten million entries reserved per cache: out of memory, then a blank page.
  ['servers=64&cache=per-server&cache-size=10000000', 'bars'],
  // 64 x 1,001,000 places for requests held: the renderer reached 4 GB.
  ['servers=64&workers=1000&queue=1000000&rate=10000000&cost=3600', 'notice'],
];

for (const [query, shows] of CASES) {
  appTest(`the page stays responsive at ?${query}`, { query }, async ({ page }) => {
    const { frames, longest } = await page.evaluate(async () => {
      let longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
      }).observe({ type: 'longtask', buffered: false });
      let frames = 0;
      const start = performance.now();
      await new Promise((done) => {
        const step = () => {
          frames += 1;
          if (performance.now() - start < 2000) requestAnimationFrame(step);
          else done();
        };
        requestAnimationFrame(step);
      });
      return { frames, longest };
    });
    assert.ok(frames >= 20, `${frames} animation frames in 2 s`);
    assert.ok(longest <= 200, `a task took ${longest.toFixed(0)} ms`);
    const bars = await page.locator(byTestId('server-bar')).count();
    assert.ok(bars > 0, 'bars are drawn');
    if (shows === 'notice') {
      await page.locator(byTestId('param-warning')).waitFor({ state: 'visible', timeout: 5_000 });
    }
    if (shows === 'pace') {
      const pace = await page.locator(byTestId('pace')).innerText({ timeout: 5_000 });
      assert.match(pace, /^Running at [0-9.]+× real time/, pace);
    }
  });
}

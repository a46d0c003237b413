// static/embed-example.html, the lesson page shipped with the app: both iframes start the
// lab (round robin and least connections on three servers, one of them slow), side by side
// on a wide screen and stacked below that (at 1280 two frames would each get 616 px, too
// narrow for the lab's embed layout, which cut its numbers), and inside each frame nothing
// scrolls the page.

import assert from 'node:assert/strict';

import { BASE_URL, browserTest, byTestId } from './helpers.mjs';

const PAGE = new URL('embed-example.html', BASE_URL).href;

for (const [width, height, layout] of [
  [1500, 900, 'side by side'],
  [1280, 1600, 'stacked'],
  [390, 1600, 'stacked'],
  [360, 1600, 'stacked'],
]) {
  browserTest(`embed example page at ${width}px: ${layout}`, { viewport: { width, height } }, async ({ page }) => {
    // index.html copies static/embed-example.html into dist/: a 404 is a broken build.
    const response = await page.goto(PAGE);
    assert.equal(response?.status(), 200, `${PAGE} loads (index.html copies static/embed-example.html into dist/)`);
    const iframes = page.locator('iframe');
    assert.equal(await iframes.count(), 2, 'two embedded scenarios');

    const algos = [];
    for (const [i, iframe] of (await iframes.all()).entries()) {
      await iframe.scrollIntoViewIfNeeded();
      const frame = page.frameLocator('iframe').nth(i);
      await frame.locator(byTestId('server-bar')).first().waitFor({ state: 'attached', timeout: 30_000 });
      assert.equal(await frame.locator(byTestId('server-bar')).count(), 3, `iframe ${i + 1} draws three servers`);
      const src = new URL(await iframe.getAttribute('src'), PAGE);
      algos.push(src.searchParams.get('algo'));
      const inner = await (await iframe.elementHandle()).contentFrame();
      const fit = await inner.evaluate(() => ({
        h: document.scrollingElement.scrollHeight,
        w: document.scrollingElement.scrollWidth,
        innerHeight,
        innerWidth,
      }));
      assert.ok(fit.h <= fit.innerHeight && fit.w <= fit.innerWidth, `iframe ${i + 1}'s page does not scroll: ${JSON.stringify(fit)}`);
      if (width >= 720) assert.ok(fit.innerWidth >= 718, `iframe ${i + 1} gets the lab's 720 px: ${fit.innerWidth}`);
      assert.equal(src.searchParams.get('embed'), '1', `iframe ${i + 1} uses the embed layout`);
    }
    assert.deepEqual(algos, ['round-robin', 'least-connections'], 'round robin beside least connections');

    const [a, b] = await Promise.all((await iframes.all()).map((f) => f.boundingBox()));
    if (layout === 'side by side') {
      assert.ok(Math.abs(a.y - b.y) < 1 && b.x >= a.x + a.width, `side by side: ${JSON.stringify([a, b])}`);
    } else {
      assert.ok(b.y >= a.y + a.height, `stacked: ${JSON.stringify([a, b])}`);
      assert.ok(a.x + a.width <= width, `the first iframe fits the ${width}px screen: ${JSON.stringify(a)}`);
    }
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `no horizontal scroll: scrollWidth ${scrollWidth} <= ${width}`);
  });
}

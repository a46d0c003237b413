// Routing you can see (src/components/scene.rs): each request fired in manual mode travels as a
// dot from the balancer to the top of the bar of the server the engine chose, which flashes while
// the decision is said beside it; with reduced motion no dot is drawn and the flash stays as a
// highlight; at a high rate the chart draws streams as wide as each server's requests per second,
// and says so in its legend.

import assert from 'node:assert/strict';

import { appTest, clickTestId, decisions, eventually, readBars, sleep } from './helpers.mjs';

/** The bars' geometry in SVG units (the plot is 1000 x 400) and on screen. */
async function barGeometry(page) {
  return page.$$eval('[data-testid="server-bar"]', (groups) =>
    groups.map((g) => {
      const service = g.querySelector('rect.in-service');
      const waiting = g.querySelector('rect.waiting');
      const x = Number(service.getAttribute('x'));
      const width = Number(service.getAttribute('width'));
      const top = Math.min(Number(service.getAttribute('y')), Number(waiting.getAttribute('y')));
      const box = service.getBoundingClientRect();
      const screenTop = Math.min(box.top, waiting.getBoundingClientRect().top);
      return { server: g.dataset.server, centre: ((x + width / 2) / 1000) * 100, top: (top / 400) * 100, screen: { x: box.left + box.width / 2, y: screenTop } };
    }),
  );
}

/** The newest dot: its target (cx, cy in % of the plot) and where it is drawn at `ms` into its flight. */
async function newestDot(page, ms) {
  return page.$eval('svg.trips', (svg, ms) => {
    const dots = svg.querySelectorAll('circle.trip');
    const dot = dots[dots.length - 1];
    if (!dot) return null;
    for (const a of dot.getAnimations()) {
      a.pause();
      a.currentTime = ms;
    }
    const box = dot.getBoundingClientRect();
    const plot = svg.getBoundingClientRect();
    return {
      cx: parseFloat(dot.getAttribute('cx')),
      cy: parseFloat(dot.getAttribute('cy')),
      at: { x: box.left + box.width / 2, y: box.top + box.height / 2 },
      plot: { x: plot.left + plot.width / 2, y: plot.top },
      shown: dot.checkVisibility({ checkOpacity: true }),
    };
  }, ms);
}

appTest('a fired request travels as a dot to the server the engine chose', { query: 'mode=manual&algo=least-connections&servers=3' }, async ({ page }) => {
  // server1 and server2 take the first two; the third goes to server3, the one with fewest.
  await clickTestId(page, 'fire', 2);
  await sleep(1000); // their dots are gone
  const before = await readBars(page);
  await clickTestId(page, 'fire');
  let chosen;
  await eventually(async () => {
    const after = await readBars(page);
    const grew = after.filter((b, i) => b.connections === before[i].connections + 1);
    assert.equal(grew.length, 1, `one bar grew by one: ${JSON.stringify(after)}`);
    chosen = grew[0].server;
  });
  assert.equal(chosen, 'server3', 'least connections sends the third request to the idle server3');
  const log = await decisions(page);
  assert.match(log[0], new RegExp(`chose ${chosen}\\b`), `the decision log names it: ${log[0]}`);

  // The dot's target is the chosen bar's top centre, in the plot's percentages (read once the
  // bar has glided to its new height, 0.28 s; the dot lives 0.8 s).
  await sleep(350);
  const bars = await barGeometry(page);
  const target = bars.find((b) => b.server === chosen);
  const dot = await newestDot(page, 0);
  assert.ok(dot, 'a dot is drawn');
  assert.ok(Math.abs(dot.cx - target.centre) < 0.01 && Math.abs(dot.cy - target.top) < 0.01, `the dot heads to ${chosen}'s top: ${JSON.stringify({ dot, target })}`);
  const others = bars.filter((b) => b.server !== chosen);
  assert.ok(others.every((b) => Math.abs(dot.cx - b.centre) > 1), 'and to no other bar');
  // It leaves from the balancer (the top centre of the plot) and, its flight over (0.45 s),
  // stands on the bar (within 1.5 px).
  assert.ok(Math.abs(dot.at.x - dot.plot.x) < 1.5 && Math.abs(dot.at.y - dot.plot.y) < 1.5, `it starts at the balancer: ${JSON.stringify(dot)}`);
  const landed = await newestDot(page, 450);
  assert.ok(Math.abs(landed.at.x - target.screen.x) < 1.5 && Math.abs(landed.at.y - target.screen.y) < 1.5, `it lands on ${chosen}'s bar: ${JSON.stringify({ landed, target })}`);

  // The decision is said beside the chosen bar, in the engine's terms.
  const said = await page.$eval('.said text', (t) => t.textContent);
  assert.equal(said, `→ ${chosen}: fewest connections`);
});

appTest('with reduced motion no dot is drawn, and the flash stays as a highlight', { query: 'mode=manual&algo=round-robin&servers=3' }, async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await clickTestId(page, 'fire', 2);
  const state = await page.evaluate(() => ({
    dots: Array.from(document.querySelectorAll('circle.trip'), (c) => c.checkVisibility()),
    flash: getComputedStyle(document.querySelector('.said rect')).opacity,
    said: document.querySelector('.said text')?.textContent,
  }));
  assert.ok(state.dots.length > 0, 'the dots are in the page');
  assert.deepEqual(state.dots.filter(Boolean), [], 'none is drawn (it would stand still at the balancer)');
  assert.equal(state.flash, '1', 'the chosen bar is highlighted, not flashed');
  assert.equal(state.said, '→ server2: next in turn');
  await sleep(1500);
  assert.equal(await page.$eval('.said rect', (r) => getComputedStyle(r).opacity), '1', 'and stays so until the next decision');
});

appTest('at a high rate the flow is drawn as streams as wide as each server takes', {
  // Weighted round robin at weights 3 and 1: server1 takes 300 requests a second, server2 100.
  query: 'algo=weighted-round-robin&servers=2&weights=3,1&rate=400&cost=0.001',
}, async ({ page }) => {
  await eventually(
    async () => {
      const flow = await page.evaluate(() => ({
        streams: Array.from(document.querySelectorAll('.flow line'), (l) => ({ x2: Number(l.getAttribute('x2')), width: Number(l.getAttribute('stroke-width')) })),
        note: document.querySelector('.flow-note')?.textContent ?? '',
        dots: document.querySelectorAll('circle.trip').length,
      }));
      assert.equal(flow.dots, 0, 'no dot per request at 400 a second');
      const scale = flow.note.match(/^flow: width is requests\/s, 1 px = (\d+(?:\.\d+)?) \/s$/);
      assert.ok(scale, `the legend says what a stream's width is: ${JSON.stringify(flow.note)}`);
      assert.deepEqual(flow.streams.map((s) => s.x2), [250, 750], 'a stream to each server, to its slot centre');
      // 300 and 100 a second within 15% (a one-second moving average of Poisson arrivals,
      // widths in steps of 0.5 px).
      const [one, two] = flow.streams.map((s) => s.width * Number(scale[1]));
      assert.ok(Math.abs(one - 300) <= 45 && Math.abs(two - 100) <= 15, `widths x scale = ${one} and ${two} /s`);
    },
    { timeout: 10_000, interval: 250 },
  );
});

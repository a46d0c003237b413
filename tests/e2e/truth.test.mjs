// What the learner sees is true: a bar is the number under it while requests flow, the
// offered load counts only the servers taking traffic, a change of algorithm starts a new
// count (marked, with the run's totals a click away), a failure and a heal read "not yet noticed"
// until a health check notices them, the panel's counters add up, the arrival rate takes a
// typed value, and a bad upload is told in plain words.

import assert from 'node:assert/strict';

import { appTest, byTestId, clickTestId, decisions, eventually, metric, openFiles, queryOf, readBars, sleep } from './helpers.mjs';

/**
 * At `frames` animation frames, each bar's drawn height (in-service, waiting and erring rects,
 * in CSS pixels) over the pixels one connection takes, against the number under it. Returns the
 * samples whose difference is half a connection or more, and how many bar-moments were read.
 */
async function sampleBars(page, frames) {
  return page.evaluate(async (frames) => {
    const bad = [];
    let read = 0;
    for (let f = 0; f < frames; f++) {
      await new Promise((r) => requestAnimationFrame(() => r()));
      const svg = document.querySelector('.bar-chart svg.bars');
      const axisMax = Number(/scale 0 to (\d+)/.exec(svg.getAttribute('aria-label'))[1]);
      const unitPx = svg.getBoundingClientRect().height / axisMax;
      const counts = Array.from(document.querySelectorAll('.bar-labels .count'), (e) => Number(e.textContent));
      document.querySelectorAll('.bar-chart g.bar').forEach((g, i) => {
        const px = ['.in-service', '.waiting', '.erring']
          .map((c) => g.querySelector(c).getBoundingClientRect().height)
          .reduce((a, b) => a + b, 0);
        const shown = px / unitPx;
        if (counts[i] <= axisMax) {
          read++;
          if (Math.abs(shown - counts[i]) >= 0.5) bad.push({ frame: f, bar: i, shown: shown.toFixed(2), number: counts[i] });
        }
      });
    }
    return { bad, read };
  }, frames);
}

appTest(
  'a bar equals the number under it at every moment while requests flow',
  { query: 'servers=3&rate=20&seed=5', viewport: { width: 1280, height: 800 }, timeout: 60_000 },
  async ({ page }) => {
    // 20 /s over three servers at 67% load: a bar changes every 50 ms on average, less than
    // the 0.28 s glide the bars once had, which left about half of all moments off by half a
    // connection or more. 300 frames (5 s) of three bars: 900 bar-moments, each must be
    // within half a connection of its number (the drawing rounds to 0.01 SVG units).
    await sleep(1_000);
    const { bad, read } = await sampleBars(page, 300);
    assert.ok(read >= 600, `${read} bar-moments read`);
    assert.deepEqual(bad.slice(0, 5), [], `${bad.length} of ${read} bar-moments differ from their number by 0.5 or more`);
  },
);

appTest(
  'an attempt whose error is on its way is a connection: in its bar, its count and its words',
  {
    query: 'servers=3&rate=20&error-latency=1&seed=5&faults=server1:errors=1@0-3600',
    viewport: { width: 1280, height: 800 },
    timeout: 60_000,
  },
  async ({ page }) => {
    // round robin sends server1 a third of 20 a second, each held 1 s while its error comes
    // back: about 6.7 erring connections (Little's law), none in service or waiting
    await sleep(2_000);
    await eventually(async () => {
      const [one, ...others] = await readBars(page);
      assert.ok(one.erring >= 1, `server1 holds erring connections: ${JSON.stringify(one)}`);
      assert.equal(one.inService + one.waiting + one.erring, one.connections, JSON.stringify(one));
      assert.match(one.label, new RegExp(`, ${one.erring} answering with an error\\)`), one.label);
      for (const bar of others) {
        assert.equal(bar.erring, 0, JSON.stringify(bar));
        assert.equal(bar.inService + bar.waiting, bar.connections, JSON.stringify(bar));
      }
    });
    assert.match(await page.locator('.legend').innerText(), /answering with an error/);
    const { bad, read } = await sampleBars(page, 120);
    assert.ok(read >= 240, `${read} bar-moments read`);
    assert.deepEqual(bad.slice(0, 5), [], `${bad.length} of ${read} bar-moments differ from their number by 0.5 or more`);
  },
);

appTest(
  'offered load counts only the servers taking traffic',
  { query: 'servers=4&speeds=1,1,1,0.3&rate=25&seed=2', viewport: { width: 1280, height: 800 } },
  async ({ page }) => {
    const hint = () => page.locator('#rate-hint').innerText();
    // (1 + 1 + 1 + 0.3) / 0.1 = 33 /s; 25 / 33 = 76%
    assert.match(await hint(), /Offered load 76%: 25 \/s against the 33 \/s/);
    await clickTestId(page, 'fail-server2');
    await clickTestId(page, 'drain-server1');
    // server3 and server4 are left: (1 + 0.3) / 0.1 = 13 /s; 25 / 13 = 192%
    await eventually(async () => assert.match(await hint(), /Offered load 192%: 25 \/s against the 13 \/s/));
  },
);

appTest(
  'a cache in front: the offered load is what it leaves, and the counters add up',
  { query: 'algo=round-robin&servers=3&rate=60&cost=0.1&cache=shared&cache-size=200&keys=2000&zipf=1&speed=5', viewport: { width: 1280, height: 800 } },
  async ({ page }) => {
    await sleep(3_000);
    const text = await page.locator('#rate-hint').innerText();
    const [, pct, past, hits] = /Offered load (\d+)%: ([\d.]+) \/s after the cache's (\d+)% hits against the 30 \/s/.exec(text) ?? [];
    assert.ok(pct, text);
    // rate 60 /s, capacity 30 /s: past the cache 60 x (1 - hits); the percentage is that over 30
    // (each figure rounded: to 3 digits and whole percents, hence 2 points of slack)
    assert.ok(Math.abs(Number(past) - 60 * (1 - Number(hits) / 100)) < 0.6 + 0.5, text);
    assert.ok(Math.abs(Number(pct) - (Number(past) / 30) * 100) < 2, text);
    assert.ok(Number(pct) < 100, `the cache leaves the servers under capacity: ${text}`);
    const figures = await page.evaluate(() =>
      Object.fromEntries(
        Array.from(document.querySelectorAll('.metrics > .counters [data-testid^="metric-"]'), (e) => [
          e.dataset.testid.slice(7),
          Number(e.dataset.value),
        ]),
      ),
    );
    assert.ok(figures['cache-hits'] > 0, JSON.stringify(figures));
    // every row but arrived and retried is a fate: arrived is their sum, and the sentence
    // under the counters names exactly those rows
    const fates = Object.keys(figures).filter((k) => k !== 'arrived' && k !== 'retried');
    assert.deepEqual(fates, ['cache-hits', 'completed', 'rejected', 'failed', 'in-flight']);
    assert.equal(
      figures.arrived,
      fates.reduce((sum, k) => sum + figures[k], 0),
      `arrived = hits + completed + rejected + failed + in flight: ${JSON.stringify(figures)}`,
    );
    const sentence = await page.locator(byTestId('metrics-sum')).innerText();
    assert.ok(sentence.startsWith('Arrived = cache hits + completed + rejected + failed + in flight.'), sentence);
  },
);

appTest(
  'with a timeout, timed out is a fate the counters add up with, and goodput stands beside throughput',
  // two servers at 150% load with a queue of 50 and clients that wait 0.3 s: requests time out
  // while servers go on answering some of them, so goodput falls below throughput
  { query: 'algo=round-robin&servers=2&rate=30&cost=0.1&queue=50&timeout=0.3&speed=5', viewport: { width: 1280, height: 800 } },
  async ({ page }) => {
    await eventually(async () => assert.ok((await metric(page, 'timed-out')) > 20), { timeout: 20_000 });
    const figures = await page.evaluate(() =>
      Object.fromEntries(
        Array.from(document.querySelectorAll('.metrics > .counters [data-testid^="metric-"]'), (e) => [
          e.dataset.testid.slice(7),
          Number(e.dataset.value),
        ]),
      ),
    );
    const fates = Object.keys(figures).filter((k) => k !== 'arrived' && k !== 'retried');
    assert.deepEqual(fates, ['cache-hits', 'completed', 'rejected', 'failed', 'timed-out', 'in-flight']);
    assert.equal(figures.arrived, fates.reduce((sum, k) => sum + figures[k], 0), JSON.stringify(figures));
    const sentence = await page.locator(byTestId('metrics-sum')).innerText();
    assert.ok(sentence.startsWith('Arrived = cache hits + completed + rejected + failed + timed out + in flight.'), sentence);
    const [throughput, goodput] = [await metric(page, 'throughput'), await metric(page, 'goodput')];
    assert.ok(goodput < throughput, `goodput ${goodput} below throughput ${throughput}: some answers came too late`);
  },
);

appTest(
  'switching algorithm starts a new count, marked, with the run one click away',
  { query: 'servers=3&speeds=1,1,0.3&rate=20&speed=4&seed=3', viewport: { width: 1280, height: 800 }, timeout: 60_000 },
  async ({ page }) => {
    await eventually(async () => assert.ok((await metric(page, 'arrived')) > 100), { timeout: 15_000 });
    assert.equal(await page.locator(byTestId('metrics-since')).innerText(), 'since the start');
    await page.locator(byTestId('algo')).selectOption('least-connections');
    const since = await page.locator(byTestId('metrics-since')).innerText();
    const [, t] = /^since t = (\d+\.\d) s \(switched to least-connections\)$/.exec(since) ?? [];
    assert.ok(t, since);
    await sleep(1_000);
    const window = await metric(page, 'arrived');
    const total = await metric(page, 'total-arrived');
    // 1 s at 4x and 20 /s: about 80 in the window, against the 100+ before the switch
    assert.ok(window > 0 && window < total - 100, `window ${window}, whole run ${total}`);
    // the history is drawn when it first comes near the viewport: below the fold, scroll to it
    await page.locator('.history').scrollIntoViewIfNeeded();
    await eventually(async () => assert.equal(await page.locator(byTestId('window-mark')).count(), 2, 'the start is marked on both time series'));
    await page.locator('.totals summary').click();
    assert.ok(await page.locator(byTestId('metric-total-arrived')).isVisible(), 'the whole run is one click away');
    await page.setViewportSize({ width: 360, height: 740 });
    await sleep(300);
    await page.screenshot({ path: 'target/e2e/truth-new-window-360.png', fullPage: false });
  },
);

appTest(
  'a failure, and a heal, read "not yet noticed" until a health check notices them, and the log says when',
  { query: 'servers=3&rate=12&health-interval=5&speed=2&seed=4', viewport: { width: 1280, height: 800 }, timeout: 60_000 },
  async ({ page }) => {
    await clickTestId(page, 'fail-server2');
    const label = () => page.locator('.bar-labels li').nth(1).innerText();
    assert.match(await label(), /failed, not yet noticed/i, "the label says so (in capitals by CSS)");
    // the next check comes at the next multiple of 5 s of simulated time: within 2.5 s at 2x
    await eventually(async () => assert.match(await label(), /down, noticed at \d+\.0 s/i), { timeout: 6_000 });
    const at = Number(await page.locator('[data-server="server2"]').getAttribute('data-noticed'));
    assert.equal(at % 5, 0, `noticed at a health check: ${at}`);
    assert.ok((await decisions(page)).some((d) => d.includes('A health check noticed server2 is down')), 'the decision log records it');
    // healed, it gets nothing until a check sees it up, and its label says why
    await clickTestId(page, 'heal-server2');
    assert.match(await label(), /healed, not yet noticed/i, 'the label says the balancer has not seen it up');
    await eventually(async () => assert.doesNotMatch(await label(), /noticed/i), { timeout: 6_000 });
    assert.ok((await decisions(page)).some((d) => d.includes('A health check noticed server2 is up')), 'the decision log records it');
  },
);

appTest(
  'the arrival rate: a slider in powers of ten and a typed value, refused in the standard words',
  { query: 'servers=3&paused=1', viewport: { width: 360, height: 740 } },
  async ({ page }) => {
    const slider = page.locator(byTestId('rate'));
    const [min, max] = [Number(await slider.getAttribute('min')), Number(await slider.getAttribute('max'))];
    // 1 to 2,000 /s in decades: three servers' useful 0 to 30 /s is log10(30) / log10(2000) = 45%
    // of the track, where a linear 0 to 2,000 gave it 1.5%
    assert.equal(min, 0);
    assert.ok(Math.abs(max - Math.log10(2000)) < 1e-9, `${max}`);
    const typed = page.locator(byTestId('rate-typed'));
    await typed.fill('12.5');
    await typed.press('Enter');
    await eventually(async () => assert.equal(queryOf(page).rate, '12.5'));
    assert.match(await page.locator('#rate-hint').innerText(), /Offered load 42%: 12\.5 \/s against the 30 \/s/);
    await typed.fill('fast');
    await typed.press('Enter');
    await eventually(async () =>
      assert.match(await page.locator(byTestId('explanation')).innerText(), /Not changed: rate="fast": /),
    );
    assert.equal(queryOf(page).rate, '12.5', 'a refused value changes nothing');
    assert.match(await typed.evaluate((e) => e.validationMessage), /Not changed: rate="fast": not a number/, 'the box says so too');
    await typed.fill('-5');
    await typed.press('Enter');
    assert.match(await typed.evaluate((e) => e.validationMessage), /Not changed: rate="-5": allowed: 0 to 1000000000 per second/);
    assert.equal(queryOf(page).rate, '12.5');
    await typed.fill('40');
    await typed.press('Enter');
    await eventually(async () => assert.equal(queryOf(page).rate, '40'));
    assert.equal(await typed.evaluate((e) => e.validationMessage), '', 'an accepted value clears the refusal');
    await page.screenshot({ path: 'target/e2e/truth-rate-360.png', fullPage: false });
  },
);

appTest(
  'a bad upload is told in plain words',
  { query: 'servers=3&paused=1', viewport: { width: 1280, height: 800 } },
  async ({ page }) => {
    await openFiles(page);
    await page
      .locator(byTestId('upload-scenario'))
      .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"servers": 3, 5: 1}') });
    const warning = page.locator(byTestId('file-warning'));
    await warning.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await warning.innerText();
    assert.match(text, /line 1, column 16: a key must be a string in double quotes/);
    assert.doesNotMatch(text, /at line|expected one of/, 'not the parser\'s own message');
  },
);

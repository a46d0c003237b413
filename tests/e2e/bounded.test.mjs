// URLs that froze the tab or blanked the page now keep it responsive: after load, at least
// 20 animation frames in a 2-second window, no task longer than 200 ms, and bars or a notice.
// (A frame budget of 20,000 events, bounded caches, and limits the URL is held to.)

import assert from 'node:assert/strict';

import { appTest, appUrl, browserTest, byTestId, openFiles, waitForApp } from './helpers.mjs';

const CASES = [
  // A 1 ns on-period could never take an arrival: the arrival loop never returned.
  ['arrivals=bursty&burst-on=0.000000001', 'notice'],
  // A billion requests a second: a frame took about a second of work.
  ['servers=64&rate=1000000000&speed=10', 'pace'],
  // Ten million entries reserved per cache: out of memory, then a blank page.
  ['servers=64&cache=per-server&cache-size=10000000', 'bars'],
  // 64 x 1,001,000 places for requests held: the renderer reached 4 GB.
  ['servers=64&workers=1000&queue=1000000&rate=10000000&cost=3600', 'notice'],
  // A million equal response times a second (a shared cache's hits): the live p95 selected
  // them by median of medians in the release wasm's standard library, a 39 s task.
  ['cache=shared&keys=1&rate=1000000', 'bars'],
  // Constant costs: equal response times again (36 s).
  ['servers=64&workers=1000&dist=const&cost=0.001&rate=300000', 'bars'],
  // 640,000 ring points: a second per server added or removed; refused by name.
  ['algo=consistent-hash&servers=64&vnodes=10000', 'notice'],
  // One key given over and over: checked in quadratic time (120,000 times froze the page
  // 8.4 s, then drew 49,999 lines). 15,000 here, 60 KB: the test server reads at most 64 KB
  // of a request line; src/url.rs's own test reads the 120,000.
  [`${'a=1&'.repeat(15_000)}servers=4`, 'notice'],
];

/** At least 20 animation frames in the next 2 s, and no task over 200 ms in them. */
async function assertResponsive(page) {
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
}

for (const [query, shows] of CASES) {
  appTest(`the page stays responsive at ?${query.length > 120 ? `${query.slice(0, 60)}… (${query.length} characters)` : query}`, { query }, async ({ page }) => {
    await assertResponsive(page);
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

appTest('a Maglev table too large for the page is refused by name, and the picker offers what is allowed', { query: 'algo=maglev&table-size=5000011&servers=64' }, async ({ page }) => {
  // It froze the tab 6 to 17 s: the table is rebuilt at each change of the pool.
  const warning = page.locator(byTestId('param-warning'));
  await warning.waitFor({ state: 'visible', timeout: 5_000 });
  const text = await warning.innerText();
  assert.match(text, /table-size/, text);
  assert.match(text, /5000011/, text);
  assert.match(text, /655373/, 'says the limit');
  assert.equal(await page.locator(byTestId('server-bar')).count(), 64);
  const offered = await page.locator('select#table-size option').evaluateAll((os) => os.map((o) => Number(o.value)));
  assert.ok(offered.length >= 3 && offered.every((n) => n <= 655373), `offered ${offered}`);
  // adding and removing a server rebuilds the table: no task over 200 ms
  const longest = await page.evaluate(async () => {
    let longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
    }).observe({ type: 'longtask', buffered: false });
    await new Promise((r) => setTimeout(r, 1000));
    return longest;
  });
  assert.ok(longest <= 200, `a task took ${longest.toFixed(0)} ms`);
});

/** Runs `crash` in the page after start and checks that the panic notice shows its error. */
async function crashShowsNotice({ page, pageErrors }, crash, expected) {
  await page.evaluate(crash);
  const notice = page.locator(byTestId('panic'));
  await notice.waitFor({ state: 'visible', timeout: 5_000 });
  const text = await notice.innerText();
  assert.match(text, /Something went wrong and the lab stopped/, text);
  assert.match(text, expected, text);
  assert.equal(await page.locator(byTestId('panic-reload')).getAttribute('href'), page.url(), 'reload the same address');
  // the error the test caused, and only it, reached the page uncaught
  assert.ok(pageErrors.length >= 1 && pageErrors.every((e) => expected.test(e)), `${pageErrors}`);
  pageErrors.length = 0;
}

browserTest('a wasm trap after start (out of memory) shows the notice, not a blank page', {}, async (args) => {
  const { page } = args;
  await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => (window.__lbvizWasm = e.detail?.wasm)));
  await page.goto(appUrl());
  await waitForApp(page);
  // Asks the app's allocator for 2 GB three times: wasm32's memory ends at 4 GB, so one
  // allocation fails, and Rust's allocation-failure path aborts with an `unreachable` trap,
  // which no panic hook sees.
  await crashShowsNotice(
    args,
    () => {
      const wasm = window.__lbvizWasm;
      setTimeout(() => [1, 2, 3].forEach(() => wasm.__wbindgen_malloc(0x7ffffff0, 8)));
    },
    /RuntimeError|unreachable|memory/i,
  );
});

appTest('a promise rejected after start shows the notice', {}, async (args) => {
  await crashShowsNotice(args, () => void Promise.reject(new Error('a promise the lab dropped')), /a promise the lab dropped/);
});

// Uploads are held to the page's limits exactly as the URL is: a file once bypassed the
// 64-server cap (a 40 s freeze and 4.5 GB), and a 10 MB bad file made a 20 MB notice.
appTest('an uploaded scenario is held to the page\'s limits, as a link is', { viewport: { width: 1280, height: 800 } }, async ({ page }) => {
  const before = await page.locator(byTestId('server-bar')).count();
  await openFiles(page);
  await page.locator(byTestId('upload-scenario')).setInputFiles({
    name: 'huge.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"servers": 100000}'),
  });
  const warning = page.locator(byTestId('file-warning'));
  await warning.waitFor({ state: 'visible', timeout: 10_000 });
  const text = await warning.innerText();
  assert.match(text, /huge\.json was not used: servers="100000"/, text);
  assert.match(text, /64/, `says the page's limit: ${text}`);
  await assertResponsive(page);
  assert.equal(await page.locator(byTestId('server-bar')).count(), before, 'the file changed nothing');
});

appTest('a file over a mebibyte is refused unread, and the notice quotes it short', { viewport: { width: 1280, height: 800 } }, async ({ page }) => {
  const before = await page.locator(byTestId('server-bar')).count();
  const name = `${'n'.repeat(200)}.json`;
  await openFiles(page);
  await page.locator(byTestId('upload-scenario')).setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(`{"servers": "${'7'.repeat(10_000_000)}"}`),
  });
  const warning = page.locator(byTestId('file-warning'));
  await warning.waitFor({ state: 'visible', timeout: 10_000 });
  const text = await warning.innerText();
  assert.match(text, /at most 1024 KB/, text);
  assert.ok(text.length < 200, `the notice is short: ${text.length} characters`);
  await assertResponsive(page);
  assert.equal(await page.locator(byTestId('server-bar')).count(), before, 'the file changed nothing');
});

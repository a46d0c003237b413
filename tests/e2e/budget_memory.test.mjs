// The memory budget (issue 5): 30 minutes of simulated time at 10x speed, 64 servers at 2,000
// requests per second (3 minutes of wall time). Each simulated minute the test reads the wasm
// memory (the module's WebAssembly.Memory, which loader.js hands over when the app starts) and
// the JS heap after a garbage collection (chromium with --enable-precise-memory-info and
// --expose-gc). Budget: after warm-up, no more than 10% growth between minute 5 and minute 30.

import assert from 'node:assert/strict';

import { budget, simSeconds } from './budget.mjs';
import { appUrl, browserTest, sleep, waitForApp } from './helpers.mjs';

const MINUTES = Number(process.env.LBVIZ_SOAK_MINUTES ?? 30);
const WARM = Math.min(5, MINUTES - 1);
const QUERY = 'algo=least-connections&servers=64&rate=2000&cost=0.025&speed=10';

browserTest(
  `memory: ${MINUTES} simulated minutes at 10x, 64 servers at 2,000 requests/s`,
  { timeout: (MINUTES * 6 + 120) * 1000, args: ['--enable-precise-memory-info', '--js-flags=--expose-gc'] },
  async ({ page }) => {
    // Only the wasm exports are kept: collecting every frame's measure (as the frame test does)
    // would itself grow the heap by ~3 KB a second.
    await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => (window.__lbvizWasm = e.detail?.wasm)));
    await page.goto(appUrl(QUERY));
    await waitForApp(page);
    const sample = () =>
      page.evaluate(() => {
        window.gc?.();
        return { wasm: window.__lbvizWasm?.memory?.buffer.byteLength, heap: performance.memory?.usedJSHeapSize };
      });
    const samples = [];
    const deadline = Date.now() + MINUTES * 6 * 1000 + 60_000; // 10x plus a minute of slack
    while (samples.length <= MINUTES && Date.now() < deadline) {
      const t = await simSeconds(page);
      if (t >= samples.length * 60) {
        samples.push({ minute: samples.length, t, ...(await sample()) });
      } else {
        await sleep(250);
      }
    }
    const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
    for (const s of samples) console.log(`minute ${String(s.minute).padStart(2)} (t = ${s.t.toFixed(1)} s): wasm ${kb(s.wasm)}, JS heap ${kb(s.heap)}`);
    assert.equal(samples.length, MINUTES + 1, `the simulation reached minute ${MINUTES} (it reached ${samples.length - 1})`);
    assert.ok(samples.every((s) => s.wasm > 0 && s.heap > 0), 'wasm memory and JS heap were readable');
    const [warm, last] = [samples[WARM], samples[MINUTES]];
    const growth = (k) => (last[k] - warm[k]) / warm[k];
    const pct = (g) => `${(g * 100).toFixed(1)}%`;
    const ok = [
      budget(`memory-wasm-growth-min${WARM}-to-${MINUTES}`, `${pct(growth('wasm'))} (${kb(warm.wasm)} -> ${kb(last.wasm)})`, '10%', growth('wasm') <= 0.1),
      budget(`memory-js-heap-growth-min${WARM}-to-${MINUTES}`, `${pct(growth('heap'))} (${kb(warm.heap)} -> ${kb(last.heap)})`, '10%', growth('heap') <= 0.1),
    ];
    assert.ok(ok.every(Boolean), 'memory grew more than 10% after warm-up (see the BUDGET lines)');
  },
);

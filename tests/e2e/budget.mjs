// Shared by the budget tests (issue 5): one line per budget, `BUDGET name: measured (limit
// ...) PASS|FAIL`, which scripts/test.sh collects into its summary; and readers of the page's
// simulated clock and of the frame-time measures the app sets.

/** Prints a budget's line and returns whether it passed. */
export function budget(name, measured, limit, pass) {
  console.log(`BUDGET ${name}: ${measured} (limit ${limit}) ${pass ? 'PASS' : 'FAIL'}`);
  return pass;
}

/** The `q`-th quantile (0..1) of `values` (nearest rank). */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** The simulated time the clock line shows (`t = 12.3 s · ...`), in seconds. */
export async function simSeconds(frameOrPage) {
  const text = await frameOrPage.locator('.clock').innerText();
  const m = /t = ([0-9.]+) s/.exec(text);
  if (!m) throw new Error(`no simulated time in the clock line ${JSON.stringify(text)}`);
  return Number(m[1]);
}

/**
 * An init script that collects, from the first moment of the page, every frame measure the app
 * sets (`lbviz-frame`: a frame's engine step plus render, see src/hooks/use_animation_frame.rs)
 * and every long task, into `window.__budget`, and keeps the wasm module's exports (for its
 * memory) when loader.js announces the start.
 */
export function collectFrames() {
  window.__budget = { frames: [], longTasks: [], violations: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'lbviz-frame') window.__budget.frames.push({ start: e.startTime, duration: e.duration });
    }
  }).observe({ type: 'measure' });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__budget.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' });
  } catch {
    window.__budget.noLongTasks = true;
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__budget.violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
  addEventListener('TrunkApplicationStarted', (e) => {
    window.__lbvizWasm = e.detail?.wasm;
  });
}

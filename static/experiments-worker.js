// A Web Worker of the Experiments view's pool (src/experiments/worker.rs): loads the view's own
// wasm, the no-modules bundle the page loaded (cached by now), whose start function, finding no
// window, registers the sweep worker. Paths are relative to this file.
//
// An error that escapes the wasm (a trap, memory run out) leaves the worker unable to answer
// through gloo-worker: it is posted instead to the page's BroadcastChannel for it, which the
// worker was told with its sweep (self.lbvizErrors, src/experiments/runner.rs), so the page says
// the sweep stopped rather than waiting for rows that will not come.
self.addEventListener('error', (e) => {
  const to = self.lbvizErrors;
  if (to && typeof BroadcastChannel === 'function') {
    new BroadcastChannel(to.channel).postMessage({ job: to.job, message: String(e.message || e.error || 'error') });
  }
});
importScripts('./experiments.js');
wasm_bindgen({ module_or_path: './experiments_bg.wasm' });

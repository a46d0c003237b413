// The Experiments view's Web Worker (src/experiments/worker.rs): loads the view's own wasm,
// the no-modules bundle the page loaded (cached by now), whose start function, finding no
// window, registers the sweep worker. Paths are relative to this file.
importScripts('./experiments.js');
wasm_bindgen({ module_or_path: './experiments_bg.wasm' });

// Loads the on-demand bundle (src/on_demand.rs) the first time a reader opens the Experiments
// view, reads or saves a scenario file, opens Share, picks a hash-based algorithm or shows
// compare or predict mode: the `experiments` binary, built by trunk as a
// no-modules wasm-bindgen bundle so that the same two files also run in the view's Web Worker
// (experiments-worker.js). Sets window.lbvizOnDemand to a promise of the bundle's exports
// (show_experiments, show_hashing, show_builder, show_race_table, show_algos, show_predict,
// scenario_json, read_scenario_file), rejected with the reason if it fails.
window.lbvizOnDemand = new Promise((resolve, reject) => {
  // The bundle's views' styles, fetched beside its script so they are there when it draws.
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = new URL('on-demand.css', document.baseURI).href;
  document.head.appendChild(style);
  const script = document.createElement('script');
  script.src = new URL('experiments.js', document.baseURI).href;
  script.onload = () => {
    // wasm_bindgen is the global the no-modules bundle declares; its exports hang on it.
    wasm_bindgen({ module_or_path: new URL('experiments_bg.wasm', document.baseURI).href }).then(
      () => resolve(wasm_bindgen),
      (e) => reject(new Error('experiments_bg.wasm did not start: ' + e)),
    );
  };
  script.onerror = () => reject(new Error('experiments.js did not load'));
  document.head.appendChild(script);
});

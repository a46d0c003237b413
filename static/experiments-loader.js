// Loads the Experiments view's bundle (src/bin/experiments.rs, lbviz::on_demand::EXPERIMENTS)
// the first time a reader opens the view: the `experiments` binary, built by trunk as a
// no-modules wasm-bindgen bundle so that the same two files also run in the view's Web Worker
// (experiments-worker.js). Sets window.lbvizOnDemand to a promise of the bundle's exports
// (show_experiments), rejected with the reason if it fails.
window.lbvizOnDemand = new Promise((resolve, reject) => {
  // The view's styles (on-demand.css, shared with views-loader.js), fetched beside its script
  // so they are there when it draws.
  if (!document.getElementById('on-demand-css')) {
    const style = document.createElement('link');
    style.id = 'on-demand-css';
    style.rel = 'stylesheet';
    style.href = new URL('on-demand.css', document.baseURI).href;
    document.head.appendChild(style);
  }
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

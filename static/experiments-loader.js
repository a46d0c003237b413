// Loads the Experiments view when the reader first opens it (src/components/experiments_slot.rs):
// the `experiments` binary, built by trunk as a no-modules wasm-bindgen bundle so that the same
// two files also run in its Web Worker (experiments-worker.js). Its start function draws the
// view into #experiments-root.
(() => {
  const root = document.getElementById('experiments-root');
  const fail = (why) => {
    console.error('lbviz experiments:', why);
    if (root) {
      root.textContent = '';
      const p = document.createElement('p');
      p.className = 'notice warning';
      p.setAttribute('role', 'alert');
      p.textContent = 'The experiments could not load: ' + why + '. Reload the page to try again.';
      root.appendChild(p);
    }
  };
  const script = document.createElement('script');
  script.src = new URL('experiments.js', document.baseURI).href;
  script.onload = () => {
    // wasm_bindgen is the global the no-modules bundle declares.
    wasm_bindgen({ module_or_path: new URL('experiments_bg.wasm', document.baseURI).href }).catch((e) => fail(String(e)));
  };
  script.onerror = () => fail('experiments.js did not load');
  document.head.appendChild(script);
})();

// Starts the lab: imports the module wasm-bindgen wrote and initialises it with the wasm file.
// A file rather than trunk's inline script, so that the page runs under a Content-Security-Policy
// of `script-src 'self' 'wasm-unsafe-eval'`. Trunk.toml's pattern_script names both files on the
// script tag that loads this one.
const tag = document.querySelector('script[data-js][data-wasm]');

function fail(error) {
  console.error(error);
  const app = document.getElementById('app');
  if (app) {
    app.innerHTML = '';
    const p = document.createElement('p');
    p.className = 'notice warning';
    p.setAttribute('role', 'alert');
    p.textContent = 'The lab could not start in this browser: ' + error + '. It needs WebAssembly; try reloading or another browser.';
    app.appendChild(p);
  }
}

try {
  const { default: init } = await import(new URL(tag.dataset.js, document.baseURI).href);
  const wasm = await init({ module_or_path: new URL(tag.dataset.wasm, document.baseURI) });
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
} catch (error) {
  fail(error);
}

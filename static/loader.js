// Starts the lab: imports the module wasm-bindgen wrote and initialises it with the wasm file,
// and shows a notice whatever goes wrong, so that the page is never blank nor stuck on
// "Loading the lab…".
//
// A file rather than trunk's inline script, so that the page runs under a Content-Security-Policy
// of `script-src 'self' 'wasm-unsafe-eval'`; Trunk.toml's pattern_script names both files on the
// script tag that loads this one. A classic script, not a module: in a frame sandboxed without
// allow-same-origin, a module script is fetched with CORS, and on a server that sends no CORS
// header it would never run to say why nothing starts.
(function () {
  const tag = document.currentScript || document.querySelector('script[data-js][data-wasm]');

  // The notice that the lab stopped, shown once above the page with a reload link: for a Rust
  // panic (src/panic.rs calls it as window.lbvizShowNotice, with the panic's message) and for
  // the failures no panic hook sees: a trap (`unreachable`, out of memory), or an error thrown
  // from the wasm or its glue after start.
  function showNotice(message) {
    if (document.getElementById('panic-notice') || !document.body) return;
    const notice = document.createElement('div');
    notice.id = 'panic-notice';
    notice.className = 'panic';
    notice.setAttribute('role', 'alert');
    notice.setAttribute('data-testid', 'panic');
    const title = document.createElement('h2');
    title.textContent = 'Something went wrong and the lab stopped.';
    const text = document.createElement('p');
    text.textContent = 'Reloading starts it again with the same settings. The error was:';
    const detail = document.createElement('pre');
    detail.textContent = message;
    const reload = document.createElement('a');
    reload.href = location.href;
    reload.className = 'button primary';
    reload.setAttribute('data-testid', 'panic-reload');
    reload.textContent = 'Reload';
    notice.append(title, text, detail, reload);
    document.body.insertBefore(notice, document.body.firstChild);
    reload.focus();
  }
  window.lbvizShowNotice = showNotice;

  // An uncaught error or rejection (`String` of an Error is "Name: message"), except the
  // browser's ResizeObserver note, which is no failure of the lab. A resource that fails to
  // load sends a plain Event, handled where the resource is used.
  const report = (error) => /ResizeObserver loop/.test(error) || showNotice(String(error));
  addEventListener('error', (event) => event instanceof ErrorEvent && report(event.error ?? event.message));
  addEventListener('unhandledrejection', (event) => report(event.reason));

  // Why the lab could not start, and what to do about it.
  function fail(error) {
    console.error(error);
    const app = document.getElementById('app');
    if (!app) return;
    app.innerHTML = '';
    const p = document.createElement('p');
    p.className = 'notice warning';
    p.setAttribute('role', 'alert');
    p.setAttribute('data-testid', 'start-failed');
    if (self.origin === 'null' && !(error instanceof WebAssembly.CompileError)) {
      // an opaque origin: a frame sandboxed without allow-same-origin, whose files come with CORS
      p.textContent =
        'The lab could not load its files: this frame is sandboxed without allow-same-origin, so they ' +
        'come with CORS, which the server does not allow. To fix it, serve the lab with the header ' +
        '"Access-Control-Allow-Origin: *", or add allow-same-origin to the sandbox attribute. (' + error + ')';
    } else {
      p.textContent =
        'The lab could not start in this browser: ' + error +
        '. It needs WebAssembly; try reloading or another browser.';
    }
    app.appendChild(p);
  }

  // The build to start: the lab's, or, when the URL names a guided lesson, the lesson build
  // (the lab with the lesson player, src/bin/lesson.rs), so the lab's own first load carries
  // none of the player.
  const query = new URLSearchParams(location.search);
  const lesson = query.has('lesson') || query.has('lesson-data');
  const js = lesson ? 'lesson.js' : tag.dataset.js;
  const wasmFile = lesson ? 'lesson_bg.wasm' : tag.dataset.wasm;
  if (lesson) {
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = new URL('lesson.css', document.baseURI).href;
    document.head.appendChild(style);
  }

  (async () => {
    const { default: init } = await import(new URL(js, document.baseURI).href);
    const wasm = await init({ module_or_path: new URL(wasmFile, document.baseURI) });
    dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
  })().catch(fail);
})();

// Loads the small views' bundle (src/bin/views.rs, lbviz::on_demand::VIEWS) the first time a
// reader needs one of them: Share's embed builder, the Presets and files panel, the scenario
// file read or written, the hashing view, compare mode's table and checkboxes, predict mode's
// guesses, the Resilience form, the notice on a link's bad parameters, the problems of a lesson
// that cannot be played, the history's charts. An ES module like the lesson build, imported here
// so that the first load does not carry it. Sets window.lbvizViews to a promise of the module's
// exports once its wasm has started, rejected with the reason if it fails; adds the views'
// styles (on-demand.css) first, so they are there when it draws.
if (!document.getElementById('on-demand-css')) {
  const style = document.createElement('link');
  style.id = 'on-demand-css';
  style.rel = 'stylesheet';
  style.href = new URL('on-demand.css', document.baseURI).href;
  document.head.appendChild(style);
}
window.lbvizViews = import(new URL('views.js', document.baseURI).href).then(
  (m) => m.default({ module_or_path: new URL('views_bg.wasm', document.baseURI).href }).then(
    () => m,
    (e) => Promise.reject(new Error('views_bg.wasm did not start: ' + e)),
  ),
  (e) => Promise.reject(new Error('views.js did not load: ' + e)),
);

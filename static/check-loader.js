// Loads the check bundle (src/bin/lesson_check.rs, lbviz::on_demand::CHECK) the first time an
// author presses "Check this lesson" in a lesson's card: an ES module like the lesson build,
// imported here so that the lesson's first load does not carry it. Sets window.lbvizCheck to
// a promise of the module's exports (check_start, check_next) once its wasm has started,
// rejected with the reason if it fails.
window.lbvizCheck = import(new URL('lesson_check.js', document.baseURI).href).then(
  (m) => m.default({ module_or_path: new URL('lesson_check_bg.wasm', document.baseURI).href }).then(() => m),
  (e) => Promise.reject(new Error('lesson_check.js did not load: ' + e)),
);

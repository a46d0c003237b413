//! lbviz: the load-balancing lab, a Yew app that runs the lbcore engine in the browser and
//! draws it live.
//!
//! [`state`] holds the app state and the reducer (the only place it changes), [`url`] reads
//! and writes the URL query, [`components`] draw snapshots of the state ([`snapshot`]) and send
//! actions, [`hooks`] hold the animation clock and the URL sync, and [`app`] lays it all out.

pub mod algorithm_card_data;
pub mod app;
pub mod components;
pub mod experiments;
pub mod export;
pub mod format;
pub mod hooks;
pub mod host;
pub mod lab_tools;
pub mod lesson_check;
pub mod lesson_player;
pub mod lesson_saved;
pub mod lesson_show;
pub mod on_demand;
pub mod origin;
pub mod panic;
pub mod presets;
pub mod scale;
pub mod settings;
pub mod snapshot;
pub mod state;
pub mod url;

pub use app::App;

/// The wasm builds' allocator: talc, 2.7 KB gzip smaller than the standard dlmalloc and, by
/// its own benchmarks, faster (docs/performance.md, "What the first load holds").
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// lbcore's reader of the rare decimal text its exact fast path leaves (more than 15
/// significant digits, or a power of ten beyond 22): the browser's `parseFloat`, correctly
/// rounded like `str::parse`, whose tables the first load is spared (`lbcore::decimal`).
/// lbcore has checked the text's form before it asks.
#[cfg(target_arch = "wasm32")]
#[unsafe(no_mangle)]
pub fn lbcore_read_decimal(text: &str) -> f64 {
    js_sys::Number::parse_float(text)
}

/// lbcore's writer of a double's shortest text: the browser's `Number.prototype.toString`,
/// shortest and round-tripping like Rust's `{}` (`lbcore::decimal` writes its digits out
/// without the exponent the browser may use).
#[cfg(target_arch = "wasm32")]
#[unsafe(no_mangle)]
pub fn lbcore_write_shortest(x: f64) -> String {
    js_sys::Number::from(x).to_string_with_radix(10).map(String::from).unwrap_or_default()
}

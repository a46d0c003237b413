//! Decimal numbers as text, exact and with little code: read (`25`, `0.3`, `1.5e-3`) and
//! written, shortest (`0.1`, for links and files) or with fixed decimals (`12.35`, for people).
//!
//! Why not `str::parse::<f64>` and `format!("{x}")`: Rust's full algorithms and their tables
//! cost the web app about 12 KB of its first load (gzip), for numbers no control and almost
//! no link ever holds. Here the common cases are computed exactly with a few lines, and the
//! rare rest goes to a full correctly rounded reader and writer: Rust's own natively, the
//! browser's (`parseFloat`, `Number.prototype.toString`, both correctly rounded and shortest
//! as Rust's are) in the web app, which turns on the feature `host-float` and defines the two
//! functions of [`host`]. Either way the text and the value are those Rust's own would give:
//! the tests compare them natively, and `tests/wasm_url.rs` in the browser.

mod read;
mod write;

pub use read::read;
pub use write::{Fixed, shortest};

/// What a front end with the feature `host-float` defines, with `#[unsafe(no_mangle)]`, for
/// the numbers the exact fast paths leave.
#[cfg(all(target_arch = "wasm32", feature = "host-float"))]
mod host {
    unsafe extern "Rust" {
        /// The double a checked decimal text writes, correctly rounded.
        pub safe fn lbcore_read_decimal(text: &str) -> f64;
        /// The shortest decimal text that reads back to `x` (a finite double), in any of the
        /// forms `read` takes (`1e+21`, `1.5e-7`, `0.001`).
        pub safe fn lbcore_write_shortest(x: f64) -> String;
    }
}

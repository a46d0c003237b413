//! The determinism digest under wasm32 (run by wasm-bindgen-test-runner in Node): the same
//! constant as the native test, so the browser and the command line agree bit for bit.
#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn reference_runs_match_the_native_digest() {
    let digest = common::digest_of_reference_runs();
    assert_eq!(
        digest,
        common::EXPECTED_DIGEST,
        "digest is {digest:#018x}; per algorithm: {:x?}",
        common::digests_per_algorithm()
    );
}

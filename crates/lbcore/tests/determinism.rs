//! Same scenario and seed, same run: twice in one process, and against the digest the wasm32
//! build must also produce (tests/wasm_determinism.rs checks the same constant there).

mod common;

#[test]
fn reference_runs_match_the_digest_shared_with_wasm() {
    let first = common::digest_of_reference_runs();
    assert_eq!(first, common::digest_of_reference_runs(), "a second run differs");
    assert_eq!(
        first,
        common::EXPECTED_DIGEST,
        "digest is {first:#018x}; per algorithm: {:x?}",
        common::digests_per_algorithm()
    );
}

//! The lesson's first exercise, through the engine: requests arrive when fired and stay
//! until completed by hand.

use lbcore::scenario::{Arrivals, Completions};
use lbcore::{Algorithm, Completion, Engine, Scenario};

fn manual(algo: Algorithm, servers: u32) -> Engine {
    let scenario =
        Scenario { algo, servers, arrivals: Arrivals::Off, completions: Completions::Manual, ..Default::default() };
    Engine::new(scenario).unwrap()
}

fn connections(e: &Engine) -> Vec<u32> {
    e.servers().iter().map(|s| s.connections()).collect()
}

#[test]
fn round_robin_ten_fires_give_4_3_3() {
    let mut e = manual(Algorithm::RoundRobin, 3);
    let decisions = e.fire(10);
    let names: Vec<&str> = decisions.iter().map(|d| d.chosen_name().unwrap()).collect();
    assert_eq!(
        names,
        ["server1", "server2", "server3", "server1", "server2", "server3", "server1", "server2", "server3", "server1"]
    );
    assert_eq!(connections(&e), [4, 3, 3]);
    e.check_invariant().unwrap();
}

#[test]
fn least_connections_fills_the_server_that_was_completed() {
    let mut e = manual(Algorithm::LeastConnections, 3);
    e.fire(9);
    assert_eq!(connections(&e), [3, 3, 3]);
    assert!(matches!(e.complete_oldest(1).unwrap(), Completion::Completed { .. }));
    assert!(matches!(e.complete_oldest(1).unwrap(), Completion::Completed { .. }));
    assert_eq!(connections(&e), [3, 1, 3]);
    let d = e.fire(1);
    assert_eq!(d[0].to_string(), "least-connections chose server2: 1 connection (server1: 3, server3: 3)");
    e.fire(1);
    assert_eq!(connections(&e), [3, 3, 3]);
    assert_eq!(e.totals().completed, 2);
    e.check_invariant().unwrap();
}

#[test]
fn completing_an_empty_server_is_a_reported_no_op() {
    let mut e = manual(Algorithm::RoundRobin, 2);
    assert_eq!(e.complete_oldest(0).unwrap(), Completion::NothingToComplete);
    assert_eq!(connections(&e), [0, 0]);
    assert_eq!(e.totals().completed, 0);
    assert!(e.complete_oldest(5).is_err());
}

#[test]
fn in_service_and_waiting_split_by_workers() {
    let mut e = manual(Algorithm::RoundRobin, 1);
    e.fire(3);
    let s = &e.servers()[0];
    assert_eq!((s.in_service(), s.waiting()), (1, 2));
    e.complete_oldest(0).unwrap();
    let s = &e.servers()[0];
    assert_eq!((s.in_service(), s.waiting()), (1, 1));
}

#[test]
fn a_full_queue_rejects_with_the_reason() {
    let scenario = Scenario {
        servers: 1,
        queue: 2,
        arrivals: Arrivals::Off,
        completions: Completions::Manual,
        ..Default::default()
    };
    let mut e = Engine::new(scenario).unwrap();
    let d = e.fire(4);
    assert_eq!(e.servers()[0].connections(), 3);
    assert_eq!(e.totals().rejected, 1);
    assert!(d[3].to_string().ends_with("rejected: server1's queue is full (2 waiting)"), "{}", d[3]);
    e.check_invariant().unwrap();
}

#[test]
fn removing_a_busy_server_drains_it_first() {
    let mut e = manual(Algorithm::RoundRobin, 3);
    e.fire(6);
    e.remove_server(1).unwrap();
    assert_eq!(e.servers().len(), 3, "still draining");
    assert_eq!(e.scenario().servers, 2);
    assert_eq!(e.scenario().names, ["server1", "server3"]);
    let d = e.fire(2);
    assert!(d.iter().all(|d| d.chosen_name() != Some("server2")));
    e.complete_oldest(1).unwrap();
    e.complete_oldest(1).unwrap();
    assert_eq!(e.servers().len(), 2, "gone once empty");
    assert_eq!(e.totals().completed, 2);
    e.check_invariant().unwrap();
    let added = e.add_server();
    assert_eq!(e.servers()[added].name.as_ref(), "server2", "the free name is reused");
}

#[test]
fn switching_algorithm_keeps_connections_where_they_are() {
    let mut e = manual(Algorithm::RoundRobin, 3);
    e.fire(4);
    let mut next = e.scenario().clone();
    next.algo = Algorithm::LeastConnections;
    e.reconfigure(next).unwrap();
    assert_eq!(connections(&e), [2, 1, 1]);
    let d = e.fire(1);
    assert_eq!(d[0].chosen_name(), Some("server2"));
}

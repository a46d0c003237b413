//! Hash mod N: a key goes to eligible server number `hash(key) mod n`, n the number of
//! eligible servers. Even and O(1), and the counter-example that consistent hashing was
//! invented for: when n changes almost every key moves (from 10 servers to 11, all but
//! about 1 in 11).

#[cfg(feature = "lazy-departures")]
use super::Reads;
use super::{Balancer, Decision, Eligible, RequestInfo, Score, hash_key};
use crate::rng::SimRng;
use crate::server::Server;

/// `eligible[hash(key) mod n]`.
#[derive(Debug, Default)]
pub struct HashMod;

impl Balancer for HashMod {
    #[cfg(feature = "lazy-departures")]
    fn reads(&self) -> Reads {
        Reads::Chosen
    }

    fn pick(
        &mut self,
        servers: &[Server],
        eligible: &Eligible,
        request: RequestInfo,
        _rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        let n = eligible.len() as u64;
        if n == 0 {
            return None;
        }
        let index = (hash_key(request.key) % n) as u32;
        let chosen = eligible.positions()[index as usize] as usize;
        if let Some(d) = why {
            d.choose(&servers[chosen].name, Score::Modulo { key: request.key, index, n: n as u32 });
        }
        Some(chosen)
    }

    fn pool_changed(&mut self, _servers: &[Server], _eligible: &Eligible) {}
}

#[cfg(test)]
mod tests {
    use super::super::testing::{assign, mark_down, pool, server};
    use super::*;
    use crate::Algorithm;

    #[test]
    fn adding_an_eleventh_server_moves_most_keys() {
        let mut servers = pool(10, &[]);
        let mut b = HashMod;
        let before = assign(&mut b, &servers, 0..100_000);
        servers.push(server(10, "server11"));
        let after = assign(&mut b, &servers, 0..100_000);
        let moved = (0..before.len()).filter(|&k| before[k] != after[k]).count();
        assert!(moved > 80_000, "{moved}");
    }

    #[test]
    fn spreads_evenly_over_eligible_servers() {
        let mut servers = pool(5, &[]);
        mark_down(&mut servers, 0);
        let owners = assign(&mut HashMod, &servers, 0..40_000);
        assert!(!owners.iter().any(|o| &**o == "server1"));
        for name in ["server2", "server3", "server4", "server5"] {
            let c = owners.iter().filter(|o| &***o == name).count();
            assert!((9_600..10_400).contains(&c), "{name}: {c}");
        }
    }

    #[test]
    fn none_eligible_gives_none() {
        let servers = pool(2, &[0, 0]);
        let mut b = HashMod;
        b.pool_changed(&servers, &Eligible::of(&servers));
        assert_eq!(
            b.pick(&servers, &Eligible::of(&servers), RequestInfo { key: 0, now: 0 }, &mut SimRng::new(0, 0), None),
            None
        );
    }

    #[test]
    fn explains_the_modulo() {
        let servers = pool(3, &[]);
        let mut b = HashMod;
        b.pool_changed(&servers, &Eligible::of(&servers));
        let mut d = Decision::new(Algorithm::HashMod);
        let i = b.pick(
            &servers,
            &Eligible::of(&servers),
            RequestInfo { key: 12, now: 0 },
            &mut SimRng::new(0, 0),
            Some(&mut d),
        );
        let index = hash_key(12) % 3;
        assert_eq!(i, Some(index as usize));
        assert_eq!(d.to_string(), format!("hash-mod chose server{}: hash(key 12) mod 3 = {index}", index + 1));
    }
}

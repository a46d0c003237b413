//! PLACEHOLDER until the real algorithm lands: picks the first eligible server.

use super::{Balancer, Decision, RequestInfo, Score};
use crate::rng::SimRng;
use crate::server::Server;

/// Placeholder.
#[derive(Debug, Default)]
pub struct HashMod;

impl HashMod {}

impl Balancer for HashMod {
    fn pick(
        &mut self,
        servers: &[Server],
        _request: RequestInfo,
        _rng: &mut SimRng,
        why: Option<&mut Decision>,
    ) -> Option<usize> {
        let i = servers.iter().position(|s| s.eligible())?;
        if let Some(d) = why {
            d.choose(&servers[i].name, Score::Turn);
        }
        Some(i)
    }

    fn pool_changed(&mut self, _servers: &[Server]) {}
}

//! What the algorithm card says about each algorithm: two sentences on what it does, its
//! rule as pseudo-code of our own (at most [`MAX_RULE_LINES`] lines), which line decides a
//! pick of each [`Score`] kind, its cost per pick, and where real balancers offer it.
//!
//! The balancer facts, as their documentation states them: nginx's `upstream` block is
//! weighted round robin by default (`weight=` per `server`, the smooth variant), `least_conn;`
//! and `random;` take weights into account, `random two least_conn;` is power of two,
//! `hash $key;` maps keys by modulo and `hash $key consistent;` is a ketama ring. HAProxy's
//! `balance random` draws twice by default (`random(1)` is plain random), its hash-based
//! `balance` keywords map by modulo unless `hash-type consistent`, and `hash-balance-factor`
//! bounds the load of a consistent hash. Envoy's `LEAST_REQUEST` samples `choice_count`
//! hosts (2 by default) rather than scanning all; `RANDOM` picks any available host; the
//! `hash_balance_factor` of its consistent-hashing config bounds `RING_HASH` and `MAGLEV`.
//! Peak EWMA comes from Finagle and Linkerd (and tower), not from nginx, HAProxy or Envoy.
//!
//! The lab does not link these words: [`cards_html`] writes them as the static file
//! [`CARDS_FILE`] (committed under `static/`, copied beside the page by trunk), which the card
//! ([`crate::components::algorithm_card`]) fetches the first time it is drawn. A test holds
//! the committed file to what [`cards_html`] writes.

use lbcore::{Algorithm, Score};

/// Most lines of pseudo-code a rule may have.
pub const MAX_RULE_LINES: usize = 10;

/// The card's facts about one algorithm.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CardData {
    /// What it does, in two sentences.
    pub what: &'static str,
    /// Its rule, one pseudo-code line each.
    pub rule: &'static [&'static str],
    /// `(score kind, line)`: the line that decides a pick explained by that kind of score;
    /// the kind `none` is the line that rejects when no server is eligible.
    pub decides: &'static [(&'static str, usize)],
    /// Work per pick.
    pub cost: &'static str,
    /// Why it costs that.
    pub cost_note: &'static str,
    /// nginx (open source): the directive, or "not offered".
    pub nginx: &'static str,
    /// HAProxy: the `balance` keyword and options, or "not offered".
    pub haproxy: &'static str,
    /// Envoy: the `lb_policy`, or "not offered".
    pub envoy: &'static str,
}

/// The kind of a score, as [`CardData::decides`] names it.
pub fn score_kind(score: &Score) -> &'static str {
    match score {
        Score::Turn => "turn",
        Score::CurrentWeight { .. } => "current-weight",
        Score::Uniform { .. } => "uniform",
        Score::Weighted { .. } => "weighted",
        Score::Connections { .. } => "connections",
        Score::PerWeight { .. } => "per-weight",
        Score::Cost { .. } => "cost",
        Score::Ring { .. } => "ring",
        Score::Bounded { .. } => "bounded",
        Score::Slot { .. } => "slot",
        Score::Modulo { .. } => "modulo",
        Score::Skipped { .. } => "skipped",
        Score::Fallback { .. } => "fallback",
    }
}

impl CardData {
    /// The rule's line that decided a pick whose chosen score is `chosen` (`None`: rejected).
    pub fn deciding_line(&self, chosen: Option<&Score>) -> Option<usize> {
        let kind = chosen.map_or("none", score_kind);
        self.decides.iter().find(|(k, _)| *k == kind).map(|&(_, line)| line)
    }
}

const LEAST_SCAN: &str = "A pick reads the top of a tournament tree; each change of a server's connections \
     replays one path of it (a plain scan would be O(n)).";

/// The card for `algo`. Every algorithm has one: the match is exhaustive.
pub fn card(algo: Algorithm) -> CardData {
    match algo {
        Algorithm::RoundRobin => CardData {
            what: "Sends each request to the next server in a fixed order, wrapping around. It never looks at load, \
                   so a slow server gets as many requests as a fast one.",
            rule: &[
                "on each request:",
                "  repeat at most n times:",
                "    s = servers[next]; next = (next + 1) mod n",
                "    if s is up: send the request to s",
                "  no server is up: reject",
            ],
            decides: &[("turn", 3), ("none", 4)],
            cost: "O(1)",
            cost_note: "One step of a counter (more only past servers that are down).",
            nginx: "the default of an upstream block (no directive)",
            haproxy: "balance roundrobin",
            envoy: "ROUND_ROBIN",
        },
        Algorithm::WeightedRoundRobin => CardData {
            what: "Gives each server turns in proportion to its weight, spread out rather than in runs. This is \
                   nginx's smooth weighted round robin: weights 5, 1, 1 give a a b a c a a.",
            rule: &[
                "on each request:",
                "  total = 0",
                "  for each eligible server s:",
                "    s.current += s.weight; total += s.weight",
                "  best = the server with the largest current (first of equals)",
                "  best.current -= total",
                "  send the request to best (none eligible: reject)",
            ],
            decides: &[("current-weight", 4), ("none", 6)],
            cost: "O(n)",
            cost_note: "Every eligible server's current weight grows on every pick, as in nginx (lbsim finds the same server in O(log n) with a kinetic tournament).",
            nginx: "server ... weight=5; (the default method, with weights)",
            haproxy: "balance roundrobin with weight on each server (balance static-rr: fixed weights)",
            envoy: "ROUND_ROBIN with load_balancing_weight on the endpoints",
        },
        Algorithm::Random => CardData {
            what: "Sends each request to a server chosen uniformly at random. Over time the counts even out, but at \
                   any moment some servers hold clearly more than others.",
            rule: &[
                "on each request:",
                "  up = the eligible servers",
                "  if up is empty: reject",
                "  send the request to up[random below len(up)]",
            ],
            decides: &[("uniform", 3), ("none", 2)],
            cost: "O(1)",
            cost_note: "One random number.",
            nginx: "random; (weights count when they differ)",
            haproxy: "balance random(1) (plain balance random draws twice)",
            envoy: "RANDOM",
        },
        Algorithm::WeightedRandom => CardData {
            what: "Picks a server at random with probability proportional to its weight. A server of weight 2 gets \
                   about twice the requests of a server of weight 1, without any turn order.",
            rule: &[
                "on each request:",
                "  sums = running sums of the eligible servers' weights",
                "  if the total weight is 0: reject",
                "  r = random below the total",
                "  send the request to the first server whose sum > r",
            ],
            decides: &[("weighted", 4), ("none", 2)],
            cost: "O(log n)",
            cost_note: "A binary search in the running sums.",
            nginx: "random; with server ... weight=",
            haproxy: "balance random(1) with weight on each server",
            envoy: "not offered (RANDOM picks any available host alike)",
        },
        Algorithm::LeastConnections => CardData {
            what: "Sends each request to the server holding the fewest connections, the first in order on a tie. It \
                   notices a slow server because that server's connections pile up.",
            rule: &[
                "on each request:",
                "  best = none",
                "  for each eligible server s, in order:",
                "    if best is none or s.connections < best.connections:",
                "      best = s",
                "  send the request to best (none: reject)",
            ],
            decides: &[("connections", 3), ("none", 5)],
            cost: "O(log n)",
            cost_note: LEAST_SCAN,
            nginx: "least_conn;",
            haproxy: "balance leastconn",
            envoy: "LEAST_REQUEST samples choice_count hosts (2 by default): no full scan",
        },
        Algorithm::WeightedLeastConnections => CardData {
            what: "Like least connections, but compares connections divided by weight, so a server of weight 2 is \
                   expected to hold twice as many. Ties go to the heavier server (as nginx's least_conn does), \
                   then to the first in order.",
            rule: &[
                "on each request:",
                "  best = none",
                "  for each eligible server s, in order:",
                "    load = s.connections / s.weight",
                "    if best is none or load < best's load",
                "       or (load = best's load and s.weight > best's weight):",
                "      best = s",
                "  send the request to best (none: reject)",
            ],
            decides: &[("per-weight", 4), ("none", 7)],
            cost: "O(log n)",
            cost_note: LEAST_SCAN,
            nginx: "least_conn; with server ... weight=",
            haproxy: "balance leastconn with weight on each server",
            envoy: "LEAST_REQUEST with weights (it divides weight by active requests)",
        },
        Algorithm::PowerOfTwo => CardData {
            what: "Draws d servers at random (two by default) and sends the request to the one with fewer \
                   connections. It gets most of least connections' benefit while looking at only d servers.",
            rule: &[
                "on each request:",
                "  pick d different eligible servers at random",
                "  if there are none: reject",
                "  send the request to the one with the fewest connections",
                "    (ties: the first drawn)",
            ],
            decides: &[("connections", 3), ("none", 2)],
            cost: "O(d)",
            cost_note: "d random draws and d comparisons, whatever the number of servers.",
            nginx: "random two least_conn;",
            haproxy: "balance random(2) (what balance random does by default)",
            envoy: "LEAST_REQUEST (choice_count: 2, the default)",
        },
        Algorithm::PeakEwma => CardData {
            what: "Keeps a moving average of each server's response time that jumps up at once on a slow response \
                   and decays slowly. It sends the request where that estimate times (connections + 1) is lowest.",
            rule: &[
                "on each response from s, taking rtt:",
                "  if rtt > s.estimate: s.estimate = rtt",
                "  else: s.estimate = blend(s.estimate, rtt, decay)",
                "on each request:",
                "  for each eligible server s:",
                "    cost(s) = s.estimate × (s.connections + 1)",
                "  send the request to the lowest cost (none: reject)",
            ],
            decides: &[("cost", 6), ("none", 6)],
            cost: "O(n)",
            cost_note: "Every eligible server's cost is computed (Linkerd and Finagle compare two sampled ones; lbsim finds the same server in O(log n), in a tree ordered by a form of the cost that does not change with time).",
            nginx: "not offered (NGINX Plus least_time is a different rule)",
            haproxy: "not offered",
            envoy: "not offered; Linkerd and Finagle use it (tower's PeakEwma too)",
        },
        Algorithm::ConsistentHash => CardData {
            what: "Places many points per server on a ring and sends each key to the first point clockwise from \
                   the key's hash. Adding or removing a server moves only the keys next to its points.",
            rule: &[
                "setup: put vnodes points per server on a ring",
                "on each request:",
                "  p = hash(key)",
                "  walk clockwise from p to the next point",
                "  skip points of servers that are not up",
                "  send the request to that point's server",
                "  no server is up: reject",
            ],
            decides: &[("ring", 5), ("skipped", 4), ("none", 6)],
            cost: "O(log n)",
            cost_note: "A binary search among the ring's points.",
            nginx: "hash $key consistent;",
            haproxy: "balance uri (or source, hdr(...)) with hash-type consistent",
            envoy: "RING_HASH",
        },
        Algorithm::Maglev => CardData {
            what: "Fills a lookup table of a prime number of slots, each server claiming slots in its own order in \
                   turn. A key goes to the server in slot hash(key) mod size: one read per pick, and few keys move \
                   when the pool changes.",
            rule: &[
                "setup (again on every pool change):",
                "  each server has its own permutation of the M slots",
                "  in turns, each server claims its next free slot",
                "on each request:",
                "  slot = hash(key) mod M",
                "  send the request to table[slot]",
                "  no server is up: reject",
            ],
            decides: &[("slot", 5), ("none", 6)],
            cost: "O(1)",
            cost_note: "One table read (building the table is O(M) on each pool change).",
            nginx: "not offered",
            haproxy: "not offered",
            envoy: "MAGLEV",
        },
        Algorithm::BoundedLoad => CardData {
            what: "Consistent hashing with a cap: no server may hold more than the load factor times the average. \
                   A key whose server is full walks on to the next server on the ring.",
            rule: &[
                "setup: the consistent-hash ring",
                "on each request:",
                "  bound = ceil(factor × (connections of all + 1) / n)",
                "  walk clockwise from hash(key)",
                "  skip servers not up or at the bound",
                "  send the request to the first server under the bound",
                "  no server is up: reject",
            ],
            decides: &[("bounded", 5), ("skipped", 4), ("none", 6)],
            cost: "O(log n)",
            cost_note: "A binary search on the ring, then a short walk past full servers.",
            nginx: "not offered",
            haproxy: "hash-type consistent with hash-balance-factor 125 (a percentage)",
            envoy: "RING_HASH or MAGLEV with hash_balance_factor",
        },
        Algorithm::HashMod => CardData {
            what: "Sends a key to server number hash(key) mod n. It is the simplest hash, but adding or removing one \
                   server moves almost every key.",
            rule: &[
                "on each request:",
                "  up = the eligible servers, in order",
                "  if up is empty: reject",
                "  send the request to up[hash(key) mod len(up)]",
            ],
            decides: &[("modulo", 3), ("none", 2)],
            cost: "O(1)",
            cost_note: "One hash and one division.",
            nginx: "hash $key; (without consistent)",
            haproxy: "balance uri (or source, hdr(...)) with hash-type map-based, the default",
            envoy: "not offered",
        },
    }
}

/// The file the card's words are written to, beside the page (and under `static/` in the repo).
pub const CARDS_FILE: &str = "algorithm-cards.html";

/// The command that writes [`CARDS_FILE`] again from this module, run at the repo's root.
pub const REWRITE_CARDS: &str = "LBVIZ_REWRITE_CARDS=1 cargo test -p lbviz --lib algorithm_card_data";

/// Every algorithm's card as an HTML fragment, one `<section data-algo="ID">` each, in
/// [`Algorithm::ALL`]'s order: its two sentences (`p.what`), its rule (`ol.rule`, each line an
/// `li` whose `data-decides` lists the score kinds it decides, space-separated, as
/// [`score_kind`] names them), an empty note (`p[data-testid=card-note]`, which the card
/// writes) and its facts (`dl.card-facts`). What [`CARDS_FILE`] holds.
pub fn cards_html() -> String {
    use crate::components::embed_builder::escape;
    let mut out = format!(
        "<!-- The algorithm card's words, written by lbviz::algorithm_card_data::cards_html: do not edit, \
         run `{REWRITE_CARDS}`. -->\n"
    );
    for algo in Algorithm::ALL {
        let c = card(algo);
        out += &format!("<section data-algo=\"{}\">\n<p class=\"what\">{}</p>\n", algo.id(), escape(c.what));
        out += "<ol class=\"rule\" aria-label=\"Rule in pseudo-code\">\n";
        for (i, text) in c.rule.iter().enumerate() {
            let kinds: Vec<&str> = c.decides.iter().filter(|&&(_, line)| line == i).map(|&(kind, _)| kind).collect();
            let decides =
                if kinds.is_empty() { String::new() } else { format!(" data-decides=\"{}\"", kinds.join(" ")) };
            out += &format!("<li{decides}><code>{}</code></li>\n", escape(text));
        }
        out += &format!(
            "</ol>\n<p class=\"hint\" data-testid=\"card-note\"></p>\n<dl class=\"card-facts\">\n<dt>Cost per pick</dt><dd><strong data-testid=\"card-cost\">{}</strong> — {}</dd>\n",
            escape(c.cost),
            escape(c.cost_note)
        );
        for (who, text) in [("nginx", c.nginx), ("HAProxy", c.haproxy), ("Envoy lb_policy", c.envoy)] {
            out += &format!("<dt>{who}</dt><dd><code>{}</code></dd>\n", escape(text));
        }
        out += "</dl>\n</section>\n";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_cards_file_is_what_cards_html_writes() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/static/algorithm-cards.html");
        let written = cards_html();
        if std::env::var_os("LBVIZ_REWRITE_CARDS").is_some() {
            std::fs::write(path, &written).expect("static/algorithm-cards.html is writable");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == written,
            "static/{CARDS_FILE} differs from what src/algorithm_card_data.rs writes: run `{REWRITE_CARDS}` and commit it"
        );
    }

    #[test]
    fn the_cards_file_marks_each_deciding_line_once() {
        // Each (kind, line) of a card appears as that kind in the data-decides of that line
        // (its index among the section's <li>), and nowhere else in the section.
        let html = cards_html();
        for algo in Algorithm::ALL {
            let start = html.find(&format!("<section data-algo=\"{}\">", algo.id())).expect("a section");
            let section = &html[start..start + html[start..].find("</section>").expect("its end")];
            let lines: Vec<&str> = section.split("<li").skip(1).collect();
            let c = card(algo);
            assert_eq!(lines.len(), c.rule.len(), "{algo}");
            for (i, line) in lines.iter().enumerate() {
                let marked = line.split('>').next().unwrap_or_default();
                let kinds: Vec<&str> = marked
                    .split("data-decides=\"")
                    .nth(1)
                    .map(|k| k.trim_end_matches('"').split(' ').collect())
                    .unwrap_or_default();
                let expected: Vec<&str> = c.decides.iter().filter(|d| d.1 == i).map(|d| d.0).collect();
                assert_eq!(kinds, expected, "{algo} line {i}");
            }
            assert!(section.contains("data-testid=\"card-cost\""), "{algo}");
        }
        // escaped: the rules' comparisons and arrows arrive as text, not markup
        assert!(html.contains("&lt;") && !html.contains("< best"), "the rules' < are escaped");
    }

    #[test]
    fn every_algorithm_has_a_card_that_fits() {
        for algo in Algorithm::ALL {
            let c = card(algo);
            assert!(!c.rule.is_empty() && c.rule.len() <= MAX_RULE_LINES, "{algo}: {} lines", c.rule.len());
            assert_eq!(c.what.matches(". ").count() + 1, 2, "{algo}: two sentences: {}", c.what);
            assert!(["O(1)", "O(log n)", "O(n)", "O(d)"].contains(&c.cost), "{algo}: {}", c.cost);
            for (kind, line) in c.decides {
                assert!(*line < c.rule.len(), "{algo}: {kind} points past the rule");
            }
            assert!(c.deciding_line(None).is_some(), "{algo}: a rejected pick has a line");
            for text in [c.nginx, c.haproxy, c.envoy] {
                assert!(!text.is_empty(), "{algo}");
            }
        }
    }

    #[test]
    fn the_deciding_line_follows_the_engines_score() {
        let mut engine = lbcore::Engine::new(lbcore::Scenario {
            algo: Algorithm::LeastConnections,
            arrivals: lbcore::scenario::Arrivals::Off,
            completions: lbcore::scenario::Completions::Manual,
            ..lbcore::Scenario::default()
        })
        .expect("a valid scenario");
        for algo in Algorithm::ALL {
            let next = lbcore::Scenario { algo, ..engine.scenario().clone() };
            engine.reconfigure(next).expect("reconfigure");
            let d = engine.fire(1).pop().expect("a decision");
            let chosen = d.chosen.as_ref().map(|c| &c.score);
            let line = card(algo).deciding_line(chosen);
            assert!(line.is_some(), "{algo}: no line for {chosen:?}");
        }
    }

    #[test]
    fn peak_ewma_is_not_in_nginx() {
        let c = card(Algorithm::PeakEwma);
        assert!(c.nginx.starts_with("not offered") && c.envoy.contains("Linkerd"));
        assert_eq!(card(Algorithm::PowerOfTwo).nginx, "random two least_conn;");
        assert_eq!(card(Algorithm::ConsistentHash).nginx, "hash $key consistent;");
    }
}

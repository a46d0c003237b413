//! A cache of request keys: LRU with a capacity and an optional time to live. The engine
//! puts one in front of the balancer (shared, as Redis or Memcached would be) or one on
//! each server; a hit is served without a server.

use lru::LruCache;
use rustc_hash::FxBuildHasher;

use crate::time::Nanos;

/// An LRU cache of keys, each fresh until its expiry time. Its memory grows with the keys it
/// holds, not with its capacity: a cache of 10 million entries over 1,000 keys holds 1,000.
#[derive(Debug)]
pub struct Cache {
    entries: LruCache<u64, Nanos, FxBuildHasher>,
    capacity: usize,
    ttl: Nanos,
    /// Lookups that found a fresh entry.
    pub hits: u64,
    /// Lookups that did not.
    pub misses: u64,
}

impl Cache {
    /// A cache holding at most `capacity` keys, each for `ttl` nanoseconds (0: forever).
    pub fn new(capacity: u32, ttl: Nanos) -> Self {
        // Unbounded, with the capacity enforced in `insert`: lru's bounded constructor reserves
        // a table of `capacity` entries up front (1.66 GB for 100 caches of 10 million).
        let entries = LruCache::unbounded_with_hasher(FxBuildHasher);
        Cache { entries, capacity: capacity.max(1) as usize, ttl, hits: 0, misses: 0 }
    }

    /// Whether `key` is cached and fresh at `now`; a hit makes it most recently used, an
    /// expired entry is dropped.
    pub fn lookup(&mut self, key: u64, now: Nanos) -> bool {
        let hit = match self.entries.get(&key) {
            Some(&expires) if self.ttl == 0 || now < expires => true,
            Some(_) => {
                self.entries.pop(&key);
                false
            }
            None => false,
        };
        if hit {
            self.hits += 1;
        } else {
            self.misses += 1;
        }
        hit
    }

    /// Stores `key` as fresh from `now`, evicting the least recently used when full.
    pub fn insert(&mut self, key: u64, now: Nanos) {
        if self.entries.len() >= self.capacity && !self.entries.contains(&key) {
            self.entries.pop_lru();
        }
        self.entries.put(key, now.saturating_add(self.ttl));
    }

    /// Keys held now.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drops every entry (a server that failed lost its memory).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Hits over lookups, 0 before any lookup.
    pub fn hit_ratio(&self) -> f64 {
        let total = self.hits + self.misses;
        if total == 0 { 0.0 } else { self.hits as f64 / total as f64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evicts_the_least_recently_used() {
        let mut c = Cache::new(2, 0);
        c.insert(1, 0);
        c.insert(2, 0);
        assert!(c.lookup(1, 0)); // 1 is now most recent
        c.insert(3, 0); // evicts 2
        assert!(!c.lookup(2, 0));
        assert!(c.lookup(1, 0) && c.lookup(3, 0));
        assert_eq!((c.hits, c.misses), (3, 1));
    }

    #[test]
    fn entries_expire_after_ttl() {
        let mut c = Cache::new(10, 100);
        c.insert(7, 1_000);
        assert!(c.lookup(7, 1_099));
        assert!(!c.lookup(7, 1_100));
        assert_eq!(c.len(), 0, "an expired entry is dropped");
    }

    #[test]
    fn memory_follows_the_keys_held_not_the_capacity() {
        // 100 caches of 10 million entries each: a table reserved up front would take
        // gigabytes; holding 3 keys each must stay near nothing.
        let mut caches: Vec<Cache> = (0..100).map(|_| Cache::new(10_000_000, 0)).collect();
        for c in &mut caches {
            for key in 0..3 {
                c.insert(key, 0);
            }
            assert_eq!(c.len(), 3);
            assert!(c.entries.cap().get() > 1_000_000_000, "unbounded inside, so nothing is reserved");
        }
    }
}

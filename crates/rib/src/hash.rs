//! Hashers for the route tables: a multiply-and-fold hash, several times faster than std's
//! SipHash-1-3 on the short keys of a RIB (a 9-octet IPv4 key is two words).
//!
//! - [`Fast`] has a fixed seed. It is for the Adj-RIB-Out, whose keys come from our own
//!   configuration and helpers, never from a peer: nobody can choose keys to flood a hash
//!   bucket, so the hash only has to spread well.
//! - [`Keyed`] draws a random seed for each table (from std's `RandomState`, which is
//!   seeded by the OS) and is for the Adj-RIB-In, whose keys a peer chooses. The seed is
//!   secret, so a peer cannot compute colliding prefixes offline; like foldhash's, this is
//!   not the cryptographic guarantee SipHash gives, which is the trade made for a table a
//!   BGP peer fills at line rate (a peer is also configured and bounded by its session).
//!
//! The mixing step is a "folded multiply" (the two halves of a 64×64→128-bit product
//! XORed), which carries every input bit into the low bits hashbrown uses as the bucket
//! index; a plain multiply would leave the low bits blind to the high octets of an IPv4
//! address.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// Odd 64-bit constants (digits of π), so the multiplications are invertible.
pub(crate) const K0: u64 = 0x243f_6a88_85a3_08d3;
pub(crate) const K1: u64 = 0x1319_8a2e_0370_7344;

/// The two halves of the 128-bit product of `a` and `b`, XORed.
#[inline]
pub(crate) fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a).wrapping_mul(u128::from(b));
    (product as u64) ^ ((product >> 64) as u64)
}

/// The hasher state: one word, folded with every input word.
#[derive(Debug, Clone, Copy)]
pub struct FoldHasher {
    state: u64,
    seed: u64,
}

impl FoldHasher {
    /// A hasher whose state and key are `seed` (0: the fixed-seed hasher).
    #[inline]
    pub(crate) fn seeded(seed: u64) -> Self {
        Self { state: seed, seed }
    }

    /// Folds one word into the state.
    #[inline]
    pub(crate) fn mix(&mut self, word: u64) {
        self.state = fold(self.state ^ word, K0 ^ self.seed);
    }
}

impl Hasher for FoldHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // the length keeps "ab" and "ab\0" apart
            self.mix(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        fold(self.state, K1 ^ self.seed)
    }
}

/// Fixed-seed [`FoldHasher`]s, for tables whose keys are our own (the Adj-RIB-Out).
#[derive(Debug, Clone, Copy, Default)]
pub struct Fast;

impl BuildHasher for Fast {
    type Hasher = FoldHasher;

    #[inline]
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher::seeded(0)
    }
}

/// [`FoldHasher`]s with a random seed per table, for tables whose keys a peer chooses
/// (the Adj-RIB-In).
#[derive(Debug, Clone, Copy)]
pub struct Keyed {
    seed: u64,
}

/// A random seed for one table.
pub(crate) fn random_seed() -> u64 {
    // RandomState's keys come from the OS once per thread, then advance per instance.
    RandomState::new().hash_one(0x5eed_u64)
}

impl Default for Keyed {
    fn default() -> Self {
        Self {
            seed: random_seed(),
        }
    }
}

impl BuildHasher for Keyed {
    type Hasher = FoldHasher;

    #[inline]
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher::seeded(self.seed)
    }
}

/// A `HashMap` with the [`Fast`] hasher.
pub type FastMap<K, V> = std::collections::HashMap<K, V, Fast>;

/// A `HashMap` with the [`Keyed`] hasher.
pub type KeyedMap<K, V> = std::collections::HashMap<K, V, Keyed>;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Sequential IPv4 /32 keys (what S1 announces) must spread over the low bits the
    /// table indexes by: 2^16 keys into 2^16 buckets leave few empty, as a random hash
    /// would (about 1/e of them).
    #[test]
    fn sequential_addresses_spread_over_the_low_bits() {
        let mut buckets = HashSet::new();
        for i in 0u32..1 << 16 {
            let mut key = [0u8; 9];
            key[0] = 32;
            key[1..5].copy_from_slice(&(0x0a00_0000 | i).to_be_bytes());
            buckets.insert(Fast.hash_one(key) & 0xffff);
        }
        let empty = (1 << 16) - buckets.len();
        // 1/e of 65536 is 24109; a hash blind to some octets leaves far more empty
        assert!(empty < 26_000, "{empty} empty buckets");
    }

    #[test]
    fn keyed_tables_have_their_own_seeds() {
        let (a, b) = (Keyed::default(), Keyed::default());
        assert_ne!(a.hash_one([1u8; 9]), b.hash_one([1u8; 9]));
        assert_eq!(a.hash_one([1u8; 9]), a.hash_one([1u8; 9]));
    }

    #[test]
    fn trailing_zeros_change_the_hash() {
        let hash = |bytes: &[u8]| {
            let mut h = Fast.build_hasher();
            h.write(bytes);
            h.finish()
        };
        assert_ne!(hash(b"ab"), hash(b"ab\0"));
    }
}

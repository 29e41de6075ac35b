//! A locality-preserving hash for the prefix keys of the route tables ([`crate::key`]):
//! sixteen consecutive prefixes of one length land in sixteen consecutive buckets.
//!
//! Why: a helper announces routes in address order, and a peer sends its table in bulk,
//! mostly in order too. With a hash that scatters every key, each route of a table larger
//! than the caches (1M IPv4 routes: ~44 MB) costs a cache miss and a TLB miss on its
//! control byte and another on its entry. With this hash, sixteen routes in a row touch
//! one group of control bytes and 320 contiguous octets of entries.
//!
//! How: std's `HashMap` (hashbrown) places a key at bucket `hash & mask`, probes groups of
//! 16 control bytes from there, and keeps the top 7 bits of the hash as the key's tag in
//! its control byte. A prefix of length `len` has an index, its top `len` bits
//! (`address >> (32 - len)` for IPv4, `>> (128 - len)` for IPv6). Its hash is
//!
//! ```text
//! offset = index mod 16
//! block  = the key with those 4 bits of the address cleared (length, path identifier and
//!          the other address bits, host bits included, all kept)
//! hash   = offset | mix(block, seed) << 4, then the top 7 bits XORed with 0x5b × offset
//! ```
//!
//! so the sixteen prefixes of a block share `mix(block)` and sit at `base + offset`, and
//! their tags differ (`0x5b × offset mod 128` is one-to-one: 0x5b is odd), so a lookup
//! compares one key, not sixteen. `mix` is the folded multiply of [`crate::hash`].
//!
//! Hash flooding (the Adj-RIB-In, whose keys a peer chooses, uses a random seed per
//! table, [`PrefixKeyed`]): the offset is predictable by design, but it carries only 4
//! bits, so a peer can put at most 16 keys in one block, and a block of 16 is one group:
//! one probe, what any key costs. Where blocks land depends on the secret seed, so the
//! peer cannot aim two blocks at one group, nor pick keys whose tags collide across
//! blocks; the argument for [`crate::hash::Keyed`] applies to the blocks unchanged. Every
//! bit of the key except the 4 offset bits goes through `mix` (host bits too, which valid
//! keys never have), so distinct keys differ in the offset or in the words mixed: no
//! collision holds for every seed, which is what an attacker without the seed would need.
//!
//! The hasher recognises a prefix key by the length of the octet string a key writes
//! (`[u8; N]` writes its length, then its octets in one `write`): 5, 9 and 22 octets are
//! the layouts of [`V4Short`], [`V4Key`] and [`V6Key`]. Anything else is folded like
//! [`crate::hash::FoldHasher`] does, so a map of other keys (an enum of prefix and other
//! NLRI) stays a well-spread map; an octet string that has a key's length but not its
//! layout (a length above 32 or 128) is folded too.

use std::hash::{BuildHasher, Hasher};
use std::mem::size_of;

use crate::hash::{random_seed, FoldHasher};
use crate::key::{V4Key, V4Short, V6Key};

/// log2 of the number of consecutive prefixes in a block.
const BLOCK_BITS: u32 = 4;
/// The offset of a prefix in its block.
const OFFSET: u64 = (1 << BLOCK_BITS) - 1;
/// Odd: `TAG × offset mod 128` gives the sixteen offsets sixteen distinct tags.
const TAG: u64 = 0x5b;

/// The hasher: a [`FoldHasher`] for every word, and the block offset of the last prefix
/// key written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrefixHasher {
    inner: FoldHasher,
    offset: Option<u64>,
}

/// A 32-bit address split at a prefix length: (offset in the block, address without the
/// offset bits).
fn split_v4(addr: u32, len: u8) -> (u64, u32) {
    match 32u32.checked_sub(u32::from(len)) {
        Some(shift) if shift < 32 => (
            u64::from(addr >> shift) & OFFSET,
            addr & !((OFFSET as u32) << shift),
        ),
        _ => (0, addr),
    }
}

/// [`split_v4`] for a 128-bit address.
fn split_v6(addr: u128, len: u8) -> (u64, u128) {
    match 128u32.checked_sub(u32::from(len)) {
        Some(shift) if shift < 128 => (
            (addr >> shift) as u64 & OFFSET,
            addr & !(u128::from(OFFSET) << shift),
        ),
        _ => (0, addr),
    }
}

fn be32(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(bytes);
    u32::from_be_bytes(word)
}

impl PrefixHasher {
    fn seeded(seed: u64) -> Self {
        Self {
            inner: FoldHasher::seeded(seed),
            offset: None,
        }
    }

    #[inline]
    fn mix(&mut self, word: u64) {
        self.inner.mix(word);
    }

    /// Mixes `bytes` as a prefix key if it has a key's layout; false when it has not.
    #[inline]
    fn prefix(&mut self, bytes: &[u8]) -> bool {
        match bytes.len() {
            n if n == size_of::<V4Short>() => {
                // length, address
                let len = bytes[0];
                if len > 32 {
                    return false;
                }
                let (offset, block) = split_v4(be32(&bytes[1..5]), len);
                self.mix(u64::from(block) | u64::from(len) << 32);
                self.offset = Some(offset);
            }
            n if n == size_of::<V4Key>() => {
                // length | 0x80 with a path identifier, address, path identifier
                let len = bytes[0] & 0x7f;
                if len > 32 {
                    return false;
                }
                let (offset, block) = split_v4(be32(&bytes[1..5]), len);
                self.mix(u64::from(block) | u64::from(bytes[0]) << 32);
                self.mix(u64::from(be32(&bytes[5..9])));
                self.offset = Some(offset);
            }
            n if n == size_of::<V6Key>() => {
                // length, path-identifier flag, address, path identifier
                let len = bytes[0];
                if len > 128 {
                    return false;
                }
                let mut addr = [0u8; 16];
                addr.copy_from_slice(&bytes[2..18]);
                let (offset, block) = split_v6(u128::from_be_bytes(addr), len);
                self.mix(block as u64);
                self.mix((block >> 64) as u64);
                self.mix(
                    u64::from(len)
                        | u64::from(bytes[1]) << 8
                        | u64::from(be32(&bytes[18..22])) << 16,
                );
                self.offset = Some(offset);
            }
            _ => return false,
        }
        true
    }
}

impl Hasher for PrefixHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        if !self.prefix(bytes) {
            self.inner.write(bytes);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.inner.write_u8(i);
    }

    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.inner.write_u16(i);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.inner.write_u32(i);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.inner.write_u64(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.inner.write_usize(i);
    }

    #[inline]
    fn finish(&self) -> u64 {
        let mixed = self.inner.finish();
        match self.offset {
            None => mixed,
            Some(offset) => {
                ((mixed << BLOCK_BITS) | offset) ^ (((offset.wrapping_mul(TAG)) & 0x7f) << 57)
            }
        }
    }
}

/// Fixed-seed [`PrefixHasher`]s, for prefix tables whose keys are our own (the
/// Adj-RIB-Out).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PrefixFast;

impl BuildHasher for PrefixFast {
    type Hasher = PrefixHasher;

    #[inline]
    fn build_hasher(&self) -> PrefixHasher {
        PrefixHasher::seeded(0)
    }
}

/// [`PrefixHasher`]s with a random seed per table, for prefix tables whose keys a peer
/// chooses (the Adj-RIB-In; see the module documentation for why blocks keep the
/// flooding resistance).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrefixKeyed {
    seed: u64,
}

impl Default for PrefixKeyed {
    fn default() -> Self {
        Self {
            seed: random_seed(),
        }
    }
}

impl BuildHasher for PrefixKeyed {
    type Hasher = PrefixHasher;

    #[inline]
    fn build_hasher(&self) -> PrefixHasher {
        PrefixHasher::seeded(self.seed)
    }
}

/// A `HashMap` of prefix keys with the [`PrefixFast`] hasher.
pub(crate) type PrefixMap<K, V> = std::collections::HashMap<K, V, PrefixFast>;

/// A `HashMap` of prefix keys with the [`PrefixKeyed`] hasher.
pub(crate) type KeyedPrefixMap<K, V> = std::collections::HashMap<K, V, PrefixKeyed>;

#[cfg(test)]
#[path = "prefix_hash_tests.rs"]
mod tests;

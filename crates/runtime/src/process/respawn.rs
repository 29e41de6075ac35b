//! How often a dead helper may be started again.
//!
//! ExaBGP restarts a helper that died at most 5 times per window, the window being wall-clock
//! seconds with the low 6 bits cleared (64-second buckets aligned to the epoch, not 64
//! seconds since the first death). The 6th death inside one bucket makes ExaBGP stop
//! ("Too many death for …, terminating program"). Herald keeps the same arithmetic so a
//! helper that crash-loops is treated identically.

use std::collections::HashMap;

/// Deaths a helper may have inside one window before the daemon gives up.
pub const MAX_DEATHS_PER_WINDOW: u32 = 5;

/// Low bits cleared from the epoch seconds to form the window key (64-second buckets).
const WINDOW_MASK: u64 = !0b11_1111;

/// What to do after a helper died.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Start it again.
    Respawn,
    /// It died too often inside the window: give up (ExaBGP terminates the daemon).
    TooManyDeaths,
}

/// Death counts per helper name, per 64-second window.
#[derive(Debug, Default)]
pub struct RespawnBudget {
    deaths: HashMap<String, (u64, u32)>,
}

impl RespawnBudget {
    /// Records a death of `name` at `epoch_secs` and says whether it may be restarted.
    pub fn record(&mut self, name: &str, epoch_secs: u64) -> Verdict {
        let window = epoch_secs & WINDOW_MASK;
        let entry = self.deaths.entry(name.to_owned()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 += 1;
        if entry.1 > MAX_DEATHS_PER_WINDOW {
            Verdict::TooManyDeaths
        } else {
            Verdict::Respawn
        }
    }

    /// Forgets a helper (removed by a reload).
    pub fn forget(&mut self, name: &str) {
        self.deaths.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixth_death_in_a_window_gives_up() {
        let mut budget = RespawnBudget::default();
        let base = 1_700_000_000 & WINDOW_MASK;
        for i in 0..5 {
            assert_eq!(budget.record("a", base + i), Verdict::Respawn);
        }
        assert_eq!(budget.record("a", base + 10), Verdict::TooManyDeaths);
        // another helper has its own count
        assert_eq!(budget.record("b", base + 10), Verdict::Respawn);
    }

    #[test]
    fn a_new_window_starts_a_new_count() {
        let mut budget = RespawnBudget::default();
        let base = 1_700_000_000 & WINDOW_MASK;
        for i in 0..5 {
            assert_eq!(budget.record("a", base + i), Verdict::Respawn);
        }
        assert_eq!(budget.record("a", base + 64), Verdict::Respawn);
        budget.forget("a");
        for _ in 0..5 {
            assert_eq!(budget.record("a", base + 64), Verdict::Respawn);
        }
    }
}

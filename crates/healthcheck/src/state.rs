//! The health state machine of ExaBGP's healthcheck, without I/O.
//!
//! Each iteration feeds one observation — is the disable file present, did the check
//! succeed — into [`Machine::step`], which returns the transition (if any). The runner
//! then runs the execute hooks of the state entered, prints the announcements of the
//! new state ([`crate::command`]) and sleeps for [`pause`].
//!
//! ```text
//!            disable file present (from any state but DISABLED)
//!   ┌──────────────────────────────────────────────────────────────► DISABLED
//!   │                                                                   │ file gone
//!  INIT ◄───────────────────────────────────────────────────────────────┘
//!   │ success                      │ failure
//!   ▼                              ▼
//!  RISING ──failure──► FALLING ◄── UP        (UP on failure → FALLING)
//!   │  ▲                 │  │
//!   │  └────success──────┘  │ `fall` failures in a row
//!   │ `rise` successes      ▼
//!   └──────► UP           DOWN ──success──► RISING
//! ```
//!
//! `rise <= 1` turns every move into RISING into UP, `fall <= 1` every move into FALLING
//! into DOWN. EXIT (a signal) and END (`--interval 0`) are entered by the runner, not by
//! an observation.

use std::fmt;

/// A state of the health checker (ExaBGP's names, printed in upper case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Nothing known yet (also re-entered when the disable file goes away).
    Init,
    /// The disable file exists: the check is not run.
    Disabled,
    /// Checks succeed, fewer than `rise` in a row so far.
    Rising,
    /// Checks fail, fewer than `fall` in a row so far.
    Falling,
    /// The service is up.
    Up,
    /// The service is down.
    Down,
    /// Stopping on a signal: every route is withdrawn, set-up addresses removed.
    Exit,
    /// Stopping after `--interval 0`: routes and addresses are kept.
    End,
}

impl State {
    /// ExaBGP's name for the state, as put in `STATE` for the execute hooks.
    pub fn name(self) -> &'static str {
        match self {
            Self::Init => "INIT",
            Self::Disabled => "DISABLED",
            Self::Rising => "RISING",
            Self::Falling => "FALLING",
            Self::Up => "UP",
            Self::Down => "DOWN",
            Self::Exit => "EXIT",
            Self::End => "END",
        }
    }

    /// Whether entering this state sends announcements (UP, DOWN, DISABLED and EXIT).
    pub fn announces(self) -> bool {
        matches!(self, Self::Up | Self::Down | Self::Disabled | Self::Exit)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The outcome of one iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The state before the iteration.
    pub before: State,
    /// The state after it.
    pub state: State,
    /// The state entered by a transition in this iteration, if there was one (its execute
    /// hooks run). It equals `state`; it is `None` when the iteration only counted.
    pub entered: Option<State>,
}

impl Step {
    /// Whether the announcements of `state` are printed after this iteration: always,
    /// unless `debounce` is set and the state did not change.
    pub fn announce(&self, debounce: bool) -> bool {
        !debounce || self.state != self.before
    }
}

/// The state, the counter of consecutive results and the `rise`/`fall` thresholds.
#[derive(Debug, Clone)]
pub struct Machine {
    state: State,
    checks: i64,
    rise: i64,
    fall: i64,
}

impl Machine {
    /// A machine in INIT with the given thresholds (`--rise`, `--fall`).
    pub fn new(rise: i64, fall: i64) -> Self {
        Self {
            state: State::Init,
            checks: 0,
            rise,
            fall,
        }
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Consecutive successes (RISING) or failures (FALLING) counted so far.
    pub fn checks(&self) -> i64 {
        self.checks
    }

    /// Feeds one iteration: `disabled` is whether the disable file exists, `healthy` the
    /// check result (ignored when `disabled`: the check is not run then).
    pub fn step(&mut self, disabled: bool, healthy: bool) -> Step {
        let before = self.state;
        let healthy = disabled || healthy;
        let entered = if self.state != State::Disabled && disabled {
            Some(self.enter(State::Disabled))
        } else {
            match self.state {
                State::Init if healthy && self.rise <= 1 => Some(self.enter(State::Up)),
                State::Init if healthy => Some(self.enter_counting(State::Rising)),
                State::Init => Some(self.enter_counting(State::Falling)),
                State::Disabled if !disabled => Some(self.enter(State::Init)),
                State::Disabled => None,
                State::Rising if healthy => {
                    self.checks += 1;
                    (self.checks >= self.rise).then(|| self.enter(State::Up))
                }
                State::Rising => Some(self.enter_counting(State::Falling)),
                State::Falling if !healthy => {
                    self.checks += 1;
                    (self.checks >= self.fall).then(|| self.enter(State::Down))
                }
                State::Falling => Some(self.enter_counting(State::Rising)),
                State::Up if !healthy => Some(self.enter_counting(State::Falling)),
                State::Down if healthy => Some(self.enter_counting(State::Rising)),
                State::Up | State::Down | State::Exit | State::End => None,
            }
        };
        Step {
            before,
            state: self.state,
            entered,
        }
    }

    /// Enters `target`, or UP/DOWN instead of RISING/FALLING when `rise`/`fall` is at
    /// most 1; returns the state entered.
    fn enter(&mut self, target: State) -> State {
        let target = match target {
            State::Rising if self.rise <= 1 => State::Up,
            State::Falling if self.fall <= 1 => State::Down,
            other => other,
        };
        self.state = target;
        target
    }

    /// Enters `target` and starts counting at 1 (this result is the first of a run).
    fn enter_counting(&mut self, target: State) -> State {
        let entered = self.enter(target);
        self.checks = 1;
        entered
    }
}

/// What the runner does after an iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    /// Sleep `--fast-interval` (a change is under way: RISING or FALLING).
    Fast,
    /// Sleep `--interval`.
    Interval,
    /// `--interval 0`: stop now in END, keeping routes and addresses.
    End,
}

/// How long to wait after an iteration that left the machine in `state`.
pub fn pause(state: State, interval_is_zero: bool) -> Pause {
    match state {
        State::Rising | State::Falling => Pause::Fast,
        _ if interval_is_zero => Pause::End,
        _ => Pause::Interval,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `results` (true = success) through a fresh machine, returning every state.
    fn run(rise: i64, fall: i64, results: &[bool]) -> Vec<State> {
        let mut m = Machine::new(rise, fall);
        results.iter().map(|&ok| m.step(false, ok).state).collect()
    }

    use State::*;

    #[test]
    fn rises_after_rise_successes() {
        assert_eq!(
            run(3, 3, &[true, true, true, true]),
            [Rising, Rising, Up, Up]
        );
    }

    #[test]
    fn falls_after_fall_failures() {
        assert_eq!(
            run(2, 3, &[true, true, false, false, false, false]),
            [Rising, Up, Falling, Falling, Down, Down]
        );
    }

    #[test]
    fn first_failure_goes_falling_then_down() {
        assert_eq!(run(3, 2, &[false, false]), [Falling, Down]);
    }

    #[test]
    fn interrupted_runs_restart_the_count() {
        assert_eq!(
            run(3, 3, &[true, true, false, true, true, true]),
            [Rising, Rising, Falling, Rising, Rising, Up]
        );
        assert_eq!(
            run(3, 3, &[false, false, true, false, false, false]),
            [Falling, Falling, Rising, Falling, Falling, Down]
        );
    }

    #[test]
    fn rise_and_fall_of_one_skip_the_intermediate_states() {
        assert_eq!(run(1, 1, &[true, false, true, false]), [Up, Down, Up, Down]);
        assert_eq!(run(0, 0, &[false, true]), [Down, Up]);
        assert_eq!(run(1, 3, &[false, false, true]), [Falling, Falling, Up]);
        assert_eq!(run(3, 1, &[true, false]), [Rising, Down]);
    }

    #[test]
    fn down_recovers_through_rising() {
        assert_eq!(
            run(2, 1, &[false, true, true, true]),
            [Down, Rising, Up, Up]
        );
    }

    #[test]
    fn disable_file_wins_from_any_state_and_clears_through_init() {
        let mut m = Machine::new(2, 2);
        assert_eq!(m.step(false, true).state, Rising);
        let s = m.step(true, false);
        assert_eq!(
            (s.before, s.state, s.entered),
            (Rising, Disabled, Some(Disabled))
        );
        // Still disabled: no transition, the check result does not matter.
        let s = m.step(true, false);
        assert_eq!((s.state, s.entered), (Disabled, None));
        // File gone: back to INIT first, whatever the check says.
        let s = m.step(false, false);
        assert_eq!((s.state, s.entered), (Init, Some(Init)));
        assert_eq!(m.step(false, true).state, Rising);
        assert_eq!(m.step(false, true).state, Up);
        assert_eq!(m.step(true, true).state, Disabled);
    }

    #[test]
    fn counter_follows_the_run() {
        let mut m = Machine::new(5, 5);
        m.step(false, true);
        m.step(false, true);
        assert_eq!(m.checks(), 2);
        m.step(false, false);
        assert_eq!((m.state(), m.checks()), (Falling, 1));
    }

    #[test]
    fn entered_is_none_while_counting_and_when_steady() {
        let mut m = Machine::new(3, 3);
        assert_eq!(m.step(false, true).entered, Some(Rising));
        assert_eq!(m.step(false, true).entered, None);
        assert_eq!(m.step(false, true).entered, Some(Up));
        assert_eq!(m.step(false, true).entered, None);
        assert_eq!(m.step(false, false).entered, Some(Falling));
    }

    #[test]
    fn debounce_announces_only_changes() {
        let mut m = Machine::new(1, 1);
        let first = m.step(false, true);
        let steady = m.step(false, true);
        assert!(first.announce(true));
        assert!(!steady.announce(true));
        assert!(steady.announce(false));
    }

    #[test]
    fn announcing_states() {
        let announcing: Vec<State> = [Init, Disabled, Rising, Falling, Up, Down, Exit, End]
            .into_iter()
            .filter(|s| s.announces())
            .collect();
        assert_eq!(announcing, [Disabled, Up, Down, Exit]);
    }

    #[test]
    fn pauses() {
        assert_eq!(pause(Rising, true), Pause::Fast);
        assert_eq!(pause(Falling, false), Pause::Fast);
        assert_eq!(pause(Up, true), Pause::End);
        assert_eq!(pause(Init, true), Pause::End);
        assert_eq!(pause(Down, false), Pause::Interval);
    }

    #[test]
    fn names() {
        assert_eq!(Disabled.to_string(), "DISABLED");
        assert_eq!(End.name(), "END");
    }
}

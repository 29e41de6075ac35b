//! RFC 4271 §8 session state machine (no I/O).

//! A bounds-checked cursor over a byte slice that tracks its absolute offset for errors.

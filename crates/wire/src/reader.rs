//! A bounds-checked cursor over a byte slice that tracks its absolute offset for errors.
//!
//! Every read either returns the bytes asked for or a [`WireError`] naming the structure
//! being read and the offset (from the first marker octet of the message) where the data ran
//! out. Nothing here can panic on short input.

use crate::error::{WireError, WireErrorKind};

/// A cursor over `buf`, whose first byte sits at absolute offset `base` in the message.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over a whole message (absolute offset 0 is `buf[0]`).
    pub fn new(buf: &'a [u8]) -> Self {
        Self::at(buf, 0)
    }

    /// A reader over `buf` whose first byte is at absolute offset `base`.
    pub fn at(buf: &'a [u8], base: usize) -> Self {
        Self { buf, pos: 0, base }
    }

    /// Absolute offset of the next unread byte.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Number of unread bytes.
    pub fn left(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.left() == 0
    }

    /// An error of `kind` at the current offset.
    pub fn error(&self, kind: WireErrorKind) -> WireError {
        WireError {
            offset: self.offset(),
            kind,
        }
    }

    /// The unread bytes, without consuming them.
    pub fn peek_rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    /// Takes the next `n` bytes, or fails with `MissingData(what)`.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], WireError> {
        if n > self.left() {
            return Err(self.error(WireErrorKind::MissingData(what)));
        }
        let start = self.pos;
        self.pos += n;
        Ok(&self.buf[start..self.pos])
    }

    /// Takes the next `len` bytes as a reader of their own (offsets stay absolute).
    pub fn sub(&mut self, len: usize, what: &'static str) -> Result<Self, WireError> {
        let base = self.offset();
        let buf = self.take(len, what)?;
        Ok(Self::at(buf, base))
    }

    /// Takes every unread byte.
    pub fn rest(&mut self) -> &'a [u8] {
        let rest = self.peek_rest();
        self.pos = self.buf.len();
        rest
    }

    /// Fails with `TrailingData(what)` unless every byte has been read.
    pub fn expect_empty(&self, what: &'static str) -> Result<(), WireError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.error(WireErrorKind::TrailingData(what)))
        }
    }

    /// One octet.
    pub fn u8(&mut self, what: &'static str) -> Result<u8, WireError> {
        Ok(self.take(1, what)?[0])
    }

    /// A two-octet big-endian integer.
    pub fn u16(&mut self, what: &'static str) -> Result<u16, WireError> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    /// A four-octet big-endian integer.
    pub fn u32(&mut self, what: &'static str) -> Result<u32, WireError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// An eight-octet big-endian integer.
    pub fn u64(&mut self, what: &'static str) -> Result<u64, WireError> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }

    /// A fixed-size array.
    pub fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], WireError> {
        let b = self.take(N, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(b);
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_tracks_offsets() {
        let mut r = Reader::at(&[1, 0, 2, 0, 0, 0, 3, 9], 10);
        assert_eq!(r.u8("a"), Ok(1));
        assert_eq!(r.u16("b"), Ok(2));
        assert_eq!(r.offset(), 13);
        let mut s = r.sub(4, "c").unwrap();
        assert_eq!(s.offset(), 13);
        assert_eq!(s.u32("d"), Ok(3));
        assert!(s.expect_empty("c").is_ok());
        assert_eq!(r.rest(), &[9]);
        assert!(r.is_empty());
    }

    #[test]
    fn short_input_is_an_error_with_offset() {
        let mut r = Reader::at(&[1, 2, 3], 5);
        r.u8("x").unwrap();
        let e = r.u32("len").unwrap_err();
        assert_eq!(e.offset, 6);
        assert_eq!(e.kind, WireErrorKind::MissingData("len"));
        assert_eq!(r.offset(), 6, "a failed read consumes nothing");
        let e = r.expect_empty("tail").unwrap_err();
        assert_eq!(e.kind, WireErrorKind::TrailingData("tail"));
        assert!(r.sub(3, "sub").is_err());
    }
}

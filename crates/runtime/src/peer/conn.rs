//! One TCP connection of a peer task: non-blocking reads into the session, and a write
//! queue so that a peer that does not read never stalls the task (RFC 9687 send hold
//! timer input).
//!
//! Reads and writes use `readable()` / `writable()` readiness with `try_read` /
//! `try_write`, so both are cancel-safe inside the task's `select!`.

use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncWriteExt, Interest, Ready};
use tokio::net::TcpStream;

/// Size of one read.
const READ_CHUNK: usize = 64 * 1024;

/// Most queued buffers handed to one `writev` (the kernel's IOV_MAX is 1024).
const WRITE_SLICES: usize = 256;

/// How long a closed connection may take to write what was queued before it is dropped.
const CLOSE_LINGER: Duration = Duration::from_secs(5);

/// Who opened the connection.
pub(crate) use session::collision::Direction;

/// What a write attempt achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flush {
    /// Everything queued is written.
    Done,
    /// Some bytes went out, some wait for the socket.
    Partial,
    /// Nothing could be written now.
    Blocked,
}

/// A TCP connection with its write queue.
#[derive(Debug)]
pub(crate) struct Conn {
    stream: TcpStream,
    /// Our address.
    pub(crate) local: SocketAddr,
    /// The peer's address.
    pub(crate) remote: SocketAddr,
    /// Who opened it.
    pub(crate) direction: Direction,
    queue: VecDeque<Vec<u8>>,
    /// Bytes of the front buffer already written.
    offset: usize,
    queued: usize,
    buf: Vec<u8>,
}

impl Conn {
    /// Wraps a connected stream.
    pub(crate) fn new(stream: TcpStream, direction: Direction) -> io::Result<Self> {
        Ok(Self {
            local: stream.local_addr()?,
            remote: stream.peer_addr()?,
            stream,
            direction,
            queue: VecDeque::new(),
            offset: 0,
            queued: 0,
            buf: vec![0; READ_CHUNK],
        })
    }

    /// Bytes waiting to be written.
    pub(crate) fn queued(&self) -> usize {
        self.queued
    }

    /// Queues bytes to write (call [`Conn::flush`] after).
    pub(crate) fn push(&mut self, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.queued += bytes.len();
            self.queue.push_back(bytes);
        }
    }

    /// Writes as much of the queue as the socket takes without waiting: up to
    /// [`WRITE_SLICES`] queued messages per system call (an UPDATE of one IPv6 route is
    /// ~70 octets; one `write` each made the kernel the bottleneck).
    pub(crate) fn flush(&mut self) -> io::Result<Flush> {
        let mut wrote = false;
        while !self.queue.is_empty() {
            let mut slices: Vec<IoSlice<'_>> =
                Vec::with_capacity(self.queue.len().min(WRITE_SLICES));
            for (i, buf) in self.queue.iter().take(WRITE_SLICES).enumerate() {
                let from = if i == 0 { self.offset } else { 0 };
                slices.push(IoSlice::new(buf.get(from..).unwrap_or_default()));
            }
            match self.stream.try_write_vectored(&slices) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    wrote = true;
                    self.queued -= n;
                    self.advance(n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    return Ok(if wrote {
                        Flush::Partial
                    } else {
                        Flush::Blocked
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Flush::Done)
    }

    /// Drops `n` written octets from the front of the queue.
    fn advance(&mut self, mut n: usize) {
        while let Some(front) = self.queue.front() {
            let left = front.len().saturating_sub(self.offset);
            if n < left {
                self.offset += n;
                return;
            }
            n -= left;
            self.queue.pop_front();
            self.offset = 0;
        }
    }

    /// Waits until the socket is readable (when `read`) or can take queued bytes.
    /// Cancel-safe: only readiness is awaited. Never returns when there is nothing to
    /// wait for.
    pub(crate) async fn ready(&self, read: bool) -> io::Result<Ready> {
        let interest = match (read, self.queued > 0) {
            (true, true) => Interest::READABLE | Interest::WRITABLE,
            (true, false) => Interest::READABLE,
            (false, true) => Interest::WRITABLE,
            (false, false) => return std::future::pending().await,
        };
        self.stream.ready(interest).await
    }

    /// Reads what is there without waiting: `Ok(None)` when nothing is, an empty slice when
    /// the peer closed.
    pub(crate) fn try_read(&mut self) -> io::Result<Option<&[u8]>> {
        match self.stream.try_read(&mut self.buf) {
            Ok(n) => Ok(Some(self.buf.get(..n).unwrap_or_default())),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Closes the connection after writing what is queued, in the background, for at most
    /// a few seconds (a NOTIFICATION is usually the last thing queued).
    pub(crate) fn close(mut self) {
        tokio::spawn(async move {
            let write = async {
                while let Some(front) = self.queue.pop_front() {
                    let rest = front.get(self.offset..).unwrap_or_default();
                    self.stream.write_all(rest).await?;
                    self.offset = 0;
                }
                self.stream.shutdown().await
            };
            let _ = tokio::time::timeout(CLOSE_LINGER, write).await;
        });
    }
}

/// Readiness of an optional connection (pending forever without one).
pub(crate) async fn conn_ready(conn: Option<&Conn>, read: bool) -> io::Result<Ready> {
    match conn {
        Some(conn) => conn.ready(read).await,
        None => std::future::pending().await,
    }
}

//! Loopback addresses and free ports for tests that run side by side.
//!
//! Each test takes a [`Subnet`] of its own, `127.A.B.0/24`, where `A` depends on the test
//! process and `B` counts the subnets handed out in it; hosts `.1`, `.2`, … are the daemons.
//! Ports are chosen by binding port 0 on the address that will use them.

use std::net::{Ipv4Addr, SocketAddrV4, TcpListener};
use std::sync::atomic::{AtomicU8, Ordering};

use crate::error::{HarnessError, Result};

static NEXT_SUBNET: AtomicU8 = AtomicU8::new(1);

/// A `/24` of 127.0.0.0/8 reserved for one test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subnet {
    a: u8,
    b: u8,
}

impl Subnet {
    /// Takes the next subnet of this test process.
    pub fn next() -> Self {
        // 127.100.0.0 … 127.199.255.0: away from 127.0.0.x, which people use by hand.
        let a = 100 + u8::try_from(std::process::id() % 100).unwrap_or(0);
        let b = NEXT_SUBNET.fetch_add(1, Ordering::Relaxed);
        Self { a, b }
    }

    /// Host `n` of the subnet.
    pub fn host(&self, n: u8) -> Ipv4Addr {
        Ipv4Addr::new(127, self.a, self.b, n)
    }
}

/// A TCP port that is free on `addr` right now.
pub fn free_port(addr: Ipv4Addr) -> Result<u16> {
    let listener = TcpListener::bind(SocketAddrV4::new(addr, 0))
        .map_err(|e| HarnessError::io(format!("bind {addr}:0"), e))?;
    let port = listener
        .local_addr()
        .map_err(|e| HarnessError::io("local_addr", e))?
        .port();
    Ok(port)
}

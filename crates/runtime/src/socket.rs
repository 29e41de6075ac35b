//! TCP socket options for BGP sessions: TCP-MD5 signatures (RFC 2385), the TTL we send with
//! and the minimum TTL we accept (GTSM, RFC 5082), `TCP_NODELAY`, and the outgoing connect
//! and listening sockets built with them.
//!
//! This is the only module of Herald with `unsafe` code: two `setsockopt(2)` calls whose
//! options neither the standard library nor socket2 expose (`TCP_MD5SIG`, `IP_MINTTL` /
//! `IPV6_MINHOPCOUNT`). Each block carries a SAFETY comment.
//!
//! Linux `struct tcp_md5sig` (include/uapi/linux/tcp.h), built here as plain bytes:
//!
//! ```text
//! +--------------------------------------------+
//! | tcpm_addr: sockaddr_storage (128 octets)   |  family (host order), port, address
//! +--------------+---------------+-------------+
//! | flags (1)    | prefixlen (1) | keylen (2)  |  flags: 1 = prefix (TCP_MD5SIG_EXT)
//! +--------------+---------------+-------------+
//! | ifindex (4)                                |
//! +--------------------------------------------+
//! | key (80 octets)                            |
//! +--------------------------------------------+
//! ```
#![allow(unsafe_code)]

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::{AsFd, AsRawFd};

use ipnet::IpNet;
use socket2::SockRef;
use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// Longest TCP-MD5 key the kernel accepts (`TCP_MD5SIG_MAXKEYLEN`).
pub const MD5_MAX_KEY_LEN: usize = 80;

/// The TTL a GTSM speaker sends with (RFC 5082 §3) when only `incoming-ttl` is set.
pub const GTSM_SENDING_TTL: u8 = 255;

const SOCKADDR_STORAGE_LEN: usize = 128;
const TCP_MD5SIG_LEN: usize = SOCKADDR_STORAGE_LEN + 1 + 1 + 2 + 4 + MD5_MAX_KEY_LEN;
const TCP_MD5SIG_FLAG_PREFIX: u8 = 0x1;

/// A socket set-up failure.
#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    /// `md5-base64` is set and the password is not valid base64.
    #[error("md5-password is not valid base64: {0}")]
    Md5Base64(&'static str),
    /// The key is longer than the kernel allows.
    #[error("md5-password is {0} octets long, the maximum is {MD5_MAX_KEY_LEN}")]
    Md5TooLong(usize),
    /// A system call failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The error.
        #[source]
        source: io::Error,
    },
}

impl SocketError {
    fn io(what: &'static str) -> impl FnOnce(io::Error) -> Self {
        move |source| Self::Io { what, source }
    }
}

/// The per-neighbor socket settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SocketOptions {
    /// TCP-MD5 key (already base64-decoded), if any.
    pub md5_key: Option<Vec<u8>>,
    /// TTL / hop limit we send with (`outgoing-ttl`, or 255 when only `incoming-ttl` is set).
    pub sending_ttl: Option<u8>,
    /// Minimum TTL / hop limit accepted (`incoming-ttl`).
    pub min_ttl: Option<u8>,
    /// Interface to bind to (`source-interface`).
    pub interface: Option<String>,
}

impl SocketOptions {
    /// The settings of a configured neighbor.
    pub fn for_neighbor(neighbor: &config::Neighbor) -> Result<Self, SocketError> {
        let md5_key = match &neighbor.md5_password {
            Some(password) if !password.is_empty() => Some(md5_key(password, neighbor.md5_base64)?),
            _ => None,
        };
        Ok(Self {
            md5_key,
            sending_ttl: sending_ttl(neighbor.outgoing_ttl, neighbor.incoming_ttl),
            min_ttl: neighbor.incoming_ttl.filter(|t| *t > 0),
            interface: neighbor.source_interface.clone(),
        })
    }
}

/// The TTL to send with: `outgoing-ttl` if set, else 255 when `incoming-ttl` is set (the
/// peer runs GTSM and checks for a high TTL), else the kernel default.
pub fn sending_ttl(outgoing: Option<u8>, incoming: Option<u8>) -> Option<u8> {
    match (outgoing, incoming) {
        (Some(ttl), _) if ttl > 0 => Some(ttl),
        (_, Some(ttl)) if ttl > 0 => Some(GTSM_SENDING_TTL),
        _ => None,
    }
}

/// The key octets for `md5-password` under `md5-base64`.
///
/// `true` decodes base64 (an error if it is not); `false` uses the text as written;
/// `auto` follows ExaBGP: a password made only of lowercase hex digits may be base64 with
/// its padding left out, so it is decoded when that works and used as written otherwise.
pub fn md5_key(password: &str, mode: config::Md5Base64) -> Result<Vec<u8>, SocketError> {
    let key = match mode {
        config::Md5Base64::True => decode_base64(password)?,
        config::Md5Base64::False => password.as_bytes().to_vec(),
        config::Md5Base64::Auto => {
            let hexish = password
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            let decoded = if hexish {
                [
                    format!("{password}=="),
                    format!("{password}="),
                    password.to_owned(),
                ]
                .iter()
                .find_map(|candidate| decode_base64(candidate).ok())
            } else {
                None
            };
            decoded.unwrap_or_else(|| password.as_bytes().to_vec())
        }
    };
    if key.len() > MD5_MAX_KEY_LEN {
        return Err(SocketError::Md5TooLong(key.len()));
    }
    Ok(key)
}

/// Strict base64 (RFC 4648 §4, with padding): any character outside the alphabet, a
/// missing or misplaced `=`, or an empty result is an error.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, SocketError> {
    fn value(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return Err(SocketError::Md5Base64("length is not a multiple of 4"));
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let quads = bytes.len() / 4;
    for (i, quad) in bytes.chunks_exact(4).enumerate() {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && i + 1 != quads) {
            return Err(SocketError::Md5Base64("misplaced padding"));
        }
        let mut acc = 0u32;
        for &c in &quad[..4 - pad] {
            let v = value(c).ok_or(SocketError::Md5Base64("character outside the alphabet"))?;
            acc = (acc << 6) | v;
        }
        acc <<= 6 * pad as u32;
        let [_, b0, b1, b2] = acc.to_be_bytes();
        out.extend_from_slice(&[b0, b1, b2][..3 - pad]);
    }
    if out.is_empty() {
        return Err(SocketError::Md5Base64("decodes to an empty key"));
    }
    Ok(out)
}

/// Installs (or, with an empty key, removes) the TCP-MD5 key for `peer` on a socket.
/// A prefix shorter than a host route covers every address in it (`TCP_MD5SIG_EXT`).
/// `v6_socket` says the socket is AF_INET6: IPv4 peers are then written v4-mapped.
pub fn set_md5(socket: &impl AsFd, peer: IpNet, key: &[u8], v6_socket: bool) -> io::Result<()> {
    if key.len() > MD5_MAX_KEY_LEN {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "TCP-MD5 key too long",
        ));
    }
    let mut sig = [0u8; TCP_MD5SIG_LEN];
    let (addr, prefix_len) = match (peer, v6_socket) {
        (IpNet::V4(net), true) => (
            IpAddr::V6(net.addr().to_ipv6_mapped()),
            net.prefix_len() + 96,
        ),
        (net, _) => (net.addr(), net.prefix_len()),
    };
    let full = match addr {
        IpAddr::V4(v4) => {
            sig[0..2].copy_from_slice(&(libc::AF_INET as u16).to_ne_bytes());
            sig[4..8].copy_from_slice(&v4.octets());
            prefix_len == 32
        }
        IpAddr::V6(v6) => {
            sig[0..2].copy_from_slice(&(libc::AF_INET6 as u16).to_ne_bytes());
            sig[8..24].copy_from_slice(&v6.octets());
            prefix_len == 128
        }
    };
    let option = if full {
        libc::TCP_MD5SIG
    } else {
        sig[SOCKADDR_STORAGE_LEN] = TCP_MD5SIG_FLAG_PREFIX;
        sig[SOCKADDR_STORAGE_LEN + 1] = prefix_len;
        libc::TCP_MD5SIG_EXT
    };
    // key length fits in u16: checked against MD5_MAX_KEY_LEN above.
    sig[SOCKADDR_STORAGE_LEN + 2..SOCKADDR_STORAGE_LEN + 4]
        .copy_from_slice(&(key.len() as u16).to_ne_bytes());
    sig[SOCKADDR_STORAGE_LEN + 8..SOCKADDR_STORAGE_LEN + 8 + key.len()].copy_from_slice(key);
    setsockopt_bytes(socket, libc::IPPROTO_TCP, option, &sig)
}

/// Sets the minimum TTL (IPv4 `IP_MINTTL`) or hop limit (IPv6 `IPV6_MINHOPCOUNT`) of
/// packets accepted on the socket (GTSM, RFC 5082 §3).
pub fn set_min_ttl(socket: &impl AsFd, ttl: u8, v6_socket: bool) -> io::Result<()> {
    let value = libc::c_int::from(ttl).to_ne_bytes();
    if v6_socket {
        setsockopt_bytes(socket, libc::IPPROTO_IPV6, libc::IPV6_MINHOPCOUNT, &value)
    } else {
        setsockopt_bytes(socket, libc::IPPROTO_IP, libc::IP_MINTTL, &value)
    }
}

fn setsockopt_bytes(
    socket: &impl AsFd,
    level: libc::c_int,
    option: libc::c_int,
    value: &[u8],
) -> io::Result<()> {
    let fd = socket.as_fd().as_raw_fd();
    let len = libc::socklen_t::try_from(value.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "option too long"))?;
    // SAFETY: `fd` is an open socket borrowed through `AsFd` for the duration of the call;
    // `value` points to `len` initialised bytes that live until the call returns, and the
    // kernel only reads them (it copies at most `len` bytes and validates the content).
    let rc = unsafe { libc::setsockopt(fd, level, option, value.as_ptr().cast(), len) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Applies the sending TTL and TCP_NODELAY to a connected or accepted stream, and the
/// minimum TTL (an accepted stream only gets it after the handshake: its SYN was not
/// checked).
pub fn configure_stream(stream: &TcpStream, options: &SocketOptions) -> Result<(), SocketError> {
    let v6 = stream
        .local_addr()
        .map_err(SocketError::io("local address"))?
        .is_ipv6();
    stream
        .set_nodelay(true)
        .map_err(SocketError::io("TCP_NODELAY"))?;
    if let Some(ttl) = options.sending_ttl {
        set_sending_ttl(stream, ttl, v6)?;
    }
    if let Some(ttl) = options.min_ttl {
        set_min_ttl(stream, ttl, v6).map_err(SocketError::io("minimum TTL"))?;
    }
    Ok(())
}

/// Sets the TTL (IPv4 `IP_TTL`) or hop limit (IPv6 `IPV6_UNICAST_HOPS`) the socket sends
/// with. On a listening socket it applies to the SYN-ACKs (and is inherited by accepted
/// connections), which a GTSM peer checks before the connection exists.
pub fn set_sending_ttl(socket: &impl AsFd, ttl: u8, v6: bool) -> Result<(), SocketError> {
    let sock = SockRef::from(socket);
    if v6 {
        sock.set_unicast_hops_v6(u32::from(ttl))
            .map_err(SocketError::io("IPV6_UNICAST_HOPS"))
    } else {
        sock.set_ttl(u32::from(ttl))
            .map_err(SocketError::io("IP_TTL"))
    }
}

/// Opens an outgoing connection to `peer` from `local` (port 0), with the MD5 key,
/// TTLs and interface of `options` set before the SYN is sent.
pub async fn connect(
    peer: SocketAddr,
    local: Option<IpAddr>,
    options: &SocketOptions,
) -> Result<TcpStream, SocketError> {
    let v6 = peer.is_ipv6();
    let socket = if v6 {
        TcpSocket::new_v6()
    } else {
        TcpSocket::new_v4()
    }
    .map_err(SocketError::io("socket"))?;
    {
        let sock = SockRef::from(&socket);
        if let Some(interface) = &options.interface {
            sock.bind_device(Some(interface.as_bytes()))
                .map_err(SocketError::io("SO_BINDTODEVICE"))?;
        }
        if let Some(key) = &options.md5_key {
            set_md5(&socket, IpNet::from(peer.ip()), key, v6)
                .map_err(SocketError::io("TCP_MD5SIG"))?;
        }
        if let Some(ttl) = options.sending_ttl {
            set_sending_ttl(&socket, ttl, v6)?;
        }
        if let Some(ttl) = options.min_ttl {
            set_min_ttl(&socket, ttl, v6).map_err(SocketError::io("minimum TTL"))?;
        }
    }
    if let Some(local) = local {
        socket
            .bind(SocketAddr::new(local, 0))
            .map_err(SocketError::io("bind local address"))?;
    }
    let stream = socket
        .connect(peer)
        .await
        .map_err(SocketError::io("connect"))?;
    stream
        .set_nodelay(true)
        .map_err(SocketError::io("TCP_NODELAY"))?;
    Ok(stream)
}

/// A listening socket on `addr` (SO_REUSEADDR, backlog 128) with the TCP-MD5 keys of the
/// peers (or passive ranges) that may connect to it installed before any SYN arrives.
pub fn listen(addr: SocketAddr, md5: &[(IpNet, Vec<u8>)]) -> Result<TcpListener, SocketError> {
    let v6 = addr.is_ipv6();
    let socket = if v6 {
        TcpSocket::new_v6()
    } else {
        TcpSocket::new_v4()
    }
    .map_err(SocketError::io("socket"))?;
    socket
        .set_reuseaddr(true)
        .map_err(SocketError::io("SO_REUSEADDR"))?;
    for (peer, key) in md5 {
        // A listener on [::] also accepts IPv4 peers (v4-mapped): it gets their keys too.
        if v6 || peer.addr().is_ipv4() {
            set_md5(&socket, *peer, key, v6).map_err(SocketError::io("TCP_MD5SIG"))?;
        }
    }
    socket
        .bind(addr)
        .map_err(SocketError::io("bind listening address"))?;
    socket.listen(128).map_err(SocketError::io("listen"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_strict() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVsbG8h").unwrap(), b"hello!");
        assert_eq!(decode_base64("aGk=").unwrap(), b"hi");
        assert_eq!(decode_base64("aA==").unwrap(), b"h");
        assert!(decode_base64("aGVsbG8").is_err(), "missing padding");
        assert!(decode_base64("aGV*bG8=").is_err(), "bad character");
        assert!(decode_base64("aA==aGk=").is_err(), "padding inside");
        assert!(decode_base64("").is_err(), "empty key");
        assert!(decode_base64("a===").is_err(), "three pads");
    }

    #[test]
    fn md5_key_modes() {
        use config::Md5Base64;
        assert_eq!(md5_key("aGVsbG8=", Md5Base64::True).unwrap(), b"hello");
        assert!(md5_key("not base64!", Md5Base64::True).is_err());
        assert_eq!(md5_key("aGVsbG8=", Md5Base64::False).unwrap(), b"aGVsbG8=");
        // auto: only lowercase hex digits are tried as unpadded base64
        assert_eq!(
            md5_key("deadbeef", Md5Base64::Auto).unwrap(),
            decode_base64("deadbeef").unwrap()
        );
        assert_eq!(md5_key("beef1", Md5Base64::Auto).unwrap(), b"beef1");
        assert_eq!(md5_key("Secret", Md5Base64::Auto).unwrap(), b"Secret");
        assert!(matches!(
            md5_key(&"x".repeat(81), Md5Base64::False),
            Err(SocketError::Md5TooLong(81))
        ));
    }

    #[test]
    fn ttl_choice() {
        assert_eq!(sending_ttl(Some(10), Some(250)), Some(10));
        assert_eq!(sending_ttl(None, Some(250)), Some(255));
        assert_eq!(sending_ttl(None, None), None);
    }

    #[tokio::test]
    async fn socket_options_apply_on_loopback() {
        let listener = listen("127.0.0.1:0".parse().unwrap(), &[]).unwrap();
        let addr = listener.local_addr().unwrap();
        let options = SocketOptions {
            sending_ttl: Some(7),
            min_ttl: Some(1),
            ..SocketOptions::default()
        };
        let (client, accepted) = tokio::join!(
            connect(addr, Some("127.0.0.1".parse().unwrap()), &options),
            listener.accept()
        );
        let client = client.unwrap();
        let (server, _) = accepted.unwrap();
        configure_stream(&server, &options).unwrap();
        assert_eq!(SockRef::from(&client).ttl().unwrap(), 7);
        assert!(client.nodelay().unwrap());
        assert_eq!(SockRef::from(&server).ttl().unwrap(), 7);
    }

    #[tokio::test]
    async fn md5_signed_connection() {
        let key = b"herald-secret".to_vec();
        let peer: IpNet = "127.0.0.1/32".parse().unwrap();
        let listener = listen("127.0.0.1:0".parse().unwrap(), &[(peer, key.clone())]).unwrap();
        let addr = listener.local_addr().unwrap();
        let good = SocketOptions {
            md5_key: Some(key),
            ..SocketOptions::default()
        };
        let (client, accepted) = tokio::join!(connect(addr, None, &good), listener.accept());
        client.unwrap();
        accepted.unwrap();

        // A client with the wrong key never completes the handshake: the listener drops
        // its unsigned-with-our-key SYNs.
        let bad = SocketOptions {
            md5_key: Some(b"wrong".to_vec()),
            ..SocketOptions::default()
        };
        let attempt = tokio::time::timeout(
            std::time::Duration::from_millis(500),
            connect(addr, None, &bad),
        )
        .await;
        assert!(attempt.is_err() || attempt.unwrap().is_err());

        // A range key (TCP_MD5SIG_EXT) covers the whole prefix.
        let range: IpNet = "127.0.0.0/8".parse().unwrap();
        let listener = listen(
            "127.0.0.1:0".parse().unwrap(),
            &[(range, b"range-key".to_vec())],
        )
        .unwrap();
        let addr = listener.local_addr().unwrap();
        let ranged = SocketOptions {
            md5_key: Some(b"range-key".to_vec()),
            ..SocketOptions::default()
        };
        let (client, accepted) = tokio::join!(connect(addr, None, &ranged), listener.accept());
        client.unwrap();
        accepted.unwrap();
    }
}

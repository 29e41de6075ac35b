//! Interface addresses over rtnetlink (RFC 3549 §3.1.1, `RTM_GETADDR`, `RTM_NEWADDR`,
//! `RTM_DELADDR`; `RTM_GETLINK` for interface indexes): what ExaBGP does with
//! `ip address show/add/delete`, without running `ip`.
//!
//! The `rtnetlink` crate's own `Handle` returns address dumps as a `futures` stream, and
//! `futures` is not among Herald's dependencies, so this module uses the netlink socket
//! and message types that `rtnetlink` re-exports (`rtnetlink::sys`,
//! `rtnetlink::packet_route`, `rtnetlink::packet_core`), synchronously: one request,
//! then its replies until `NLMSG_DONE` or the acknowledgement.
//!
//! ```text
//!  nlmsghdr (16 octets)          ifaddrmsg (8 octets)             attributes
//! +-----+------+-------+-----+ +------+--------+-------+-------+-------+ +-------------+
//! | len | type | flags | seq | | fam. | prefix | flags | scope | index | | IFA_LOCAL … |
//! |  pid                     | |      |  len   |       |       |       | | IFA_LABEL   |
//! +-----+------+-------+-----+ +------+--------+-------+-------+-------+ +-------------+
//! ```
//!
//! The socket keeps the privileges of the moment it was opened, so a checker that drops
//! privileges (`--user`) can still remove its addresses on exit.

use std::io;
use std::net::IpAddr;

use rtnetlink::packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL,
    NLM_F_REQUEST,
};
use rtnetlink::packet_route::address::{AddressAttribute, AddressMessage};
use rtnetlink::packet_route::link::{LinkAttribute, LinkMessage};
use rtnetlink::packet_route::{AddressFamily, RouteNetlinkMessage};
use rtnetlink::sys::protocols::NETLINK_ROUTE;
use rtnetlink::sys::{Socket, SocketAddr};

/// An address configured on an interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// The interface index.
    pub index: u32,
    /// The address.
    pub ip: IpAddr,
    /// Its prefix length.
    pub prefix_len: u8,
    /// The IPv4 label (`lo:web`), when one is set.
    pub label: Option<String>,
}

/// What adding an address did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// The address was added.
    New,
    /// It was already there (`EEXIST`).
    Existed,
}

/// A route netlink socket.
#[derive(Debug)]
pub struct Netlink {
    socket: Socket,
    sequence: u32,
}

impl Netlink {
    /// Opens and connects a `NETLINK_ROUTE` socket.
    pub fn open() -> io::Result<Self> {
        let mut socket = Socket::new(NETLINK_ROUTE)?;
        socket.bind_auto()?;
        socket.connect(&SocketAddr::new(0, 0))?;
        Ok(Self {
            socket,
            sequence: 0,
        })
    }

    /// The index of interface `name`, if it exists.
    pub fn link_index(&mut self, name: &str) -> io::Result<Option<u32>> {
        let replies = self.request(
            RouteNetlinkMessage::GetLink(LinkMessage::default()),
            NLM_F_REQUEST | NLM_F_DUMP,
        )?;
        Ok(replies.into_iter().find_map(|m| match m {
            RouteNetlinkMessage::NewLink(link) => link
                .attributes
                .iter()
                .any(|a| matches!(a, LinkAttribute::IfName(n) if n == name))
                .then_some(link.header.index),
            _ => None,
        }))
    }

    /// The addresses of interface `index`, in the kernel's order (IPv4 first).
    pub fn addresses(&mut self, index: u32) -> io::Result<Vec<Address>> {
        let replies = self.request(
            RouteNetlinkMessage::GetAddress(AddressMessage::default()),
            NLM_F_REQUEST | NLM_F_DUMP,
        )?;
        Ok(replies
            .into_iter()
            .filter_map(|m| match m {
                RouteNetlinkMessage::NewAddress(a) if a.header.index == index => address(&a),
                _ => None,
            })
            .collect())
    }

    /// Adds `ip/prefix_len` to interface `index`, with an IPv4 `label`.
    pub fn add(
        &mut self,
        index: u32,
        ip: IpAddr,
        prefix_len: u8,
        label: Option<&str>,
    ) -> io::Result<Added> {
        let message = address_message(index, ip, prefix_len, label);
        match self.request(
            RouteNetlinkMessage::NewAddress(message),
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
        ) {
            Ok(_) => Ok(Added::New),
            Err(e) if e.raw_os_error() == Some(libc::EEXIST) => Ok(Added::Existed),
            Err(e) => Err(e),
        }
    }

    /// Removes `ip/prefix_len` from interface `index`.
    pub fn delete(&mut self, index: u32, ip: IpAddr, prefix_len: u8) -> io::Result<()> {
        let message = address_message(index, ip, prefix_len, None);
        self.request(
            RouteNetlinkMessage::DelAddress(message),
            NLM_F_REQUEST | NLM_F_ACK,
        )
        .map(drop)
    }

    /// Sends one request and collects its replies.
    fn request(
        &mut self,
        message: RouteNetlinkMessage,
        flags: u16,
    ) -> io::Result<Vec<RouteNetlinkMessage>> {
        self.sequence = self.sequence.wrapping_add(1);
        let mut header = NetlinkHeader::default();
        header.flags = flags;
        header.sequence_number = self.sequence;
        let mut request = NetlinkMessage::new(header, NetlinkPayload::from(message));
        request.finalize();
        let mut buf = vec![0; request.buffer_len()];
        request.serialize(&mut buf);
        self.socket.send(&buf, 0)?;

        let mut replies = Vec::new();
        loop {
            let (data, _) = self.socket.recv_from_full()?;
            let mut offset = 0;
            while offset < data.len() {
                let rest = data.get(offset..).unwrap_or_default();
                let reply = NetlinkMessage::<RouteNetlinkMessage>::deserialize(rest)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
                let length = usize::try_from(reply.header.length).unwrap_or(usize::MAX);
                if length == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "netlink message of length 0",
                    ));
                }
                offset = offset.saturating_add(length.next_multiple_of(4));
                if reply.header.sequence_number != self.sequence {
                    continue;
                }
                match reply.payload {
                    NetlinkPayload::Done(_) => return Ok(replies),
                    NetlinkPayload::Error(e) if e.code.is_some() => return Err(e.to_io()),
                    NetlinkPayload::Error(_) => return Ok(replies),
                    NetlinkPayload::InnerMessage(m) => replies.push(m),
                    NetlinkPayload::Noop | NetlinkPayload::Overrun(_) => {}
                    _ => {}
                }
            }
        }
    }
}

/// The address of an `RTM_NEWADDR` reply: `IFA_LOCAL` when present (the local end of a
/// point-to-point link), else `IFA_ADDRESS`, as `ip address` shows it.
fn address(message: &AddressMessage) -> Option<Address> {
    let mut local = None;
    let mut peer = None;
    let mut label = None;
    for attribute in &message.attributes {
        match attribute {
            AddressAttribute::Local(ip) => local = Some(*ip),
            AddressAttribute::Address(ip) => peer = Some(*ip),
            AddressAttribute::Label(l) => label = Some(l.clone()),
            _ => {}
        }
    }
    Some(Address {
        index: message.header.index,
        ip: local.or(peer)?,
        prefix_len: message.header.prefix_len,
        label,
    })
}

/// An `ifaddrmsg` for `ip/prefix_len` on `index` (global scope, as `ip address add`).
fn address_message(index: u32, ip: IpAddr, prefix_len: u8, label: Option<&str>) -> AddressMessage {
    let mut message = AddressMessage::default();
    message.header.index = index;
    message.header.prefix_len = prefix_len;
    match ip {
        IpAddr::V4(_) => {
            message.header.family = AddressFamily::Inet;
            message.attributes.push(AddressAttribute::Local(ip));
            message.attributes.push(AddressAttribute::Address(ip));
            if let Some(label) = label {
                message
                    .attributes
                    .push(AddressAttribute::Label(label.to_owned()));
            }
        }
        IpAddr::V6(_) => {
            message.header.family = AddressFamily::Inet6;
            message.attributes.push(AddressAttribute::Address(ip));
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_found_and_listed() {
        // Read-only: the host's lo is only looked at, never changed.
        let mut nl = Netlink::open().unwrap();
        let index = nl.link_index("lo").unwrap().expect("lo exists");
        assert_eq!(index, 1);
        assert_eq!(nl.link_index("herald-no-such-if").unwrap(), None);
        let addresses = nl.addresses(index).unwrap();
        assert!(addresses.iter().all(|a| a.index == index));
    }

    #[test]
    fn messages_carry_label_only_for_ipv4() {
        let v4 = address_message(1, "10.0.0.1".parse().unwrap(), 32, Some("lo:web"));
        assert_eq!(v4.header.family, AddressFamily::Inet);
        assert!(v4
            .attributes
            .contains(&AddressAttribute::Label("lo:web".into())));
        let v6 = address_message(1, "2001:db8::1".parse().unwrap(), 128, Some("lo:web"));
        assert_eq!(v6.header.family, AddressFamily::Inet6);
        assert_eq!(v6.attributes.len(), 1);
        let parsed = address(&v4).unwrap();
        assert_eq!(parsed.label.as_deref(), Some("lo:web"));
        assert_eq!(parsed.prefix_len, 32);
    }
}

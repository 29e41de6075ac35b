//! The service addresses on the loopback (or `--ip-ifname`) interfaces: finding them
//! (`--label`), adding the missing ones before announcing, removing them on exit or, with
//! `--dynamic-ip-setup`, while the service is down or disabled.
//!
//! As in ExaBGP, every address of a `--ip` network is set up as a host address
//! (`192.0.2.0/30` gives four `/32`s), addresses are labelled `IFNAME:LABEL` when
//! `--label` is given, and an address that already exists is not an error. Changes go
//! through netlink ([`crate::netlink`]); with `--sudo` they go through
//! `sudo ip address add|delete`, the only way a process without the privilege can make
//! them.

use std::io;
use std::net::IpAddr;
use std::process::{Command, Stdio};

use ipnet::IpNet;

use crate::netlink::{Added, Netlink};

/// The most host addresses a `--ip` network may expand to (set-up or
/// `--deaggregate-networks`): ExaBGP has no limit and would add 2^24 addresses for a /8.
pub const MAX_HOSTS: u128 = 65_536;

/// Why addresses could not be listed or changed.
#[derive(Debug, thiserror::Error)]
pub enum AddressError {
    /// A netlink request failed.
    #[error("netlink: {0}")]
    Netlink(#[from] io::Error),
    /// The interface does not exist.
    #[error("no interface named {0}")]
    NoInterface(String),
    /// `sudo ip address …` failed.
    #[error("`{command}` failed: {reason}")]
    Sudo {
        /// The command line.
        command: String,
        /// Its exit status or start error.
        reason: String,
    },
    /// A network holds too many addresses.
    #[error("{0} holds more than {MAX_HOSTS} addresses")]
    TooLarge(IpNet),
}

/// Every address of `net`, each as a host network, in order.
pub fn hosts(net: &IpNet) -> Result<Vec<IpNet>, AddressError> {
    let count = 1u128 << (u32::from(net.max_prefix_len()) - u32::from(net.prefix_len()));
    if count > MAX_HOSTS {
        return Err(AddressError::TooLarge(*net));
    }
    let mut out = Vec::new();
    match net {
        IpNet::V4(v4) => {
            let first = u32::from(v4.network());
            for i in 0..count {
                let Ok(i) = u32::try_from(i) else { break };
                let ip = IpAddr::from(std::net::Ipv4Addr::from(first.wrapping_add(i)));
                out.push(IpNet::from(ip));
            }
        }
        IpNet::V6(v6) => {
            let first = u128::from(v6.network());
            for i in 0..count {
                let ip = IpAddr::from(std::net::Ipv6Addr::from(first.wrapping_add(i)));
                out.push(IpNet::from(ip));
            }
        }
    }
    Ok(out)
}

/// How addresses are selected by label.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `--label`.
    pub label: Option<String>,
    /// `--label-exact-match`.
    pub exact: bool,
}

impl Selection {
    /// Whether an address with `label` on interface `ifname` is selected: without
    /// `--label` every address is; with it, the label must be `IFNAME:<text>` with
    /// `<text>` starting with (or, exactly, equal to) the given label.
    pub fn selects(&self, ifname: &str, label: Option<&str>) -> bool {
        let Some(wanted) = &self.label else {
            return true;
        };
        let Some(text) = label
            .and_then(|l| l.strip_prefix(ifname))
            .and_then(|l| l.strip_prefix(':'))
        else {
            return false;
        };
        if self.exact {
            text == wanted
        } else {
            text.starts_with(wanted.as_str())
        }
    }
}

/// The addresses to manage and the means to change them.
#[derive(Debug)]
pub struct Addresses {
    netlink: Netlink,
    sudo: bool,
    selection: Selection,
    /// Each host address with its interface.
    hosts: Vec<(IpNet, String)>,
}

impl Addresses {
    /// Manages every host address of `networks`, on the interface `ip_ifnames` gives
    /// for its network or else `lo`.
    pub fn new(
        netlink: Netlink,
        networks: &[IpNet],
        ip_ifnames: &[(IpNet, String)],
        selection: Selection,
        sudo: bool,
    ) -> Result<Self, AddressError> {
        let mut hosts_ifs = Vec::new();
        for net in networks {
            for host in hosts(net)? {
                // ExaBGP looks the interface up by the host address itself.
                let ifname = ip_ifnames
                    .iter()
                    .find(|(n, _)| *n == host)
                    .map_or("lo", |(_, i)| i.as_str());
                if !hosts_ifs.iter().any(|(h, _)| *h == host) {
                    hosts_ifs.push((host, ifname.to_owned()));
                }
            }
        }
        Ok(Self {
            netlink,
            sudo,
            selection,
            hosts: hosts_ifs,
        })
    }

    /// Adds the managed addresses that are missing; returns how many were added.
    pub fn setup(&mut self) -> Result<usize, AddressError> {
        let mut added = 0;
        for (host, ifname) in self.hosts.clone() {
            if self.present(&host, &ifname)? {
                continue;
            }
            tracing::debug!("Setup {ifname} IP address {host}");
            let label = self
                .selection
                .label
                .as_ref()
                .map(|l| format!("{ifname}:{l}"));
            if self.sudo {
                let host_arg = host_text(&host);
                let mut args = vec!["address", "add", host_arg.as_str(), "dev", &ifname];
                let label_arg;
                if let Some(label) = &label {
                    label_arg = label.clone();
                    args.extend(["label", label_arg.as_str()]);
                }
                match sudo_ip(&args) {
                    // `ip` exits with 2 when the address exists.
                    Ok(()) | Err(SudoIp::Exit(2)) => {}
                    Err(e) => return Err(e.into_error(&args)),
                }
                added += 1;
                continue;
            }
            let index = self.index(&ifname)?;
            let label = label.as_deref().filter(|_| host.addr().is_ipv4());
            if self
                .netlink
                .add(index, host.addr(), host.prefix_len(), label)?
                == Added::New
            {
                added += 1;
            }
        }
        Ok(added)
    }

    /// Removes the managed addresses that are present (and selected by the label);
    /// failures are logged, as in ExaBGP.
    pub fn remove(&mut self) {
        for (host, ifname) in self.hosts.clone() {
            match self.present(&host, &ifname) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    tracing::warn!("Unable to list {ifname} addresses: {e}");
                    continue;
                }
            }
            tracing::debug!("Remove {ifname} IP address {host}");
            let result = if self.sudo {
                let args = ["address", "delete", &host_text(&host), "dev", &ifname];
                sudo_ip(&args).map_err(|e| e.into_error(&args))
            } else {
                self.index(&ifname).and_then(|index| {
                    self.netlink
                        .delete(index, host.addr(), host.prefix_len())
                        .map_err(AddressError::from)
                })
            };
            if let Err(e) = result {
                tracing::warn!(
                    "Unable to remove {ifname} IP address {host} - is healthcheck running as root? ({e})"
                );
            }
        }
    }

    /// Whether `host` is on `ifname`, selected by the label. IPv6 addresses carry no
    /// label (the kernel has none for them), so the label does not apply to them here:
    /// ExaBGP 5.0.15 applies it and, with `--label`, leaves every IPv6 `--ip` address it
    /// set up behind on exit (measured); Herald removes them.
    fn present(&mut self, host: &IpNet, ifname: &str) -> Result<bool, AddressError> {
        let index = self.index(ifname)?;
        Ok(self.netlink.addresses(index)?.iter().any(|a| {
            a.ip == host.addr()
                && a.prefix_len == host.prefix_len()
                && (a.ip.is_ipv6() || self.selection.selects(ifname, a.label.as_deref()))
        }))
    }

    fn index(&mut self, ifname: &str) -> Result<u32, AddressError> {
        self.netlink
            .link_index(ifname)?
            .ok_or_else(|| AddressError::NoInterface(ifname.to_owned()))
    }
}

/// The networks configured on `lo` that are not loopback addresses and that the label
/// selects, in the kernel's order: what is advertised when no `--ip` is given. An
/// address whose prefix has host bits set (`10.0.0.1/24`) is skipped, as in ExaBGP.
pub fn on_loopback(
    netlink: &mut Netlink,
    selection: &Selection,
) -> Result<Vec<IpNet>, AddressError> {
    let index = netlink
        .link_index("lo")?
        .ok_or_else(|| AddressError::NoInterface("lo".to_owned()))?;
    let mut out = Vec::new();
    for address in netlink.addresses(index)? {
        let Ok(net) = IpNet::new(address.ip, address.prefix_len) else {
            continue;
        };
        if net.trunc() != net || is_loopback(&net) {
            continue;
        }
        if selection.selects("lo", address.label.as_deref()) {
            out.push(net);
        }
    }
    tracing::debug!("System addresses ({{'lo'}}) detected: {out:?}");
    Ok(out)
}

/// Python's `is_loopback` for a network: inside 127.0.0.0/8, or `::1/128`.
fn is_loopback(net: &IpNet) -> bool {
    match net {
        IpNet::V4(v4) => v4.network().is_loopback() && v4.broadcast().is_loopback(),
        IpNet::V6(v6) => v6.prefix_len() == 128 && v6.network().is_loopback(),
    }
}

/// `ip` wants the address with its prefix length.
fn host_text(host: &IpNet) -> String {
    host.to_string()
}

enum SudoIp {
    Exit(i32),
    Other(String),
}

impl SudoIp {
    fn into_error(self, args: &[&str]) -> AddressError {
        AddressError::Sudo {
            command: format!("sudo ip {}", args.join(" ")),
            reason: match self {
                Self::Exit(code) => format!("exit code {code}"),
                Self::Other(reason) => reason,
            },
        }
    }
}

fn sudo_ip(args: &[&str]) -> Result<(), SudoIp> {
    let status = Command::new("sudo")
        .arg("ip")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| SudoIp::Other(e.to_string()))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) => Err(SudoIp::Exit(code)),
        None => Err(SudoIp::Other(status.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    #[test]
    fn hosts_include_network_and_broadcast() {
        let h: Vec<String> = hosts(&net("192.0.2.0/30"))
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            h,
            [
                "192.0.2.0/32",
                "192.0.2.1/32",
                "192.0.2.2/32",
                "192.0.2.3/32"
            ]
        );
        assert_eq!(hosts(&net("2001:db8::/127")).unwrap().len(), 2);
        assert_eq!(hosts(&net("10.0.0.1/32")).unwrap(), [net("10.0.0.1/32")]);
        assert!(matches!(
            hosts(&net("10.0.0.0/8")),
            Err(AddressError::TooLarge(_))
        ));
        assert_eq!(hosts(&net("10.0.0.0/16")).unwrap().len(), 65_536);
    }

    #[test]
    fn label_selection() {
        let any = Selection::default();
        assert!(any.selects("lo", None));
        let prefix = Selection {
            label: Some("web".into()),
            exact: false,
        };
        assert!(prefix.selects("lo", Some("lo:web1")));
        assert!(prefix.selects("lo", Some("lo:web")));
        assert!(!prefix.selects("lo", Some("lo:db")));
        assert!(!prefix.selects("lo", Some("lo")));
        assert!(!prefix.selects("lo", None));
        assert!(!prefix.selects("lo", Some("eth0:web")));
        let exact = Selection {
            label: Some("web".into()),
            exact: true,
        };
        assert!(exact.selects("lo", Some("lo:web")));
        assert!(!exact.selects("lo", Some("lo:web1")));
    }

    #[test]
    fn loopback_networks() {
        assert!(is_loopback(&net("127.0.0.1/32")));
        assert!(is_loopback(&net("127.0.0.0/8")));
        assert!(!is_loopback(&net("0.0.0.0/0")));
        assert!(is_loopback(&net("::1/128")));
        assert!(!is_loopback(&net("192.0.2.1/32")));
    }
}

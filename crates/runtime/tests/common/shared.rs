//! The parts of a raw-bytes BGP test peer that the daemon tests of `herald-runtime`
//! (in-process, tokio) and of `herald` (the real binary, std only) share: the IPv4 unicast
//! content of an UPDATE, read by hand so that the codec under test does not check itself,
//! and a scratch directory. Included by both `tests/common/mod.rs` files.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

/// The IPv4 unicast content of an UPDATE body.
#[derive(Debug, Default)]
pub struct ParsedUpdate {
    pub withdrawn: Vec<String>,
    pub announced: Vec<String>,
    pub next_hop: Option<IpAddr>,
    pub med: Option<u32>,
    pub communities: Vec<String>,
}

fn prefixes(mut data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    while let Some((&len, rest)) = data.split_first() {
        let n = (len as usize).div_ceil(8);
        let mut octets = [0u8; 4];
        octets[..n].copy_from_slice(&rest[..n]);
        out.push(format!("{}/{}", Ipv4Addr::from(octets), len));
        data = &rest[n..];
    }
    out
}

pub fn parse_update(body: &[u8]) -> ParsedUpdate {
    let wlen = u16::from_be_bytes([body[0], body[1]]) as usize;
    let withdrawn = prefixes(&body[2..2 + wlen]);
    let alen_at = 2 + wlen;
    let alen = u16::from_be_bytes([body[alen_at], body[alen_at + 1]]) as usize;
    let mut attrs = &body[alen_at + 2..alen_at + 2 + alen];
    let nlri = &body[alen_at + 2 + alen..];
    let mut update = ParsedUpdate {
        withdrawn,
        announced: prefixes(nlri),
        ..ParsedUpdate::default()
    };
    while attrs.len() >= 3 {
        let flags = attrs[0];
        let code = attrs[1];
        let (len, hdr) = if flags & 0x10 != 0 {
            (u16::from_be_bytes([attrs[2], attrs[3]]) as usize, 4)
        } else {
            (attrs[2] as usize, 3)
        };
        let value = &attrs[hdr..hdr + len];
        match code {
            3 if len == 4 => {
                update.next_hop = Some(IpAddr::from([value[0], value[1], value[2], value[3]]));
            }
            4 if len == 4 => {
                update.med = Some(u32::from_be_bytes([value[0], value[1], value[2], value[3]]));
            }
            8 => {
                update.communities = value
                    .chunks_exact(4)
                    .map(|c| {
                        format!(
                            "{}:{}",
                            u16::from_be_bytes([c[0], c[1]]),
                            u16::from_be_bytes([c[2], c[3]])
                        )
                    })
                    .collect();
            }
            _ => {}
        }
        attrs = &attrs[hdr + len..];
    }
    update
}

/// A scratch directory, removed on drop.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "herald-test-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }

    /// Writes an executable script.
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.join(name);
        std::fs::write(&path, body).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    pub fn file(&self, name: &str, body: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, body).unwrap();
        path
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

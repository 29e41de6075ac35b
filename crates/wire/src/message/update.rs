//! UPDATE (RFC 4271 §4.3) with the error handling of RFC 7606.
//!
//! ```text
//! +-----------------------------------------------------+
//! |   Withdrawn Routes Length (2 octets)                |
//! +-----------------------------------------------------+
//! |   Withdrawn Routes (variable)                       |
//! +-----------------------------------------------------+
//! |   Total Path Attribute Length (2 octets)            |
//! +-----------------------------------------------------+
//! |   Path Attributes (variable)                        |
//! +-----------------------------------------------------+
//! |   Network Layer Reachability Information (variable) |
//! +-----------------------------------------------------+
//! ```
//!
//! Session resets: Withdrawn Routes Length or Total Path Attribute Length beyond the
//! message (3,1); a truncated withdrawn prefix (3,1); an NLRI prefix longer than 32 bits or
//! truncated (3,10) (RFC 7606 §5.3). When NLRI are present (IPv4 field or MP_REACH), a
//! missing ORIGIN or AS_PATH (or NEXT_HOP for the IPv4 field), or a NEXT_HOP that no
//! route may use (RFC 4271 §6.3), is treat-as-withdraw (RFC 7606 §3 d). The attribute list
//! itself is decoded by `attr/list.rs`.

use super::{AttrIssue, Update};
use crate::attr::list::decode_list;
use crate::attr::{
    encode_attributes, is_invalid_next_hop, AttrCode, Attribute, MpReach, MpUnreach,
};
use crate::ctx::{DecodeCtx, EncodeCtx};
use crate::error::{EncodeError, Rfc7606Action, WireError, WireErrorKind};
use crate::family::Family;
use crate::nlri::Nlri;
use crate::reader::Reader;

/// Decodes an UPDATE body (`r` starts after the header).
pub(crate) fn decode(
    mut r: Reader<'_>,
    ctx: &DecodeCtx,
) -> Result<(Update, Vec<AttrIssue>), WireError> {
    let v4 = Family::IPV4_UNICAST;
    let fatal = |what| {
        move |e: WireError| WireError::new(e.offset, WireErrorKind::MalformedAttributeList(what))
    };
    let at = r.offset();
    let withdrawn_len = r
        .u16("withdrawn routes length")
        .map_err(fatal("withdrawn routes length"))?;
    let mut withdrawn = r
        .sub(usize::from(withdrawn_len), "withdrawn routes")
        .map_err(|_| {
            WireError::new(
                at,
                WireErrorKind::MalformedAttributeList("withdrawn routes length too large"),
            )
        })?;
    let withdrawn = Nlri::decode_withdrawn(
        &mut withdrawn,
        v4,
        ctx.add_path(v4),
        WireErrorKind::MalformedAttributeList,
    )?;
    let at = r.offset();
    let attr_len = r
        .u16("total path attribute length")
        .map_err(fatal("total path attribute length missing"))?;
    let attrs = r
        .sub(usize::from(attr_len), "path attributes")
        .map_err(|_| {
            WireError::new(
                at,
                WireErrorKind::MalformedAttributeList("total path attribute length too large"),
            )
        })?;
    let parsed = decode_list(attrs, ctx)?;
    let nlri = Nlri::decode_field(
        &mut r,
        v4,
        ctx.add_path(v4),
        WireErrorKind::InvalidNetworkField,
    )?;
    let update = Update {
        withdrawn,
        attributes: parsed.attrs,
        nlri,
    };
    let mut issues = parsed.issues;
    check_mandatory(&update, &mut issues);
    Ok((update, issues))
}

/// RFC 7606 §3 d and RFC 4271 §6.3: mandatory attributes and a usable NEXT_HOP when the
/// UPDATE announces routes.
fn check_mandatory(update: &Update, issues: &mut Vec<AttrIssue>) {
    let mp_nlri = update.mp_reach().is_some_and(|mp| !mp.nlri.is_empty());
    if update.nlri.is_empty() && !mp_nlri {
        return;
    }
    let mut required = vec![AttrCode::ORIGIN, AttrCode::AS_PATH];
    if !update.nlri.is_empty() {
        required.push(AttrCode::NEXT_HOP);
    }
    for code in required {
        let present = update.attributes.iter().any(|a| a.code() == code)
            || issues.iter().any(|i| i.code == code);
        if !present {
            issues.push(AttrIssue {
                code,
                action: Rfc7606Action::TreatAsWithdraw,
                reason: format!("missing well-known mandatory attribute {}", code.0),
            });
        }
    }
    if !update.nlri.is_empty() {
        if let Some(ip) = update.next_hop() {
            if is_invalid_next_hop(ip) {
                issues.push(AttrIssue {
                    code: AttrCode::NEXT_HOP,
                    action: Rfc7606Action::TreatAsWithdraw,
                    reason: format!("NEXT_HOP {ip} is not a usable address"),
                });
            }
        }
    }
}

/// Appends an UPDATE body.
pub(crate) fn encode(
    update: &Update,
    ctx: &EncodeCtx,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let v4 = Family::IPV4_UNICAST;
    let add_path = ctx.add_path(v4);
    for part in 0..3 {
        let len_at = out.len();
        if part < 2 {
            out.extend_from_slice(&[0, 0]);
        }
        match part {
            0 => {
                for n in &update.withdrawn {
                    n.encode(v4, add_path, out)?;
                }
            }
            1 => encode_attributes(&update.attributes, ctx, out)?,
            _ => {
                for n in &update.nlri {
                    n.encode(v4, add_path, out)?;
                }
                return Ok(());
            }
        }
        let len = u16::try_from(out.len() - len_at - 2)
            .map_err(|_| EncodeError::FieldTooLong("UPDATE field"))?;
        out[len_at..len_at + 2].copy_from_slice(&len.to_be_bytes());
    }
    Ok(())
}

impl Update {
    /// The End-of-RIB marker of `family` (RFC 4724 §2): an empty UPDATE for IPv4 unicast,
    /// else an UPDATE holding only an empty MP_UNREACH_NLRI.
    pub fn end_of_rib(family: Family) -> Self {
        if family == Family::IPV4_UNICAST {
            return Self::default();
        }
        Self {
            attributes: vec![Attribute::MpUnreach(MpUnreach {
                family,
                nlri: Vec::new(),
            })],
            ..Self::default()
        }
    }

    /// The family this UPDATE is the End-of-RIB marker of, if it is one.
    pub fn is_end_of_rib(&self) -> Option<Family> {
        if !self.withdrawn.is_empty() || !self.nlri.is_empty() {
            return None;
        }
        match self.attributes.as_slice() {
            [] => Some(Family::IPV4_UNICAST),
            [Attribute::MpUnreach(mp)] if mp.nlri.is_empty() => Some(mp.family),
            _ => None,
        }
    }

    /// The MP_REACH_NLRI attribute, if any.
    pub fn mp_reach(&self) -> Option<&MpReach> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::MpReach(mp) => Some(mp),
            _ => None,
        })
    }

    /// The MP_UNREACH_NLRI attribute, if any.
    pub fn mp_unreach(&self) -> Option<&MpUnreach> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::MpUnreach(mp) => Some(mp),
            _ => None,
        })
    }

    /// The NEXT_HOP attribute, if any.
    pub fn next_hop(&self) -> Option<std::net::Ipv4Addr> {
        self.attributes.iter().find_map(|a| match a {
            Attribute::NextHop(ip) => Some(*ip),
            _ => None,
        })
    }

    /// The attribute with `code`, if any.
    pub fn attribute(&self, code: AttrCode) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.code() == code)
    }

    /// The same UPDATE with every announced route withdrawn and the path attributes
    /// dropped (RFC 7606 §2 treat-as-withdraw): the IPv4 NLRI join the withdrawn routes,
    /// MP_REACH NLRI join the MP_UNREACH of their family (one is added if needed).
    pub fn into_withdraw(self) -> Self {
        let mut withdrawn = self.withdrawn;
        withdrawn.extend(self.nlri);
        let mut unreach: Vec<MpUnreach> = Vec::new();
        for attr in self.attributes {
            let (family, nlri) = match attr {
                Attribute::MpReach(mp) => (mp.family, mp.nlri),
                Attribute::MpUnreach(mp) => (mp.family, mp.nlri),
                _ => continue,
            };
            match unreach.iter_mut().find(|u| u.family == family) {
                Some(u) => u.nlri.extend(nlri),
                None => unreach.push(MpUnreach { family, nlri }),
            }
        }
        unreach.retain(|u| !u.nlri.is_empty());
        Self {
            withdrawn,
            attributes: unreach.into_iter().map(Attribute::MpUnreach).collect(),
            nlri: Vec::new(),
        }
    }
}

//! Received bytes: framing, the FSM check of each message type, decoding, and the reaction
//! (RFC 4271 §6 and §8.2.2, RFC 6608, RFC 7606, RFC 2918 / 7313).

use std::time::Instant;

use wire::message::{frame, Decoded, RefreshSubtype};
use wire::{Message, MessageType, Notification, Open, WireError, WireErrorKind};

use super::Session;
use crate::negotiate::{negotiate, validate_open};
use crate::output::Output;
use crate::state::State;
use crate::timers::Timer;

/// The largest message before Established, and always the largest OPEN and KEEPALIVE
/// (RFC 8654 §4).
const MAX_INITIAL_LEN: usize = 4096;

impl Session {
    /// Events 19–28: bytes read from the TCP connection. They are buffered until a whole
    /// message is there, framed, checked against the state (RFC 6608), decoded with the
    /// negotiated context and acted upon. Errors send the NOTIFICATION they call for and
    /// close. Ignored without a connection.
    pub fn handle_data(&mut self, data: &[u8], now: Instant) {
        if !self.connected {
            return;
        }
        self.rx.extend_from_slice(data);
        let mut pos = 0;
        while self.connected {
            let rest = self.rx.get(pos..).unwrap_or_default();
            // OPEN and KEEPALIVE never exceed 4096 octets, even with RFC 8654 (§4).
            let small = matches!(rest.get(18), Some(1 | 4));
            let max = match (&self.negotiated, self.state) {
                (Some(n), State::Established) if !small => n.max_message_len(),
                _ => MAX_INITIAL_LEN,
            };
            match frame(rest, max) {
                Ok(None) => break,
                Ok(Some(len)) => {
                    let Some(raw) = rest.get(..len).map(<[u8]>::to_vec) else {
                        break;
                    };
                    pos += len;
                    self.on_message(raw, now);
                }
                Err(e) => {
                    self.fail(notification_for(&e), now);
                    return;
                }
            }
        }
        if self.connected {
            self.rx.drain(..pos.min(self.rx.len()));
        }
    }

    /// One whole message, header included.
    fn on_message(&mut self, raw: Vec<u8>, now: Instant) {
        let kind = MessageType(raw.get(18).copied().unwrap_or_default());
        if let Some(subcode) = self.unexpected(kind) {
            self.fail(
                Notification {
                    code: 5,
                    subcode,
                    data: vec![kind.0],
                },
                now,
            );
            return;
        }
        let decoded = match Message::decode(&raw, &self.decode_ctx()) {
            Ok(decoded) => decoded,
            // RFC 4271 §6: a NOTIFICATION is never answered with one.
            Err(_) if kind == MessageType::NOTIFICATION => {
                self.close("closing connection", now);
                return;
            }
            Err(e) => {
                self.fail(notification_for(&e), now);
                return;
            }
        };
        if self.state == State::Established {
            self.arm_hold(now);
        }
        let Decoded { message, issues } = decoded;
        match message {
            Message::Open(open) => {
                self.out.push_back(Output::Received {
                    message: Message::Open(open.clone()),
                    raw,
                    issues,
                });
                self.on_open(open, now);
            }
            Message::Keepalive => {
                self.out.push_back(Output::Received {
                    message: Message::Keepalive,
                    raw,
                    issues,
                });
                if self.state == State::OpenConfirm {
                    self.established(now);
                }
            }
            Message::Notification(notification) => {
                let reason = format!(
                    "notification received ({},{})",
                    notification.code, notification.subcode
                );
                self.out.push_back(Output::Received {
                    message: Message::Notification(notification),
                    raw,
                    issues,
                });
                self.close(&reason, now);
            }
            Message::RouteRefresh(refresh) => {
                // RFC 2918 §4: a family we did not negotiate is ignored; so is an unknown
                // subtype (RFC 7313 §5).
                let known = !matches!(refresh.subtype, RefreshSubtype::Other(_));
                let negotiated = self
                    .negotiated
                    .as_ref()
                    .is_some_and(|n| n.has_family(refresh.family));
                if known && negotiated {
                    self.out.push_back(Output::Received {
                        message: Message::RouteRefresh(refresh),
                        raw,
                        issues,
                    });
                }
            }
            Message::Update(update) => {
                let withdraw = issues
                    .iter()
                    .any(|i| i.action == wire::Rfc7606Action::TreatAsWithdraw);
                let update = if withdraw {
                    update.into_withdraw()
                } else {
                    update
                };
                self.out.push_back(Output::Received {
                    message: Message::Update(update),
                    raw,
                    issues,
                });
            }
            message => self.out.push_back(Output::Received {
                message,
                raw,
                issues,
            }),
        }
    }

    /// The RFC 6608 subcode when a message of `kind` may not arrive in this state.
    /// Unknown types are left to the decoder, which answers (1,3).
    fn unexpected(&self, kind: MessageType) -> Option<u8> {
        let known = matches!(
            kind,
            MessageType::OPEN
                | MessageType::UPDATE
                | MessageType::KEEPALIVE
                | MessageType::ROUTE_REFRESH
                | MessageType::OPERATIONAL
        );
        if !known {
            return None;
        }
        let allowed = match self.state {
            // Connected, our OPEN held back (DelayOpen, `local-as auto`): only the peer's OPEN.
            State::Idle | State::Connect | State::Active | State::OpenSent => {
                kind == MessageType::OPEN
            }
            State::OpenConfirm => kind == MessageType::KEEPALIVE,
            State::Established => kind != MessageType::OPEN,
        };
        if allowed {
            None
        } else {
            Some(self.state.fsm_error_subcode())
        }
    }

    /// Events 19/20: the peer's OPEN. Validated, our OPEN sent if it was held back,
    /// capabilities negotiated, KEEPALIVE sent, OpenConfirm.
    fn on_open(&mut self, open: Open, now: Instant) {
        if let Err(e) = validate_open(
            &open,
            self.cfg.local_as,
            self.cfg.peer_as,
            self.cfg.router_id,
        ) {
            self.fail(e.notification(), now);
            return;
        }
        self.received_open = Some(open);
        if self.sent_open.is_none() {
            self.send_open(now);
            if !self.connected {
                return;
            }
        }
        let (Some(sent), Some(received)) = (&self.sent_open, &self.received_open) else {
            return;
        };
        let mut negotiated = negotiate(sent, received);
        let aigp = self.cfg.aigp_session(negotiated.ibgp());
        negotiated.decode.aigp = aigp;
        negotiated.encode.aigp = aigp;
        self.negotiated = Some(negotiated);
        self.queue_message(&Message::Keepalive);
        self.arm_hold(now);
        self.arm_keepalive(now);
        self.set_state(State::OpenConfirm);
    }

    /// Event 26 in OpenConfirm: the session is established.
    fn established(&mut self, now: Instant) {
        let Some(negotiated) = self.negotiated.clone() else {
            return;
        };
        self.attempts = 0;
        self.backoff.reset();
        self.restarting = false;
        self.timers.stop(Timer::ConnectRetry);
        self.arm_hold(now);
        self.set_state(State::Established);
        self.out
            .push_back(Output::Established(Box::new(negotiated)));
    }
}

/// The NOTIFICATION a decode error calls for: wire's mapping, except for an unknown message
/// type, where ExaBGP sends (1,3) with a text rather than the type octet of RFC 4271 §6.1,
/// and its conformance corpus (`encoding/unknown-message.msg`) expects exactly those bytes.
fn notification_for(e: &WireError) -> Notification {
    match e.kind {
        WireErrorKind::BadType(kind) => Notification {
            code: 1,
            subcode: 3,
            data: format!("can not decode message of type \"{kind}\"").into_bytes(),
        },
        _ => Notification::from(e),
    }
}

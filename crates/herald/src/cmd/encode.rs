//! `herald encode [OPTIONS] COMMAND…`: the UPDATE messages an API command makes, one per
//! line in the layout of ExaBGP's test data (`marker:length:type:body`, hex), as a session
//! with the given properties would send them (see [`runtime::offline`]). `-` reads several
//! commands from standard input, applied as one batch like the lines of one helper read.
//! The output is what `herald decode` reads back.

use std::io::Read as _;

use runtime::offline::{self, Session};

use crate::cli::EncodeArgs;

/// Encodes and prints; exit code 1 when a command cannot be encoded.
pub(crate) fn run(args: &EncodeArgs) -> anyhow::Result<u8> {
    let text = if args.command == ["-"] {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else {
        args.command.join(" ")
    };
    let lines: Vec<&str> = text.lines().collect();
    let session = Session {
        local_as: args.local_as,
        peer_as: args.peer_as,
        asn4: !args.no_asn4,
        add_path: args.path_information,
        extended_message: args.extended_message,
        group_updates: !args.no_group_updates,
        local_address: args.local_address,
    };
    match offline::encode(&lines, &session) {
        Ok(messages) => {
            for message in messages {
                println!("{}", layout(&message));
            }
            Ok(0)
        }
        Err(e) => {
            eprintln!("herald encode: {e}");
            Ok(1)
        }
    }
}

/// `FFFF…FFFF:LLLL:TT:BODY`, upper-case hex.
fn layout(message: &[u8]) -> String {
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02X}")).collect::<String>();
    if message.len() < 19 {
        return hex(message);
    }
    format!(
        "{}:{}:{}:{}",
        hex(&message[..16]),
        hex(&message[16..18]),
        hex(&message[18..19]),
        hex(&message[19..])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_exabgps() {
        let mut eor = vec![0xFF; 16];
        eor.extend_from_slice(&[0, 23, 2, 0, 0, 0, 0]);
        assert_eq!(
            layout(&eor),
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000"
        );
    }
}

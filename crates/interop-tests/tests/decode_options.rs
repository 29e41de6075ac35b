//! `herald decode`'s options beyond a whole UPDATE — `--nlri` (a bare NLRI field) and
//! `--configuration` (decode as each neighbor of a file) — print what `exabgp decode`
//! (ExaBGP 5.0.15) prints for the same arguments: every JSON line equal after removing the
//! volatile keys, and `invalid payload` where ExaBGP refuses the input.

use herald_interop_tests::differential::{comparable, exabgp_outputs, herald_outputs, Case};
use herald_interop_tests::herald::herald_binary;

/// The update of ExaBGP's decoding case `ipv4-unicast-1`.
const UPDATE: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003C020000001C4001010040020040030465016501800404000000C840050400000064000000002001010101";

/// Two neighbors with their own addresses, ASNs, router-ids and families.
const CONFIG: &str = "\
neighbor 192.0.2.9 {
    router-id 1.2.3.4;
    local-address 192.0.2.1;
    local-as 65001;
    peer-as 65002;
    family { ipv4 unicast; ipv6 unicast; }
    capability { add-path send/receive; }
}
neighbor 192.0.2.10 {
    router-id 1.2.3.5;
    local-address 192.0.2.1;
    local-as 65001;
    peer-as 65003;
    family { ipv4 unicast; }
}
";

fn case(id: &str, args: &[&str]) -> Case {
    Case {
        id: id.to_owned(),
        args: args.iter().map(|a| (*a).to_owned()).collect(),
    }
}

/// Every JSON line without the volatile keys; when there is none, `invalid payload` if it
/// was printed (Herald also says why on stderr), else the last line.
fn lines(output: &str) -> Vec<String> {
    let json: Vec<String> = output
        .lines()
        .filter_map(comparable)
        .map(|v| v.to_string())
        .collect();
    if json.is_empty() {
        let refused = output.lines().find(|l| l.trim() == "invalid payload");
        vec![refused
            .or(output.lines().last())
            .unwrap_or_default()
            .trim()
            .to_owned()]
    } else {
        json
    }
}

#[test]
fn nlri_and_configuration_options_print_what_exabgp_prints() {
    let dir = std::env::temp_dir().join(format!("herald-decode-options-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let conf = dir.join("two-neighbors.conf");
    std::fs::write(&conf, CONFIG).expect("write the configuration");
    let conf = conf.to_str().expect("a UTF-8 path");

    let cases = vec![
        case(
            "nlri ipv4 unicast",
            &["-n", "-f", "ipv4 unicast", "18C63364"],
        ),
        case("nlri default family", &["-n", "2020010db8"]),
        case(
            "nlri ipv6 unicast",
            &["-n", "-f", "ipv6 unicast", "2020010db8"],
        ),
        case(
            "nlri add-path",
            &["-n", "-i", "-f", "ipv4 unicast", "0000000118C63364"],
        ),
        case(
            "nlri flow",
            &["-n", "-f", "ipv4 flow", "0801180A0000038106"],
        ),
        case(
            "nlri mpls-vpn",
            &[
                "-n",
                "-f",
                "ipv4 mpls-vpn",
                "700006410000FDE8000000010A0000",
            ],
        ),
        case(
            "nlri truncated",
            &["-n", "-f", "ipv4 unicast", "18C633641801"],
        ),
        case("configuration update", &["-c", conf, UPDATE]),
        case(
            "configuration nlri add-path",
            &["-c", conf, "-n", "0000000118C63364"],
        ),
    ];
    let herald = herald_outputs(&herald_binary().expect("herald"), &cases).expect("herald");
    let exabgp = exabgp_outputs(&cases).expect("exabgp decode");
    let mut wrong = Vec::new();
    for ((case, h), e) in cases.iter().zip(&herald).zip(&exabgp) {
        let (h, e) = (lines(h), lines(e));
        if h != e {
            wrong.push(format!("{}:\n  herald: {h:?}\n  exabgp: {e:?}", case.id));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // the configuration is shown once per neighbor, with that neighbor's addresses
    assert_eq!(lines(&herald[7]).len(), 2, "{}", herald[7]);
    assert!(
        herald[7].contains("\"peer\": \"192.0.2.10\""),
        "{}",
        herald[7]
    );
}

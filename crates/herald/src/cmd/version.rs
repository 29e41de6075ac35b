//! `herald version`.

/// The ExaBGP release whose configuration, API and JSON Herald reproduces.
pub(crate) const EXABGP_COMPATIBLE: &str = "5.0.15";

/// Prints the version, in the layout of `exabgp version`.
pub(crate) fn run() -> anyhow::Result<u8> {
    println!("Herald : {}", env!("CARGO_PKG_VERSION"));
    println!("ExaBGP : {EXABGP_COMPATIBLE} (configuration, API and JSON compatible)");
    println!(
        "Uname  : {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    Ok(0)
}

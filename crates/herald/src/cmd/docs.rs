//! `herald completions SHELL` and `herald man`: the completion scripts and the manual page,
//! generated from the clap definition in [`crate::cli`], so they always match the binary.
//! The Debian package ships both (built by `scripts/package-deb`).

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;

/// The sections no clap definition holds: signals, environment, files.
const EXTRA: &str = r#".SH SIGNALS
.TP
SIGUSR1
reload the configuration: unchanged sessions and helpers are kept, the route difference is sent
.TP
SIGUSR2
reload the configuration and restart every helper
.TP
SIGTERM, SIGHUP
shut down: a Cease NOTIFICATION to every peer
.TP
SIGALRM
restart every session and helper
.SH ENVIRONMENT
.TP
exabgp.*, EXABGP_ENVFILE
ExaBGP's settings (see herald env)
.TP
HERALD_SOCKET
the control socket of herald cli and herald server (off: none)
.TP
HERALD_METRICS
ADDR:PORT of the Prometheus endpoint
.TP
HERALD_HELPER_QUEUE
bytes each helper may have waiting to be read (default 16M) before its events are dropped
.SH FILES
.TP
/etc/herald/herald.conf
the configuration the systemd unit runs
"#;

/// Prints the completion script for `shell` on stdout.
pub(crate) fn completions(shell: clap_complete::Shell) -> anyhow::Result<u8> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "herald", &mut out);
    std::io::stdout().write_all(&out)?;
    Ok(0)
}

/// Prints herald(1) in roff on stdout: the synopsis and options of `herald`, then a
/// section per subcommand with its own options.
pub(crate) fn man() -> anyhow::Result<u8> {
    let command = Cli::command();
    let mut out = Vec::new();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("herald {}", sub.get_name());
        writeln!(out, ".SH \"{}\"", name.to_uppercase())?;
        let sub_man = clap_mangen::Man::new(sub.clone().bin_name(name));
        // the subcommand's synopsis, description and options, as sub-sections
        let mut text = Vec::new();
        sub_man.render_synopsis_section(&mut text)?;
        sub_man.render_description_section(&mut text)?;
        sub_man.render_options_section(&mut text)?;
        let text = String::from_utf8_lossy(&text).replace(".SH ", ".SS ");
        out.write_all(text.as_bytes())?;
    }
    out.write_all(EXTRA.as_bytes())?;
    man.render_version_section(&mut out)?;
    std::io::stdout().write_all(&out)?;
    Ok(0)
}

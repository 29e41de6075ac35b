//! Prints what the parser made of configuration files: per file, its neighbors with their
//! route counts (typed routes + raw sections), then every typed route.
//!
//! `cargo run -p herald-config --example dump -- FILE…` (`--check` also checks programs).

use std::io::Write;
use std::path::PathBuf;

fn main() {
    let mut check = false;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--check" {
            check = true;
        } else {
            files.push(PathBuf::from(arg));
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in files {
        let options = herald_config::Options {
            check_programs: check,
            ..herald_config::Options::default()
        };
        let written = match herald_config::load_with(std::slice::from_ref(&file), &options) {
            Ok(config) => {
                let routes: usize = config
                    .neighbors
                    .iter()
                    .map(|n| n.routes.len() + n.raw.len())
                    .sum();
                let mut text = format!(
                    "{} ok neighbors={} routes={}\n",
                    file.display(),
                    config.neighbors.len(),
                    routes
                );
                for n in &config.neighbors {
                    for r in &n.routes {
                        text.push_str(&format!(
                            "  {} {:?} {:?} {:?}\n",
                            r.family, r.nlri, r.next_hop, r.attributes
                        ));
                    }
                }
                out.write_all(text.as_bytes())
            }
            Err(errors) => {
                let mut text = format!("{} error\n", file.display());
                for e in errors {
                    text.push_str(&format!("  {e}\n"));
                }
                out.write_all(text.as_bytes())
            }
        };
        if written.is_err() {
            return;
        }
    }
}

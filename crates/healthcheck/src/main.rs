//! `herald-healthcheck`: the health checker alone, the same program as
//! `herald healthcheck`.

fn main() {
    let args = std::env::args_os().skip(1).collect();
    std::process::exit(healthcheck::main_with_args(args));
}

//! `gobgp-feed`: feeds GoBGP's global RIB with N routes through its gRPC API, our own
//! client of `AddPathStream` (S1's GoBGP anchor).
//!
//! ```text
//! gobgp-feed --count N [--fam v4|v6] [--api 127.0.0.1:50051] [--batch 1000]
//!            [--encoding binary|any] [--marks DIR] [--start-file PATH] [--timeout SECS]
//! ```
//!
//! The routes are those of `api-lines` and `mrt-table` (`10.0.0.0/32 + i`, or
//! `2001:db8::/128 + i` with `--fam v6`), origin IGP, next hop 192.0.2.1 (IPv6:
//! 2001:db8:ffff::1). It connects (HTTP/2, no TLS), waits for `--start-file` if given (the
//! receiver's `established` mark), marks `first-line`, then streams `AddPathStreamRequest`s
//! of `--batch` paths each, table GLOBAL, built as the stream is read (HTTP/2 flow control
//! paces it to GoBGP), marks `last-line` when the last request is handed to the stream, and
//! `done` when GoBGP answers the end of the stream, i.e. has taken every path in. Prints
//! `routes=`, `requests=` and `seconds=` (first line to answer).

use std::path::{Path as FsPath, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};
use herald_bench::args::{count, Args};
use herald_bench::clock::{mark, now_ns, wait_for_file};
use herald_bench::gobgp::{
    AddPathStreamRequest, Empty, Encoding, PathMaker, ADD_PATH_STREAM, TABLE_GLOBAL,
};
use herald_bench::routes::Fam;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::codegen::tokio_stream;
use tonic::transport::Endpoint;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let args = Args::from_env(&[])?;
    let n = count(args.get("count").context("--count N is required")?)?;
    let fam = Fam::parse(args.get("fam").unwrap_or("v4")).context("--fam v4|v6")?;
    let encoding = Encoding::parse(args.get("encoding").unwrap_or("binary"))
        .context("--encoding any|binary")?;
    let batch: u64 = args.parsed("batch", 1000)?;
    anyhow::ensure!(batch > 0, "--batch must be at least 1");
    let api = args.get("api").unwrap_or("127.0.0.1:50051");
    let marks = args.get("marks").map(PathBuf::from);
    let limit = Duration::from_secs_f64(args.parsed("timeout", 600.0)?);
    if let Some(dir) = &marks {
        std::fs::create_dir_all(dir)?;
    }

    let channel = connect(api, limit).await?;
    let mut grpc = tonic::client::Grpc::new(channel);
    if let Some(file) = args.get("start-file") {
        anyhow::ensure!(
            wait_for_file(FsPath::new(file), limit),
            "{file} never appeared"
        );
    }
    grpc.ready()
        .await
        .map_err(|e| anyhow!("gRPC channel to {api}: {e}"))?;

    let maker = PathMaker::new(fam, encoding);
    let last_marks = marks.clone();
    let requests = (0..n).step_by(usize::try_from(batch)?).map(move |start| {
        let end = n.min(start + batch);
        let request = AddPathStreamRequest {
            table_type: TABLE_GLOBAL,
            vrf_id: String::new(),
            paths: (start..end).map(|i| maker.path(i)).collect(),
        };
        if end == n {
            mark(last_marks.as_deref(), "last-line", now_ns());
        }
        request
    });
    let codec = tonic_prost::ProstCodec::<AddPathStreamRequest, Empty>::default();
    let started = Instant::now();
    mark(marks.as_deref(), "first-line", now_ns());
    let call = grpc.client_streaming(
        tonic::Request::new(tokio_stream::iter(requests)),
        PathAndQuery::from_static(ADD_PATH_STREAM),
        codec,
    );
    tokio::time::timeout(limit, call)
        .await
        .map_err(|_| anyhow!("AddPathStream did not finish within {limit:?}"))?
        .map_err(|status| anyhow!("AddPathStream: {status}"))?;
    mark(marks.as_deref(), "done", now_ns());
    println!(
        "routes={n}\nrequests={}\nseconds={:.3}",
        n.div_ceil(batch),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Connects to GoBGP's API at `addr`, retrying while it is not listening yet (at most
/// `limit`).
async fn connect(addr: &str, limit: Duration) -> Result<tonic::transport::Channel> {
    let endpoint = Endpoint::from_shared(format!("http://{addr}"))
        .with_context(|| format!("--api {addr}"))?
        .tcp_nodelay(true);
    let start = Instant::now();
    loop {
        match endpoint.connect().await {
            Ok(channel) => return Ok(channel),
            Err(e) if start.elapsed() > limit => {
                return Err(anyhow::Error::new(e)
                    .context(format!("cannot connect to GoBGP's API at {addr}")))
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

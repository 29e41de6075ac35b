//! Adj-RIB-Out: 100k IPv4 routes sharing one attribute set inserted the way the runtime
//! does (intern + announce), then drained into encoded UPDATEs (`pending` → bytes).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use herald_bench::fixtures::{fill_rib, nlri_v4, out_ctx};
use rib::AdjRibOut;

const ROUTES: u64 = 100_000;

fn rib(c: &mut Criterion) {
    let nlri = nlri_v4(ROUTES);
    let ctx = out_ctx();
    let mut group = c.benchmark_group("rib");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROUTES));
    group.bench_function("rib_insert_100k", |b| {
        b.iter_batched(
            AdjRibOut::new,
            |mut rib| {
                fill_rib(&mut rib, &nlri);
                rib
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("rib_insert_and_drain_100k", |b| {
        b.iter_batched(
            AdjRibOut::new,
            |mut rib| {
                fill_rib(&mut rib, &nlri);
                let (messages, _) = rib.drain(&ctx);
                (rib, messages)
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("rib_drain_100k", |b| {
        b.iter_batched(
            || {
                let mut rib = AdjRibOut::new();
                fill_rib(&mut rib, &nlri);
                rib
            },
            |mut rib| {
                let (messages, _) = rib.drain(&ctx);
                (rib, messages)
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, rib);
criterion_main!(benches);

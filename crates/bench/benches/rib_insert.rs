//! Adj-RIB-Out: 100k IPv4 routes sharing one attribute set inserted the way the runtime
//! does (intern + announce), then drained into encoded UPDATEs (`pending` → bytes).
//! Adj-RIB-In: 100k and 1M routes applied from UPDATEs of 800. Each in address order
//! (how helpers and peers send tables, which the tables' sorted runs take by appending)
//! and shuffled (the hash maps' case).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use herald_bench::fixtures::{fill_rib, nlri_v4, out_ctx, shuffled, updates_of};
use rib::{AdjRibIn, AdjRibOut};
use wire::Update;

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
    let random = shuffled(&nlri);
    group.bench_function("rib_insert_100k_shuffled", |b| {
        b.iter_batched(
            AdjRibOut::new,
            |mut rib| {
                fill_rib(&mut rib, &random);
                rib
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// Applies every UPDATE to a new Adj-RIB-In.
fn apply_all(updates: &[Update]) -> AdjRibIn {
    let mut rib = AdjRibIn::new();
    for update in updates {
        rib.apply(update);
    }
    rib
}

fn rib_in(c: &mut Criterion) {
    let mut group = c.benchmark_group("rib_in");
    group.sample_size(10);
    for (name, routes) in [("100k", 100_000u64), ("1M", 1_000_000)] {
        let nlri = nlri_v4(routes);
        let in_order = updates_of(&nlri);
        let random = updates_of(&shuffled(&nlri));
        group.throughput(Throughput::Elements(routes));
        group.bench_function(format!("rib_in_apply_{name}"), |b| {
            b.iter_batched(|| (), |()| apply_all(&in_order), BatchSize::PerIteration)
        });
        group.bench_function(format!("rib_in_apply_{name}_shuffled"), |b| {
            b.iter_batched(|| (), |()| apply_all(&random), BatchSize::PerIteration)
        });
    }
    group.finish();
}

criterion_group!(benches, rib, rib_in);
criterion_main!(benches);

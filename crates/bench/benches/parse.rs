//! API command parsing: one `announce route` line, and a batch of 10k lines (the shape of
//! scenario S1's helper output).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use herald_bench::routes::{announce_line, Fam};

fn parse(c: &mut Criterion) {
    let mut one = String::new();
    announce_line(&mut one, Fam::V4, 12345, 1);
    let one = one.trim_end().to_string();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(1));
    group.bench_function("announce_route_v4", |b| {
        b.iter(|| api::parse(black_box(&one)))
    });

    let mut batch = String::new();
    for i in 0..10_000 {
        announce_line(&mut batch, Fam::V4, i, 1);
    }
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("announce_route_v4_10k", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for line in black_box(&batch).lines() {
                ok += usize::from(api::parse(line).is_ok());
            }
            assert_eq!(ok, 10_000);
        })
    });

    let mut v6 = String::new();
    announce_line(&mut v6, Fam::V6, 12345, 1000);
    let v6 = v6.trim_end().to_string();
    group.throughput(Throughput::Elements(1));
    group.bench_function("announce_route_v6_med", |b| {
        b.iter(|| api::parse(black_box(&v6)))
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);

//! UPDATE encoding and decoding with herald-wire: one packed IPv4 UPDATE of 800 /32
//! prefixes (the message S1 and S2 move ~1,250 times per million routes).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use herald_bench::fixtures::{encode_ctx, packed_update, packed_update_bytes, PACKED_PREFIXES};
use wire::{DecodeCtx, Message};

fn update(c: &mut Criterion) {
    let message = Message::Update(packed_update());
    let bytes = packed_update_bytes();
    let ectx = encode_ctx();
    let dctx = DecodeCtx {
        asn4: true,
        ..DecodeCtx::default()
    };
    let mut group = c.benchmark_group("update");
    group.throughput(Throughput::Elements(u64::from(PACKED_PREFIXES)));
    group.bench_function("update_encode_800", |b| {
        let mut out = Vec::with_capacity(4096);
        b.iter(|| {
            out.clear();
            black_box(&message).encode(&ectx, &mut out)
        })
    });
    group.bench_function("update_decode_800", |b| {
        b.iter(|| Message::decode(black_box(&bytes), &dctx))
    });
    group.finish();
}

criterion_group!(benches, update);
criterion_main!(benches);

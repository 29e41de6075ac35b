//! ExaBGP JSON encoding of a received UPDATE of 800 /32 prefixes (what S2's helper reads).

use std::net::{IpAddr, Ipv4Addr};

use api::{Direction, Envelope, JsonEncoder, MessageEvent, NeighborInfo};
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use herald_bench::fixtures::{packed_update, PACKED_PREFIXES};
use wire::{Asn, Message};

fn json(c: &mut Criterion) {
    let message = Message::Update(packed_update());
    let peer = NeighborInfo {
        local_addr: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)),
        peer_addr: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)),
        local_as: Asn(65000),
        peer_as: Asn(65001),
        router_id: Some(Ipv4Addr::new(127, 0, 0, 1)),
    };
    let env = Envelope {
        time: 1_764_000_000.123_456,
        host: "bench",
        pid: 4242,
        ppid: 1,
        counter: 7,
    };
    let encoder = JsonEncoder::new(false);
    let event = MessageEvent::new(Direction::Receive, &message);
    let mut group = c.benchmark_group("json");
    group.throughput(Throughput::Elements(u64::from(PACKED_PREFIXES)));
    group.bench_function("json_encode_update_800", |b| {
        let mut out = String::with_capacity(64 * 1024);
        b.iter(|| {
            out.clear();
            encoder.message(&mut out, &env, &peer, black_box(&event))
        })
    });
    group.finish();
}

criterion_group!(benches, json);
criterion_main!(benches);

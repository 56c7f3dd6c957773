//! Decode throughput of the largest response type (MoneyKit's get_account) and of a Moov bank
//! account, typed against `serde_json::Value`, from the same bytes.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn decode(c: &mut Criterion) {
    for (name, bytes) in [
        ("moneykit_get_account", finapi_bench::MONEYKIT_ACCOUNT),
        ("moov_bank_account", finapi_bench::MOOV_BANK_ACCOUNT),
    ] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("typed", |b| match name {
            "moneykit_get_account" => b.iter(|| {
                serde_json::from_str::<moneykit_client::types::GetAccountResponse>(black_box(bytes))
                    .expect("decode")
            }),
            _ => b.iter(|| {
                serde_json::from_str::<moov_client::types::BankAccount>(black_box(bytes))
                    .expect("decode")
            }),
        });
        group.bench_function("value", |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(bytes)).expect("decode"))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = decode
}
criterion_main!(benches);

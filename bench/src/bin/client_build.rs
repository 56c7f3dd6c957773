//! The cost of building a client: `client_build [CLIENTS]` (default 50) builds that many Moov
//! clients one after another, then that many plain `reqwest::Client`s with rustls on ring (the
//! anchor: reqwest reads the system's CA roots for each), and prints one JSON line: for each,
//! the first build's time and the median and maximum of the others, in microseconds. The
//! first build pays for what a process does once; the others show what every client costs.

use std::time::Instant;

fn times(clients: usize, build: impl Fn()) -> (u128, u128, u128) {
    let mut times: Vec<u128> = (0..clients.max(2))
        .map(|_| {
            let started = Instant::now();
            build();
            started.elapsed().as_micros()
        })
        .collect();
    let first = times.remove(0);
    times.sort_unstable();
    (first, times[times.len() / 2], times[times.len() - 1])
}

fn main() {
    let clients: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let ours = times(clients, || {
        let client = moov_client::Client::builder()
            .basic_auth("pk", "sk")
            .build()
            .expect("client");
        drop(client);
    });
    // The runtime has installed ring as the process's provider by now.
    let anchor = times(clients, || {
        let client = reqwest::Client::builder()
            .tls_backend_rustls()
            .build()
            .expect("reqwest client");
        drop(client);
    });
    println!(
        "{{\"clients\":{clients},\"ours\":{{\"first_us\":{},\"median_us\":{},\"max_us\":{}}},\"reqwest\":{{\"first_us\":{},\"median_us\":{},\"max_us\":{}}}}}",
        ours.0, ours.1, ours.2, anchor.0, anchor.1, anchor.2
    );
}

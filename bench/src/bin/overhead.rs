//! Request overhead: the generated Moov client against a hand-written reqwest + serde call,
//! both sending linkBankAccount to the same loopback server (a child process, so that only the
//! clients' allocations are counted), interleaved in rounds (generated then hand-written, then
//! the other way round, ...) so that drift on a shared machine falls on both alike. Prints one
//! JSON line: per client the median requests per second over the rounds and allocations per
//! request, split by the phase of the call they happen in (the runtime's `probe` marks); per
//! round the ratio generated / hand-written, as median, min and max.
//!
//! `overhead [ROUNDS] [REQUESTS]` (default 15 rounds of 10000 requests per client, after 1000
//! warm-up requests each). `overhead ROUNDS REQUESTS generated|hand` runs one client alone and
//! prints nothing: a process to profile (`perf record`, `perf stat`) one client at a time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::Instant;

use finapi_runtime::probe::Phase;

struct Counting;

/// The phases allocations are counted in: the runtime's, then `OTHER` (outside a call).
const PHASES: [&str; 8] = [
    "span", "build", "hooks", "send", "collect", "decode", "done", "other",
];
const OTHER: u8 = 7;
static PHASE: AtomicU8 = AtomicU8::new(OTHER);
static ALLOCATIONS: [AtomicU64; 8] = [const { AtomicU64::new(0) }; 8];

fn count() {
    let phase = PHASE.load(Ordering::Relaxed) as usize;
    ALLOCATIONS[phase].fetch_add(1, Ordering::Relaxed);
}

fn enter(phase: Phase) {
    PHASE.store(phase as u8, Ordering::Relaxed);
}

fn counts() -> [u64; 8] {
    std::array::from_fn(|i| ALLOCATIONS[i].load(Ordering::Relaxed))
}

// SAFETY: defers to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The server: answers every request on a keep-alive connection with the bank account.
fn serve() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    println!("{}", listener.local_addr().expect("addr").port());
    std::io::stdout().flush().expect("flush");
    let body = finapi_bench::MOOV_BANK_ACCOUNT;
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-request-id: 2b9c5f7e-1f43-4a8e-9d7a-0d5f5b1c2e3a\r\n\r\n{body}",
        body.len()
    );
    for stream in listener.incoming() {
        let Ok(stream) = stream else { break };
        let response = response.clone();
        std::thread::spawn(move || {
            let mut writer = stream.try_clone().expect("clone");
            let mut reader = BufReader::new(stream);
            loop {
                let mut length = 0usize;
                let mut line = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err()
                    || writer.write_all(response.as_bytes()).is_err()
                {
                    return;
                }
            }
        });
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if std::env::args().nth(1).as_deref() == Some("serve") {
        serve();
        return;
    }
    let arg = |i: usize, default: u64| {
        std::env::args()
            .nth(i)
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let (rounds, requests) = (arg(1, 15).max(1), arg(2, 10_000).max(1));
    finapi_runtime::probe::set(enter);
    let mut server = Command::new(std::env::current_exe().expect("exe"))
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("server");
    let mut port = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut port)
        .expect("port");
    let base = format!("http://127.0.0.1:{}", port.trim());
    let account: uuid::Uuid = "456cb5b6-20dc-4585-97b4-745d013adb1f"
        .parse()
        .expect("uuid");

    let generated = moov_client::Client::builder()
        .base_url(&base)
        .basic_auth("pk_test", "sk_test")
        .build()
        .expect("client");
    let body =
        moov_client::types::LinkBankAccountRequest::MxPayload(moov_client::types::MxPayload {
            mx: moov_client::types::MxAuthorizationCode {
                authorization_code: "code".into(),
            },
        });
    let generated_call = || async {
        let r = generated
            .link_bank_account(&account, None, &body)
            .await
            .expect("call");
        assert!(r.request_id().is_some());
    };

    let hand = finapi_runtime::http_client_builder()
        .build()
        .expect("client");
    let url = format!("{base}/accounts/{account}/bank-accounts");
    let hand_body = serde_json::json!({"mx": {"authorizationCode": "code"}});
    // The same phases as the runtime marks, where the hand-written call has them.
    let hand_call = || async {
        enter(Phase::Build);
        let request = hand
            .post(&url)
            .basic_auth("pk_test", Some("sk_test"))
            .header("x-moov-version", "v2024.01.00")
            .json(&hand_body);
        enter(Phase::Send);
        let response = request.send().await.expect("send");
        enter(Phase::Collect);
        let request_id = response
            .headers()
            .get("x-request-id")
            .map(|v| v.to_str().map(str::to_owned));
        assert!(request_id.is_some());
        let bytes = response.bytes().await.expect("body");
        enter(Phase::Decode);
        let account: finapi_bench::HandBankAccount =
            serde_json::from_slice(&bytes).expect("decode");
        enter(Phase::Done);
        assert_eq!(account.bank_name, "Chase Bank");
    };

    // What moving one call's future copies (made, not polled).
    let future_bytes = (
        std::mem::size_of_val(&generated.link_bank_account(&account, None, &body)),
        std::mem::size_of_val(&hand_call()),
    );
    // One client alone, for a profiler: no output.
    let alone = std::env::args().nth(3);
    if let Some(client) = alone.as_deref() {
        for _ in 0..rounds * requests {
            match client {
                "generated" => generated_call().await,
                "hand" => hand_call().await,
                other => panic!("no client {other:?}: generated or hand"),
            }
        }
        let _ = server.kill();
        let _ = server.wait();
        return;
    }
    for _ in 0..1000 {
        generated_call().await;
        hand_call().await;
    }
    let (mut g, mut h) = (Run::default(), Run::default());
    for round in 0..rounds {
        if round % 2 == 0 {
            g.round(requests, &generated_call).await;
            h.round(requests, &hand_call).await;
        } else {
            h.round(requests, &hand_call).await;
            g.round(requests, &generated_call).await;
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    let rps_ratios: Vec<f64> = g.rps.iter().zip(&h.rps).map(|(g, h)| g / h).collect();
    let alloc_ratios: Vec<f64> = g
        .allocs_per_request
        .iter()
        .zip(&h.allocs_per_request)
        .map(|(g, h)| g / h)
        .collect();
    println!(
        "{}",
        serde_json::json!({
            "rounds": rounds,
            "requests_per_round": requests,
            "generated": g.summary(requests, future_bytes.0),
            "hand": h.summary(requests, future_bytes.1),
            "ratio": {"rps": spread(rps_ratios), "allocs": spread(alloc_ratios)},
        })
    );
}

/// One client's rounds: requests per second and allocations per request of each, the
/// allocations of all rounds by phase, and the CPU time the client's thread spent.
#[derive(Default)]
struct Run {
    rps: Vec<f64>,
    allocs_per_request: Vec<f64>,
    by_phase: [u64; 8],
    cpu_ns: Vec<Option<u64>>,
}

/// CPU time the main thread (the client's runtime) has run, in ns: Linux's
/// `/proc/thread-self/schedstat`; `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Run {
    async fn round<F, Fut>(&mut self, requests: u64, call: &F)
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = ()>,
    {
        let before = counts();
        let cpu_before = cpu_ns();
        let started = Instant::now();
        for _ in 0..requests {
            call().await;
            enter_other();
        }
        let elapsed = started.elapsed().as_secs_f64();
        let after = counts();
        let spent = cpu_before.zip(cpu_ns()).map(|(b, a)| a.saturating_sub(b));
        self.cpu_ns.push(spent);
        let mut total = 0;
        for (i, slot) in self.by_phase.iter_mut().enumerate() {
            *slot += after[i] - before[i];
            total += after[i] - before[i];
        }
        self.rps.push(requests as f64 / elapsed);
        self.allocs_per_request.push(total as f64 / requests as f64);
    }

    fn summary(&self, requests: u64, future_bytes: usize) -> serde_json::Value {
        let calls = (requests as usize * self.rps.len()) as f64;
        let phases: serde_json::Map<String, serde_json::Value> = PHASES
            .iter()
            .zip(self.by_phase)
            .map(|(name, n)| ((*name).to_owned(), (n as f64 / calls).into()))
            .collect();
        serde_json::json!({
            "rps": spread(self.rps.clone()),
            "allocs_per_request": self.by_phase.iter().sum::<u64>() as f64 / calls,
            "phases": phases,
            "cpu_us_per_request": self
                .cpu_ns
                .iter()
                .copied()
                .sum::<Option<u64>>()
                .map(|ns| ns as f64 / 1000.0 / calls),
            "future_bytes": future_bytes,
        })
    }
}

fn enter_other() {
    PHASE.store(OTHER, Ordering::Relaxed);
}

/// Median, min and max.
fn spread(mut values: Vec<f64>) -> serde_json::Value {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    serde_json::json!({"median": median, "min": values[0], "max": values[n - 1]})
}

//! Request overhead: the generated Moov client against a hand-written reqwest + serde call,
//! both sending linkBankAccount to the same loopback server (a child process, so that only the
//! clients' allocations are counted), in the same run. Prints one JSON line.
//!
//! `overhead [REQUESTS]` (default 20000, after 1000 warm-up requests each).

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: defers to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
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
    let requests: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
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
    let generated_run = measure(requests, || async {
        let r = generated
            .link_bank_account(&account, None, &body)
            .await
            .expect("call");
        assert!(r.request_id().is_some());
    })
    .await;

    let hand = finapi_runtime::http_client_builder()
        .build()
        .expect("client");
    let url = format!("{base}/accounts/{account}/bank-accounts");
    let hand_body = serde_json::json!({"mx": {"authorizationCode": "code"}});
    let hand_run = measure(requests, || async {
        let response = hand
            .post(&url)
            .basic_auth("pk_test", Some("sk_test"))
            .header("x-moov-version", "v2024.01.00")
            .json(&hand_body)
            .send()
            .await
            .expect("send");
        let request_id = response
            .headers()
            .get("x-request-id")
            .map(|v| v.to_str().map(str::to_owned));
        assert!(request_id.is_some());
        let bytes = response.bytes().await.expect("body");
        let account: finapi_bench::HandBankAccount =
            serde_json::from_slice(&bytes).expect("decode");
        assert_eq!(account.bank_name, "Chase Bank");
    })
    .await;
    let _ = server.kill();
    let _ = server.wait();
    println!(
        "{}",
        serde_json::json!({
            "requests": requests,
            "generated": {"rps": generated_run.0, "allocs_per_request": generated_run.1},
            "hand": {"rps": hand_run.0, "allocs_per_request": hand_run.1},
        })
    );
}

/// (requests per second, allocations per request) of `requests` sequential calls.
async fn measure<F, Fut>(requests: u64, call: F) -> (f64, f64)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for _ in 0..1000 {
        call().await;
    }
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let started = Instant::now();
    for _ in 0..requests {
        call().await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    (
        requests as f64 / elapsed,
        allocations as f64 / requests as f64,
    )
}

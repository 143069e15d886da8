//! `callback-receiver`: a callback server that verifies OSS callback signatures (with libossrs's
//! `CallbackVerifier`) and logs each callback as a JSON line. The first stdout line is the port.
//!
//! Flags (also in `--help`): `--port N`, `--allow-key-prefix P` (repeatable), `--status N`,
//! `--reply BODY`, `--reply-content-type T`, `--delay-ms N`, `--fail-rate F` (fraction of
//! callbacks answered 500), `--seed N` (seeds the `--fail-rate` draws), `--log FILE`.

use oss_emulator::{CallbackReceiver, ReceiverConfig};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const HELP: &str = "\
callback-receiver: records and verifies OSS upload callbacks with libossrs's verifier
(listens on 127.0.0.1 only)

USAGE: callback-receiver [OPTIONS]

OPTIONS:
  --port N                 port to listen on; 0 picks a free one (default 0)
  --allow-key-prefix P     accepted x-oss-pub-key-url prefix: http:// or https:// and
                           a whole host (http://127.0.0.1: admits any port); repeatable
                           (default: http://gosspublic.alicdn.com/ and
                           https://gosspublic.alicdn.com/; giving any replaces them)
  --status N               HTTP status to answer (default 200)
  --reply BODY             body to answer (default {\"Status\":\"OK\"}); need not be
                           JSON: OSS then fails the upload with 203 CallbackFailed
  --reply-content-type T   Content-Type of the answer (default application/json);
                           e.g. --reply OK --reply-content-type text/plain
  --delay-ms N             wait before answering (default 0); past the emulator's
                           callback timeout (5000 ms by default) OSS answers 203
  --fail-rate F            fraction 0.0-1.0 of callbacks answered 500 (plain text)
                           instead of the reply (default 0)
  --seed N                 seed of the --fail-rate draws, for reproducible runs
                           (default 0)
  --log FILE               append one JSON line per callback to FILE
  -h, --help               print this help

The first stdout line is the port; then each callback is printed as one JSON line:
{\"method\",\"path\",\"query\",\"headers\":{..},\"body\",\"pub_key_url\",\"signature_valid\",\"error\",
 \"reply_status\"}";

fn parse_args(args: &[String]) -> Result<ReceiverConfig, String> {
    let mut cfg = ReceiverConfig { echo_stdout: true, ..ReceiverConfig::default() };
    let mut prefixes = Vec::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => cfg.port = value()?.parse().map_err(|_| "--port needs a number 0-65535")?,
            "--allow-key-prefix" => prefixes.push(value()?),
            "--status" => cfg.reply_status = value()?.parse().map_err(|_| "--status needs a number")?,
            "--reply" => cfg.reply_body = value()?,
            "--reply-content-type" => cfg.reply_content_type = value()?,
            "--fail-rate" => {
                cfg.fail_rate = value()?
                    .parse()
                    .ok()
                    .filter(|r| (0.0..=1.0).contains(r))
                    .ok_or("--fail-rate needs a number between 0.0 and 1.0")?;
            }
            "--seed" => cfg.seed = value()?.parse().map_err(|_| "--seed needs a number")?,
            "--delay-ms" => {
                let ms: u64 = value()?.parse().map_err(|_| "--delay-ms needs a number")?;
                cfg.delay = Duration::from_millis(ms);
            }
            "--log" => cfg.log_path = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument '{other}' (see --help)")),
        }
    }
    if !prefixes.is_empty() {
        cfg.allowed_key_url_prefixes = prefixes;
    }
    Ok(cfg)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let cfg = match parse_args(&args) {
        Ok(cfg) => cfg,
        Err(e) => {
            eprintln!("callback-receiver: {e}");
            return ExitCode::from(2);
        }
    };
    let receiver = match CallbackReceiver::start(cfg) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("callback-receiver: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", receiver.port()).and_then(|()| out.flush());
    drop(out);
    loop {
        std::thread::park();
    }
}

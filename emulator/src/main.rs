//! `oss-emulator`: runs the OSS emulator until killed. The first stdout line is the port.
//!
//! Flags (also in `--help`): `--port N`, `--data-dir DIR`, `--bucket NAME` (repeatable),
//! `--key ID:SECRET` (repeatable), `--sts ID:SECRET:TOKEN` (repeatable), `--region R`,
//! `--callback-timeout-ms N`, `--log FILE`, and for fault injection `--fault SPEC`
//! (repeatable; a rule as comma-separated `key=value` pairs, the keys of the JSON form of
//! `PUT /__emulator/faults`) and `--fault-seed N` (the RNG seed, default 0).

use oss_emulator::{Credential, Emulator, EmulatorConfig, FaultRule};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const HELP: &str = "\
oss-emulator: a local Alibaba Cloud OSS stand-in (listens on 127.0.0.1 only)

USAGE: oss-emulator [OPTIONS]

OPTIONS:
  --port N                  port to listen on; 0 picks a free one (default 0)
  --data-dir DIR            where objects are stored; existing objects there are
                            served again (default: a fresh directory under the
                            system temp dir, left behind when the process is
                            killed)
  --bucket NAME             a bucket to serve; repeatable (default: bkt)
  --key ID:SECRET           an accepted access key; repeatable
                            (default: AKIDEXAMPLE:SECRETEXAMPLE when neither
                            --key nor --sts is given)
  --sts ID:SECRET:TOKEN     an access key that requires x-oss-security-token
                            TOKEN; repeatable
  --region R                region V4 signatures must name (default cn-hangzhou)
  --callback-timeout-ms N   bound on each upload callback attempt, connect +
                            reply (default 5000)
  --log FILE                append one JSON line per request to FILE
  --fault SPEC              inject a fault; repeatable, rules are tried in order
                            and the first that fires decides (see FAULTS)
  --fault-seed N            seed of the fault RNG, for reproducible runs (default 0)
  -h, --help                print this help

FAULTS: SPEC is comma-separated key=value pairs:
  fault=KIND                error | lose_response_after_commit | reset | delay |
                            malformed (required)
  rate=F                    probability 0.0-1.0 that a matching request is hit
                            (default 1.0)
  limit=N                   at most N injections by this rule (default unlimited)
  method=M                  only requests with this HTTP method
  operation=OP              only this operation: PutObject, GetObject, HeadObject,
                            DeleteObject, InitiateMultipartUpload, UploadPart,
                            CompleteMultipartUpload, AbortMultipartUpload,
                            ListParts, ListMultipartUploads
  query_contains=S          only requests whose raw query contains S
  status=500|503|429        error, lose_response_after_commit: the error answered
                            (InternalError, ServiceUnavailable, TooManyRequests;
                            default 500)
  reset=true                lose_response_after_commit: reset the connection
                            instead of answering an error
  after_bytes=N             reset: body bytes read before the reset (default half
                            the Content-Length, 0 for chunked bodies)
  ms=N                      delay: milliseconds to wait before answering
  how=truncate|unterminated malformed: cut a 200 answer's body in half, or right
                            after the opening tag of its last leaf (default
                            truncate)
  error: the operation does not run, OSS error XML is answered instead.
  lose_response_after_commit: the operation runs (object stored, callback POSTed),
  then its answer is lost. reset: part of the body is read, then the connection is
  reset (RST) without an answer; nothing is stored. delay: the operation runs, the
  answer waits. Only authenticated OSS operations are faulted.
  Example: --fault fault=error,status=503,operation=UploadPart,rate=0.3,limit=5

The first line written to stdout is the chosen port number alone.
Private endpoints (no auth, never faulted):
  GET  /__emulator/callback_pub_key_v1.pem   the callback public key
  GET|PUT|DELETE /__emulator/faults          the fault rules as JSON:
       {\"seed\":N,\"rules\":[{\"fault\":\"error\",\"status\":503,...}]}
  GET  /__emulator/stats                     OSS requests received, faults
       injected by kind and callbacks POSTed per object/upload";

fn parse_args(args: &[String]) -> Result<EmulatorConfig, String> {
    let mut cfg = EmulatorConfig::default();
    let (mut buckets, mut keys) = (Vec::new(), Vec::new());
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => cfg.port = value()?.parse().map_err(|_| "--port needs a number 0-65535")?,
            "--data-dir" => cfg.data_dir = Some(PathBuf::from(value()?)),
            "--bucket" => buckets.push(value()?),
            "--key" => {
                let v = value()?;
                let (id, secret) = v.split_once(':').ok_or("--key needs ID:SECRET")?;
                keys.push(Credential::new(id, secret));
            }
            "--sts" => {
                let v = value()?;
                let mut parts = v.splitn(3, ':');
                let (Some(id), Some(secret), Some(token)) = (parts.next(), parts.next(), parts.next()) else {
                    return Err("--sts needs ID:SECRET:TOKEN".into());
                };
                keys.push(Credential { id: id.into(), secret: secret.into(), sts_token: Some(token.into()) });
            }
            "--region" => cfg.region = value()?,
            "--callback-timeout-ms" => {
                let ms: u64 = value()?.parse().map_err(|_| "--callback-timeout-ms needs a number")?;
                cfg.callback_timeout = Duration::from_millis(ms);
            }
            "--log" => cfg.log_path = Some(PathBuf::from(value()?)),
            "--fault" => {
                let spec = value()?;
                cfg.faults.rules.push(FaultRule::parse_spec(&spec).map_err(|e| format!("--fault {spec}: {e}"))?);
            }
            "--fault-seed" => cfg.faults.seed = value()?.parse().map_err(|_| "--fault-seed needs a number")?,
            other => return Err(format!("unknown argument '{other}' (see --help)")),
        }
    }
    if !buckets.is_empty() {
        cfg.buckets = buckets;
    }
    if !keys.is_empty() {
        cfg.keys = keys;
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
            eprintln!("oss-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let emulator = match Emulator::start(cfg) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("oss-emulator: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", emulator.port()).and_then(|()| out.flush());
    drop(out);
    loop {
        std::thread::park();
    }
}

//! `oss-emulator`: runs the OSS emulator until killed. The first stdout line is the port.

use oss_emulator::{Credential, Emulator, EmulatorConfig};
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
  -h, --help                print this help

The first line written to stdout is the chosen port number alone.
The callback public key is served at /__emulator/callback_pub_key_v1.pem.";

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

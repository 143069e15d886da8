#!/usr/bin/env python3
"""The ossrs benchmark (`make bench` -> bench/run.sh -> this file). Python 3 standard library only.

The servers on 127.0.0.1 (emulator + callback receiver, and the nginx discard sink over HTTP and HTTPS) get the
workloads of bench/workloads.py; each client runs under the measurement of bench/harness.py; the targets are judged
and BENCHMARKS.md (BENCH_OUT) is written by bench/report.py; missed targets are profiled by bench/profiling.py.
bench/README.md lists the workloads and the knobs (environment variables, read in harness.py).
"""

import datetime
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no bench/__pycache__

import profiling  # noqa: E402
import report  # noqa: E402
import workloads  # noqa: E402
from harness import (BUCKET, FILE_MB, KEY_ID, KEY_SECRET, LIB, MIB, OUT, PROCS, PROFILE, RELEASE, ROOT,  # noqa: E402
                     TMPBASE, BenchError, Server, background_load, busiest, children_of, log, machine, start_nginx,
                     start_with_port_line)

CC = ["cc", "-O2", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Iinclude", "bench/bench_client.c",
      "-o", "bench_client", "-Ltarget/release", "-lossrs"]  # and -Wl,-rpath to target/release

# The servers in the order they are measured, and the workloads each gets.
PLAN = [("sink", (workloads.w1, workloads.w2)), ("sink-tls", (workloads.w2,)), ("sink", (workloads.w4,)),
        ("emulator", (workloads.w1, workloads.w2, workloads.w5))]


def check_prerequisites():
    for exe in (LIB, RELEASE / "oss-emulator", RELEASE / "callback-receiver"):
        if not exe.exists():
            raise BenchError("%s is missing: run `cargo build --release --workspace` (bench/run.sh does)" % exe)
    for tool in ("nginx", "php-fpm8.2", "wrk", "php", "md5sum", "cc", "openssl", "/usr/bin/time"):
        if shutil.which(tool) is None:
            raise BenchError("%s is not installed (bench/run.sh installs it with apt-get)" % tool)


def random_file(path):
    """FILE_MB MiB of random bytes, read once into the page cache: every run reads it from memory."""
    with open(path, "wb") as f:
        for _ in range(FILE_MB):
            f.write(os.urandom(MIB))
    with open(path, "rb") as f:
        while f.read(16 * MIB):
            pass
    return path


def start_servers(b, work):
    receiver, cb_port = start_with_port_line(
        "callback-receiver", [str(RELEASE / "callback-receiver"), "--port", "0", "--allow-key-prefix",
                              "http://127.0.0.1:"], work)
    b.callback_url = "http://127.0.0.1:%d" % cb_port
    emulator, emu_port = start_with_port_line(
        "oss-emulator", [str(RELEASE / "oss-emulator"), "--port", "0", "--data-dir", str(work / "oss-data"),
                         "--bucket", BUCKET, "--key", "%s:%s" % (KEY_ID, KEY_SECRET)], work)
    nginx, port, tls_port, ngx_dir, ca = start_nginx(TMPBASE)
    time.sleep(0.2)
    nginx_pids = [nginx.pid] + children_of(nginx.pid)
    for server in (Server("sink", port, nginx_pids, status_port=port),
                   Server("sink-tls", tls_port, nginx_pids, ca, port),
                   Server("emulator", emu_port, [emulator.pid, receiver.pid])):
        b.servers[server.name] = server
    log("   sink (nginx, %d worker) on 127.0.0.1:%d and https://127.0.0.1:%d, emulator on 127.0.0.1:%d, callback "
        "receiver on 127.0.0.1:%d" % (len(nginx_pids) - 1, port, tls_port, emu_port, cb_port))
    return ngx_dir


def main():
    started = datetime.datetime.now(datetime.timezone.utc)
    t_start = time.monotonic()
    check_prerequisites()
    log("== machine")
    desc = machine()
    for k, v in desc:
        log("   %-14s %s" % (k, v))
    load_before = background_load()
    loadavg_before = open("/proc/loadavg").read().split()[:3]
    log("   other processes used %.2f of %d cores just before the run (load average %s)%s" % (
        load_before[0], os.cpu_count() or 0, " ".join(loadavg_before),
        ": " + busiest(load_before[1]) if busiest(load_before[1]) else ""))

    work = Path(tempfile.mkdtemp(prefix="ossrs-bench-", dir=TMPBASE))
    tmp_dirs = [work]
    try:
        log("== compiling bench/bench_client.c")
        client_exe = work / "bench_client"
        cc = [str(client_exe) if arg == "bench_client" else arg for arg in CC] + ["-Wl,-rpath," + str(RELEASE)]
        subprocess.run(cc, cwd=str(ROOT), check=True, timeout=120)
        log("== creating a %d MiB random file" % FILE_MB)
        b = workloads.Bench(work, client_exe, random_file(work / "upload.bin"))
        b.extra["cc"] = " ".join(CC)
        log("== starting the servers")
        tmp_dirs.append(start_servers(b, work))

        for name, runs in PLAN:
            server = b.servers[name]
            PROCS.cpu_pids = server.pids
            for workload in runs:
                workload(b, server)
        PROCS.cpu_pids = b.servers["sink"].pids
        callbacks = (work / "callback-receiver.out").read_text(errors="replace").splitlines()[1:]
        valid = sum(1 for l in callbacks if '"signature_valid":true' in l.replace(" ", ""))
        b.extra["callbacks"] = (len(callbacks), valid)

        targets = report.judge(b)
        profiles = []
        if PROFILE and any(not t.ok for t in targets):
            profiles = profiling.run_profiles(b, targets)
        load_after = background_load()
        text = report.render(b, desc, targets, profiles, started, time.monotonic() - t_start, load_before,
                             loadavg_before, load_after)
        print(text)
        OUT.write_text(text)
        log("== wrote %s" % OUT)
    finally:
        PROCS.stop()
        for d in tmp_dirs:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    def _term(signum, frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, _term)
    try:
        main()
    except BenchError as e:
        log("bench failed: %s" % e)
        sys.exit(1)
    except KeyboardInterrupt:
        log("bench interrupted")
        sys.exit(130)

"""Profiles of the clients behind missed targets, on smaller runs against the sink: `perf stat` and `perf record`
(hardware events when this machine's perf counts instructions, software events otherwise) and, without an
instruction counter, `valgrind --tool=callgrind`. When a W2 target is missed, the W2 loops also run once more while
a spinning process keeps the second core busy (the rates go into the report as they are)."""

import re
import shutil
import subprocess
import sys
import time

from harness import (CALLGRIND_MB, CALLGRIND_REQUESTS, FILE_MB, MIB, PROFILE_MB, ROOT, W2_COUNT, WRK_SECONDS, log,
                     measure)
from workloads import w1_commands, w2_commands, wrk_command, wrk_rate

# target key (report.judge) -> the clients profiled when it is missed
PROFILE_PLAN = {
    "w1b2_md5": ["w1b2"],
    "w1b2_oss2": ["w1b2"],
    "w1a_md5": ["w1a"],
    "w2c_wrk": ["w2c"],
    "w2php_wrk": ["w2c", "w2php"],
    "w2c_oss2": ["w2c"],
    "w2php_oss2": ["w2c", "w2php"],
    "w3a": ["w1a"],
}

TITLES = {
    "w1b2": "W1 (b) C oss_upload_file, parallelism 2",
    "w1c": "W1 (c) oss2 multipart",
    "w1a": "W1 (a) seed multipart sample through PHP FFI",
    "w1d": "W1 (d) md5sum",
    "w2c": "W2 C oss_put_object_with_callback loop",
    "w2php": "W2 PHP FFI putObject loop",
    "w2oss2": "W2 oss2 put_object loop",
}


def perf_usable():
    """(perf counts instructions here, perf has software events here): in many VMs only software events work."""
    try:
        p = subprocess.run(["perf", "stat", "-x,", "-e", "instructions", "true"], capture_output=True, text=True,
                           timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False, False
    counted = p.returncode == 0 and re.search(r"^\d+,", p.stderr, re.M) is not None
    try:
        q = subprocess.run(["perf", "stat", "-x,", "-e", "task-clock", "true"], capture_output=True, text=True,
                           timeout=30)
        software = q.returncode == 0 and "task-clock" in q.stderr
    except (OSError, subprocess.TimeoutExpired):
        software = False
    return counted, software


def perf_stat(cmd, env, events, timeout):
    p = subprocess.run(["perf", "stat", "-x,", "-e", ",".join(events), "--"] + cmd, env=env, cwd=str(ROOT),
                       capture_output=True, text=True, timeout=timeout)
    values = {}
    for line in p.stderr.splitlines():
        parts = line.split(",")
        if len(parts) > 3 and parts[2].split(":")[0] in events:
            try:
                values[parts[2].split(":")[0]] = float(parts[0])
            except ValueError:
                values[parts[2].split(":")[0]] = None
    return values


def perf_record(cmd, env, timeout, data_path, event):
    """(self time by symbol: [(%, object, symbol)] of the rows >= 1.5 %, self time by object: [(%, object)])."""
    subprocess.run(["perf", "record", "-q", "-F", "997", "-e", event, "-o", str(data_path), "--"] + cmd, env=env,
                   cwd=str(ROOT), capture_output=True, timeout=timeout)
    p = subprocess.run(["perf", "report", "-i", str(data_path), "--stdio", "--no-children", "--sort", "dso,sym",
                        "--percent-limit", "1.5"], capture_output=True, text=True, timeout=300)
    rows = []
    for line in p.stdout.splitlines():
        m = re.match(r"^\s+([0-9.]+)%\s+(\S+)\s+\[([.k])\]\s+(.*)$", line)
        if m:
            rows.append((float(m.group(1)), m.group(2), m.group(4).strip()))
    q = subprocess.run(["perf", "report", "-i", str(data_path), "--stdio", "--no-children", "--sort", "dso"],
                       capture_output=True, text=True, timeout=300)
    by_dso = []
    for line in q.stdout.splitlines():
        m = re.match(r"^\s+([0-9.]+)%\s+(\S+)\s*$", line)
        if m and float(m.group(1)) >= 0.5:
            by_dso.append((float(m.group(1)), m.group(2)))
    return rows[:14], by_dso


def callgrind(cmd, env, timeout, out_path):
    """(total instructions, [(% of them, function)] of the top functions by self cost), (None, []) on failure."""
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=%s" % out_path] + cmd, env=env,
                   cwd=str(ROOT), capture_output=True, timeout=timeout)
    if not out_path.exists():
        return None, []
    p = subprocess.run(["callgrind_annotate", "--inclusive=no", str(out_path)], capture_output=True, text=True,
                       timeout=300)
    total = None
    rows = []
    for line in p.stdout.splitlines():
        m = re.match(r"^\s*([0-9,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS", line)
        if m:
            total = int(m.group(1).replace(",", ""))
        m = re.match(r"^\s*([0-9,]+)\s+\(\s*([0-9.]+)%\)\s+(.+?)\s*$", line)
        if m and "PROGRAM TOTALS" not in line and total is not None:
            name = re.sub(r"\s+\[[^\]]*\]$", "", m.group(3))
            rows.append((float(m.group(2)), shorten(name)))
    return total, rows[:12]


def shorten(name, width=110):
    name = re.sub(r"^\?\?\?:", "", name)
    return name if len(name) <= width else name[:width - 1] + "…"


def head_of(upload_file, path, mb):
    """The first `mb` MiB of the benchmark's file, as `path`."""
    with open(upload_file, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read(mb * MIB))
    return path


def busy_core_check(b):
    """wrk, C and PHP FFI W2 rates against the sink while a spinning process keeps the second core busy."""
    log("   W2 check: the same loops while a spinning process keeps the second core busy")
    sink = b.servers["sink"]
    commands = dict((k, (cmd, env)) for k, cmd, env in w2_commands(b, sink, W2_COUNT, "-busy"))
    checks = [("wrk -t1 -c1 (limit)",) + wrk_command(b, sink, b.extra["wrk_path"]),
              ("C",) + commands["c"], ("PHP FFI",) + commands["php"]]
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
    rates = []
    try:
        time.sleep(0.3)
        for name, cmd, env in checks:
            run = measure("W2 busy-core check " + name, cmd, env, WRK_SECONDS + 120,
                          b.work / ("w2busy-%d.out" % len(rates)))
            if name.startswith("wrk"):
                rate = wrk_rate(run.out)
                rps = rate[0] if rate else None
            else:
                rps = W2_COUNT / run.elapsed if run.elapsed else None
            rates.append((name, rps))
            log("      %-22s %9.0f requests/s" % (name, rps or 0))
    finally:
        spinner.kill()
        spinner.wait(10)
    return rates


def run_profiles(b, targets):
    """Profiles of the clients behind the missed targets: [{label, title, size, stat, stat_wall, record, by_dso,
    callgrind}], and b.extra["w2busy"] when a W2 target is missed."""
    counted, software = perf_usable()
    log("== profiling the missed targets on smaller runs (perf counts instructions: %s; software events: %s)" % (
        "yes" if counted else "no", "yes" if software else "no"))
    mb, cmb = min(PROFILE_MB, FILE_MB), min(CALLGRIND_MB, FILE_MB)
    small = head_of(b.upload_file, b.work / "profile.bin", mb)
    tiny = head_of(b.upload_file, b.work / "callgrind.bin", cmb)
    w2_small = max(50, min(W2_COUNT, CALLGRIND_REQUESTS))
    missed = [t.key for t in targets if not t.ok]
    wanted = []
    for key in missed:
        for label in PROFILE_PLAN.get(key, []):
            if label not in wanted:
                wanted.append(label)
    sink = b.servers["sink"]

    def command(label, path, count):
        if label.startswith("w1"):
            items = w1_commands(b, sink, path)
        else:
            items = w2_commands(b, sink, count, "-prof")
        return next((cmd, env) for key, cmd, env in items if key == label[2:])

    if any(key.startswith("w2") for key in missed):
        b.extra["w2busy"] = busy_core_check(b)
    profiles = []
    for label in wanted:
        is_w1 = label.startswith("w1")
        cmd, env = command(label, small, W2_COUNT)
        size_text = ("%d MiB file" % mb) if is_w1 else ("%d requests" % W2_COUNT)
        prof = {"label": label, "title": TITLES[label], "size": size_text}
        log("   %s (%s)" % (TITLES[label], size_text))
        events = ["task-clock", "context-switches", "cpu-migrations", "page-faults"]
        if counted:
            events += ["instructions", "cycles"]
        if software or counted:
            t0 = time.perf_counter()
            prof["stat"] = perf_stat(cmd, env, events, 600)
            prof["stat_wall"] = time.perf_counter() - t0
            prof["record"], prof["by_dso"] = perf_record(cmd, env, 600, b.work / ("perf-%s.data" % label),
                                                         "cycles" if counted else "cpu-clock")
        if not counted and shutil.which("valgrind"):
            ccmd, cenv = command(label, tiny, w2_small)
            csize = ("%d MiB file" % cmb) if is_w1 else ("%d requests" % w2_small)
            log("      callgrind (%s)" % csize)
            try:
                total, rows = callgrind(ccmd, cenv, 900, b.work / ("callgrind-%s.out" % label))
            except subprocess.TimeoutExpired:
                total, rows = None, []
            prof["callgrind"] = (csize, total, rows)
        profiles.append(prof)
    return profiles

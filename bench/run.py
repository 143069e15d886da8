#!/usr/bin/env python3
"""The ossrs benchmark (`make bench` -> bench/run.sh -> this file). Python 3 standard library only.

Two servers on 127.0.0.1 get the same workloads:
  emulator  target/release/oss-emulator (+ callback-receiver, which the emulator calls for every upload callback)
  sink      Debian's nginx with bench/nginx.conf.in: reads and drops every body, answers like OSS
Workloads:
  W1  a random file (BENCH_FILE_MB, default 1024 MiB), 10 MiB parts, Content-MD5 per part, JSON callback on complete:
      (a) php-example/samples/multipart_callback.php unchanged, through PHP FFI, pointed at the server with http_proxy
      (b) oss_upload_file from bench/bench_client.c, parallelism 1, 2 and 4
      (c) the official Python SDK oss2 (bench/oss2_client.py)
      (d) the limit: md5sum of the file
      (e) OssClient::multiuploadFile through PHP FFI, parallelism 2 (bench/w1_multiupload.php)
  W2  BENCH_W2_COUNT (2000) PutObject-with-callback of 4 KiB, sequential: C, PHP FFI (bench/w2_put.php), oss2, and
      the limit wrk -t1 -c1 replaying the request libossrs sends (bench/wrk_put.lua)
  W3  peak RSS (ru_maxrss from wait4) of the W1 (a) and (b) processes
Every run is bounded in time; every figure is the best of BENCH_REPEAT runs (default 3; peak RSS: the largest;
W1 against the emulator: BENCH_EMULATOR_W1_REPEAT runs, default 1).
Targets are judged on the sink figures; missed ones are profiled on smaller runs (perf stat and perf record with
software events, and callgrind because this machine's perf has no instruction counter, or perf stat/record only
when it has). Results go to stdout and to BENCHMARKS.md (BENCH_OUT).

Environment: BENCH_FILE_MB, BENCH_REPEAT, BENCH_EMULATOR_W1_REPEAT, BENCH_W2_COUNT, BENCH_WRK_SECONDS (5),
BENCH_PROFILE (1; 0 skips the profiles), BENCH_PROFILE_MB (256), BENCH_CALLGRIND_MB (16), BENCH_CALLGRIND_REQUESTS
(2000), BENCH_OSS2_PYTHON (the virtualenv's python, set by run.sh), BENCH_OUT (BENCHMARKS.md), BENCH_TMPDIR (where
the temp dirs go).
"""

import base64
import datetime
import os
import platform
import pwd
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RELEASE = ROOT / "target" / "release"
LIB = RELEASE / "libossrs.so"
MIB = 1024 * 1024
PART_SIZE = 10 * MIB
W2_SIZE = 4096
KEY_ID = "LTAI5tBenchAccessKeyId"
KEY_SECRET = "BenchAccessKeySecretNeverLogged"
BUCKET = "bench-bucket"
TICKS = os.sysconf("SC_CLK_TCK")
PROXY_VARS = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy",
              "NO_PROXY")


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


FILE_MB = env_int("BENCH_FILE_MB", 1024)
REPEAT = max(1, env_int("BENCH_REPEAT", 3))
# W1 against the emulator writes every byte to disk twice (parts, then the assembled object): once by default.
EMU_W1_REPEAT = max(1, env_int("BENCH_EMULATOR_W1_REPEAT", 1))
W2_COUNT = env_int("BENCH_W2_COUNT", 2000)
WRK_SECONDS = env_int("BENCH_WRK_SECONDS", 5)
PROFILE = env_int("BENCH_PROFILE", 1)
PROFILE_MB = env_int("BENCH_PROFILE_MB", 256)
CALLGRIND_MB = env_int("BENCH_CALLGRIND_MB", 16)
CALLGRIND_REQUESTS = env_int("BENCH_CALLGRIND_REQUESTS", 2000)
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "BENCHMARKS.md")
OSS2_PYTHON = os.environ.get("BENCH_OSS2_PYTHON") or sys.executable
# Built by bench/run.sh: the W2 request replayed with bare reqwest (blocking, and async on the calling thread).
TRANSPORT_FLOOR = BENCH / "transport-floor" / "target" / "release" / "transport-floor"
TMPBASE = os.environ.get("BENCH_TMPDIR") or None


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------------
# Processes


def base_env():
    """The environment of every child: ours without proxy settings (http_proxy is set only where a run needs it)."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env["OSSRS_LIB"] = str(LIB)
    env["OSS_ACCESS_KEY_ID"] = KEY_ID
    env["OSS_ACCESS_KEY_SECRET"] = KEY_SECRET
    env["OSS_BUCKET"] = BUCKET
    env["LC_ALL"] = "C"
    return env


PF_KTHREAD = 0x00200000
BUSY_OTHERS = 0.25  # cores used by other processes above which a run counts as disturbed


def machine_jiffies():
    """user + nice + system jiffies of the whole machine (/proc/stat; irq and softirq time left out: the kernel
    books loopback packet processing there, which is work for our own traffic)."""
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:]
    return int(fields[0]) + int(fields[1]) + int(fields[2])


def scan_processes():
    """({pid: (jiffies, command)} of the live user-space processes that are neither this one nor its descendants,
    total jiffies of the kernel threads). Jiffies = utime + stime of the process itself."""
    stats, parent, kthreads = {}, {}, 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                data = f.read()
        except OSError:
            continue
        fields = data[data.rindex(")") + 2:].split()
        pid = int(name)
        parent[pid] = int(fields[1])
        jiffies = int(fields[11]) + int(fields[12])
        if int(fields[6]) & PF_KTHREAD:
            kthreads += jiffies
            continue
        stats[pid] = (jiffies, data[data.index("(") + 1:data.rindex(")")])
    me = os.getpid()
    ours = set()
    for pid in stats:
        p, seen = pid, 0
        while p > 1 and seen < 64:
            if p == me:
                ours.add(pid)
                break
            p, seen = parent.get(p, 0), seen + 1
    return {pid: v for pid, v in stats.items() if pid not in ours}, kthreads


class Others:
    """CPU that other processes used between start() and stop(): the machine's user+system time minus this
    benchmark's processes (client, servers, this driver) and the kernel threads; `by_name` names the live
    processes that used it (processes that start and end in between are counted in the total only)."""

    def start(self, servers_jiffies=0):
        self.t0 = time.monotonic()
        self.machine0 = machine_jiffies()
        self.procs0, self.kthreads0 = scan_processes()
        self.servers0 = servers_jiffies
        self.self0 = self_cpu_s()
        return self

    def stop(self, client_cpu_s=0.0, servers_jiffies=0):
        wall = time.monotonic() - self.t0
        procs1, kthreads1 = scan_processes()
        total = (machine_jiffies() - self.machine0 - (kthreads1 - self.kthreads0)
                 - (servers_jiffies - self.servers0)) / TICKS - client_cpu_s - (self_cpu_s() - self.self0)
        by_name = {}
        for pid, (jiffies, comm) in procs1.items():
            d = jiffies - self.procs0[pid][0] if pid in self.procs0 else jiffies
            if d > 0:
                by_name[comm] = by_name.get(comm, 0) + d / TICKS / wall
        return max(0.0, total) / wall, by_name


def self_cpu_s():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def proc_cpu_jiffies(pid):
    """utime + stime of a live process (all its threads), 0 when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            data = f.read()
    except OSError:
        return 0
    fields = data[data.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


class Run:
    """One finished, measured process."""

    def __init__(self, name, cmd, rc, wall, rss_kib, cpu, out, err, others, server_cpu):
        self.name, self.cmd, self.rc, self.wall = name, cmd, rc, wall
        self.rss_mib = rss_kib / 1024.0
        self.cpu = cpu
        self.out, self.err = out, err
        self.others = others  # CPU of other processes on the machine during the run, in cores
        self.server_cpu = server_cpu  # CPU of the server processes during the run, in cores
        m = re.search(r"elapsed_s=([0-9.]+)", out)
        self.elapsed = float(m.group(1)) if m else None


class Servers:
    """Every server process started by this run, stopped (by pid) at the end, also on failure."""

    def __init__(self):
        self.procs = []  # (name, Popen)
        self.cpu_pids = []  # pids whose CPU counts as "server" during a measured run

    def add(self, name, proc):
        self.procs.append((name, proc))

    def server_jiffies(self):
        return sum(proc_cpu_jiffies(pid) for pid in self.cpu_pids)

    def stop(self):
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                try:
                    proc.terminate()
                except OSError:
                    pass
        deadline = time.monotonic() + 5
        for name, proc in reversed(self.procs):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log("   %s (pid %d) did not stop on SIGTERM; killing it" % (name, proc.pid))
                proc.kill()
                proc.wait(5)
        self.procs = []


SERVERS = Servers()


def measure(name, cmd, env, timeout, stdout_path):
    """Runs cmd to completion (killed after `timeout` s) and returns a Run: wall time, peak RSS and CPU, output, and
    the CPU that the servers and all other processes used meanwhile.

    Peak RSS and CPU come from the rusage that GNU time gets from wait4 for its child: measured on a grandchild,
    because Linux carries a process's peak RSS across exec, so a child forked (or vforked) from this Python process
    would report at least this process's own peak RSS."""
    servers0 = SERVERS.server_jiffies()
    others_meter = Others().start(servers0)
    usage_path = str(stdout_path) + ".rusage"
    with open(stdout_path, "wb") as out, open(str(stdout_path) + ".err", "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M %U %S", "-o", usage_path] + cmd, env=env, cwd=str(ROOT),
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, _ = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    servers_now = SERVERS.server_jiffies()
    servers = servers_now - servers0
    usage = Path(usage_path).read_text(errors="replace").strip().splitlines() if os.path.exists(usage_path) else []
    m = re.match(r"^(\d+) ([0-9.]+) ([0-9.]+)$", usage[-1]) if usage else None
    rss_kib, client_cpu = (int(m.group(1)), float(m.group(2)) + float(m.group(3))) if m else (0, 0.0)
    others, others_by_name = others_meter.stop(client_cpu, servers_now)
    run = Run(name, cmd, proc.returncode, wall, rss_kib, client_cpu,
              Path(stdout_path).read_text(errors="replace"), Path(str(stdout_path) + ".err").read_text(errors="replace"),
              others, servers / TICKS / wall)
    run.others_by_name = others_by_name
    # Disturbed: other processes used more than BUSY_OTHERS cores, and more than 5 jiffies in all (short runs are
    # otherwise flagged by the 10 ms granularity of the CPU clocks alone).
    run.disturbed = others > BUSY_OTHERS and others * wall > 5.0 / TICKS
    run.sys_cpu = float(m.group(3)) if m else None
    if run.rc != 0 or not m:
        raise BenchError("%s failed (exit %s%s):\n%s\n%s" % (
            name, run.rc, ", killed after %d s" % timeout if run.rc == -signal.SIGKILL else "", run.out[-2000:],
            run.err[-2000:]))
    return run


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, name, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    raise BenchError("%s did not accept connections on 127.0.0.1:%d within %d s" % (name, port, seconds))


def start_with_port_line(name, cmd, work):
    """Starts a server whose first stdout line is its port (the emulator, the callback receiver)."""
    out_path, err_path = work / (name + ".out"), work / (name + ".err")
    out, err = open(out_path, "wb"), open(err_path, "wb")
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=base_env(), cwd=str(work))
    out.close()
    err.close()
    SERVERS.add(name, proc)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = out_path.read_text(errors="replace")
        if "\n" in text:
            port = int(text.split("\n", 1)[0].strip())
            wait_port(port, proc, name)
            return proc, port
        if proc.poll() is not None:
            break
        time.sleep(0.02)
    raise BenchError("%s did not start:\n%s" % (name, err_path.read_text(errors="replace")))


def start_nginx(tmp_root):
    """The discard sink: nginx in the foreground, unprivileged (user nobody when we are root), everything in a temp
    dir. Returns (master Popen, port, dir)."""
    ngx_dir = Path(tempfile.mkdtemp(prefix="ossrs-bench-nginx-", dir=tmp_root))
    (ngx_dir / "empty").mkdir()
    template = (BENCH / "nginx.conf.in").read_text()
    run_as = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        run_as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    for attempt in range(5):
        port = free_port()
        conf = template.replace("@DIR@", str(ngx_dir)).replace("@PORT@", str(port))
        (ngx_dir / "nginx.conf").write_text(conf)
        if run_as:
            for p in [ngx_dir] + list(ngx_dir.rglob("*")):
                os.chown(p, run_as["user"], run_as["group"])
        err_path = ngx_dir / "stderr"
        with open(err_path, "wb") as err:
            proc = subprocess.Popen(["nginx", "-p", str(ngx_dir), "-c", str(ngx_dir / "nginx.conf"),
                                     "-e", str(ngx_dir / "error.log")],
                                    stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, cwd=str(ngx_dir),
                                    env={"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin")}, **run_as)
        SERVERS.add("nginx", proc)
        if wait_port(port, proc, "nginx"):
            return proc, port, ngx_dir
        log("   nginx did not start on port %d (attempt %d): %s" % (
            port, attempt + 1, (ngx_dir / "error.log").read_text(errors="replace")[-500:] if (ngx_dir / "error.log").exists() else ""))
    raise BenchError("nginx did not start; see %s" % ngx_dir)


def children_of(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


# ---------------------------------------------------------------------------------------------------------------
# Machine description


def first_line(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "unavailable (%s)" % e
    text = (p.stdout + p.stderr).strip()
    return text.splitlines()[0].strip() if text else "unavailable"


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    oss2_version = first_line([OSS2_PYTHON, "-c",
                               "import importlib.util, oss2; print(oss2.__version__, '(CRC-64 by crcmod\\'s C extension)' "
                               "if importlib.util.find_spec('crcmod._crcfunext') else '(crcmod in pure Python)')"])
    return [
        ("CPU", "%s, %d cores (nproc %s)" % (cpu, os.cpu_count() or 0, first_line(["nproc"]))),
        ("memory", "%.1f GiB" % (mem_kib / 1024 / 1024)),
        ("kernel", "%s %s" % (platform.system(), platform.release())),
        ("rustc", first_line(["rustc", "--version"])),
        ("PHP", first_line(["php", "--version"])),
        ("nginx", first_line(["nginx", "-v"])),
        ("oss2", oss2_version),
        ("Python (oss2)", first_line([OSS2_PYTHON, "--version"])),
        ("wrk", first_line(["wrk", "-v"]).split(" Copyright")[0]),
        ("md5sum", first_line(["md5sum", "--version"])),
        ("C compiler", first_line(["cc", "--version"])),
        ("libossrs", "%s (target/release, cargo build --release --workspace)" % ossrs_version()),
    ]


def ossrs_version():
    m = re.search(r'#define OSSRS_VERSION "([^"]+)"', (ROOT / "include" / "ossrs.h").read_text())
    return m.group(1) if m else "?"


def background_load(seconds=2.0):
    """Cores used by other processes (other engineers' builds) during `seconds` while we run nothing."""
    meter = Others().start(SERVERS.server_jiffies())
    time.sleep(seconds)
    return meter.stop(0.0, SERVERS.server_jiffies())


# ---------------------------------------------------------------------------------------------------------------
# W2's limit: the request libossrs sends, captured once and replayed by wrk


def capture_put(client_exe, work, callback_url):
    """Runs `bench_client put 1 4096` against a one-shot local listener and returns (request line, headers, body)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(30)
    port = listener.getsockname()[1]
    captured = {}

    def serve():
        try:
            conn, _ = listener.accept()
        except OSError as e:
            captured["error"] = str(e)
            return
        with conn:
            conn.settimeout(30)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = [tuple(x.strip() for x in l.split(":", 1)) for l in lines[1:] if ":" in l]
            length = int(dict((k.lower(), v) for k, v in headers).get("content-length", "0"))
            if any(k.lower() == "expect" for k, _ in headers):
                conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            while len(rest) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                rest += chunk
            captured.update(request_line=lines[0], headers=headers, body=rest[:length])
            conn.sendall(b'HTTP/1.1 200 OK\r\nETag: "5B3C1A2E053D763E1B002CC607C5A0FE"\r\nx-oss-request-id: capture\r\n'
                         b'Content-Type: application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n'
                         b'{"Status":"OK"}')

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    env = base_env()
    env.update(OSS_ENDPOINT="http://127.0.0.1:%d" % port, OSS_OBJECT="w2/wrk", OSS_CALLBACK_URL=callback_url,
               OSS_CALLBACK_HOST="127.0.0.1")
    p = subprocess.run([str(client_exe), "put", "1", str(W2_SIZE)], env=env, capture_output=True, text=True, timeout=60)
    t.join(30)
    listener.close()
    if p.returncode != 0 or "request_line" not in captured:
        raise BenchError("capturing the W2 request failed: %s %s %s" % (p.stdout, p.stderr, captured.get("error")))
    method, path, _ = captured["request_line"].split(" ", 2)
    keep = [(k, v) for k, v in captured["headers"] if k.lower() not in ("host", "content-length", "connection")]
    (work / "wrk.headers").write_text("".join("%s: %s\n" % kv for kv in keep))
    (work / "wrk.body").write_bytes(captured["body"])
    return method, path, keep, captured["body"]


def replay_once(port, method, path, headers, body):
    """Sends the captured request once and returns the answer's status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % (method, path, port)
        head += "".join("%s: %s\r\n" % kv for kv in headers)
        head += "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        s.sendall(head.encode("latin-1") + body)
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return int(m.group(1)) if m else 0


# ---------------------------------------------------------------------------------------------------------------
# Workloads


class Bench:
    def __init__(self, work):
        self.work = work
        self.results = {}  # (server, item) -> list of Run
        self.server_port = {}
        self.notes = []
        self.extra = {}

    def record(self, server, item, run):
        self.results.setdefault((server, item), []).append(run)

    @staticmethod
    def eligible(runs):
        """Runs during which other processes stayed below BUSY_OTHERS cores (all runs when none did)."""
        calm = [r for r in runs if not r.disturbed]
        return calm or runs

    def best(self, server, item):
        runs = self.eligible(self.results.get((server, item), []))
        return min(runs, key=lambda r: r.wall) if runs else None

    def all_runs(self, server, item, fmt_run):
        return ", ".join(fmt_run(r) + ("*" if r.disturbed else "")
                         for r in self.results.get((server, item), []))

    def max_rss(self, server, item):
        runs = self.results.get((server, item), [])
        return max(r.rss_mib for r in runs) if runs else None

    def env_for(self, server, obj):
        env = base_env()
        env.update(OSS_ENDPOINT="http://127.0.0.1:%d" % self.server_port[server], OSS_OBJECT=obj,
                   OSS_CALLBACK_URL=self.callback_url, OSS_CALLBACK_HOST="127.0.0.1")
        return env

    def w1(self, server, upload_file, client_exe):
        timeout = 120 + FILE_MB * 0.5
        items = [
            ("d", ["md5sum", str(upload_file)], base_env(), "md5sum"),
        ]
        php_env = self.env_for(server, "w1/php-sample.bin")
        php_env.pop("OSS_ENDPOINT")
        php_env.update(OSS_UPLOAD_FILE=str(upload_file), http_proxy="http://127.0.0.1:%d" % self.server_port[server])
        items.append(("a", ["php", "-d", "ffi.enable=1", "php-example/samples/multipart_callback.php"], php_env,
                      "PHP FFI"))
        for p in (1, 2, 4):
            items.append(("b%d" % p, [str(client_exe), "upload", str(upload_file), str(p), str(PART_SIZE)],
                          self.env_for(server, "w1/c-p%d.bin" % p), "C"))
        items.append(("e", ["php", "-d", "ffi.enable=1", str(BENCH / "w1_multiupload.php"), str(upload_file), "2",
                            str(PART_SIZE)], self.env_for(server, "w1/php-multiupload.bin"), "PHP FFI"))
        items.append(("c", [OSS2_PYTHON, str(BENCH / "oss2_client.py"), "multipart", str(upload_file), str(PART_SIZE)],
                      self.env_for(server, "w1/oss2.bin"), "oss2"))
        for rep in range(REPEAT if server == "sink" else EMU_W1_REPEAT):
            for item, cmd, env, _ in items:
                if server == "emulator" and item == "d":
                    continue  # the limit does not talk to a server: measured once, against the sink's runs
                emu_before = proc_cpu_jiffies(self.emulator_pid) if server == "emulator" else 0
                t0 = time.perf_counter()
                run = measure("W1 %s %s" % (item, server), cmd, env, timeout,
                              self.work / ("w1-%s-%s-%d.out" % (server, item, rep)))
                if server == "emulator":
                    run.emulator_share = (proc_cpu_jiffies(self.emulator_pid) - emu_before) / TICKS / (
                        time.perf_counter() - t0)
                self.check_w1(item, run)
                self.record(server, "w1" + item, run)
                log("   W1 %-3s %-8s run %d: %7.3f s wall, %6.1f MiB peak RSS, %5.2f CPU s%s" % (
                    item, server, rep + 1, run.wall, run.rss_mib, run.cpu,
                    ", emulator %.0f%% of a core" % (100 * run.emulator_share) if server == "emulator" else ""))

    @staticmethod
    def check_w1(item, run):
        if item == "d":
            if not re.match(r"^[0-9a-f]{32} ", run.out):
                raise BenchError("md5sum printed %r" % run.out[:200])
        elif item == "a":
            if "completeMultipartUpload OK" not in run.out:
                raise BenchError("the PHP sample did not complete:\n%s\n%s" % (run.out[-1000:], run.err[-1000:]))
        elif "status=200" not in run.out or "Status" not in run.out:
            raise BenchError("%s: unexpected answer %r" % (run.name, run.out[-500:]))

    def w2(self, server, client_exe):
        timeout = 300
        items = [
            ("c", [str(client_exe), "put", str(W2_COUNT), str(W2_SIZE)], self.env_for(server, "w2/c")),
            ("php", ["php", "-d", "ffi.enable=1", str(BENCH / "w2_put.php"), str(W2_COUNT), str(W2_SIZE)],
             self.env_for(server, "w2/php")),
            ("oss2", [OSS2_PYTHON, str(BENCH / "oss2_client.py"), "put", str(W2_COUNT), str(W2_SIZE)],
             self.env_for(server, "w2/oss2")),
        ]
        method, path, headers, body = capture_put(client_exe, self.work, self.callback_url)
        status = replay_once(self.server_port[server], method, path, headers, body)
        wrk_ok = status == 200
        if not wrk_ok:
            self.notes.append("W2 wrk on the %s: the replayed request was answered %d, so no wrk figure." % (
                server, status))
        wrk_env = base_env()
        wrk_env.update(WRK_PUT_HEADERS=str(self.work / "wrk.headers"), WRK_PUT_BODY=str(self.work / "wrk.body"))
        wrk_cmd = ["wrk", "-t1", "-c1", "-d%ds" % WRK_SECONDS, "-s", str(BENCH / "wrk_put.lua"),
                   "http://127.0.0.1:%d%s" % (self.server_port[server], path)]
        if wrk_ok:
            items.append(("wrk", wrk_cmd, wrk_env))
            url = "http://127.0.0.1:%d%s" % (self.server_port[server], path)
            for mode in ("blocking", "async"):
                items.append(("rq" + mode, [str(TRANSPORT_FLOOR), mode, url, str(W2_COUNT)], wrk_env))
        self.extra.setdefault("wrk_cmd", "wrk -t1 -c1 -d%ds -s bench/wrk_put.lua http://127.0.0.1:PORT%s" % (
            WRK_SECONDS, path))
        self.extra["wrk_path"] = path
        for rep in range(REPEAT):
            for item, cmd, env in items:
                run = measure("W2 %s %s" % (item, server), cmd, env, timeout if item != "wrk" else WRK_SECONDS + 60,
                              self.work / ("w2-%s-%s-%d.out" % (server, item, rep)))
                if item == "wrk":
                    m = re.search(r"Requests/sec:\s+([0-9.]+)", run.out)
                    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", run.out)
                    errs = re.search(r"Socket errors:.*", run.out)
                    if not m or bad or errs:
                        raise BenchError("wrk on the %s: %s" % (server, run.out))
                    run.rps = float(m.group(1))
                    total = re.search(r"(\d+) requests in", run.out)
                    run.requests = int(total.group(1)) if total else 0
                else:
                    if "status=200" not in run.out or run.elapsed is None:
                        raise BenchError("%s: unexpected answer %r %r" % (run.name, run.out[-500:], run.err[-500:]))
                    run.rps = W2_COUNT / run.elapsed
                    run.requests = W2_COUNT
                self.record(server, "w2" + item, run)
                log("   W2 %-4s %-8s run %d: %9.0f requests/s" % (item, server, rep + 1, run.rps))

    def best_rps(self, server, item):
        runs = self.eligible(self.results.get((server, "w2" + item), []))
        return max(runs, key=lambda r: r.rps) if runs else None


# ---------------------------------------------------------------------------------------------------------------
# Profiles of missed targets


def perf_usable():
    """Whether perf counts instructions here (in many VMs only software events work)."""
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
        if len(parts) > 3 and parts[2] in events or (len(parts) > 3 and parts[2].split(":")[0] in events):
            try:
                values[parts[2].split(":")[0]] = float(parts[0])
            except ValueError:
                values[parts[2].split(":")[0]] = None
    return values


def perf_record(cmd, env, timeout, data_path, event):
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
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=%s" % out_path] + cmd, env=env,
                   cwd=str(ROOT), capture_output=True, timeout=timeout)
    if not Path(out_path).exists():
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
            name = m.group(3)
            name = re.sub(r"\s+\[[^\]]*\]$", "", name)
            rows.append((float(m.group(2)), shorten(name)))
    return total, rows[:12]


def shorten(name, width=110):
    name = re.sub(r"^\?\?\?:", "", name)
    return name if len(name) <= width else name[:width - 1] + "…"


# ---------------------------------------------------------------------------------------------------------------
# Report


def fmt(x, digits=2):
    return "—" if x is None else ("%.*f" % (digits, x))


def main():
    started = datetime.datetime.now(datetime.timezone.utc)
    t_start = time.monotonic()
    for exe in (LIB, RELEASE / "oss-emulator", RELEASE / "callback-receiver"):
        if not exe.exists():
            raise BenchError("%s is missing: run `cargo build --release --workspace` (bench/run.sh does)" % exe)
    for tool in ("nginx", "wrk", "php", "md5sum", "cc", "/usr/bin/time"):
        if shutil.which(tool) is None:
            raise BenchError("%s is not installed (bench/run.sh installs it with apt-get)" % tool)
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
    bench = Bench(work)
    try:
        log("== compiling bench/bench_client.c")
        client_exe = work / "bench_client"
        cc = ["cc", "-O2", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-Iinclude",
              "bench/bench_client.c", "-o", str(client_exe), "-Ltarget/release", "-lossrs",
              "-Wl,-rpath," + str(RELEASE)]
        subprocess.run(cc, cwd=str(ROOT), check=True, timeout=120)
        bench.extra["cc"] = ("cc -O2 -std=c99 -Wall -Wextra -Werror -pedantic -Iinclude bench/bench_client.c "
                             "-o bench_client -Ltarget/release -lossrs")

        log("== creating a %d MiB random file" % FILE_MB)
        upload_file = work / "upload.bin"
        with open(upload_file, "wb") as f:
            for _ in range(FILE_MB):
                f.write(os.urandom(MIB))
        with open(upload_file, "rb") as f:  # into the page cache: every run reads it from memory
            while f.read(16 * MIB):
                pass

        log("== starting the servers")
        receiver, cb_port = start_with_port_line(
            "callback-receiver", [str(RELEASE / "callback-receiver"), "--port", "0", "--allow-key-prefix",
                                  "http://127.0.0.1:"], work)
        bench.callback_url = "http://127.0.0.1:%d" % cb_port
        emulator, emu_port = start_with_port_line(
            "oss-emulator", [str(RELEASE / "oss-emulator"), "--port", "0", "--data-dir", str(work / "oss-data"),
                             "--bucket", BUCKET, "--key", "%s:%s" % (KEY_ID, KEY_SECRET)], work)
        bench.emulator_pid = emulator.pid
        nginx, ngx_port, ngx_dir = start_nginx(TMPBASE)
        tmp_dirs.append(ngx_dir)
        time.sleep(0.2)
        workers = children_of(nginx.pid)
        bench.server_port = {"sink": ngx_port, "emulator": emu_port}
        log("   sink (nginx, %d worker) on 127.0.0.1:%d, emulator on 127.0.0.1:%d, callback receiver on 127.0.0.1:%d"
            % (len(workers), ngx_port, emu_port, cb_port))

        for server, pids in (("sink", [nginx.pid] + workers), ("emulator", [emulator.pid, receiver.pid])):
            SERVERS.cpu_pids = pids
            log("== W1 against the %s (%d MiB, best of %d)" % (server, FILE_MB,
                                                             REPEAT if server == "sink" else EMU_W1_REPEAT))
            bench.w1(server, upload_file, client_exe)
            log("== W2 against the %s (%d x %d B, best of %d)" % (server, W2_COUNT, W2_SIZE, REPEAT))
            bench.w2(server, client_exe)
        SERVERS.cpu_pids = [nginx.pid] + workers
        callbacks = (work / "callback-receiver.out").read_text(errors="replace").splitlines()[1:]
        valid = sum(1 for l in callbacks if '"signature_valid":true' in l.replace(" ", ""))
        bench.extra["callbacks"] = (len(callbacks), valid)

        targets = evaluate(bench)
        profiles = []
        if PROFILE and any(not ok for _, ok, _, _ in targets):
            profiles = run_profiles(bench, targets, client_exe, work, upload_file)
        load_after = background_load()
        elapsed = time.monotonic() - t_start
        report = render(bench, desc, targets, profiles, started, elapsed, load_before, loadavg_before, load_after)
        print(report)
        OUT.write_text(report)
        log("== wrote %s" % OUT)
    finally:
        SERVERS.stop()
        for d in tmp_dirs:
            shutil.rmtree(d, ignore_errors=True)


def evaluate(b):
    """The issue's targets on the sink figures: list of (text, ok, measured, why-key)."""
    t = []
    md5 = b.best("sink", "w1d")
    p2 = b.best("sink", "w1b2")
    php = b.best("sink", "w1a")
    oss2 = b.best("sink", "w1c")
    r = p2.wall / md5.wall
    t.append(("W1 managed upload, parallelism 2: wall time ≤ 1.0 × md5sum", r <= 1.0,
              "%.3f s vs %.3f s = %.2f × md5sum" % (p2.wall, md5.wall, r), "w1b2_md5"))
    s = oss2.elapsed / p2.elapsed
    t.append(("W1 managed upload, parallelism 2: ≥ 3 × faster than oss2", s >= 3.0,
              "oss2 %.3f s / ossrs %.3f s = %.2f × (upload time)" % (oss2.elapsed, p2.elapsed, s), "w1b2_oss2"))
    r = php.wall / md5.wall
    t.append(("W1 seed sample through PHP FFI: wall time ≤ 1.6 × md5sum", r <= 1.6,
              "%.3f s vs %.3f s = %.2f × md5sum" % (php.wall, md5.wall, r), "w1a_md5"))
    wrk, c, p, o = (b.best_rps("sink", x) for x in ("wrk", "c", "php", "oss2"))
    if wrk:
        t.append(("W2 from C: ≥ 80 % of wrk's requests/s", c.rps >= 0.8 * wrk.rps,
                  "%.0f vs %.0f requests/s = %.0f %%" % (c.rps, wrk.rps, 100 * c.rps / wrk.rps), "w2c_wrk"))
        t.append(("W2 through PHP FFI: ≥ 70 % of wrk's requests/s", p.rps >= 0.7 * wrk.rps,
                  "%.0f vs %.0f requests/s = %.0f %%" % (p.rps, wrk.rps, 100 * p.rps / wrk.rps), "w2php_wrk"))
    t.append(("W2 from C: ≥ 10 × oss2's requests/s", c.rps >= 10 * o.rps,
              "%.0f vs %.0f requests/s = %.1f ×" % (c.rps, o.rps, c.rps / o.rps), "w2c_oss2"))
    t.append(("W2 through PHP FFI: ≥ 10 × oss2's requests/s", p.rps >= 10 * o.rps,
              "%.0f vs %.0f requests/s = %.1f ×" % (p.rps, o.rps, p.rps / o.rps), "w2php_oss2"))
    for par in (1, 2, 4):
        rss = b.max_rss("sink", "w1b%d" % par)
        limit = par * PART_SIZE / MIB + 32
        t.append(("W3 managed upload, parallelism %d: peak RSS ≤ %d × 10 MiB + 32 MiB = %d MiB" % (par, par, limit),
                  rss <= limit, "%.1f MiB" % rss, "w3b%d" % par))
    rss = b.max_rss("sink", "w1a")
    t.append(("W3 PHP process in W1 (a): peak RSS < 50 MiB", rss < 50, "%.1f MiB" % rss, "w3a"))
    return t


PROFILE_PLAN = {
    # why-key -> list of (label, kind) to profile
    "w1b2_md5": ["w1b2"],
    "w1b2_oss2": ["w1b2"],
    "w1a_md5": ["w1a"],
    "w2c_wrk": ["w2c"],
    "w2php_wrk": ["w2c", "w2php"],
    "w2c_oss2": ["w2c"],
    "w2php_oss2": ["w2c", "w2php"],
    "w3a": ["w1a"],
}


def run_profiles(b, targets, client_exe, work, upload_file):
    counted, software = perf_usable()
    log("== profiling the missed targets on smaller runs (perf counts instructions: %s; software events: %s)" % (
        "yes" if counted else "no", "yes" if software else "no"))
    small = work / "profile.bin"
    mb = min(PROFILE_MB, FILE_MB)
    with open(upload_file, "rb") as src, open(small, "wb") as dst:
        dst.write(src.read(mb * MIB))
    tiny = work / "callgrind.bin"
    cmb = min(CALLGRIND_MB, FILE_MB)
    with open(upload_file, "rb") as src, open(tiny, "wb") as dst:
        dst.write(src.read(cmb * MIB))
    w2_small = max(50, min(W2_COUNT, CALLGRIND_REQUESTS))
    wanted = []
    for _, ok, _, key in targets:
        if not ok:
            for label in PROFILE_PLAN.get(key, []):
                if label not in wanted:
                    wanted.append(label)

    def command(label, path, count):
        if label == "w1b2":
            return [str(client_exe), "upload", str(path), "2", str(PART_SIZE)], b.env_for("sink", "prof/c.bin")
        if label == "w1c":
            return ([OSS2_PYTHON, str(BENCH / "oss2_client.py"), "multipart", str(path), str(PART_SIZE)],
                    b.env_for("sink", "prof/oss2.bin"))
        if label == "w1a":
            env = b.env_for("sink", "prof/php.bin")
            env.pop("OSS_ENDPOINT")
            env.update(OSS_UPLOAD_FILE=str(path), http_proxy="http://127.0.0.1:%d" % b.server_port["sink"])
            return ["php", "-d", "ffi.enable=1", "php-example/samples/multipart_callback.php"], env
        if label == "w1d":
            return ["md5sum", str(path)], base_env()
        if label == "w2c":
            return [str(client_exe), "put", str(count), str(W2_SIZE)], b.env_for("sink", "prof/w2c")
        if label == "w2php":
            return (["php", "-d", "ffi.enable=1", str(BENCH / "w2_put.php"), str(count), str(W2_SIZE)],
                    b.env_for("sink", "prof/w2php"))
        if label == "w2oss2":
            return ([OSS2_PYTHON, str(BENCH / "oss2_client.py"), "put", str(count), str(W2_SIZE)],
                    b.env_for("sink", "prof/w2oss2"))
        raise KeyError(label)

    titles = {
        "w1b2": "W1 (b) C oss_upload_file, parallelism 2",
        "w1c": "W1 (c) oss2 multipart",
        "w1a": "W1 (a) seed multipart sample through PHP FFI",
        "w1d": "W1 (d) md5sum",
        "w2c": "W2 C oss_put_object_with_callback loop",
        "w2php": "W2 PHP FFI putObject loop",
        "w2oss2": "W2 oss2 put_object loop",
    }
    if any(not ok and key.startswith("w2") for _, ok, _, key in targets):
        log("   W2 check: the same loops while a spinning process keeps the second core busy")
        spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
        diag = []
        try:
            time.sleep(0.3)
            wrk_env = base_env()
            wrk_env.update(WRK_PUT_HEADERS=str(work / "wrk.headers"), WRK_PUT_BODY=str(work / "wrk.body"))
            checks = [
                ("wrk -t1 -c1 (limit)", ["wrk", "-t1", "-c1", "-d%ds" % WRK_SECONDS, "-s", str(BENCH / "wrk_put.lua"),
                                          "http://127.0.0.1:%d%s" % (b.server_port["sink"], b.extra["wrk_path"])],
                 wrk_env),
                ("C", [str(client_exe), "put", str(W2_COUNT), str(W2_SIZE)], b.env_for("sink", "prof/w2busy-c")),
                ("PHP FFI", ["php", "-d", "ffi.enable=1", str(BENCH / "w2_put.php"), str(W2_COUNT), str(W2_SIZE)],
                 b.env_for("sink", "prof/w2busy-php")),
            ]
            for name, cmd, env in checks:
                run = measure("W2 busy-core check " + name, cmd, env, WRK_SECONDS + 120,
                              work / ("w2busy-%d.out" % len(diag)))
                if name.startswith("wrk"):
                    m = re.search(r"Requests/sec:\s+([0-9.]+)", run.out)
                    rps = float(m.group(1)) if m else None
                else:
                    rps = W2_COUNT / run.elapsed if run.elapsed else None
                diag.append((name, rps))
                log("      %-22s %9.0f requests/s" % (name, rps or 0))
        finally:
            spinner.kill()
            spinner.wait(10)
        b.extra["w2busy"] = diag
    profiles = []
    for label in wanted:
        is_w1 = label.startswith("w1")
        cmd, env = command(label, small, W2_COUNT)
        size_text = ("%d MiB file" % mb) if is_w1 else ("%d requests" % W2_COUNT)
        prof = {"label": label, "title": titles[label], "size": size_text}
        log("   %s (%s)" % (titles[label], size_text))
        events = ["task-clock", "context-switches", "cpu-migrations", "page-faults"]
        if counted:
            events += ["instructions", "cycles"]
        if software or counted:
            t0 = time.perf_counter()
            prof["stat"] = perf_stat(cmd, env, events, 600)
            prof["stat_wall"] = time.perf_counter() - t0
            prof["record"], prof["by_dso"] = perf_record(cmd, env, 600, work / ("perf-%s.data" % label),
                                                         "cycles" if counted else "cpu-clock")
        if not counted and shutil.which("valgrind"):
            ccmd, cenv = command(label, tiny, w2_small)
            csize = ("%d MiB file" % cmb) if is_w1 else ("%d requests" % w2_small)
            log("      callgrind (%s)" % csize)
            try:
                total, rows = callgrind(ccmd, cenv, 900, work / ("callgrind-%s.out" % label))
            except subprocess.TimeoutExpired:
                total, rows = None, []
            prof["callgrind"] = (csize, total, rows)
        profiles.append(prof)
    return profiles


def render(b, desc, targets, profiles, started, elapsed, load_before, loadavg_before, load_after):
    L = []
    w = L.append
    file_bytes = FILE_MB * MIB
    w("# ossrs benchmarks")
    w("")
    w("Written by `make bench` (bench/run.sh → bench/run.py) on %s UTC, in %.0f s; every figure below comes from that "
      "run. Settings: BENCH_FILE_MB=%d BENCH_REPEAT=%d BENCH_EMULATOR_W1_REPEAT=%d BENCH_W2_COUNT=%d "
      "BENCH_WRK_SECONDS=%d." % (started.strftime("%Y-%m-%d %H:%M"), elapsed, FILE_MB, REPEAT, EMU_W1_REPEAT,
                                 W2_COUNT, WRK_SECONDS))
    w("")
    w("## Machine")
    w("")
    w("| | |")
    w("|---|---|")
    for k, v in desc:
        w("| %s | %s |" % (k, v.replace("|", "\\|")))
    all_runs = [r for runs in b.results.values() for r in runs]
    worst = max(all_runs, key=lambda r: r.others)
    w("| load | other processes (not this benchmark's, kernel threads left out) used %.2f cores in the 2 s before "
      "the run (%s; load average %s) and %.2f cores in the 2 s after it; during the measured runs %.2f cores on "
      "average and at most %.2f (%s; column *others*) |" % (
          load_before[0], busiest(load_before[1]) or "nothing measurable", " ".join(loadavg_before), load_after[0],
          sum(r.others * r.wall for r in all_runs) / sum(r.wall for r in all_runs), worst.others,
          busiest(worst.others_by_name) or "nothing measurable"))
    w("")
    busy = [r for r in all_runs if r.disturbed]
    if busy or load_before[0] > BUSY_OTHERS or load_after[0] > BUSY_OTHERS:
        w("**Note: the machine was shared.** Other processes used more than %.2f cores during %d of the %d "
          "measured runs (%s; marked `*` in the tables and not taken as best where a calm run exists), or around "
          "the run (%.2f cores before, %.2f after). On this VM, load on the other core can make the W2 round "
          "trips *faster* (see the W2 analysis), so disturbed runs are not trusted in either direction." % (
              BUSY_OTHERS, len(busy), len(all_runs), ", ".join(sorted({r.name for r in busy})) or "none",
              load_before[0], load_after[0]))
        w("")
    w("## Setup")
    w("")
    w("- **sink**: Debian's nginx as an unprivileged foreground process (`bench/nginx.conf.in`, one worker, "
      "127.0.0.1 only, pid/temp/log in a temp dir). It reads every request body completely (the mirror module "
      "reads it before the answer is produced), drops it, and answers like OSS: an `InitiateMultipartUploadResult` "
      "with an `UploadId` for `POST ?uploads`, otherwise 200 with `ETag`, `x-oss-request-id` and `{\"Status\":\"OK\"}`. "
      "It sends no `x-oss-hash-crc64ecma`, so the CRC-64 comparisons of libossrs and oss2 are skipped (both still "
      "compute the CRC).")
    w("- **emulator**: `target/release/oss-emulator` (checks signatures and Content-MD5, stores objects on disk "
      "under the temp dir, runs every callback against `target/release/callback-receiver`). %d callbacks reached "
      "the receiver, %d with a valid signature." % b.extra["callbacks"])
    w("- **W1**: a %d MiB file of random bytes in a temp dir (read once before the runs, so every run reads it "
      "from the page cache), 10 MiB parts, Content-MD5 on every part, the JSON callback of the seed sample on "
      "complete. (a) `php -d ffi.enable=1 php-example/samples/multipart_callback.php`, unchanged, with "
      "`http_proxy=http://127.0.0.1:PORT` (its endpoint is hard-coded); (b) `oss_upload_file` from "
      "`bench/bench_client.c` (`%s`), parallelism 1, 2, 4; (c) oss2 (`bench/oss2_client.py`: initiate, each part "
      "read and sent with its Content-MD5 header, complete with `x-oss-callback`/`x-oss-callback-var`; path-style "
      "IP endpoint; oss2's CRC-64 check left on, its default); (d) `md5sum FILE`; (e) `OssClient::multiuploadFile` "
      "through PHP FFI (`bench/w1_multiupload.php`: parallelism 2, `OSS_CHECK_MD5`, the callback on complete)." % (
          FILE_MB, b.extra["cc"]))
    w("- **W2**: %d sequential PutObject with the same JSON callback, %d random bytes each, one client and one "
      "keep-alive connection: C (`bench_client put`), PHP FFI (`bench/w2_put.php`: `OssClient::putObject` with "
      "`OSS_CALLBACK`/`OSS_CALLBACK_VAR`), oss2 (`put_object` with the callback headers and Content-MD5). The limit "
      "is `%s` replaying the request libossrs sends (captured once: same headers, signature and body)." % (
          W2_COUNT, W2_SIZE, b.extra.get("wrk_cmd", "wrk")))
    w("- **Measurement**: each client is a child process; wall time from its start to its exit, peak RSS = "
      "`ru_maxrss` and CPU = user+system time of the client process, both from the rusage that GNU time (`/usr/bin/time`) gets "
      "from `wait4` (the client runs under it, so the figures are not inflated by this Python driver's own "
      "memory, which Linux carries across exec). Each item runs %d times (interleaved; W1 against the emulator "
      "%d time%s); the tables show the best wall time (W2: best requests/s) and the largest peak RSS, and list "
      "every run. A run during which other processes used more than %.2f cores (*others*; and more than 50 ms of "
      "CPU in all) is marked `*` and is not taken as the best unless every run of that item was disturbed. *upload s* is the time the client measured "
      "around its uploads only (no interpreter start, no imports); W2 requests/s use that time. *server* is the "
      "CPU of the server processes (nginx master+worker, or emulator+callback receiver) during the run and *others* "
      "that of every other user-space process on the machine, both in cores. MB/s = 10^6 bytes per second." % (
          REPEAT, EMU_W1_REPEAT, "" if EMU_W1_REPEAT == 1 else "s", BUSY_OTHERS))
    w("")
    w("## Results")
    w("")
    for server in ("sink", "emulator"):
        w("### W1 against the %s: %d MiB, 10 MiB parts" % (server, FILE_MB))
        w("")
        w("| client | wall s | MB/s | upload s | peak RSS MiB | client CPU s | server cores | others cores | "
          "all runs, wall s |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        rows = [("w1a", "(a) PHP FFI, seed sample unchanged"), ("w1b1", "(b) C `oss_upload_file`, parallelism 1"),
                ("w1b2", "(b) C `oss_upload_file`, parallelism 2"), ("w1b4", "(b) C `oss_upload_file`, parallelism 4"),
                ("w1e", "(e) PHP FFI `multiuploadFile`, parallelism 2"),
                ("w1c", "(c) oss2 %s" % desc_value(desc, "oss2").split(" ")[0]), ("w1d", "(d) md5sum (limit)")]
        for item, name in rows:
            srv = "sink" if item == "w1d" else server
            r = b.best(srv, item)
            if r is None:
                continue
            extra = "" if srv == server else " (no server)"
            w("| %s%s | %.3f | %.0f | %s | %.1f | %.2f | %s | %.2f | %s |" % (
                name, extra, r.wall, file_bytes / 1e6 / r.wall, fmt(r.elapsed, 3), b.max_rss(srv, item), r.cpu,
                fmt(r.server_cpu) if item != "w1d" else "—", r.others,
                b.all_runs(srv, item, lambda x: "%.3f" % x.wall)))
        md5 = b.best("sink", "w1d")
        p2, o = b.best(server, "w1b2"), b.best(server, "w1c")
        w("")
        w("Time ratios (lower is better for ossrs): " + "; ".join(
            "%s / md5sum = %.2f" % (lbl, b.best(server, it).wall / md5.wall)
            for it, lbl in (("w1a", "(a) wall"), ("w1b1", "(b) p1"), ("w1b2", "(b) p2"), ("w1b4", "(b) p4"),
                            ("w1e", "(e) PHP p2 wall"), ("w1c", "(c) oss2"))) + ".")
        w("Speed-up over oss2 (upload times, oss2 / ossrs, higher is better): " + "; ".join(
            "%s %.2f ×" % (lbl, o.elapsed / b.best(server, it).elapsed)
            for it, lbl in (("w1b1", "p1"), ("w1b2", "p2"), ("w1b4", "p4"))) + "; (a) PHP sample %.2f × (wall)." % (
                o.wall / b.best(server, "w1a").wall))
        if server == "emulator":
            shares = [getattr(r, "emulator_share", 0) for r in b.results[("emulator", "w1b2")]]
            best = b.best("emulator", "w1b2")
            sink_p2 = b.best("sink", "w1b2")
            slower = best.wall / sink_p2.wall
            limits = slower > 1.25
            w("")
            w("**Emulator CPU share during W1 (b) parallelism 2** (utime+stime of the oss-emulator process from "
              "/proc/<pid>/stat before and after, divided by the wall time): %s of one core in the %d runs "
              "(best run: %.0f %%; the client used %.2f cores). The same upload takes %.3f s against the emulator "
              "and %.3f s against the sink (%.2f ×), so the emulator %s." % (
                  ", ".join("%.0f %%" % (100 * s) for s in shares), len(shares), 100 * best.emulator_share,
                  best.cpu / best.wall, best.wall, sink_p2.wall, slower,
                  "**limits** these figures: it computes MD5 and CRC-64 of every part while writing it to disk, and on "
                  "complete reads the parts back, hashes them again and writes the whole object, competing with the "
                  "client for the 2 cores; the sink figures show the client's own cost" if limits
                  else "does not limit these figures much (within 25 % of the sink)"))
        w("")
        w("### W2 against the %s: %d PutObject with callback, %d B each, sequential" % (server, W2_COUNT, W2_SIZE))
        w("")
        w("| client | requests/s | ms/request | peak RSS MiB | client CPU s | server cores | others cores | "
          "all runs, requests/s |")
        w("|---|---:|---:|---:|---:|---:|---:|---|")
        for item, name in (("c", "C `oss_put_object_with_callback`"), ("php", "PHP FFI `OssClient::putObject`"),
                           ("oss2", "oss2 `put_object`"),
                           ("rqblocking", "bare `reqwest::blocking` replay (transport floor)"),
                           ("rqasync", "bare reqwest async on the calling thread (replay)"),
                           ("wrk", "wrk -t1 -c1 (limit)")):
            r = b.best_rps(server, item)
            if r is None:
                w("| %s | n/a | | | | | | |" % name)
                continue
            w("| %s | %.0f | %.3f | %.1f | %.2f | %.2f | %.2f | %s |" % (
                name, r.rps, 1000 / r.rps, r.rss_mib, r.cpu, r.server_cpu, r.others,
                b.all_runs(server, "w2" + item, lambda x: "%.0f" % x.rps)))
        wrk = b.best_rps(server, "wrk")
        c, p, o = (b.best_rps(server, x) for x in ("c", "php", "oss2"))
        parts = []
        if wrk:
            parts.append("C / wrk = %.0f %%, PHP FFI / wrk = %.0f %%" % (100 * c.rps / wrk.rps, 100 * p.rps / wrk.rps))
        parts.append("C / oss2 = %.1f ×, PHP FFI / oss2 = %.1f ×" % (c.rps / o.rps, p.rps / o.rps))
        w("")
        w("Request-rate ratios (higher is better for ossrs): " + "; ".join(parts) + ".")
        w("")
    w("### W3: peak RSS during W1 (largest of the runs)")
    w("")
    w("| process | sink MiB | emulator MiB | bound |")
    w("|---|---:|---:|---|")
    for item, name, bound in (("w1a", "PHP running the seed sample (a)", "< 50 MiB"),
                              ("w1b1", "C, parallelism 1", "≤ 42 MiB"), ("w1b2", "C, parallelism 2", "≤ 52 MiB"),
                              ("w1b4", "C, parallelism 4", "≤ 72 MiB"),
                              ("w1e", "PHP `multiuploadFile`, parallelism 2 (e; for comparison)", ""),
                              ("w1c", "oss2 (for comparison)", "")):
        w("| %s | %.1f | %.1f | %s |" % (name, b.max_rss("sink", item), b.max_rss("emulator", item), bound))
    w("")
    w("## Targets (on the sink figures)")
    w("")
    w("| target | measured | |")
    w("|---|---|---|")
    for text, ok, measured, _ in targets:
        w("| %s | %s | **%s** |" % (text, measured, "PASS" if ok else "MISS"))
    w("")
    for note in b.notes:
        w("- " + note)
    if b.notes:
        w("")
    misses = [t for t in targets if not t[1]]
    if misses:
        w("## Why targets are missed")
        w("")
        w(explain(b, misses, profiles))
    return "\n".join(L).rstrip() + "\n"


def busiest(by_name, limit=3):
    top = sorted(by_name.items(), key=lambda kv: -kv[1])[:limit]
    return ", ".join("%s %.2f" % kv for kv in top if kv[1] >= 0.01)


def desc_value(desc, key):
    return dict(desc).get(key, "")


def explain(b, misses, profiles):
    """The analysis of the missed targets (bench/analysis.py, filled in with this run's figures) and the profile
    excerpts behind it."""
    L = []
    w = L.append
    keys = [k for _, _, _, k in misses]
    sys.dont_write_bytecode = True  # no bench/__pycache__
    sys.path.insert(0, str(BENCH))
    import analysis  # noqa: E402  (bench/analysis.py)
    w(analysis.explain(b, keys, profiles, FILE_MB, PART_SIZE, W2_COUNT))
    if profiles:
        w("")
        w("### Profiles (this run, against the sink)")
        w("")
        w("perf here has no hardware counters (`perf stat -e instructions` reports `<not supported>`), so "
          "instruction counts come from `valgrind --tool=callgrind` on a smaller run; `perf stat`/`perf record` "
          "with software events (task-clock, context switches, cpu-clock samples) show where the wall time goes, "
          "including the kernel." if not any("cycles" in str(p.get("stat", {})) for p in profiles) else
          "perf counts instructions here: `perf stat` and `perf record -e cycles`.")
        for p in profiles:
            w("")
            w("#### %s (%s)" % (p["title"], p["size"]))
            st = p.get("stat")
            if st:
                tc = st.get("task-clock")
                wall = p.get("stat_wall")
                w("")
                w("`perf stat`: %s ms task-clock in %.3f s wall (%.2f CPUs), %s context switches, %s CPU migrations, "
                  "%s page faults." % (
                      fmt(tc, 0), wall, (tc or 0) / 1000 / wall if wall else 0, fmt(st.get("context-switches"), 0),
                      fmt(st.get("cpu-migrations"), 0), fmt(st.get("page-faults"), 0)))
            if p.get("by_dso"):
                w("")
                w("`perf record -e cpu-clock` by object: " + ", ".join("%s %.1f %%" % (d, pct) for pct, d in p["by_dso"])
                  + ".")
            rec = p.get("record")
            if rec:
                w("")
                w("`perf record -e cpu-clock`, self time by symbol (≥ 1.5 %):")
                w("")
                w("| % | object | symbol |")
                w("|---:|---|---|")
                for pct, dso, sym in rec:
                    w("| %.1f | %s | `%s` |" % (pct, dso, shorten(sym, 100).replace("|", "\\|")))
            cg = p.get("callgrind")
            if cg:
                size, total, rows = cg
                w("")
                if total:
                    w("callgrind (%s): %s instructions; self cost by function:" % (size, "{:,}".format(total)))
                    w("")
                    w("| % Ir | function |")
                    w("|---:|---|")
                    for pct, name in rows:
                        w("| %.1f | `%s` |" % (pct, name.replace("|", "\\|")))
                else:
                    w("callgrind (%s) produced no profile." % size)
    return "\n".join(L)


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

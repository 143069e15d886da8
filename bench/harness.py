"""The benchmark's machinery: knobs, child processes, servers, ports, CPU accounting and timing.

Every client runs under GNU time (`measure`), so its wall time, peak RSS and CPU come from the kernel; meanwhile the
CPU of the server processes and of every other process on the machine is read from /proc, so that a run disturbed
by someone else's build can be told apart.
"""

import os
import platform
import pwd
import re
import resource
import signal
import socket
import ssl
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


# Knobs (environment; bench/README.md lists them).
FILE_MB = env_int("BENCH_FILE_MB", 1024)
REPEAT = max(1, env_int("BENCH_REPEAT", 3))
# W1 against the emulator writes every byte to disk twice (parts, then the assembled object): once by default.
EMU_W1_REPEAT = max(1, env_int("BENCH_EMULATOR_W1_REPEAT", 1))
W2_COUNT = env_int("BENCH_W2_COUNT", 2000)
# W2 against the sink: a run takes half a second, and consecutive seconds on a shared VM differ by up to 2 x,
# so more rounds than BENCH_REPEAT (the emulator's W2 runs take BENCH_REPEAT).
W2_SINK_REPEAT = max(1, env_int("BENCH_W2_SINK_REPEAT", 7))
WRK_SECONDS = env_int("BENCH_WRK_SECONDS", 5)
W4_SECONDS = env_int("BENCH_W4_SECONDS", 5)
W4_REPEAT = max(1, env_int("BENCH_W4_REPEAT", 2))
W4_CONCURRENCY = (1, 8, 32)
STREAM_MB = env_int("BENCH_STREAM_MB", 1024)
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


def base_env():
    """The environment of every child: ours without proxy settings (http_proxy is set only where a run needs it)."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env["OSSRS_LIB"] = str(LIB)
    env["OSS_ACCESS_KEY_ID"] = KEY_ID
    env["OSS_ACCESS_KEY_SECRET"] = KEY_SECRET
    env["OSS_BUCKET"] = BUCKET
    env["LC_ALL"] = "C"
    return env


# ---------------------------------------------------------------------------------------------------------------
# CPU accounting

PF_KTHREAD = 0x00200000
BUSY_OTHERS = 0.25  # cores used by other processes above which a run counts as disturbed


def machine_jiffies():
    """user + nice + system jiffies of the whole machine (/proc/stat; irq and softirq time left out: the kernel
    books loopback packet processing there, which is work for our own traffic)."""
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:]
    return int(fields[0]) + int(fields[1]) + int(fields[2])


def proc_stats():
    """(pid, /proc/PID/stat text, its fields after "(comm)") of every live process."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                data = f.read()
        except OSError:
            continue
        yield int(name), data, data[data.rindex(")") + 2:].split()


def scan_processes():
    """({pid: (jiffies, command)} of the live user-space processes that are neither this one nor its descendants,
    total jiffies of the kernel threads). Jiffies = utime + stime of the process itself."""
    stats, parent, kthreads = {}, {}, 0
    for pid, data, fields in proc_stats():
        parent[pid] = int(fields[1])
        jiffies = int(fields[11]) + int(fields[12])
        if int(fields[6]) & PF_KTHREAD:
            kthreads += jiffies
            continue
        stats[pid] = (jiffies, data[data.index("(") + 1:data.rindex(")")])
    me = os.getpid()
    return {pid: v for pid, v in stats.items() if not descends_from(pid, me, parent)}, kthreads


def descends_from(pid, root, parent):
    """Whether `pid` is `root` or one of its descendants, given {pid: parent pid}."""
    seen = 0
    while pid > 1 and seen < 64:
        if pid == root:
            return True
        pid, seen = parent.get(pid, 0), seen + 1
    return False


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


def busiest(by_name, limit=3):
    top = sorted(by_name.items(), key=lambda kv: -kv[1])[:limit]
    return ", ".join("%s %.2f" % kv for kv in top if kv[1] >= 0.01)


def background_load(seconds=2.0):
    """Cores used by other processes (other engineers' builds) during `seconds` while we run nothing."""
    meter = Others().start(PROCS.server_jiffies())
    time.sleep(seconds)
    return meter.stop(0.0, PROCS.server_jiffies())


# ---------------------------------------------------------------------------------------------------------------
# Processes and measured runs


def tree_jiffies(root):
    """utime + stime of `root` and its live descendants, plus the time of the children they reaped (cutime +
    cstime): a PHP-FPM master's, whose workers come and go."""
    parent, own = {}, {}
    for pid, _, fields in proc_stats():
        parent[pid] = int(fields[1])
        own[pid] = sum(int(x) for x in fields[11:15])
    return sum(jiffies for pid, jiffies in own.items() if descends_from(pid, root, parent))


class Processes:
    """Every server process started by this run, stopped (by pid) at the end, also on failure."""

    def __init__(self):
        self.procs = []  # (name, Popen)
        self.cpu_pids = []  # pids whose CPU counts as "server" during a measured run
        self.cpu_trees = []  # roots of process trees whose CPU counts as "server" (W4's PHP-FPM and nginx)

    def add(self, name, proc):
        self.procs.append((name, proc))

    def jiffies_by_pid(self):
        jiffies = {pid: proc_cpu_jiffies(pid) for pid in self.cpu_pids}
        jiffies.update((root, tree_jiffies(root)) for root in self.cpu_trees)
        return jiffies

    def server_jiffies(self):
        return sum(self.jiffies_by_pid().values())

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


PROCS = Processes()


class Run:
    """One finished, measured process."""

    def __init__(self, name, rc, wall, rss_kib, cpu, out, err):
        self.name, self.rc, self.wall = name, rc, wall
        self.rss_mib = rss_kib / 1024.0
        self.cpu = cpu
        self.out, self.err = out, err
        m = re.search(r"elapsed_s=([0-9.]+)", out)
        self.elapsed = float(m.group(1)) if m else None
        self.others = 0.0  # CPU of other processes on the machine during the run, in cores
        self.others_by_name = {}
        self.server_cpu = 0.0  # CPU of the server processes during the run, in cores
        self.server_cpu_by_pid = {}
        self.disturbed = False


def measure(name, cmd, env, timeout, stdout_path):
    """Runs cmd to completion (killed after `timeout` s) and returns a Run: wall time, peak RSS and CPU, output, and
    the CPU that the servers and all other processes used meanwhile.

    Peak RSS and CPU come from the rusage that GNU time gets from wait4 for its child: measured on a grandchild,
    because Linux carries a process's peak RSS across exec, so a child forked (or vforked) from this Python process
    would report at least this process's own peak RSS."""
    servers0 = PROCS.jiffies_by_pid()
    others_meter = Others().start(sum(servers0.values()))
    usage_path = str(stdout_path) + ".rusage"
    err_path = str(stdout_path) + ".err"
    with open(stdout_path, "wb") as out, open(err_path, "wb") as err:
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
    servers1 = PROCS.jiffies_by_pid()
    usage = Path(usage_path).read_text(errors="replace").strip().splitlines() if os.path.exists(usage_path) else []
    m = re.match(r"^(\d+) ([0-9.]+) ([0-9.]+)$", usage[-1]) if usage else None
    rss_kib, cpu = (int(m.group(1)), float(m.group(2)) + float(m.group(3))) if m else (0, 0.0)
    run = Run(name, proc.returncode, wall, rss_kib, cpu, Path(stdout_path).read_text(errors="replace"),
              Path(err_path).read_text(errors="replace"))
    run.others, run.others_by_name = others_meter.stop(cpu, sum(servers1.values()))
    run.server_cpu_by_pid = {pid: (servers1[pid] - servers0.get(pid, 0)) / TICKS / wall for pid in servers1}
    run.server_cpu = sum(run.server_cpu_by_pid.values())
    # Disturbed: other processes used more than BUSY_OTHERS cores, and more than 5 jiffies in all (short runs are
    # otherwise flagged by the 10 ms granularity of the CPU clocks alone).
    run.disturbed = run.others > BUSY_OTHERS and run.others * wall > 5.0 / TICKS
    if run.rc != 0 or not m:
        raise BenchError("%s failed (exit %s%s):\n%s\n%s" % (
            name, run.rc, ", killed after %d s" % timeout if run.rc == -signal.SIGKILL else "", run.out[-2000:],
            run.err[-2000:]))
    return run


# ---------------------------------------------------------------------------------------------------------------
# Servers


class Server:
    """A server the workloads talk to: its endpoint, the pids whose CPU is its CPU and, for the sink, the port of
    nginx's counters (stub_status) and, over TLS, the CA that signed its certificate and the trust store of the
    clients that know no extra CA (`trust_file`: the system's CA bundle with that CA appended)."""

    def __init__(self, name, port, pids, ca_file=None, status_port=None):
        self.name, self.port, self.pids = name, port, pids
        self.ca_file, self.status_port = ca_file, status_port
        self.trust_file = ca_file.with_name("trust.pem") if ca_file else None
        self.endpoint = "%s://127.0.0.1:%d" % ("https" if ca_file else "http", port)

    def accepted(self):
        """The connections nginx has accepted so far, this query's own included."""
        with socket.create_connection(("127.0.0.1", self.status_port), timeout=10) as s:
            s.sendall(b"GET /__status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
        m = re.search(rb"server accepts handled requests\s+(\d+)", data)
        if not m:
            raise BenchError("nginx's stub_status answered %r" % data[:300])
        return int(m.group(1))


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


def children_of(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def start_with_port_line(name, cmd, work):
    """Starts a server whose first stdout line is its port (the emulator, the callback receiver)."""
    out_path, err_path = work / (name + ".out"), work / (name + ".err")
    out, err = open(out_path, "wb"), open(err_path, "wb")
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=base_env(), cwd=str(work))
    out.close()
    err.close()
    PROCS.add(name, proc)
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


def make_certificates(tls_dir):
    """A CA and a server certificate for 127.0.0.1 signed by it (RSA 2048, valid 2 days), made with openssl for
    this run only, and trust.pem: the system's CA bundle with that CA appended, the trust store a production client
    has when OSS's root is one of the system's roots. Returns (ca.pem, server.pem, server.key)."""
    tls_dir.mkdir()
    ca, ca_key = tls_dir / "ca.pem", tls_dir / "ca.key"
    cert, key, csr, ext = tls_dir / "server.pem", tls_dir / "server.key", tls_dir / "server.csr", tls_dir / "ext.cnf"
    ext.write_text("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                   "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\nsubjectKeyIdentifier=hash\n"
                   "authorityKeyIdentifier=keyid\n")
    steps = [
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2",
         "-subj", "/CN=ossrs bench CA", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1"],
        ["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "2",
         "-extfile", ext],
    ]
    for args in steps:
        p = subprocess.run(["openssl"] + [str(a) for a in args], capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise BenchError("openssl %s failed: %s" % (args[0], p.stderr[-1000:]))
    system = Path(ssl.get_default_verify_paths().openssl_cafile or "")
    if not system.is_file():
        raise BenchError("the system's CA bundle (%s) is missing: apt-get install -y ca-certificates" % system)
    (tls_dir / "trust.pem").write_bytes(system.read_bytes().rstrip(b"\n") + b"\n" + ca.read_bytes())
    return ca, cert, key


def start_nginx(tmp_root):
    """The discard sink: nginx in the foreground, unprivileged (user nobody when we are root), everything in a temp
    dir, one plain-HTTP and one HTTPS port (certificates from make_certificates in the same dir).
    Returns (master Popen, port, TLS port, dir, CA file)."""
    ngx_dir = Path(tempfile.mkdtemp(prefix="ossrs-bench-nginx-", dir=tmp_root))
    (ngx_dir / "empty").mkdir()
    ca, cert, key = make_certificates(ngx_dir / "tls")
    template = (BENCH / "nginx.conf.in").read_text()
    run_as = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        run_as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    for attempt in range(5):
        port, tls_port = free_port(), free_port()
        conf = (template.replace("@DIR@", str(ngx_dir)).replace("@PORT@", str(port))
                .replace("@TLS_PORT@", str(tls_port)).replace("@CERT@", str(cert)).replace("@KEY@", str(key)))
        (ngx_dir / "nginx.conf").write_text(conf)
        if run_as:
            for p in [ngx_dir] + list(ngx_dir.rglob("*")):
                os.chown(p, run_as["user"], run_as["group"])
        with open(ngx_dir / "stderr", "wb") as err:
            proc = subprocess.Popen(["nginx", "-p", str(ngx_dir), "-c", str(ngx_dir / "nginx.conf"),
                                     "-e", str(ngx_dir / "error.log")],
                                    stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, cwd=str(ngx_dir),
                                    env={"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin")}, **run_as)
        PROCS.add("nginx", proc)
        if wait_port(port, proc, "nginx") and wait_port(tls_port, proc, "nginx"):
            return proc, port, tls_port, ngx_dir, ca
        error_log = ngx_dir / "error.log"
        log("   nginx did not start on ports %d/%d (attempt %d): %s" % (
            port, tls_port, attempt + 1, error_log.read_text(errors="replace")[-500:] if error_log.exists() else ""))
    raise BenchError("nginx did not start; see %s" % ngx_dir)


# ---------------------------------------------------------------------------------------------------------------
# Machine description


def first_line(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "unavailable (%s)" % e
    text = (p.stdout + p.stderr).strip()
    return text.splitlines()[0].strip() if text else "unavailable"


def ossrs_version():
    m = re.search(r'#define OSSRS_VERSION "([^"]+)"', (ROOT / "include" / "ossrs.h").read_text())
    return m.group(1) if m else "?"


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
        ("OpenSSL", first_line(["openssl", "version"])),
        ("oss2", oss2_version),
        ("Python (oss2)", first_line([OSS2_PYTHON, "--version"])),
        ("wrk", first_line(["wrk", "-v"]).split(" Copyright")[0]),
        ("md5sum", first_line(["md5sum", "--version"])),
        ("C compiler", first_line(["cc", "--version"])),
        ("libossrs", "%s (target/release, cargo build --release --workspace)" % ossrs_version()),
    ]

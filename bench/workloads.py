"""The workloads and where their runs are kept.

A workload is a function of (Bench, Server) that lists its items, each a client command with its environment, and
hands them to Bench.repeat with a `finish` that checks every run and fills in its figures. Its runs are kept under
(server name, workload prefix + item key), e.g. ("sink", "w2c"); report.py turns them into tables. To add a
workload (say W4), write such a function, add it to run.py's PLAN for the servers it runs against and give it a
table in report.py.

  W1  the managed multipart upload of one file (seed PHP sample, C at parallelism 1/2/4, PHP multiuploadFile,
      oss2, md5sum as the limit)
  W2  sequential 4 KiB PutObject with callback (C, PHP, oss2; bare reqwest and wrk replaying libossrs's request as
      floor and limit), over plain HTTP or, against the TLS sink, over HTTPS
  W4  PHP-FPM behind nginx, a new OssClient per request, one 4 KiB PutObject with callback to the sink over HTTP
      and HTTPS, driven by wrk at concurrency 1, 8 and 32 (ossrs; the official PHP SDK when OSS_PHP_SDK_DIR is set;
      oss2 threads and wrk replaying libossrs's request straight at the sink at the same concurrency)
  W5  one BENCH_STREAM_MB MiB PutObject whose body a C read callback generates, then its GetObject into a C sink,
      against the emulator (which stores the object): throughput and the client's peak RSS
"""

import os
import urllib.request

import re
import socket
import ssl
import subprocess
import threading

import fpm
from harness import (BENCH, EMU_W1_REPEAT, FILE_MB, OSS2_PYTHON, PART_SIZE, REPEAT, STREAM_MB, TRANSPORT_FLOOR,
                     W2_COUNT, W2_SINK_REPEAT, W2_SIZE, W4_CONCURRENCY, W4_REPEAT, W4_SECONDS, WRK_SECONDS, PROCS,
                     BenchError, base_env, log, measure)

PHP = ["php", "-d", "ffi.enable=1"]


class Bench:
    """The servers, the callback receiver's URL and every measured run of this benchmark."""

    def __init__(self, work, client_exe, upload_file):
        self.work = work
        self.client_exe, self.upload_file = client_exe, upload_file  # bench/bench_client.c built; W1's file
        self.results = {}  # (server name, item) -> list of Run
        self.servers = {}  # server name -> harness.Server
        self.callback_url = None
        self.notes = []
        self.extra = {}

    def record(self, server, item, run):
        self.results.setdefault((server, item), []).append(run)

    def runs(self, server, item):
        return self.results.get((server, item), [])

    def eligible(self, server, item):
        """Runs during which other processes stayed below BUSY_OTHERS cores (all runs when none did)."""
        runs = self.runs(server, item)
        return [r for r in runs if not r.disturbed] or runs

    def best(self, server, item):
        runs = self.eligible(server, item)
        return min(runs, key=lambda r: r.wall) if runs else None

    def best_rps(self, server, item):
        runs = self.eligible(server, "w2" + item)
        return max(runs, key=lambda r: r.rps) if runs else None

    def max_rss(self, server, item):
        runs = self.runs(server, item)
        return max(r.rss_mib for r in runs) if runs else None

    def all_runs(self, server, item, fmt_run):
        return ", ".join(fmt_run(r) + ("*" if r.disturbed else "") for r in self.runs(server, item))

    def env_for(self, server, obj):
        """A client's environment for `server`. For the TLS sink the CA goes to bench_client (OSS_CA_CERT_FILE ->
        the ca_cert_file setting, added to the system store) and oss2 gets the system bundle with the CA appended
        (REQUESTS_CA_BUNDLE); the PHP items add SSL_CERT_FILE themselves."""
        env = base_env()
        env.update(OSS_ENDPOINT=server.endpoint, OSS_OBJECT=obj, OSS_CALLBACK_URL=self.callback_url,
                   OSS_CALLBACK_HOST="127.0.0.1")
        if server.ca_file:
            env.update(OSS_CA_CERT_FILE=str(server.ca_file), REQUESTS_CA_BUNDLE=str(server.trust_file))
        return env

    def php_env(self, server, obj):
        """As env_for; PHP's OssClient has no CA-file option, so over TLS libossrs's system store is replaced by the
        system bundle with the CA appended (SSL_CERT_FILE)."""
        env = self.env_for(server, obj)
        if server.ca_file:
            env["SSL_CERT_FILE"] = str(server.trust_file)
        return env

    def repeat(self, server, prefix, items, rounds, finish):
        """Runs the items (key, command, environment, timeout s) `rounds` times, interleaved, and keeps each run
        under prefix + key. finish(key, run) checks the run, fills in its figures and returns what is logged.
        Against the sink, run.connections is the number of connections the run opened."""
        for rep in range(rounds):
            for key, cmd, env, timeout in items:
                accepted = server.accepted() if server.status_port else None
                run = measure("%s %s %s" % (prefix.upper(), key, server.name), cmd, env, timeout,
                              self.work / ("%s-%s-%s-%d.out" % (prefix, server.name, key, rep)))
                if accepted is not None:  # minus the connection of the second query
                    run.connections = server.accepted() - accepted - 1
                text = finish(key, run)
                self.record(server.name, prefix + key, run)
                log("   %s %-4s %-8s run %d: %s" % (prefix.upper(), key, server.name, rep + 1, text))


# ---------------------------------------------------------------------------------------------------------------
# W1


def w1_commands(b, server, upload_file):
    """The W1 clients uploading `upload_file` to `server`: [(key, command, environment)], the limit (d) first."""
    php_env = b.env_for(server, "w1/php-sample.bin")
    php_env.pop("OSS_ENDPOINT")  # the seed sample's endpoint is hard-coded: it reaches the server through a proxy
    php_env.update(OSS_UPLOAD_FILE=str(upload_file), http_proxy="http://127.0.0.1:%d" % server.port)
    items = [("d", ["md5sum", str(upload_file)], base_env()),
             ("a", PHP + ["php-example/samples/multipart_callback.php"], php_env)]
    for p in (1, 2, 4):
        items.append(("b%d" % p, [str(b.client_exe), "upload", str(upload_file), str(p), str(PART_SIZE)],
                      b.env_for(server, "w1/c-p%d.bin" % p)))
    items.append(("e", PHP + [str(BENCH / "w1_multiupload.php"), str(upload_file), "2", str(PART_SIZE)],
                  b.php_env(server, "w1/php-multiupload.bin")))
    items.append(("c", [OSS2_PYTHON, str(BENCH / "oss2_client.py"), "multipart", str(upload_file), str(PART_SIZE)],
                  b.env_for(server, "w1/oss2.bin")))
    return items


def w1(b, server):
    rounds = REPEAT if server.name == "sink" else EMU_W1_REPEAT
    log("== W1 against the %s (%d MiB, best of %d)" % (server.name, FILE_MB, rounds))
    timeout = 120 + FILE_MB * 0.5
    # The limit (d) talks to no server: it is measured with the sink's runs only.
    items = [(key, cmd, env, timeout) for key, cmd, env in w1_commands(b, server, b.upload_file)
             if key != "d" or server.name == "sink"]

    def finish(key, run):
        check_w1(key, run)
        text = "%7.3f s wall, %6.1f MiB peak RSS, %5.2f CPU s" % (run.wall, run.rss_mib, run.cpu)
        if server.name == "emulator":
            run.emulator_share = run.server_cpu_by_pid[server.pids[0]]
            text += ", emulator %.0f%% of a core" % (100 * run.emulator_share)
        return text

    b.repeat(server, "w1", items, rounds, finish)


def check_w1(key, run):
    if key == "d":
        if not re.match(r"^[0-9a-f]{32} ", run.out):
            raise BenchError("md5sum printed %r" % run.out[:200])
    elif key == "a":
        if "completeMultipartUpload OK" not in run.out:
            raise BenchError("the PHP sample did not complete:\n%s\n%s" % (run.out[-1000:], run.err[-1000:]))
    elif "status=200" not in run.out or "Status" not in run.out:
        raise BenchError("%s: unexpected answer %r" % (run.name, run.out[-500:]))


# ---------------------------------------------------------------------------------------------------------------
# W2


def w2_commands(b, server, count, tag=""):
    """The W2 clients (C, PHP FFI, the bare FFI loop, oss2) sending `count` PutObjects to `server`:
    [(name, command, environment)]."""
    return [
        ("c", [str(b.client_exe), "put", str(count), str(W2_SIZE)], b.env_for(server, "w2/c" + tag)),
        ("php", PHP + [str(BENCH / "w2_put.php"), str(count), str(W2_SIZE)], b.php_env(server, "w2/php" + tag)),
        ("ffi", PHP + [str(BENCH / "w2_ffi.php"), str(count), str(W2_SIZE)], b.php_env(server, "w2/ffi" + tag)),
        ("oss2", [OSS2_PYTHON, str(BENCH / "oss2_client.py"), "put", str(count), str(W2_SIZE)],
         b.env_for(server, "w2/oss2" + tag)),
    ]


def wrk_command(b, server, path):
    env = base_env()
    env.update(WRK_PUT_HEADERS=str(b.work / "wrk.headers"), WRK_PUT_BODY=str(b.work / "wrk.body"))
    return ["wrk", "-t1", "-c1", "-d%ds" % WRK_SECONDS, "-s", str(BENCH / "wrk_put.lua"), server.endpoint + path], env


def wrk_rate(out):
    """wrk's (requests/s, requests), or None when its summary is missing."""
    m = re.search(r"Requests/sec:\s+([0-9.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    return (float(m.group(1)), int(total.group(1)) if total else 0) if m else None


def w2(b, server):
    """W2 against `server`; over TLS without the bare reqwest floors (they know no CA)."""
    rounds = W2_SINK_REPEAT if server.status_port else REPEAT
    log("== W2 against the %s (%d x %d B, best of %d)" % (server.name, W2_COUNT, W2_SIZE, rounds))
    items = [(key, cmd, env, 300) for key, cmd, env in w2_commands(b, server, W2_COUNT)]
    method, path, headers, body = capture_put(b.client_exe, b.work, b.callback_url)
    status = replay_once(server, method, path, headers, body)
    if status == 200:
        wrk_cmd, wrk_env = wrk_command(b, server, path)
        items.append(("wrk", wrk_cmd, wrk_env, WRK_SECONDS + 60))
        if not server.ca_file:
            for mode in ("blocking", "async"):
                items.append(("rq" + mode, [str(TRANSPORT_FLOOR), mode, server.endpoint + path, str(W2_COUNT)],
                              wrk_env, 300))
    else:
        b.notes.append("W2 wrk on the %s: the replayed request was answered %d, so no wrk figure." % (
            server.name, status))
    b.extra.setdefault("wrk_cmd", "wrk -t1 -c1 -d%ds -s bench/wrk_put.lua http://127.0.0.1:PORT%s" % (
        WRK_SECONDS, path))
    b.extra["wrk_path"] = path

    def finish(key, run):
        if key == "wrk":
            rate = wrk_rate(run.out)
            if not rate or re.search(r"Non-2xx or 3xx responses:\s+(\d+)", run.out) or "Socket errors:" in run.out:
                raise BenchError("wrk on the %s: %s" % (server.name, run.out))
            run.rps, run.requests = rate
        else:
            if "status=200" not in run.out or run.elapsed is None:
                raise BenchError("%s: unexpected answer %r %r" % (run.name, run.out[-500:], run.err[-500:]))
            run.rps, run.requests = W2_COUNT / run.elapsed, W2_COUNT
        return "%9.0f requests/s" % run.rps + (", %d connection(s)" % run.connections if server.status_port else "")

    b.repeat(server, "w2", items, rounds, finish)


def capture_put(client_exe, work, callback_url):
    """Runs `bench_client put 1 4096` against a one-shot local listener, writes the request's headers and body
    for wrk (work/wrk.headers, work/wrk.body) and returns (method, path, headers, body)."""
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


def replay_once(server, method, path, headers, body):
    """Sends the captured request once to `server` (over TLS when it has a CA) and returns the answer's status."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as raw:
        s = ssl.create_default_context(cafile=str(server.ca_file)).wrap_socket(
            raw, server_hostname="127.0.0.1") if server.ca_file else raw
        head = "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % (method, path, server.port)
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
# W4


def wrk_latency(out):
    """(p50, p99) in ms from wrk --latency's distribution."""
    scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}
    found = dict(re.findall(r"^\s+(50|99)%\s+([0-9.]+(?:us|ms|s))\s*$", out, re.M))
    if set(found) != {"50", "99"}:
        raise BenchError("wrk printed no latency distribution: %r" % out[-500:])

    def ms(text):
        number, unit = re.match(r"([0-9.]+)(us|ms|s)", text).groups()
        return float(number) * scale[unit]

    return ms(found["50"]), ms(found["99"])


def w4_wrk(url, concurrency, script=None):
    cmd = ["wrk", "-t%d" % min(2, concurrency), "-c%d" % concurrency, "-d%ds" % W4_SECONDS, "--latency"]
    return cmd + (["-s", str(script)] if script else []) + [url]


def w4(b, sink):
    """W4 against the sink (plain and TLS ports): the pools are started here and stopped with the run."""
    tls = b.servers["sink-tls"]
    kinds = ["ossrs"] + (["sdk"] if os.environ.get("OSS_PHP_SDK_DIR") else [])
    if len(kinds) == 1:
        b.notes.append("W4: OSS_PHP_SDK_DIR is not set, so the official PHP SDK was not measured.")
    log("== W4: PHP-FPM (8 workers) behind nginx, a new OssClient per request, %d s per run, best of %d (%s)" % (
        W4_SECONDS, W4_REPEAT, ", ".join(kinds)))
    ports = {}
    for kind in kinds:
        ports[kind], roots = fpm.start_pool(kind, b.work, sink.endpoint, tls.endpoint, tls.trust_file, b.callback_url)
        PROCS.cpu_trees += roots  # the pools are part of what W4 measures, not "other processes"
        for flag in ("0", "1"):  # one request answered 200 before measuring, then one second of warm-up
            url = "http://127.0.0.1:%d/app.php?tls=%s" % (ports[kind], flag)
            try:
                answer = urllib.request.urlopen(url, timeout=30).read().decode(errors="replace")
            except OSError as e:
                raise BenchError("W4 %s pool: %s answered %s" % (kind, url, e))
            if answer.strip() != "200":
                raise BenchError("W4 %s pool: %s answered %r" % (kind, url, answer[:300]))
            subprocess.run(w4_wrk(url, 32)[:3] + ["-d1s", url], capture_output=True, timeout=60)
    method, path, headers, body = capture_put(b.client_exe, b.work, b.callback_url)
    wrk_env = base_env()
    wrk_env.update(WRK_PUT_HEADERS=str(b.work / "wrk.headers"), WRK_PUT_BODY=str(b.work / "wrk.body"))
    for proto, server, flag in (("http", sink, "0"), ("https", tls, "1")):
        if replay_once(server, method, path, headers, body) != 200:
            raise BenchError("W4: the replayed request was not answered 200 by the %s" % server.name)
        items = []
        for c in W4_CONCURRENCY:
            if proto == "http":
                items.append(("noop-http-c%d" % c, w4_wrk("http://127.0.0.1:%d/app.php?noop=1" % ports["ossrs"], c),
                              base_env(), W4_SECONDS + 60))
            for kind in kinds:
                items.append(("%s-%s-c%d" % (kind, proto, c),
                              w4_wrk("http://127.0.0.1:%d/app.php?tls=%s" % (ports[kind], flag), c), base_env(),
                              W4_SECONDS + 60))
            items.append(("oss2-%s-c%d" % (proto, c),
                          [OSS2_PYTHON, str(BENCH / "oss2_client.py"), "concurrent", str(c), str(W4_SECONDS)],
                          b.env_for(server, "w4/oss2"), W4_SECONDS + 60))
            items.append(("wrk-%s-c%d" % (proto, c), w4_wrk(server.endpoint + path, c, BENCH / "wrk_put.lua"),
                          wrk_env, W4_SECONDS + 60))

        def finish(key, run):
            if key.startswith("oss2"):
                m = re.search(r"status=200 .*requests=(\d+) p50_ms=([0-9.]+) p99_ms=([0-9.]+)", run.out)
                if not m:
                    raise BenchError("%s: %r %r" % (run.name, run.out[-500:], run.err[-500:]))
                run.requests, run.p50, run.p99 = int(m.group(1)), float(m.group(2)), float(m.group(3))
                run.rps = run.requests / run.elapsed
            else:
                rate = wrk_rate(run.out)
                if not rate or re.search(r"Non-2xx or 3xx responses", run.out) or "Socket errors:" in run.out:
                    raise BenchError("%s: %s" % (run.name, run.out))
                run.rps, run.requests = rate
                run.p50, run.p99 = wrk_latency(run.out)
            return "%8.0f requests/s, p50 %.2f ms, p99 %.2f ms" % (run.rps, run.p50, run.p99)

        b.repeat(server, "w4", items, W4_REPEAT, finish)
    PROCS.cpu_trees = []


# ---------------------------------------------------------------------------------------------------------------
# W5


def w5(b, server):
    size = STREAM_MB << 20
    log("== W5 against the %s (%d MiB streamed up from a read callback, then down into a sink)" % (server.name,
                                                                                                  STREAM_MB))
    env = b.env_for(server, "w5/streamed.bin")
    timeout = 120 + STREAM_MB * 0.5
    items = [("put", [str(b.client_exe), "stream-put", str(size)], env, timeout),
             ("get", [str(b.client_exe), "stream-get"], env, timeout)]

    def finish(key, run):
        m = re.match(r"bytes=(\d+) elapsed_s=([0-9.]+) status=200", run.out)
        if not m or int(m.group(1)) != size:
            raise BenchError("W5 %s: unexpected answer %r %r" % (key, run.out[-300:], run.err[-300:]))
        run.elapsed = float(m.group(2))
        run.mbps = size / run.elapsed / 1e6
        return "%7.3f s, %6.0f MB/s, %6.1f MiB peak RSS, %5.2f CPU s" % (run.elapsed, run.mbps, run.rss_mib, run.cpu)

    b.repeat(server, "w5", items, 1, finish)

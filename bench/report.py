"""BENCHMARKS.md: the machine, the setup, the measured figures, the targets with PASS/MISS, and the profiles of the
missed targets. Figures only: every number comes from this run's Bench and profiles."""

from collections import namedtuple

from harness import (BUSY_OTHERS, EMU_W1_REPEAT, FILE_MB, MIB, PART_SIZE, REPEAT, STREAM_MB, W2_COUNT,
                     W2_SINK_REPEAT, W2_SIZE, W4_CONCURRENCY, W4_REPEAT, W4_SECONDS, WRK_SECONDS, busiest)
from profiling import shorten

Target = namedtuple("Target", "text ok measured key")  # key: profiling.PROFILE_PLAN

W1_ROWS = [("w1a", "(a) PHP FFI, seed sample unchanged"), ("w1b1", "(b) C `oss_upload_file`, parallelism 1"),
           ("w1b2", "(b) C `oss_upload_file`, parallelism 2"), ("w1b4", "(b) C `oss_upload_file`, parallelism 4"),
           ("w1e", "(e) PHP FFI `multiuploadFile`, parallelism 2"), ("w1c", "(c) oss2"),
           ("w1d", "(d) md5sum (limit)")]
W2_ROWS = [("c", "C `oss_put_object_with_callback`"), ("php", "PHP FFI `OssClient::putObject`"),
           ("ffi", "bare PHP FFI loop: the same C call, answer read with `oss_response_head`"),
           ("oss2", "oss2 `put_object`"), ("rqblocking", "bare `reqwest::blocking` replay (transport floor)"),
           ("rqasync", "bare reqwest async on the calling thread (replay)"), ("wrk", "wrk -t1 -c1 (limit)")]
W3_ROWS = [("w1a", "PHP running the seed sample (a)", "< 50 MiB"), ("w1b1", "C, parallelism 1", "≤ 42 MiB"),
           ("w1b2", "C, parallelism 2", "≤ 52 MiB"), ("w1b4", "C, parallelism 4", "≤ 72 MiB"),
           ("w1e", "PHP `multiuploadFile`, parallelism 2 (e; for comparison)", ""),
           ("w1c", "oss2 (for comparison)", "")]


def fmt(x, digits=2):
    return "—" if x is None else ("%.*f" % (digits, x))


def cpu_us(run):
    """Client CPU (user+system, whole process, start-up included) per request, in µs."""
    return 1e6 * run.cpu / max(1, run.requests)


def judge(b):
    """The targets, judged on the sink figures."""
    t = []
    md5, p2, php, oss2 = (b.best("sink", x) for x in ("w1d", "w1b2", "w1a", "w1c"))
    r = p2.wall / md5.wall
    t.append(Target("W1 managed upload, parallelism 2: wall time ≤ 1.0 × md5sum", r <= 1.0,
                    "%.3f s vs %.3f s = %.2f × md5sum" % (p2.wall, md5.wall, r), "w1b2_md5"))
    s = oss2.elapsed / p2.elapsed
    t.append(Target("W1 managed upload, parallelism 2: ≥ 3 × faster than oss2", s >= 3.0,
                    "oss2 %.3f s / ossrs %.3f s = %.2f × (upload time)" % (oss2.elapsed, p2.elapsed, s), "w1b2_oss2"))
    r = php.wall / md5.wall
    t.append(Target("W1 seed sample through PHP FFI: wall time ≤ 1.6 × md5sum", r <= 1.6,
                    "%.3f s vs %.3f s = %.2f × md5sum" % (php.wall, md5.wall, r), "w1a_md5"))
    wrk, c, p, o = (b.best_rps("sink", x) for x in ("wrk", "c", "php", "oss2"))
    if wrk:
        t.append(Target("W2 from C: ≥ 80 % of wrk's requests/s", c.rps >= 0.8 * wrk.rps,
                        "%.0f vs %.0f requests/s = %.0f %%" % (c.rps, wrk.rps, 100 * c.rps / wrk.rps), "w2c_wrk"))
        t.append(Target("W2 through PHP FFI: ≥ 70 % of wrk's requests/s", p.rps >= 0.7 * wrk.rps,
                        "%.0f vs %.0f requests/s = %.0f %%" % (p.rps, wrk.rps, 100 * p.rps / wrk.rps), "w2php_wrk"))
    floor = b.best_rps("sink", "rqblocking")
    if floor:
        t.append(Target("W2 from C: ≥ 90 % of the bare reqwest::blocking replay", c.rps >= 0.9 * floor.rps,
                        "%.0f vs %.0f requests/s = %.0f %%" % (c.rps, floor.rps, 100 * c.rps / floor.rps), "w2c_wrk"))
        t.append(Target("W2 through PHP FFI: ≥ 80 % of the bare reqwest::blocking replay", p.rps >= 0.8 * floor.rps,
                        "%.0f vs %.0f requests/s = %.0f %%" % (p.rps, floor.rps, 100 * p.rps / floor.rps),
                        "w2php_wrk"))
    t.append(Target("W2 from C: ≥ 10 × oss2's requests/s", c.rps >= 10 * o.rps,
                    "%.0f vs %.0f requests/s = %.1f ×" % (c.rps, o.rps, c.rps / o.rps), "w2c_oss2"))
    t.append(Target("W2 through PHP FFI: ≥ 10 × oss2's requests/s", p.rps >= 10 * o.rps,
                    "%.0f vs %.0f requests/s = %.1f ×" % (p.rps, o.rps, p.rps / o.rps), "w2php_oss2"))
    for par in (1, 2, 4):
        rss = b.max_rss("sink", "w1b%d" % par)
        limit = par * PART_SIZE / MIB + 32
        t.append(Target("W3 managed upload, parallelism %d: peak RSS ≤ %d × 10 MiB + 32 MiB = %d MiB" % (
            par, par, limit), rss <= limit, "%.1f MiB" % rss, "w3b%d" % par))
    rss = b.max_rss("sink", "w1a")
    t.append(Target("W3 PHP process in W1 (a): peak RSS < 50 MiB", rss < 50, "%.1f MiB" % rss, "w3a"))
    for key in ("put", "get"):
        runs = b.runs("emulator", "w5" + key)
        if runs:
            rss = max(r.rss_mib for r in runs)
            t.append(Target("W5 %d MiB streamed %s (emulator): peak RSS < 48 MiB" % (
                STREAM_MB, "up" if key == "put" else "down"), rss < 48, "%.1f MiB" % rss, None))
    for proto, server, factor in (("HTTP", "sink", 1.5), ("HTTPS", "sink-tls", 20)):
        for c in W4_CONCURRENCY:
            ours, sdk = (w4_run(b, server, kind, c) for kind in ("ossrs", "sdk"))
            if ours and sdk:
                t.append(Target("W4 PHP-FPM over %s, concurrency %d: ≥ %g × the official PHP SDK's requests/s" % (
                    proto, c, factor), ours.rps >= factor * sdk.rps, "%.0f vs %.0f requests/s = %.2f ×" % (
                    ours.rps, sdk.rps, ours.rps / sdk.rps), None))
    return t


def w4_key(server, kind, c):
    """(server, item) of W4's runs of `kind` (noop, ossrs, sdk, oss2, wrk) at concurrency c against `server` (sink
    or sink-tls); the empty endpoint talks to no sink and is shown in both tables."""
    proto = "https" if server == "sink-tls" else "http"
    return ("sink" if kind == "noop" else server), "w4%s-%s-c%d" % (kind, "http" if kind == "noop" else proto, c)


def w4_run(b, server, kind, c):
    """The best (most requests/s) of W4's runs of `kind` at concurrency c against `server`."""
    runs = b.eligible(*w4_key(server, kind, c))
    return max(runs, key=lambda r: r.rps) if runs else None


def median(values):
    values = sorted(values)
    n = len(values)
    return (values[n // 2] + values[(n - 1) // 2]) / 2 if n else None


def round_ratio(b, server, item, base):
    """The median over the rounds of item's requests/s / base's in the same round (W2 runs interleaved)."""
    pairs = list(zip(b.runs(server, "w2" + item), b.runs(server, "w2" + base)))
    return median([ours.rps / theirs.rps for ours, theirs in pairs])


W4_ROWS = [("noop", "empty endpoint: nginx + FPM, no upload (ceiling)"),
           ("ossrs", "ossrs `OssClient` (PHP FFI, preloaded)"), ("sdk", "official aliyun-oss-php-sdk"),
           ("oss2", "oss2, one thread per connection (no FPM)"), ("wrk", "wrk replaying the request at the sink (limit)")]


def w4_section(w, b):
    w("### W4: PHP-FPM behind nginx, a new `OssClient` per request, one %d B PutObject with callback" % W2_SIZE)
    w("")
    w("8 static workers recycled every 500 requests, the production settings of bindings/php/README.md "
      "(tests/fpm's templates); wrk -c N for %d s at the nginx in front of FPM. Sink connections: how many TCP "
      "connections the sink accepted during the run." % W4_SECONDS)
    w("")
    for proto, server in (("HTTP", "sink"), ("HTTPS", "sink-tls")):
        w("| over %s | %s |" % (proto, " | ".join("c=%d requests/s | p50 ms | p99 ms | sink connections" % c
                                                 for c in W4_CONCURRENCY)))
        w("|---|%s" % ("---:|---:|---:|---:|" * len(W4_CONCURRENCY)))
        for kind, name in W4_ROWS:
            cells = []
            for c in W4_CONCURRENCY:
                r = w4_run(b, server, kind, c)
                cells.append("%.0f | %.2f | %.2f | %s" % (r.rps, r.p50, r.p99, getattr(r, "connections", "—"))
                             if r else "n/a | | |")
            w("| %s | %s |" % (name, " | ".join(cells)))
        ratios = []
        for c in W4_CONCURRENCY:
            ours, sdk, oss2, noop = (w4_run(b, server, kind, c) for kind in ("ossrs", "sdk", "oss2", "noop"))
            if ours and sdk:
                ratios.append("c=%d ossrs / SDK = %.2f ×" % (c, ours.rps / sdk.rps))
            if noop and sdk:
                ratios.append("c=%d ceiling / SDK = %.1f ×" % (c, noop.rps / sdk.rps))
            if noop and ours:
                ratios.append("c=%d ossrs / ceiling = %.0f %%" % (c, 100 * ours.rps / noop.rps))
            if ours and oss2:
                ratios.append("c=%d ossrs / oss2 = %.1f ×" % (c, ours.rps / oss2.rps))
        w("")
        if ratios:
            w("Ratios over %s: %s." % (proto, "; ".join(ratios)))
            w("")
        if W4_REPEAT > 1:
            w("All runs over %s, requests/s: %s." % (proto, "; ".join(
                "%s c=%d %s" % (kind, c, b.all_runs(*w4_key(server, kind, c), lambda x: "%.0f" % x.rps))
                for c in W4_CONCURRENCY for kind in ("ossrs", "sdk") if b.runs(*w4_key(server, kind, c)))))
            w("")


def w5_section(w, b):
    w("### W5 against the emulator: one %d MiB object streamed up from a read callback and down into a sink"
      % STREAM_MB)
    w("")
    w("| item | s | MB/s | peak RSS MiB | CPU s |")
    w("|---|---:|---:|---:|---:|")
    for key, name in (("put", "C `oss_client_call` PutObject, body from `oss_options_set_body_reader`"),
                      ("get", "C `oss_get_object_to_sink`, counting the bytes")):
        run = b.runs("emulator", "w5" + key)[0]
        w("| %s | %.3f | %.0f | %.1f | %.2f |" % (name, run.elapsed, run.mbps, run.rss_mib, run.cpu))
    w("")


def render(b, desc, targets, profiles, started, elapsed, load_before, loadavg_before, load_after):
    L = []
    w = L.append
    w("# ossrs benchmarks")
    w("")
    w("Written by `make bench` (bench/run.sh → bench/run.py) on %s UTC, in %.0f s; every figure below comes from "
      "that run. Settings: BENCH_FILE_MB=%d BENCH_REPEAT=%d BENCH_EMULATOR_W1_REPEAT=%d BENCH_W2_COUNT=%d "
      "BENCH_W2_SINK_REPEAT=%d BENCH_WRK_SECONDS=%d BENCH_W4_SECONDS=%d BENCH_W4_REPEAT=%d." % (
          started.strftime("%Y-%m-%d %H:%M"), elapsed, FILE_MB, REPEAT, EMU_W1_REPEAT, W2_COUNT, W2_SINK_REPEAT,
          WRK_SECONDS, W4_SECONDS, W4_REPEAT))
    w("")
    machine_section(w, b, desc, load_before, loadavg_before, load_after)
    setup_section(w, b)
    w("## Results")
    w("")
    oss2_version = dict(desc)["oss2"].split(" ")[0]
    for server in ("sink", "emulator"):
        w1_section(w, b, server, oss2_version)
        w("### W2 against the %s: %d PutObject with callback, %d B each, sequential" % (server, W2_COUNT, W2_SIZE))
        w("")
        w2_table(w, b, server)
        if server == "sink" and b.runs("sink-tls", "w2c"):
            w("### W2 over HTTPS against the sink: the same %d PutObject" % W2_COUNT)
            w("")
            w2_table(w, b, "sink-tls")
            w2_https_vs_http(w, b)
        if server == "sink" and b.runs("sink", "w4ossrs-http-c1"):
            w4_section(w, b)
    if b.runs("emulator", "w5put"):
        w5_section(w, b)
    w("### W3: peak RSS during W1 (largest of the runs)")
    w("")
    w("| process | sink MiB | emulator MiB | bound |")
    w("|---|---:|---:|---|")
    for item, name, bound in W3_ROWS:
        w("| %s | %.1f | %.1f | %s |" % (name, b.max_rss("sink", item), b.max_rss("emulator", item), bound))
    w("")
    w("## Targets (on the sink figures)")
    w("")
    w("| target | measured | |")
    w("|---|---|---|")
    for t in targets:
        w("| %s | %s | **%s** |" % (t.text, t.measured, "PASS" if t.ok else "MISS"))
    w("")
    for note in b.notes:
        w("- " + note)
    if b.notes:
        w("")
    if b.extra.get("w2busy") or profiles:
        profiles_section(w, b, profiles)
    return "\n".join(L).rstrip() + "\n"


def machine_section(w, b, desc, load_before, loadavg_before, load_after):
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
          "the run (%.2f cores before, %.2f after)." % (
              BUSY_OTHERS, len(busy), len(all_runs), ", ".join(sorted({r.name for r in busy})) or "none",
              load_before[0], load_after[0]))
        w("")


def setup_section(w, b):
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
      "`OSS_CALLBACK`/`OSS_CALLBACK_VAR`), the bare PHP FFI loop (`bench/w2_ffi.php`: the `oss_put_object_with_callback` "
      "call `putObject` makes, straight through FFI without `OssClient`, each answer read with `oss_response_head` + "
      "`explode` as `OssClient` reads it), oss2 (`put_object` with the callback headers and Content-MD5). The limit "
      "is `%s` replaying the request libossrs sends (captured once: same headers, signature and body); the floors "
      "replay it with bare reqwest (`bench/transport-floor`)." % (W2_COUNT, W2_SIZE, b.extra.get("wrk_cmd", "wrk")))
    w("- **W2 over HTTPS**: the same clients against the TLS port of the same nginx (`ssl_protocols TLSv1.2 "
      "TLSv1.3`), with a CA and a server certificate for IP 127.0.0.1 (RSA 2048) made with `openssl` in the run's "
      "temp dir. Trust as in production, where the root of OSS's certificate is one of the system's: C adds the CA "
      "to the system store with the client setting `ca_cert_file` (`OSS_CA_CERT_FILE` in `bench_client.c`); the "
      "others get the system's CA bundle with the CA appended (`trust.pem`): PHP's `OssClient` has no CA-file "
      "option, so the PHP clients run with `SSL_CERT_FILE` (it replaces libossrs's system store), oss2 with "
      "`REQUESTS_CA_BUNDLE`, and in W4 the official SDK's curl with `curl.cainfo`; wrk does not verify. The bare "
      "reqwest floors are not run over "
      "HTTPS. *connections* (sink only) is the number of connections nginx accepted during each run (its "
      "stub_status counter, read before and after; wrk opens one more to probe the server before its run).")
    w("- **Measurement**: each client is a child process; wall time from its start to its exit, peak RSS = "
      "`ru_maxrss` and CPU = user+system time of the client process, both from the rusage that GNU time (`/usr/bin/time`) gets "
      "from `wait4` (the client runs under it, so the figures are not inflated by this Python driver's own "
      "memory, which Linux carries across exec). Each item runs %d times (interleaved; W1 against the emulator "
      "%d time%s; W2 against the sink %d times, since one of its runs takes half a second and the rate of "
      "consecutive runs on this shared machine differs by up to 2 ×; W4 %d times); the tables show the best wall "
      "time (W2 and W4: best requests/s) and the largest peak RSS, and list every run. A run during which other processes used more than %.2f cores (*others*; and more than 50 ms of "
      "CPU in all) is marked `*` and is not taken as the best unless every run of that item was disturbed. *upload s* is the time the client measured "
      "around its uploads only (no interpreter start, no imports); W2 requests/s use that time; *CPU µs/request* "
      "divides the client's whole CPU time (start-up included) by its requests. *server* is the "
      "CPU of the server processes (nginx master+worker, or emulator+callback receiver) during the run and *others* "
      "that of every other user-space process on the machine, both in cores. MB/s = 10^6 bytes per second." % (
          REPEAT, EMU_W1_REPEAT, "" if EMU_W1_REPEAT == 1 else "s", W2_SINK_REPEAT, W4_REPEAT, BUSY_OTHERS))
    w("")


def w1_section(w, b, server, oss2_version):
    file_bytes = FILE_MB * MIB
    w("### W1 against the %s: %d MiB, 10 MiB parts" % (server, FILE_MB))
    w("")
    w("| client | wall s | MB/s | upload s | peak RSS MiB | client CPU s | server cores | others cores | "
      "all runs, wall s |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for item, name in W1_ROWS:
        srv = "sink" if item == "w1d" else server
        r = b.best(srv, item)
        if r is None:
            continue
        if item == "w1c":
            name += " " + oss2_version
        w("| %s%s | %.3f | %.0f | %s | %.1f | %.2f | %s | %.2f | %s |" % (
            name, "" if srv == server else " (no server)", r.wall, file_bytes / 1e6 / r.wall, fmt(r.elapsed, 3),
            b.max_rss(srv, item), r.cpu, fmt(r.server_cpu) if item != "w1d" else "—", r.others,
            b.all_runs(srv, item, lambda x: "%.3f" % x.wall)))
    md5, o = b.best("sink", "w1d"), b.best(server, "w1c")
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
        best, sink_p2 = b.best("emulator", "w1b2"), b.best("sink", "w1b2")
        w("")
        w("Emulator CPU during W1 (b) parallelism 2 (utime+stime of the oss-emulator process / wall time): %s of "
          "one core in the %d runs (best run %.0f %%, the client %.2f cores); wall time against the emulator / "
          "against the sink: %.3f s / %.3f s = %.2f ×." % (
              ", ".join("%.0f %%" % (100 * r.emulator_share) for r in b.runs("emulator", "w1b2")),
              len(b.runs("emulator", "w1b2")), 100 * best.emulator_share, best.cpu / best.wall, best.wall,
              sink_p2.wall, best.wall / sink_p2.wall))
    w("")


def w2_table(w, b, server):
    conns = b.servers[server].status_port is not None
    w("| client | requests/s | ms/request | client CPU µs/request | %speak RSS MiB | client CPU s | server cores | "
      "others cores | all runs, requests/s |" % ("connections | " if conns else ""))
    w("|---|---:|---:|---:|%s---:|---:|---:|---:|---|" % ("---:|" if conns else ""))
    for item, name in W2_ROWS:
        r = b.best_rps(server, item)
        if r is None:
            if not (b.servers[server].ca_file and item.startswith("rq")):  # no floors over TLS
                w("| %s | n/a |%s | | | | | | |" % (name, " |" if conns else ""))
            continue
        counts = "%s | " % b.all_runs(server, "w2" + item, lambda x: "%d" % x.connections) if conns else ""
        w("| %s | %.0f | %.3f | %.0f | %s%.1f | %.2f | %.2f | %.2f | %s |" % (
            name, r.rps, 1000 / r.rps, cpu_us(r), counts, r.rss_mib, r.cpu, r.server_cpu, r.others,
            b.all_runs(server, "w2" + item, lambda x: "%.0f" % x.rps)))
    wrk = b.best_rps(server, "wrk")
    c, p, o = (b.best_rps(server, x) for x in ("c", "php", "oss2"))
    parts = []
    if wrk:
        parts.append("C / wrk = %.0f %%, PHP FFI / wrk = %.0f %%" % (100 * c.rps / wrk.rps, 100 * p.rps / wrk.rps))
    floor = b.best_rps(server, "rqblocking")
    if floor:
        parts.append("C / reqwest::blocking floor = %.0f %%, PHP FFI / floor = %.0f %% (median of the rounds' own "
                     "ratios: %.0f %% and %.0f %%)" % (100 * c.rps / floor.rps, 100 * p.rps / floor.rps,
                                                      100 * round_ratio(b, server, "c", "rqblocking"),
                                                      100 * round_ratio(b, server, "php", "rqblocking")))
    bare = b.best_rps(server, "ffi")
    if bare:
        parts.append("bare PHP FFI loop / C = %.0f %%, PHP FFI / bare PHP FFI loop = %.0f %%" % (
            100 * bare.rps / c.rps, 100 * p.rps / bare.rps) + (
            ", bare PHP FFI loop / floor = %.0f %%" % (100 * bare.rps / floor.rps) if floor else ""))
    parts.append("C / oss2 = %.1f ×, PHP FFI / oss2 = %.1f ×" % (c.rps / o.rps, p.rps / o.rps))
    w("")
    w("Request-rate ratios (higher is better for ossrs): " + "; ".join(parts) + ".")
    w("")


def w2_https_vs_http(w, b):
    pairs = [(name, b.best_rps("sink", item), b.best_rps("sink-tls", item)) for item, name in
             (("c", "C"), ("php", "PHP FFI"), ("oss2", "oss2"), ("wrk", "wrk"))]
    pairs = [(name, http, https) for name, http, https in pairs if http and https]
    w("HTTPS against HTTP on the sink: requests/s " + ", ".join(
        "%s %.0f %%" % (name, 100 * https.rps / http.rps) for name, http, https in pairs) +
      "; client CPU per request " + ", ".join(
        "%s %+.0f µs" % (name, cpu_us(https) - cpu_us(http)) for name, http, https in pairs) + ".")
    w("")


def profiles_section(w, b, profiles):
    w("## Profiles of the missed targets (this run, against the sink)")
    busy = b.extra.get("w2busy")
    if busy:
        w("")
        w("### W2 while a spinning process keeps the second core busy")
        w("")
        w("| client | requests/s | µs/request | µs/request in the W2 table |")
        w("|---|---:|---:|---:|")
        for (name, rps), item in zip(busy, ("wrk", "c", "php")):
            calm = b.best_rps("sink", item)
            w("| %s | %s | %s | %s |" % (name, fmt(rps, 0), fmt(1e6 / rps if rps else None, 0),
                                         fmt(1e6 / calm.rps if calm else None, 0)))
    if profiles and not any("cycles" in str(p.get("stat", {})) for p in profiles):
        w("")
        w("perf here has no hardware counters (`perf stat -e instructions` reports `<not supported>`): instruction "
          "counts come from `valgrind --tool=callgrind` on a smaller run, `perf stat`/`perf record` use software "
          "events (task-clock, context switches, cpu-clock samples, kernel included).")
    for p in profiles:
        w("")
        w("### %s (%s)" % (p["title"], p["size"]))
        st = p.get("stat")
        if st:
            tc, wall = st.get("task-clock"), p.get("stat_wall")
            w("")
            w("`perf stat`: %s ms task-clock in %.3f s wall (%.2f CPUs), %s context switches, %s CPU migrations, "
              "%s page faults." % (
                  fmt(tc, 0), wall, (tc or 0) / 1000 / wall if wall else 0, fmt(st.get("context-switches"), 0),
                  fmt(st.get("cpu-migrations"), 0), fmt(st.get("page-faults"), 0)))
        if p.get("by_dso"):
            w("")
            w("`perf record -e cpu-clock` by object: " + ", ".join("%s %.1f %%" % (d, pct) for pct, d in p["by_dso"])
              + ".")
        if p.get("record"):
            w("")
            w("`perf record -e cpu-clock`, self time by symbol (≥ 1.5 %):")
            w("")
            w("| % | object | symbol |")
            w("|---:|---|---|")
            for pct, dso, sym in p["record"]:
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

"""Why a target of `make bench` is missed: one section per missed target, written by bench/run.py into
BENCHMARKS.md with the figures and profiles of the same run.

The explanations rest on how libossrs is built (read in src/, not measured): the transport is reqwest's *blocking*
client (src/core/http/transport.rs, fixed by the product card), which runs every exchange on a tokio runtime thread
of its own, so each request costs hand-offs between the calling thread and that thread; file ranges of up to 32 MiB
are read into one pooled buffer and sent without a copy; the managed upload (src/core/ops/upload_file.rs) has
`parallelism` reader threads that read and hash parts (MD5 with md-5's assembly, CRC-64) while `parallelism`
sender threads upload the parts already hashed, with at most `parallelism + 1` part buffers; the SDK's part pattern
(`getMd5SumForFile`, then `uploadPart` of the same range) is served by src/core/http/hashed_range.rs, which keeps
the hashed range for the upload and hashes the next range ahead. Every number below is taken from the run; a
statement that needs a number the run did not produce is left out.
"""

MIB = 1024 * 1024


def _profile(profiles, label):
    for p in profiles:
        if p["label"] == label:
            return p
    return None


def _perf_share(prof, *needles):
    """Sum of the listed perf-record self-time shares (rows >= 1.5 %) whose symbol contains one of the needles;
    None when no listed row matches."""
    if not prof or not prof.get("record"):
        return None
    hits = [pct for pct, dso, sym in prof["record"] if any(n in sym for n in needles)]
    return sum(hits) if hits else None


def _dso_share(prof, *needles):
    if not prof or not prof.get("by_dso"):
        return None
    hits = [pct for pct, dso in prof["by_dso"] if any(n in dso for n in needles)]
    return sum(hits) if hits else None


def _cg_share(prof, *needles):
    """Sum of the listed callgrind self-cost shares (top rows) matching a needle; None when none is listed."""
    if not prof or not prof.get("callgrind") or not prof["callgrind"][2]:
        return None
    hits = [pct for pct, name in prof["callgrind"][2] if any(n in name for n in needles)]
    return sum(hits) if hits else None


def _shares(pairs):
    """'a X %, b Y %' for the (label, share) pairs whose share is known."""
    return ", ".join("%s %.1f %%" % (label, v) for label, v in pairs if v is not None)


def _stat(prof, key):
    if not prof or not prof.get("stat"):
        return None
    return prof["stat"].get(key)


def _f(x, digits=1, unit=""):
    return "?" if x is None else "%.*f%s" % (digits, x, unit)


SCHED = ("finish_task_switch", "try_to_wake_up", "futex", "schedule", "_raw_spin_unlock", "poll_unparked",
         "lock_contended", "eventfd", "ep_poll", "do_epoll", "raw_waker", "syscall")


def explain(b, keys, profiles, file_mb, part_size, w2_count):
    out = []
    w = out.append
    md5 = b.best("sink", "w1d")

    if "w1b2_md5" in keys or "w1b2_oss2" in keys:
        p2, p4, o = b.best("sink", "w1b2"), b.best("sink", "w1b4"), b.best("sink", "w1c")
        prof = _profile(profiles, "w1b2")
        w("### W1 (b): the managed upload at parallelism 2")
        w("")
        if "w1b2_md5" in keys:
            w("- Measured: %.3f s against md5sum's %.3f s (%.2f ×); parallelism 4: %.3f s. The upload used %.2f "
              "CPU-s (md5sum: %.2f) and the sink %.2f CPU-s reading the bytes: %.2f of the machine's 2 cores were "
              "busy on average." % (
                  p2.wall, md5.wall, p2.wall / md5.wall, p4.wall, p2.cpu, md5.cpu, p2.server_cpu * p2.wall,
                  (p2.cpu + p2.server_cpu * p2.wall) / p2.wall))
            w("- What dominates: MD5, the same work as md5sum's (%s %% of the perf samples, %s %% of the "
              "instructions in callgrind); md-5's assembly MD5 is somewhat slower per byte than md5sum's own "
              "(compare the client CPU-s above with md5sum's). Two readers hash while the senders write to the "
              "socket; the sink's reading competes for the same 2 cores.%s" % (
                  _f(_perf_share(prof, "md5")), _f(_cg_share(prof, "md5")),
                  (" perf stat on the %s run: %s CPUs busy, %s context switches." % (
                      prof["size"],
                      _f(_stat(prof, "task-clock") / 1000 / prof["stat_wall"] if _stat(prof, "task-clock") else None,
                         2), _f(_stat(prof, "context-switches"), 0))) if prof and prof.get("stat") else ""))
        if "w1b2_oss2" in keys:
            w("- Against oss2: %.3f s vs oss2's %.3f s upload time (%.2f ×)." % (p2.elapsed, o.elapsed,
                                                                               o.elapsed / p2.elapsed))
        w("- What would close the gap: a faster MD5 (the only large cost left); the machine has 2 cores, so "
          "MD5 at parallelism 2 can at best halve md5sum's time minus what the socket and the sink take.")
        w("")

    if "w1a_md5" in keys:
        a = b.best("sink", "w1a")
        prof = _profile(profiles, "w1a")
        w("### W1 (a): the seed multipart sample through PHP FFI")
        w("")
        w("- Measured: %.3f s against md5sum's %.3f s (%.2f ×); the PHP process used %.2f CPU-s and the nginx "
          "worker %.2f cores." % (a.wall, md5.wall, a.wall / md5.wall, a.cpu, a.server_cpu))
        w("- The sample, as written, hashes each part (`OssUtil::getMd5SumForFile` → `oss_file_content_md5`) and "
          "then uploads it (`uploadPart` → `oss_upload_part_from_file`), one after the other. libossrs keeps the "
          "hashed range for the upload (no second read) and, once the calls form a sequential pass, hashes the "
          "next range on a background thread while the current one is sent, so the floor is one MD5 pass.")
        if prof and prof.get("record"):
            w("- perf record (cpu-clock samples, kernel included): %s; MD5 %s %% of the samples." % (
                _shares([("kernel", _dso_share(prof, "kernel")), ("libossrs", _dso_share(prof, "libossrs")),
                         ("PHP", _dso_share(prof, "php")), ("libc", _dso_share(prof, "libc"))]) or "?",
                _f(_perf_share(prof, "md5"))))
        w("- What would close the gap: a faster MD5; nothing else in the sample's loop is large.")
        w("")

    w2_keys = [k for k in keys if k.startswith("w2")]
    if w2_keys:
        wrk, c, p, o = (b.best_rps("sink", x) for x in ("wrk", "c", "php", "oss2"))
        prof_c, prof_php = _profile(profiles, "w2c"), _profile(profiles, "w2php")
        w("### W2: PutObject with callback, 4 KiB, sequential")
        w("")
        us = lambda r: 1e6 / r.rps  # noqa: E731
        cpu_us = lambda r: 1e6 * r.cpu / max(1, r.requests)  # noqa: E731
        line = "- Measured per request: C %.0f µs, PHP FFI %.0f µs, oss2 %.0f µs" % (us(c), us(p), us(o))
        if wrk:
            line += ", wrk %.0f µs (round trip and nginx's work included)" % us(wrk)
        line += (". Client CPU per request (user+system, whole process, start-up included): C %.0f µs, PHP %.0f µs, "
                 "oss2 %.0f µs" % (cpu_us(c), cpu_us(p), cpu_us(o)))
        if wrk:
            line += ", wrk %.0f µs" % cpu_us(wrk)
        w(line + ".")
        if prof_c and prof_c.get("stat"):
            cs = _stat(prof_c, "context-switches")
            tc = _stat(prof_c, "task-clock")
            w("- perf stat on the C loop (%s): %s context switches per request, %s CPUs busy — the process sleeps "
              "more than it computes. perf record (kernel included): %s; scheduler, futex and wake-up symbols among "
              "the top rows: %s %%, MD5: %s %%; the rest is spread thinly over hyper, reqwest, serde_json, malloc "
              "and the TCP stack (table below). callgrind (user space only): %s." % (
                  prof_c["size"], _f(cs / w2_count if cs else None, 1),
                  _f(tc / 1000 / prof_c["stat_wall"] if tc else None, 2),
                  _shares([("kernel", _dso_share(prof_c, "kernel")), ("libossrs", _dso_share(prof_c, "libossrs")),
                           ("libc", _dso_share(prof_c, "libc"))]) or "?",
                  _f(_perf_share(prof_c, *SCHED)), _f(_perf_share(prof_c, "md5")),
                  _shares([("MD5", _cg_share(prof_c, "md5")), ("SHA-1 (signature)", _cg_share(prof_c, "sha1::")),
                           ("malloc/free", _cg_share(prof_c, "malloc.c")),
                           ("parsing the system CA bundle when the client is built (once per client)",
                            _cg_share(prof_c, "rustls_pki_types"))]) or "?"))
        w("- Cause: libossrs runs each request through reqwest's blocking client (fixed by the product card), i.e. "
          "on a separate tokio runtime thread: the calling thread sends the request through a channel and sleeps "
          "on a futex; the runtime thread writes it, waits in epoll, reads the answer and wakes the caller, which "
          "then collects the body through another channel. wrk does the same exchange on one thread: a write, an "
          "epoll wait, a read. The wake-ups and the idle time around them, not the computation (MD5 of 4 KiB, an "
          "HMAC-SHA1, the callback check and base64), are what separates C from wrk.")
        rb, ra = b.best_rps("sink", "rqblocking"), b.best_rps("sink", "rqasync")
        if rb and ra and wrk:
            w("- The transport floor, measured in this run: the same captured request replayed with bare "
              "`reqwest::blocking` (no signing, hashing or FFI; bench/transport-floor) reached %.0f requests/s, "
              "%.0f %% of wrk, so %s with this transport; libossrs from C reached %.0f %% of that floor (its own "
              "work: %.0f µs per request). The same replay with reqwest's async client driven on the calling "
              "thread reached %.0f requests/s (%.0f %% of wrk)." % (
                  rb.rps, 100 * rb.rps / wrk.rps,
                  "80 % of wrk is out of reach" if rb.rps < 0.8 * wrk.rps else "the transport alone would allow it",
                  100 * c.rps / rb.rps, us(c) - us(rb), ra.rps, 100 * ra.rps / wrk.rps))
        busy = dict(b.extra.get("w2busy") or [])
        if busy and wrk and busy.get("wrk -t1 -c1 (limit)") and busy.get("C"):
            bw, bc, bp = busy.get("wrk -t1 -c1 (limit)"), busy.get("C"), busy.get("PHP FFI")
            w("- Check, in this run: with a spinning process keeping the second core busy, wrk reached %.0f "
              "requests/s (%.0f µs per request instead of %.0f), C %.0f (%.0f µs instead of %.0f)%s. So on this VM "
              "a large part of every round trip is the latency of waking a thread on an idle vCPU, and wrk needs "
              "fewer such wake-ups per request (nginx's worker, then wrk) than libossrs, whose extra hand-offs "
              "between the calling thread and the runtime thread each pay it again. (Because load makes these "
              "round trips faster, a W2 run disturbed by other processes is not trusted.)" % (
                  bw, 1e6 / bw, us(wrk), bc, 1e6 / bc, us(c),
                  (", PHP FFI %.0f (%.0f µs instead of %.0f)" % (bp, 1e6 / bp, us(p))) if bp else ""))
        if "w2php_wrk" in keys or "w2php_oss2" in keys:
            w("- PHP FFI adds %.0f µs per request over C: the binding's argument checks and option mapping, the FFI "
              "string conversions and building the SDK-shaped result array%s." % (
                  us(p) - us(c), (" (perf record of the PHP loop: %s)" % _shares(
                      [("PHP interpreter", _dso_share(prof_php, "php")), ("libossrs", _dso_share(prof_php, "libossrs")),
                       ("kernel", _dso_share(prof_php, "kernel")), ("libc", _dso_share(prof_php, "libc"))]))
                  if prof_php and prof_php.get("by_dso") else ""))
        if "w2c_oss2" in keys or "w2php_oss2" in keys:
            w("- Against oss2 (%.0f µs per request, nearly all of it Python: requests/urllib3, oss2's signing and "
              "CRC adapters): reaching 10 × needs ≤ %.0f µs per request, i.e. the same fix." % (us(o), us(o) / 10))
        w("- What would close the gap: run the exchange on the calling thread (reqwest's async client on a "
          "current-thread runtime per calling thread, the `async` floor above) instead of reqwest::blocking, "
          "which the product card fixes; within libossrs, the remaining per-request work (signing, MD5, callback "
          "check, building the response) is the difference between C and the blocking floor.")
        w("")

    w3_keys = [k for k in keys if k.startswith("w3b")]
    if w3_keys:
        w("### W3: peak RSS of the managed upload")
        w("")
        figures = ", ".join("parallelism %s: %.1f MiB (bound %d MiB)" % (
            k[3:], b.max_rss("sink", "w1b" + k[3:]), int(k[3:]) * part_size // MIB + 32) for k in w3_keys)
        w("- Measured: %s. The upload keeps at most parallelism + 1 part buffers (permits returned when the "
          "transport drops a buffer), reused from the client's pool." % figures)
        w("")

    if "w3a" in keys:
        w("### W3: the PHP process in W1 (a)")
        w("")
        w("- Measured %.1f MiB against the 50 MiB bound." % b.max_rss("sink", "w1a"))
        w("")
    return "\n".join(out).rstrip()

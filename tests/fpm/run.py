#!/usr/bin/env python3
"""The FPM load test (scripts/test.sh runs it after the PHP suite).

Starts the OSS emulator and a callback receiver (target/debug), then Debian's php-fpm8.2 and nginx on 127.0.0.1
with this directory's configs (templated into a temp dir): one static pool of 8 workers recycled every 500
requests, with the production settings of bindings/php/README.md (ffi.enable=preload, ffi.preload, OPcache
preloading; the pool runs as nobody when we are root). app.php builds a new OssClient per request and uploads with
a callback. The load: REQUESTS POSTs at concurrency 16 with unique keys and 4 KiB bodies derived from the key,
1 in 50 a multiuploadFile of a 3 MiB file, 1 in 2,000 a fork inside the worker; the emulator injects 5 % faults,
spread over every kind it has; FPM is reloaded (SIGUSR2) halfway. Then it checks the answers, the FPM log, the
stored objects, the callbacks, the workers' RSS and the native client ids, prints a summary and `N passed, N
failed`, and exits 1 on any failure.

Environment: FPM_TEST_REQUESTS (default 20000); FPM_TEST_SABOTAGE=crash|corrupt|double-callback|leak makes app.php
break some requests on purpose, to show that the checks catch it.
"""

import collections
import grp
import hashlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
from load import Load  # noqa: E402 (after the line above)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REQUESTS = int(os.environ.get('FPM_TEST_REQUESTS', '20000'))
SABOTAGE = os.environ.get('FPM_TEST_SABOTAGE', '')
CONCURRENCY = 16
MULTI_EVERY = 50
FORK_EVERY = 2000
BIG_FILE_BYTES = 3 * 1024 * 1024
BUCKET = 'fpm-test'
# The client's total timeout (app.php's setTimeout) and the emulator's delay fault past it.
TIMEOUT_S = 1
DELAY_MS = 1500
# The load stops sending at this point, so a hang cannot stretch `make test` (the rest counts as unanswered).
LOAD_DEADLINE_S = 150
# RSS of the workers is sampled every 0.2 s; a worker's growth is counted after its first 2 s (see check()) and
# bounded by RSS_BOUND_MIB. Measured over 48 workers: median 0.1 MiB, max 3.4 MiB; the first request alone adds
# ~10 MiB.
RSS_WARMUP_SAMPLES = 10
RSS_BOUND_MIB = 10
# Every fault kind and variant of the emulator, each at the same rate, 5 % of requests in total.
FAULTS = [
    {'fault': 'error', 'status': 500},
    {'fault': 'error', 'status': 503},
    {'fault': 'error', 'status': 429},
    {'fault': 'lose_response_after_commit', 'status': 500},
    {'fault': 'lose_response_after_commit', 'reset': True},
    {'fault': 'reset'},
    {'fault': 'delay', 'ms': DELAY_MS},
    {'fault': 'malformed', 'how': 'truncate'},
    {'fault': 'malformed', 'how': 'unterminated'},
    # Hostile answers: refused by their size (a declared 2 GiB, an endless error body) or field, or ended by the
    # 1 s call timeout. The slow ones hold a worker for that second, so each is injected at most 20 times.
    {'fault': 'huge_body', 'status': 200, 'bytes': 2 << 30},
    {'fault': 'huge_body', 'status': 500, 'chunked': True},
    {'fault': 'oversized_field', 'field': 'ETag', 'bytes': 4096},
    {'fault': 'stall', 'limit': 20},
    {'fault': 'drip', 'part': 'head', 'ms': 300, 'limit': 20},
    {'fault': 'endless_continue', 'ms': 300, 'limit': 20},
]
FAULT_RATE = 1 - 0.95 ** (1 / len(FAULTS))
CRASH_LINES = re.compile(r'exited on signal|SIGSEGV|core dumped|exited with code [1-9]')


class SetupError(Exception):
    """The test could not be set up (missing tools, a server that does not start, a broken first request)."""


def body_for(key):
    """The 4 KiB body of a key."""
    return (hashlib.sha256(key.encode()).hexdigest() * 64).encode()


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_for_port(port, process, what):
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(('127.0.0.1', port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SetupError(f'{what} did not listen on port {port}')


def render(name, out_dir, values):
    text = open(os.path.join(HERE, name)).read()
    for placeholder, value in values.items():
        text = text.replace(f'@{placeholder}@', value)
    path = os.path.join(out_dir, name.removesuffix('.in'))
    with open(path, 'w') as f:
        f.write(text)
    return path


class Servers:
    """The processes of the test, stopped in reverse order."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.processes = []

    def start(self, argv, name):
        out = open(os.path.join(self.tmp, name + '.out'), 'w')
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.processes.append(process)
        return process

    def start_printing_port(self, argv, name):
        """A server that prints its port as the first stdout line (oss-emulator, callback-receiver)."""
        process = self.start(argv, name)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and process.poll() is None:
            first = open(os.path.join(self.tmp, name + '.out')).readline()
            if first.endswith('\n'):
                return int(first)
            time.sleep(0.05)
        raise SetupError(f'{argv[0]} printed no port')

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def unreadable_for_others(paths):
    """The paths (or their directories) that the unprivileged pool user cannot read or enter."""
    bad = []
    for path in paths:
        parent = os.path.dirname(path)
        while parent != '/':
            if not os.stat(parent).st_mode & 0o001:
                bad.append(parent)
            parent = os.path.dirname(parent)
        if not os.stat(path).st_mode & 0o004:
            bad.append(path)
    return sorted(set(bad))


def rss_sampler(master, samples, stop):
    """Samples VmRSS (kB) of the FPM master's children (the workers) every 0.2 s into samples[pid]."""
    while not stop.wait(0.2):
        for entry in filter(str.isdigit, os.listdir('/proc')):
            try:
                with open(f'/proc/{entry}/stat') as f:
                    if int(f.read().rsplit(')', 1)[1].split()[1]) != master:  # the field after "(comm) state"
                        continue
                with open(f'/proc/{entry}/status') as f:
                    rss = next(int(line.split()[1]) for line in f if line.startswith('VmRSS:'))
            except (OSError, StopIteration):
                continue
            samples[int(entry)].append(rss)


def plan(run, big):
    """The load's requests, and the bytes each key must have once stored (big: the multiuploadFile source)."""
    requests, expected = [], {}
    for i in range(REQUESTS):
        key = f'{run}-{i:05d}'
        op = 'multi' if i % MULTI_EVERY == MULTI_EVERY // 2 else 'fork' if i % FORK_EVERY == FORK_EVERY // 4 else 'put'
        path = f'/app.php?op={op}&key={key}'
        if SABOTAGE and (i == REQUESTS // 3 or (SABOTAGE == 'leak' and i % 10 == 0)):
            path += f'&sabotage={SABOTAGE}'
        body = body_for(key) if op != 'multi' else b''
        requests.append((path, body))
        if op == 'fork':
            for suffix in ('-before', '-child', '-after'):
                expected[key + suffix] = body
        else:
            expected[key] = body if op == 'put' else big
    return requests, expected


def main():
    try:
        tools = find_tools()
    except SetupError as e:
        return setup_failed(e, None)
    # The emulator writes two files per object; on tmpfs (when it has room) that costs far less than on ext4.
    shm = os.statvfs('/dev/shm') if os.path.isdir('/dev/shm') else None
    tmp = tempfile.mkdtemp(prefix='ossrs-fpm-', dir='/dev/shm' if shm and shm.f_bavail * shm.f_frsize > 4 << 30 else None)
    os.chmod(tmp, 0o755)  # the workers read the big file and the header here
    servers, code = Servers(tmp), 1
    try:
        code = run_test(tmp, servers, tools)
    except SetupError as e:
        code = setup_failed(e, tmp)
    finally:
        servers.stop()
        # The objects (1.3 GB) always go; the logs stay when something failed.
        shutil.rmtree(tmp if code == 0 else os.path.join(tmp, 'data'), ignore_errors=True)
    return code


def setup_failed(error, tmp):
    print(f'FAIL setup: {error}')
    if tmp:
        print(f'logs kept in {tmp}')
    print('0 passed, 1 failed')
    return 1


def find_tools():
    tools = {name: os.path.join(ROOT, 'target/debug', name) for name in ('oss-emulator', 'callback-receiver', 'libossrs.so')}
    sbin = '/usr/sbin:' + os.environ.get('PATH', '')
    tools.update({name: shutil.which(name, path=sbin) for name in ('php-fpm8.2', 'nginx')})
    missing = [name for name, path in tools.items() if path is None or not os.path.exists(path)]
    if missing:
        raise SetupError(f'missing {", ".join(missing)} (scripts/setup.sh and cargo build provide them)')
    tools['app'], tools['preload'] = os.path.join(HERE, 'app.php'), os.path.join(HERE, 'preload.php')
    if os.geteuid() == 0:
        needed = [tools['app'], tools['preload'], tools['libossrs.so'], os.path.join(ROOT, 'bindings/php/preload.php')]
        if bad := unreadable_for_others(needed):
            raise SetupError(f'the pool user nobody cannot read {", ".join(bad)}')
    return tools


def run_test(tmp, servers, tools):
    callbacks_log = os.path.join(tmp, 'callbacks.jsonl')
    receiver_port = servers.start_printing_port(
        [tools['callback-receiver'], '--port', '0', '--allow-key-prefix', 'http://127.0.0.1:', '--log', callbacks_log],
        'receiver')
    data = os.path.join(tmp, 'data')
    emulator_port = servers.start_printing_port(
        [tools['oss-emulator'], '--port', '0', '--data-dir', data, '--bucket', BUCKET], 'emulator')
    emulator = f'http://127.0.0.1:{emulator_port}'
    header = os.path.join(tmp, 'ossrs.h')
    subprocess.run(['php', os.path.join(ROOT, 'bindings/php/bin/ossrs-ffi-header.php'), '--lib=' + tools['libossrs.so'],
                    header], check=True, stderr=subprocess.DEVNULL)
    big_file, big = os.path.join(tmp, 'big.bin'), os.urandom(BIG_FILE_BYTES)
    with open(big_file, 'wb') as f:
        f.write(big)
    os.chmod(big_file, 0o644)

    # As root, the workers (and nginx's) run as nobody, and OPcache preloads as nobody.
    as_root = os.geteuid() == 0
    group = grp.getgrgid(pwd.getpwnam('nobody').pw_gid).gr_name
    fpm_port, nginx_port = free_port(), free_port()
    php_ini = render('php.ini.in', tmp, {
        'HEADER': header, 'PRELOAD': tools['preload'], 'LIB': tools['libossrs.so'],
        'PRELOAD_USER': 'opcache.preload_user = nobody' if as_root else '',
    })
    fpm_conf = render('php-fpm.conf.in', tmp, {
        'DIR': tmp, 'FPM_PORT': str(fpm_port), 'ENDPOINT': emulator, 'BUCKET': BUCKET,
        'CALLBACK_URL': f'http://127.0.0.1:{receiver_port}/callback', 'BIG_FILE': big_file, 'TIMEOUT': str(TIMEOUT_S),
        'POOL_USER': f'user = nobody\ngroup = {group}' if as_root else '', 'EXTRA': '',
    })
    nginx_conf = render('nginx.conf.in', tmp, {
        'DIR': tmp, 'PORT': str(nginx_port), 'FPM_PORT': str(fpm_port), 'APP': tools['app'],
        'NGINX_USER': f'user nobody {group};' if as_root else '',
    })
    fpm = servers.start([tools['php-fpm8.2'], '--nodaemonize', '--fpm-config', fpm_conf, '-c', php_ini], 'php-fpm')
    wait_for_port(fpm_port, fpm, 'php-fpm8.2')
    nginx = servers.start([tools['nginx'], '-p', tmp, '-c', nginx_conf, '-e', os.path.join(tmp, 'nginx-error.log')],
                          'nginx')
    wait_for_port(nginx_port, nginx, 'nginx')

    # One request before the faults are on: a broken setup stops here, with the answer and the FPM log.
    smoke = Load(nginx_port, [('/app.php?op=put&key=smoke', b'smoke')], 1)
    smoke.run()
    if smoke.answers[0][0] != 200:
        fpm_log = open(os.path.join(tmp, 'php-fpm.log'), errors='replace').read()
        raise SetupError(f'the first request failed: {smoke.answers[0]}\nphp-fpm.log:\n{fpm_log[-3000:]}')
    faults = json.dumps({'seed': 7, 'rules': [dict(rule, rate=FAULT_RATE) for rule in FAULTS]}).encode()
    urllib.request.urlopen(urllib.request.Request(emulator + '/__emulator/faults', faults, method='PUT')).read()

    requests, expected = plan(f'r{os.getpid()}', big)
    load = Load(nginx_port, requests, CONCURRENCY, LOAD_DEADLINE_S)
    samples, stop = collections.defaultdict(list), threading.Event()
    sampler = threading.Thread(target=rss_sampler, args=(fpm.pid, samples, stop))
    sampler.start()
    runner = threading.Thread(target=load.run)
    runner.start()
    while load.done < REQUESTS // 2 and runner.is_alive():
        time.sleep(0.05)
    os.kill(fpm.pid, signal.SIGUSR2)  # a graceful reload: running requests finish, new workers take over
    runner.join()
    time.sleep(0.5)  # one more RSS sample of the last workers
    stop.set()
    sampler.join()
    stats = json.load(urllib.request.urlopen(emulator + '/__emulator/stats'))
    return check(tmp, load, expected, samples, stats)


def check(tmp, load, expected, samples, stats):
    results = []

    def verdict(name, failures, detail):
        results.append(not failures)
        print(f'{"PASS" if not failures else "FAIL"} {name}: {detail}')
        for failure in failures[:5]:
            print(f'    {failure}')
        if len(failures) > 5:
            print(f'    ... and {len(failures) - 5} more')

    # Every answer came from PHP: JSON from app.php, 200 or its 500 for an OssException.
    answers, not_php = [], []
    for (path, _), answer in zip(load.requests, load.answers):
        try:
            parsed = json.loads(answer[1]) if answer and answer[0] in (200, 500) else None
        except ValueError:
            parsed = None
        if isinstance(parsed, dict) and parsed.get('status') in ('ok', 'error'):
            answers.append(parsed)
        else:
            not_php.append(f'{path}: {answer[0] if answer else "not sent before the deadline"} '
                           f'{(answer[1][:120] if answer else b"")!r}')
    verdict('every request answered by PHP', not_php,
            f'{len(answers)} of {len(load.requests)} (no 502/504, connection errors or unsent requests)')

    fpm_log = open(os.path.join(tmp, 'php-fpm.log'), errors='replace').read().splitlines()
    verdict('no worker crashed', [line for line in fpm_log if CRASH_LINES.search(line)], 'php-fpm.log has no '
            '"exited on signal", "SIGSEGV" or nonzero exit lines')
    reloaded = any('Reloading in progress' in line for line in fpm_log)
    verdict('FPM reloaded during the load', [] if reloaded else ['no "Reloading in progress" in php-fpm.log'],
            'SIGUSR2 halfway, running requests finished')

    uploads = []  # every upload app.php reports, fork children and parents included
    for answer in answers:
        uploads.append(answer)
        uploads += [answer[part] for part in ('before', 'child') if isinstance(answer.get(part), dict)]
    ok = [u for u in uploads if u.get('status') == 'ok']
    refused = collections.Counter(re.sub(r'OSS\\Core\\OssException: |error sending request for url \([^)]*\): |client error '
                                         r'\(SendRequest\): ', '', u.get('error', '?'))[:90]
                                  for u in uploads if u.get('status') != 'ok')

    wrong = []
    for upload in ok:
        key = upload['key']
        # The emulator's store: objects/<bucket>/<hex SHA-256 of the key>.data
        path = os.path.join(tmp, 'data', 'objects', BUCKET, hashlib.sha256(key.encode()).hexdigest() + '.data')
        if not os.path.exists(path):
            wrong.append(f'{key}: not stored')
        elif open(path, 'rb').read() != expected.get(key):
            wrong.append(f'{key}: stored bytes differ from what was sent')
    verdict('every successful upload stored byte-exact', wrong, f'{len(ok)} objects compared with what was sent')

    per_key = collections.Counter()
    unsigned = []
    for line in open(os.path.join(tmp, 'callbacks.jsonl')):
        callback = json.loads(line)
        per_key[callback['body'].removeprefix('key=')] += 1
        if not callback['signature_valid']:
            unsigned.append(f'{callback["body"]}: {callback["error"]}')
    twice = [f'{key}: {n} callbacks' for key, n in per_key.items() if n > 1]
    missing = [f'{u["key"]}: no callback' for u in ok if per_key[u['key']] == 0]
    verdict('one callback per successful upload, never two for a key', twice + missing,
            f'{sum(per_key.values())} callbacks for {len(per_key)} keys')
    verdict('every callback signed by the emulator', unsigned, 'checked by the receiver with libossrs')

    # A worker's RSS rises by ~10 MiB in its first request (libossrs's client and transport thread, OPcache
    # pages), then stays flat: growth is counted from its sample at RSS_WARMUP_SAMPLES (the start of the worker is
    # only reported). Workers sampled for less than twice that are too short-lived to judge.
    total = {pid: (max(kb) - min(kb)) / 1024 for pid, kb in samples.items()}
    growth = {pid: (max(kb[RSS_WARMUP_SAMPLES:]) - kb[RSS_WARMUP_SAMPLES]) / 1024
              for pid, kb in samples.items() if len(kb) >= 2 * RSS_WARMUP_SAMPLES}
    worst = max(growth.values(), default=0.0)
    verdict(f'worker RSS growth after warm-up under {RSS_BOUND_MIB} MiB',
            [f'pid {pid}: +{g:.1f} MiB' for pid, g in growth.items() if g >= RSS_BOUND_MIB]
            + ([] if growth else ['no worker sampled long enough']),
            f'{len(growth)} workers, median {median(growth.values()):.1f} MiB, max {worst:.1f} MiB '
            f'(from fork: max {max(total.values(), default=0.0):.1f} MiB, RSS at the end up to '
            f'{max((kb[-1] for kb in samples.values()), default=0) / 1024:.1f} MiB)')

    # Native client ids are per process: a worker keeps one (libossrs's cache) across its requests; a forked
    # child inherits its parent's counter, so an id equal to the parent's would be the parent's client.
    parents = [u for a in answers for u in (a, a.get('before')) if isinstance(u, dict)]
    ids = collections.defaultdict(set)
    for upload in parents:
        ids[upload['pid']].add(upload['id'])
    changed = [f'pid {pid}: ids {sorted(s)}' for pid, s in ids.items() if len(s) > 1]
    zero = [f'pid {pid}: id 0 (no OssClient::ossrsNativeClientId?)' for pid, s in ids.items() if 0 in s]
    few = [] if len(ids) > 8 else [f'only {len(ids)} worker pids answered: no recycling']
    verdict('one native client per worker process', changed + zero + few,
            f'{len(ids)} worker pids (recycled every 500 requests and on reload), ids seen {sorted(set().union(*ids.values()))}, '
            f'{len(changed)} pids whose id changed')

    forks, fork_failures = [a for a in answers if 'child' in a], []
    for answer in forks:
        child, before = answer['child'], answer['before']
        line = f'{answer["key"].removesuffix("-after")}: parent pid {answer["pid"]} ids {before["id"]}->{answer["id"]}, ' \
               f'child pid {child.get("pid")} id {child.get("id")}'
        print(f'    fork {line} ({child["status"]}: {child.get("error", "stored")})')
        own_client = child.get('pid') not in (None, answer['pid'], *ids) and child.get('id') not in (None, 0, before['id'])
        if not own_client or answer['id'] != before['id']:
            fork_failures.append(line)
    if not any(a['child']['status'] == a['before']['status'] == a['status'] == 'ok' for a in forks):
        fork_failures.append('no fork request with all three uploads stored')
    verdict('a forked child builds its own native client', fork_failures, f'{len(forks)} fork requests')

    kinds = {kind: n for kind, n in stats['faults'].items() if kind != 'total'}
    verdict('every fault kind injected', [kind for kind, n in kinds.items() if n == 0],
            ', '.join(f'{kind} {n}' for kind, n in kinds.items()))

    crashes = sum(1 for line in fpm_log if CRASH_LINES.search(line))
    print(f'fpm load test: {len(load.requests)} requests in {load.seconds:.1f} s ({len(load.requests) / load.seconds:.0f}/s), '
          f'{len(ok)} uploads ok, {sum(refused.values())} refused (OssException), {len(not_php)} not answered by PHP, '
          f'{crashes} crashes, {stats["faults"]["total"]} faults injected, worker RSS growth max {worst:.1f} MiB, '
          f'{len(ids)} worker pids, {len(changed)} client id changes')
    for error, n in refused.most_common(8):
        print(f'    refused {n:5d}  {error}')
    if not all(results):
        print(f'logs kept in {tmp}')
    print(f'{results.count(True)} passed, {results.count(False)} failed')
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())

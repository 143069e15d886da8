"""W4's servers: PHP-FPM pools behind nginx, built from the FPM load test's templates (tests/fpm/*.conf.in,
php.ini.in), so that the benchmark measures the production setup the tests check. Each pool is one php-fpm8.2
master (8 static workers, recycled every 500 requests) with one nginx in front serving bench/w4_app.php.

  ossrs   the production settings of bindings/php/README.md: ffi.enable=preload, ffi.preload, OPcache preloading
          bindings/php/preload.php (as nobody when we are root); over HTTPS SSL_CERT_FILE is the trust store
  sdk     the official aliyun-oss-php-sdk from OSS_PHP_SDK_DIR (an extracted copy, never part of this repository):
          no preloading (both define OSS\\OssClient), OPcache on; over HTTPS curl.cainfo is the trust store

The trust store is the sink's trust.pem: the system's CA bundle with the sink's CA appended, as in production,
where the root of OSS's certificate is one of the system's (curl parses it for each new handle, libossrs once
per process).
"""

import grp
import os
import pwd
import subprocess
import tempfile
from pathlib import Path

from harness import BUCKET, LIB, PROCS, ROOT, BenchError, free_port, log, wait_port

TEMPLATES = ROOT / "tests" / "fpm"
APP = ROOT / "bench" / "w4_app.php"


def render(name, out_dir, values):
    text = (TEMPLATES / name).read_text()
    for placeholder, value in values.items():
        text = text.replace("@%s@" % placeholder, value)
    path = out_dir / name[: -len(".in")]
    path.write_text(text)
    return path


def start_pool(kind, parent, sink_endpoint, tls_endpoint, trust_file, callback_url):
    """Starts pool `kind` ("ossrs" or "sdk") and its nginx in a new directory under `parent` (made traversable for
    the pool user); returns (the nginx port serving /app.php, the pids of the FPM master and of nginx's master)."""
    os.chmod(parent, 0o755)
    work = Path(tempfile.mkdtemp(prefix="fpm-%s-" % kind, dir=parent))
    os.chmod(work, 0o755)
    as_root = os.geteuid() == 0
    group = grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name if as_root else ""
    env = {"W4_TLS_ENDPOINT": tls_endpoint}
    if kind == "ossrs":
        header = work / "ossrs.h"
        subprocess.run(["php", str(ROOT / "bindings/php/bin/ossrs-ffi-header.php"), "--lib=%s" % LIB, str(header)],
                       check=True, capture_output=True, timeout=60)
        ini = {"HEADER": str(header), "PRELOAD": str(ROOT / "bindings/php/preload.php"), "LIB": str(LIB),
               "PRELOAD_USER": "opcache.preload_user = nobody" if as_root else ""}
        env.update(W4_AUTOLOAD=str(ROOT / "bindings/php/autoload.php"), SSL_CERT_FILE=str(trust_file))
        admin = {}
    else:
        sdk = Path(os.environ["OSS_PHP_SDK_DIR"]).resolve()
        ini = {"HEADER": "", "PRELOAD": "", "LIB": str(LIB), "PRELOAD_USER": ""}
        env.update(W4_AUTOLOAD=str(sdk / "autoload.php"))
        admin = {"curl.cainfo": str(trust_file)}
    extra = "".join("env[%s] = %s\n" % kv for kv in env.items())
    extra += "".join("php_admin_value[%s] = %s\n" % kv for kv in admin.items())
    php_ini = render("php.ini.in", work, ini)
    for attempt in range(5):
        fpm_port, port = free_port(), free_port()
        fpm_conf = render("php-fpm.conf.in", work, {
            "DIR": str(work), "FPM_PORT": str(fpm_port), "ENDPOINT": sink_endpoint, "BUCKET": BUCKET,
            "CALLBACK_URL": callback_url, "BIG_FILE": "unused", "TIMEOUT": "0", "EXTRA": extra,
            "POOL_USER": "user = nobody\ngroup = %s" % group if as_root else ""})
        nginx_conf = render("nginx.conf.in", work, {
            "DIR": str(work), "PORT": str(port), "FPM_PORT": str(fpm_port), "APP": str(APP),
            "NGINX_USER": "user nobody %s;" % group if as_root else ""})
        fpm = subprocess.Popen(["php-fpm8.2", "--nodaemonize", "--fpm-config", str(fpm_conf), "-c", str(php_ini)],
                               stdout=subprocess.DEVNULL, stderr=open(work / "php-fpm.err", "wb"),
                               stdin=subprocess.DEVNULL)
        PROCS.add("php-fpm8.2 (%s)" % kind, fpm)
        if not wait_port(fpm_port, fpm, "php-fpm8.2"):
            log("   php-fpm8.2 (%s) did not start (attempt %d): %s" % (
                kind, attempt + 1, (work / "php-fpm.err").read_text(errors="replace")[-500:]))
            continue
        nginx = subprocess.Popen(["nginx", "-p", str(work), "-c", str(nginx_conf), "-e", str(work / "nginx-error.log")],
                                 stdout=subprocess.DEVNULL, stderr=open(work / "nginx.err", "wb"),
                                 stdin=subprocess.DEVNULL)
        PROCS.add("nginx (%s)" % kind, nginx)
        if wait_port(port, nginx, "nginx"):
            return port, [fpm.pid, nginx.pid]
    raise BenchError("the %s pool did not start; see %s" % (kind, work))

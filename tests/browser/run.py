#!/usr/bin/env python3
"""The direct-upload example in a real browser: Debian's chromium, headless, driven through WebDriver (plain HTTP
to chromedriver, no client library). It starts php-example/direct-upload/run.sh (the OSS emulator and the app under
`php -S`), then through the page:

  1. uploads a generated file with a V4 form and with a V1 form: the page shows the callback server's reply, the
     object is stored byte-exact (read back through the app) and the app recorded a verified callback;
  2. tries a file above the policy's 1 MiB limit, a key outside the signed prefix and an expired policy: the
     emulator refuses each (EntityTooLarge, AccessDenied) and the page shows the error.

With --screenshot PATH it saves the page after the first upload. Exits non-zero on the first failed check.
"""

import argparse
import base64
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def fail(message):
    print("browser test FAILED: " + message, file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    """The few WebDriver commands the test needs, as JSON over HTTP."""

    def __init__(self, port, profile):
        self.base = "http://127.0.0.1:%d" % port
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium") or "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1000,900", "--user-data-dir=" + str(profile)]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            fail("WebDriver %s %s: %s" % (method, path, e.read().decode(errors="replace")[:500]))

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.session, path), body)

    def element(self, css):
        return self.s("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def script(self, source, *args):
        return self.s("POST", "/execute/sync", {"script": source, "args": list(args)})

    def quit(self):
        try:
            self.call("DELETE", "/session/" + self.session)
        except SystemExit:
            pass


def upload(driver, page, path, version="v4", key="", expires=600, delay=0):
    """Fills the page, presses Upload and waits for the result: (state, text)."""
    driver.s("POST", "/url", {"url": page})
    driver.script("document.querySelector('#version').value = arguments[0];"
                  "document.querySelector('#key').value = arguments[1];"
                  "document.querySelector('#expires').value = arguments[2];"
                  "document.querySelector('#delay').value = arguments[3];", version, key, str(expires), str(delay))
    driver.s("POST", "/element/%s/value" % driver.element("#file"), {"text": str(path)})
    driver.s("POST", "/element/%s/click" % driver.element("#upload"), {})
    deadline = time.time() + 30
    while time.time() < deadline:
        state, text = driver.script("const r = document.querySelector('#result');"
                                    "return [r.dataset.state, r.textContent];")
        if state in ("ok", "error"):
            return state, text
        time.sleep(0.1)
    fail("the page showed no result within 30 s: " + text)


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--screenshot")
    args = parser.parse_args()
    for tool in ("chromium", "chromedriver", "php"):
        if shutil.which(tool) is None:
            fail("%s is not installed (scripts/setup.sh installs it)" % tool)
    work = Path(tempfile.mkdtemp(prefix="ossrs-browser-"))
    procs = []
    started = time.time()
    driver = None
    try:
        app = subprocess.Popen([str(ROOT / "php-example/direct-upload/run.sh")], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
        procs.append(app)
        page = None
        for line in app.stdout:
            if line.startswith("page: "):
                page = line.split(" ", 1)[1].strip()
                break
        if page is None:
            fail("run.sh did not start")
        port = free_port()
        procs.append(subprocess.Popen(["chromedriver", "--port=%d" % port], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, start_new_session=True))
        for _ in range(100):
            try:
                get("http://127.0.0.1:%d/status" % port)
                break
            except OSError:
                time.sleep(0.1)
        driver = WebDriver(port, work / "profile")

        rng = random.Random(7)
        for version in ("v4", "v1"):
            data = bytes(rng.getrandbits(8) for _ in range(300_000))
            path = work / ("photo-%s.bin" % version)
            path.write_bytes(data)
            state, text = upload(driver, page, path, version)
            if state != "ok" or "\"verified\":true" not in text or "uploads/photo-%s.bin" % version not in text:
                fail("%s upload: the page shows %r" % (version, text))
            if args.screenshot and version == "v4":
                Path(args.screenshot).write_bytes(base64.b64decode(driver.s("GET", "/screenshot")))
            stored = get(page + "object?key=uploads/photo-%s.bin" % version)
            if stored != data:
                fail("%s upload: the stored object differs (%d bytes, %d expected)" % (version, len(stored), len(data)))
            records = json.loads(get(page + "uploads"))
            mine = [r for r in records if r["upload"]["object"] == "uploads/photo-%s.bin" % version]
            if len(mine) != 1 or not mine[0]["verified"] or mine[0]["upload"]["size"] != len(data):
                fail("%s upload: the app recorded %r" % (version, mine))
            print("ok: %s upload of %d bytes stored byte-exact, callback verified once" % (version, len(data)))

        big = work / "big.bin"
        big.write_bytes(b"x" * (1_048_576 + 1))
        refusals = [
            ("a file above the 1 MiB limit", dict(path=big), "EntityTooLarge"),
            ("a key outside the signed prefix", dict(key="elsewhere/x.bin"), "AccessDenied: Invalid according to Policy"),
            ("an expired policy", dict(expires=1, delay=2500), "Policy expired"),
        ]
        small = work / "small.bin"
        small.write_bytes(b"small")
        for what, options, shown in refusals:
            options.setdefault("path", small)
            state, text = upload(driver, page, **options)
            if state != "error" or shown not in text:
                fail("%s: the page shows %r, expected an error with %r" % (what, text, shown))
            print("ok: %s is refused and the page shows: %s" % (what, text.splitlines()[0]))
        leaked = [r["upload"]["object"] for r in json.loads(get(page + "uploads"))
                  if r["upload"]["object"].startswith("elsewhere/") or r["upload"]["object"].endswith("big.bin")]
        if leaked:
            fail("refused uploads reached the callback: %r" % leaked)
        print("browser test passed in %.1f s" % (time.time() - started))
    finally:
        if driver is not None:
            driver.quit()
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            p.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

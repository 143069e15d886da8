"""The official Python SDK (oss2) side of `make bench`; bench/run.py runs it with the virtualenv's python.

    oss2_client.py multipart FILE PART_SIZE   W1 (c): initiate, each part read into memory and uploaded with its
                                              Content-MD5 header, complete with the JSON callback (x-oss-callback)
    oss2_client.py put COUNT SIZE             W2: COUNT sequential put_object calls of SIZE random bytes with the
                                              callback headers and Content-MD5, on one oss2.Bucket, each reply
                                              read (one keep-alive connection)
    oss2_client.py concurrent THREADS SECONDS W4's peer: THREADS threads, each with its own oss2.Bucket, sending
                                              4 KiB put_object calls as in `put` for SECONDS; also prints
                                              requests=<n> p50_ms=<ms> p99_ms=<ms>

Environment: OSS_ENDPOINT (http:// or https://127.0.0.1:PORT: oss2 uses path-style URLs for an IP endpoint),
OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_BUCKET, OSS_OBJECT, OSS_CALLBACK_URL, OSS_CALLBACK_HOST;
REQUESTS_CA_BUNDLE for a CA of its own over HTTPS (read by requests).
oss2 keeps its default CRC-64 check (enable_crc=True): it computes the CRC of every part and compares it with the
server's x-oss-hash-crc64ecma only when the server sends one (the emulator does, the sink does not).
Prints `elapsed_s=<seconds> status=<http> body=<reply> import_s=<seconds>`; elapsed covers the uploads only.
"""

import base64
import hashlib
import os
import sys
import time

_t_import = time.monotonic()
import oss2  # noqa: E402
from oss2.models import PartInfo  # noqa: E402

IMPORT_S = time.monotonic() - _t_import

# The JSON callback of php-example/samples/multipart_callback.php, with its placeholders filled in.
CALLBACK = (
    '{\n'
    '        "callbackUrl":"' + os.environ["OSS_CALLBACK_URL"] + '",\n'
    '        "callbackHost":"' + os.environ["OSS_CALLBACK_HOST"] + '",\n'
    '        "callbackBody":"{\\"mimeType\\":${mimeType},\\"size\\":${size},\\"x:var1\\":${x:var1},\\"x:var2\\":${x:var2}}",\n'
    '        "callbackBodyType":"application/json"\n'
    '    }'
)
CALLBACK_VAR = '{\n        "x:var1":"value1",\n        "x:var2":"值2"\n    }'


def callback_headers():
    return {
        "x-oss-callback": base64.b64encode(CALLBACK.encode("utf-8")).decode("ascii"),
        "x-oss-callback-var": base64.b64encode(CALLBACK_VAR.encode("utf-8")).decode("ascii"),
    }


def content_md5(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def bucket():
    auth = oss2.Auth(os.environ["OSS_ACCESS_KEY_ID"], os.environ["OSS_ACCESS_KEY_SECRET"])
    return oss2.Bucket(auth, os.environ["OSS_ENDPOINT"], os.environ["OSS_BUCKET"])


def multipart(path, part_size):
    b = bucket()
    key = os.environ["OSS_OBJECT"]
    size = os.path.getsize(path)
    t0 = time.monotonic()
    upload_id = b.init_multipart_upload(key).upload_id
    parts = []
    with open(path, "rb") as f:
        number = 1
        offset = 0
        while offset < size or number == 1:
            data = f.read(part_size)
            result = b.upload_part(key, upload_id, number, data, headers={"Content-MD5": content_md5(data)})
            parts.append(PartInfo(number, result.etag, size=len(data), part_crc=result.crc))
            offset += len(data)
            number += 1
            if not data:
                break
    result = b.complete_multipart_upload(key, upload_id, parts, headers=callback_headers())
    body = result.resp.read().decode("utf-8", "replace")
    return time.monotonic() - t0, result.status, body


def put(count, size):
    b = bucket()
    key = os.environ["OSS_OBJECT"]
    data = os.urandom(size)
    t0 = time.monotonic()
    result, body = None, b""
    for i in range(count):
        headers = callback_headers()
        headers["Content-MD5"] = content_md5(data)
        result = b.put_object("%s-%d.bin" % (key, i), data, headers=headers)
        # The callback's reply, as the C and PHP clients get it; unread, it would keep the connection from going
        # back to the pool, and every request would open a new one.
        body = result.resp.read()
    return time.monotonic() - t0, result.status, body.decode("utf-8", "replace")


def concurrent(threads, seconds):
    import threading

    data = os.urandom(4096)
    latencies, statuses, lock = [], set(), threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(n):
        b, mine = bucket(), []
        while time.monotonic() < deadline:
            headers = callback_headers()
            headers["Content-MD5"] = content_md5(data)
            t = time.monotonic()
            result = b.put_object("%s-%d.bin" % (os.environ["OSS_OBJECT"], n), data, headers=headers)
            result.resp.read()
            mine.append(time.monotonic() - t)
            statuses.add(result.status)
        with lock:
            latencies.extend(mine)

    t0 = time.monotonic()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.monotonic() - t0
    latencies.sort()
    pick = lambda q: 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    status = statuses.pop() if len(statuses) == 1 else sorted(statuses)
    return elapsed, status, "requests=%d p50_ms=%.3f p99_ms=%.3f" % (len(latencies), pick(0.5), pick(0.99))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "multipart":
        elapsed, status, body = multipart(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "put":
        elapsed, status, body = put(int(sys.argv[2]), int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "concurrent":
        elapsed, status, body = concurrent(int(sys.argv[2]), float(sys.argv[3]))
    else:
        sys.exit("usage: oss2_client.py multipart FILE PART_SIZE | put COUNT SIZE | concurrent THREADS SECONDS")
    print("elapsed_s=%.6f status=%s body=%s import_s=%.3f" % (elapsed, status, body.replace("\n", " "), IMPORT_S))


if __name__ == "__main__":
    main()

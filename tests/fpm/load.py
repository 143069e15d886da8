"""The load generator of the FPM load test (run.py): POSTs a fixed list of requests to nginx from a number of
threads, each over its own keep-alive connection, and records every answer. Nothing is retried: a connection
error is recorded as such (and the connection is opened again for the next request). Requests not started
within deadline_s seconds are not sent (their answer stays None), so a hang cannot stretch the run."""

import http.client
import threading
import time


class Load:
    def __init__(self, port, requests, concurrency, deadline_s=600):
        """requests: a list of (path with query, body bytes)."""
        self.port = port
        self.requests = requests
        self.concurrency = concurrency
        # answers[i] is (HTTP status, body bytes) for requests[i], or (None, error text) when there was no answer.
        self.answers = [None] * len(requests)
        self.done = 0
        self.seconds = 0.0
        self._deadline_s = deadline_s
        self._deadline = 0.0
        self._next = 0
        self._lock = threading.Lock()

    def run(self):
        start = time.monotonic()
        self._deadline = start + self._deadline_s
        threads = [threading.Thread(target=self._worker) for _ in range(self.concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.seconds = time.monotonic() - start

    def _take(self):
        with self._lock:
            if self._next == len(self.requests) or time.monotonic() > self._deadline:
                return None
            self._next += 1
            return self._next - 1

    def _worker(self):
        connection = None
        while (i := self._take()) is not None:
            path, body = self.requests[i]
            if connection is None:
                connection = http.client.HTTPConnection('127.0.0.1', self.port, timeout=180)
            try:
                connection.request('POST', path, body, {'Content-Type': 'application/octet-stream'})
                response = connection.getresponse()
                self.answers[i] = (response.status, response.read())
            except (OSError, http.client.HTTPException) as e:
                self.answers[i] = (None, f'{type(e).__name__}: {e}')
                connection.close()
                connection = None
            with self._lock:
                self.done += 1
        if connection is not None:
            connection.close()

"""Client-side request pacing for Bitrix24.

Bitrix24 lets a portal's REST callers run a burst of about 50 requests, then about 2 per second; past
that it answers ``QUERY_LIMIT_EXCEEDED``. The token bucket below keeps a client under that limit so
its calls are delayed instead of refused.
"""
import threading
import time


class TokenBucket:
    """Token bucket: ``burst`` tokens at start, refilled at ``rate`` tokens per second.

    ``acquire()`` takes one token, sleeping first when none is left. When it has to wait it waits
    ``margin`` seconds more than strictly needed, so that small differences between this clock and
    the server's (network delays) do not bring a request in a hair too early.
    ``settle()``, called when a request's answer has come back, gives no credit for the time the
    request was under way: the server counted it on arrival, somewhere in that time, so the client
    counts it as late as possible and stays on the safe side of the server's bucket.
    ``clock`` and ``sleep`` can be replaced (tests use a fake clock whose sleep advances it).
    """

    def __init__(self, rate=2.0, burst=50, clock=time.monotonic, sleep=time.sleep, margin=0.05):
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1 (got rate=%r, burst=%r)" % (rate, burst))
        self.rate = float(rate)
        self.burst = float(burst)
        self.margin = margin
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.burst
        self._last = clock()
        self._lock = threading.Lock()

    def _refill(self):
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now

    def acquire(self):
        """Take one token; return how many seconds were spent waiting for it."""
        waited = 0.0
        with self._lock:
            self._refill()
            while self._tokens < 1.0:
                delay = (1.0 - self._tokens) / self.rate + self.margin
                self._sleep(delay)
                waited += delay
                self._refill()
            self._tokens -= 1.0
        return waited

    def settle(self):
        """The request taken with the last ``acquire()`` has finished: refill from now on only."""
        with self._lock:
            self._last = max(self._last, self._clock())

    @property
    def tokens(self):
        with self._lock:
            self._refill()
            return self._tokens

import pytest

from b2b_bitrix_bridge.lib.ratelimit import TokenBucket


class FakeClock:
    """A clock whose sleep() moves time forward instead of waiting."""

    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def test_burst_passes_then_two_per_second():
    clock = FakeClock()
    bucket = TokenBucket(rate=2, burst=50, clock=clock, sleep=clock.sleep, margin=0)
    assert [bucket.acquire() for _ in range(50)] == [0.0] * 50
    assert clock.now == 1000.0
    # the next ten calls are spaced half a second apart
    for _ in range(10):
        assert bucket.acquire() == pytest.approx(0.5)
    assert clock.now == pytest.approx(1005.0)


def test_idle_time_refills_up_to_the_burst_only():
    clock = FakeClock()
    bucket = TokenBucket(rate=2, burst=5, clock=clock, sleep=clock.sleep, margin=0)
    for _ in range(5):
        bucket.acquire()
    clock.now += 3600
    assert bucket.tokens == 5
    assert [bucket.acquire() for _ in range(5)] == [0.0] * 5
    assert bucket.acquire() == pytest.approx(0.5)


def test_margin_is_added_to_waits_only():
    clock = FakeClock()
    bucket = TokenBucket(rate=4, burst=1, clock=clock, sleep=clock.sleep, margin=0.1)
    assert bucket.acquire() == 0.0
    assert bucket.acquire() == pytest.approx(0.35)


@pytest.mark.parametrize("rate, burst", [(0, 5), (-1, 5), (2, 0)])
def test_nonsense_settings_refused(rate, burst):
    with pytest.raises(ValueError):
        TokenBucket(rate=rate, burst=burst)


def test_time_in_flight_is_not_credited():
    clock = FakeClock()
    bucket = TokenBucket(rate=2, burst=1, clock=clock, sleep=clock.sleep, margin=0)
    bucket.acquire()
    clock.now += 0.4          # the request travels and is answered
    bucket.settle()
    clock.now += 0.1
    assert bucket.tokens == pytest.approx(0.2)
    assert bucket.acquire() == pytest.approx(0.4)

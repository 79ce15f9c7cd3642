"""How much a drain claims and when: big claims under a burst (each lead scored once for
more of its events), smaller ones when claims get slow (their leads stay locked until the
commit), paced under a steady stream, at once when it stops (scoring/pending.py). A fake
clock and queue stand in for time and PostgreSQL."""

import itertools

import pytest

from scoring import pending


@pytest.mark.parametrize(
    ("limit", "done", "seconds", "expected"),
    [
        (100_000, 100_000, 6.0, 50_000),  # a slow full claim halves the next
        (20_000, 20_000, 1.0, 60_000),  # a quick one lets it grow
        (80_000, 80_000, 0.5, pending.CLAIM),  # never past the most
        (6_000, 6_000, 60.0, pending.CLAIM_FLOOR),  # never below the least
        (100_000, 40_000, 9.0, 100_000),  # took all that waited: the time says little
    ],
)
def test_the_claim_follows_how_long_full_drains_take(limit, done, seconds, expected) -> None:
    assert pending.next_claim(limit, done=done, seconds=seconds) == expected


def test_after_a_slow_drain_the_next_claims_fewer_events(monkeypatch) -> None:
    """A drain holds its leads locked until it commits: on a database where each lead costs
    more, the claims shrink so that a web form for one of them does not wait long."""
    clock = [0.0]
    waiting = [250_000]
    claims = []

    def fake_drain_once(*, claim: int) -> int:
        claims.append(claim)
        taken = min(claim, waiting[0])
        waiting[0] -= taken
        clock[0] += taken / 10_000  # 10,000 events a second: 100,000 take 10 s
        return taken

    monkeypatch.setattr(pending, "drain_once", fake_drain_once)
    monkeypatch.setattr(pending, "sleep", lambda seconds: None)
    monkeypatch.setattr(pending, "monotonic", lambda: clock[0])
    monkeypatch.setattr(pending, "_claim_size", pending.CLAIM)
    monkeypatch.setattr(pending, "cache", type("NoCache", (), {"delete": lambda *a: None})())

    assert pending.drain() == 250_000
    assert claims[0] == pending.CLAIM
    assert claims[1] == pending.CLAIM * pending.DRAIN_SECONDS / 10
    assert all(later <= claims[1] for later in claims[2:])
    assert waiting[0] == 0


class Stream:
    """A fake clock and queue: claims take half a second; events arrive at ``rate`` a
    second until ``stops_at``."""

    def __init__(self, monkeypatch, claims: list[int], *, rate: int, stops_at: float) -> None:
        self.now, self.claims, self.rate, self.stops_at = 0.0, claims, rate, stops_at
        self.claim_starts: list[float] = []
        monkeypatch.setattr(pending, "drain_once", self.drain_once)
        monkeypatch.setattr(pending, "monotonic", lambda: self.now)
        monkeypatch.setattr(pending, "sleep", self.sleep)
        monkeypatch.setattr(pending, "waiting", self.waiting)
        monkeypatch.setattr(pending, "_claim_size", pending.CLAIM)
        monkeypatch.setattr(pending, "cache", type("NoCache", (), {"delete": lambda *a: None})())

    def drain_once(self, *, claim: int) -> int:
        self.claim_starts.append(self.now)
        self.now += 0.5
        return self.claims.pop(0)

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def waiting(self) -> int:
        return int(min(self.now, self.stops_at) * self.rate)


def test_under_a_steady_stream_claims_are_paced(monkeypatch) -> None:
    """Each busy claim starts PACE_SECONDS after the last began, to find more events per
    lead; the small claim that follows ends the drain."""
    stream = Stream(monkeypatch, [20_000, 20_000, 15_000, 300], rate=20_000, stops_at=60)

    assert pending.drain() == 55_300

    gaps = [b - a for a, b in itertools.pairwise(stream.claim_starts)]
    assert gaps == [pytest.approx(pending.PACE_SECONDS)] * 3


def test_when_the_stream_stops_the_next_claim_comes_at_once(monkeypatch) -> None:
    stream = Stream(monkeypatch, [20_000, 4_000], rate=20_000, stops_at=0.6)

    pending.drain()

    assert stream.claim_starts[1] - stream.claim_starts[0] < pending.PACE_SECONDS / 2


def test_a_quiet_time_is_not_paced(monkeypatch) -> None:
    stream = Stream(monkeypatch, [500], rate=20_000, stops_at=60)

    assert pending.drain() == 500
    assert stream.now == 0.5

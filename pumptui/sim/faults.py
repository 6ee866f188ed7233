"""Fault injection: what a flaky upstream does to a client, on demand.

A `FaultPlan` gives each fault a probability per request. It can be limited to paths matching a
regex, to a duration and to a number of faults (then it switches itself off). A duration runs
from the first request the plan applies to, not from when the plan was set, so a slow client (a
loaded test machine) still meets the faults it was promised. Fault draws use their own RNG, so
turning faults on never changes the market a seed produces.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal, cast

Fault = Literal[
    "rate_limit",
    "error",
    "timeout",
    "drop",
    "truncate",
    "malformed",
    "html",
    "challenge",
    "blocked",
]

# Spec keys accepted by `FaultPlan.parse` (CLI --faults and the admin endpoint).
_ALIASES = {
    "429": "rate_limit_rate",
    "rate_limit": "rate_limit_rate",
    "ratelimit": "rate_limit_rate",
    "error": "error_rate",
    "5xx": "error_rate",
    "500": "error_rate",
    "timeout": "timeout_rate",
    "drop": "drop_rate",
    "truncate": "truncate_rate",
    "malformed": "malformed_rate",
    "html": "html_rate",
    "challenge": "challenge_rate",
    "blocked": "blocked_rate",
    "redirect": "blocked_rate",
    "latency": "latency_ms",
    "jitter": "latency_jitter_ms",
    "retry_after": "retry_after",
    "retry-after": "retry_after",
    "paths": "paths",
    "for": "duration",
    "duration": "duration",
    "times": "times",
    "hang": "hang_seconds",
}


@dataclass(frozen=True)
class FaultPlan:
    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    retry_after: float = 2.0
    timeout_rate: float = 0.0
    drop_rate: float = 0.0
    truncate_rate: float = 0.0
    malformed_rate: float = 0.0
    html_rate: float = 0.0
    # Disguised blocks (pumpfun-api-2026.md §2): a 200 HTML challenge page on a JSON route, and a
    # 302 redirect to static.pump.fun/blocked.
    challenge_rate: float = 0.0
    blocked_rate: float = 0.0
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    # How long a "timeout" holds the request before closing it without an answer.
    hang_seconds: float = 30.0
    paths: str | None = None
    # Seconds the plan lasts, from the first request it applies to.
    duration: float | None = None
    # Faults the plan injects before it switches itself off (None: no limit).
    times: int | None = None
    # Of the injected 429s, the share answered with Cloudflare's HTML page (a block to a
    # client); the rest get v3's JSON ThrottlerException (a pause).
    rate_limit_html_share: float = 0.5

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name.endswith(("_rate", "_share")):
                value = getattr(self, f.name)
                if not 0.0 <= value <= 1.0:
                    raise ValueError(f"{f.name} must be between 0 and 1, not {value}")
        if self.times is not None and self.times < 1:
            raise ValueError(f"times must be at least 1, not {self.times}")
        if self.paths is not None:
            try:
                re.compile(self.paths)
            except re.error as exc:  # callers (CLI, admin endpoint) expect ValueError
                raise ValueError(f"paths is not a valid regex: {exc}") from None

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name.endswith("_rate")) or (
            self.latency_ms > 0 or self.latency_jitter_ms > 0
        )

    @classmethod
    def parse(cls, spec: str) -> FaultPlan:
        """`"error=0.1,429=0.2,latency=50ms,jitter=20ms,paths=^/trades,for=60s,times=3"`."""
        values: dict[str, Any] = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, sep, raw = part.partition("=")
            name = _ALIASES.get(key.strip().lower())
            if not sep or name is None:
                raise ValueError(f"unknown fault setting {part!r}")
            raw = raw.strip()
            if name == "paths":
                values[name] = raw
            elif name in ("latency_ms", "latency_jitter_ms"):
                values[name] = _duration(raw) * 1000
            elif name in ("duration", "retry_after", "hang_seconds"):
                values[name] = _duration(raw)
            elif name == "times":
                values[name] = int(raw)
            else:
                values[name] = float(raw)
        return cls(**values)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultPlan:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _duration(text: str) -> float:
    text = text.lower()
    for suffix, scale in (("ms", 0.001), ("s", 1.0), ("m", 60.0)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * scale
    return float(text)


class FaultInjector:
    """Decides, request by request, which fault (if any) to apply."""

    def __init__(self, plan: FaultPlan | None = None, seed: int = 0) -> None:
        import random

        self._rng = random.Random(seed ^ 0x5EED)
        self._plan = plan or FaultPlan()
        self._until: float | None = None
        self._injected = 0
        self._pattern: re.Pattern[str] | None = None
        self.set(self._plan)

    @property
    def plan(self) -> FaultPlan:
        if self._until is not None and time.monotonic() >= self._until:
            self.set(FaultPlan())
        return self._plan

    def set(self, plan: FaultPlan) -> None:
        self._plan = plan
        self._pattern = re.compile(plan.paths) if plan.paths else None
        self._until = None  # a duration starts at the first request the plan applies to
        self._injected = 0

    def applies(self, path: str) -> bool:
        plan = self.plan
        if not plan.active or (self._pattern is not None and not self._pattern.search(path)):
            return False
        if plan.times is not None and self._injected >= plan.times:
            self.set(FaultPlan())  # it injected what it was asked to
            return False
        if plan.duration and self._until is None:
            self._until = time.monotonic() + plan.duration
        return True

    def rate_limit_page(self) -> bool:
        """Whether an injected 429 is Cloudflare's HTML page (else v3's JSON error)."""
        return self._rng.random() < self.plan.rate_limit_html_share

    def _count(self, fault: Fault) -> Fault:
        self._injected += 1
        return fault

    def latency(self) -> float:
        """Seconds to wait before answering."""
        plan = self.plan
        if plan.latency_ms <= 0 and plan.latency_jitter_ms <= 0:
            return 0.0
        jitter = self._rng.expovariate(1 / plan.latency_jitter_ms) if plan.latency_jitter_ms else 0
        return (plan.latency_ms + jitter) / 1000.0

    def before(self) -> Fault | None:
        """A fault that replaces the answer, drawn in a fixed order."""
        plan = self.plan
        for fault, rate in (
            ("rate_limit", plan.rate_limit_rate),
            ("error", plan.error_rate),
            ("html", plan.html_rate),
            ("challenge", plan.challenge_rate),
            ("blocked", plan.blocked_rate),
            ("timeout", plan.timeout_rate),
            ("drop", plan.drop_rate),
        ):
            if rate and self._rng.random() < rate:
                return self._count(cast(Fault, fault))
        return None

    def after(self) -> Fault | None:
        """A fault that damages a real answer's body."""
        plan = self.plan
        if plan.truncate_rate and self._rng.random() < plan.truncate_rate:
            return self._count("truncate")
        if plan.malformed_rate and self._rng.random() < plan.malformed_rate:
            return self._count("malformed")
        return None

"""`RuleSwitches`: the config's rules switched off (or back on) in the app, kept in the data dir.

The config file is the user's and is never rewritten, so an `[[alerts]]` rule cannot be deleted
from the app, only switched off; the switch is kept by rule id (`AlertRule.id`, derived from what
the rule does), so editing the rule in the config forgets it. Written whole and atomically like
the other alert files; a file that cannot be read is no switch at all, said in `problem`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from pumptui.alerts.files import FILE_VERSION, read_json, write_json
from pumptui.alerts.rules import AlertRule


class RuleSwitches:
    """Rule id -> enabled, for rules whose file the app may not write (the config's)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.problem: str | None = None
        self._enabled: dict[str, bool] = {}
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        data, problem = read_json(path)
        if problem is not None:
            self.problem = f"{path}: the alerts switched off in the app cannot be read ({problem})"
        switched = data.get("enabled") if isinstance(data, dict) else None
        if isinstance(switched, dict):
            self._enabled = {str(k): v for k, v in switched.items() if isinstance(v, bool)}

    def apply(self, rules: Iterable[AlertRule]) -> list[AlertRule]:
        """`rules` with the switches applied (a rule never switched is as written)."""
        return [
            replace(rule, enabled=self._enabled[rule.id]) if rule.id in self._enabled else rule
            for rule in rules
        ]

    def switch(self, rule: AlertRule, enabled: bool) -> None:
        """Keep `rule` on or off from now on (written at once; OSError if it cannot be)."""
        self._enabled[rule.id] = enabled
        if self.path is not None:
            write_json(self.path, {"version": FILE_VERSION, "enabled": self._enabled})

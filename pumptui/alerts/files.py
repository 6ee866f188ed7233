"""The two files alerts keep in the data dir (`pumptui.paths`): the rules made in the app, and
when each rule last fired on each coin (so a cooldown survives a restart).

Both are small JSON documents written whole to a temporary file and renamed over the old one, so
a crash never leaves half a file. A file that cannot be read is not a crash: the rules file
reports its problem through `AppRules.problem` (and is not overwritten until the app saves on
purpose), the fired times start empty.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from pumptui.alerts.rules import AlertRule, AlertRuleError, rule_from_table

FILE_VERSION = 1


def write_json(path: Path, data: Any) -> None:
    """Write `data` to `path` atomically (temporary file in the same directory, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(orjson.dumps(data, option=orjson.OPT_INDENT_2))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def read_json(path: Path) -> tuple[Any, str | None]:
    """What the file at `path` holds (None when there is no file), or None and why it could not
    be read: the alert files are the app's, and a broken one is said, never a crash."""
    try:
        return orjson.loads(path.read_bytes()), None
    except FileNotFoundError:
        return None, None
    except (OSError, orjson.JSONDecodeError) as exc:
        return None, str(exc)


class AppRules:
    """The rules made in the app: `load()` reads them, `save(rules)` writes them whole.

    A broken entry is skipped and named in `problem` (one line), the others are kept."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None

    def load(self) -> list[AlertRule]:
        data, problem = read_json(self.path)
        self.problem = (
            None if problem is None else f"{self.path}: cannot read the alert rules: {problem}"
        )
        if data is None:
            return []
        entries = data.get("rules") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            self.problem = f"{self.path}: not an alert rules file"
            return []
        rules: list[AlertRule] = []
        for index, entry in enumerate(entries):
            try:
                rules.append(rule_from_table(entry, origin="app"))
            except AlertRuleError as exc:
                self.problem = f"{self.path}: rule {index + 1}: {exc}"
        return rules

    def save(self, rules: Iterable[AlertRule]) -> None:
        """Write `rules` (those of origin "app"; the config's are not the app's to keep)."""
        tables = [rule.to_table() for rule in rules if rule.origin == "app"]
        write_json(self.path, {"version": FILE_VERSION, "rules": tables})


class CooldownLog:
    """When each rule last fired on each coin (Unix seconds), kept in a file when given one.

    `record` writes through at once, but only for a rule with a cooldown (a rule that fires on
    every match has nothing to remember); expired entries are dropped on each write."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._fired: dict[str, float] = {}
        self._cooldowns: dict[str, float] = {}
        self.problem: str | None = None
        if path is not None:
            self._load(path)

    @staticmethod
    def key(rule_id: str, mint: str) -> str:
        return f"{rule_id}:{mint}"

    def _load(self, path: Path) -> None:
        data, problem = read_json(path)
        if problem is not None:
            self.problem = (
                f"{path}: the alerts' last firings cannot be read ({problem}); starting anew"
            )
        fired = data.get("fired") if isinstance(data, dict) else None
        if not isinstance(fired, dict):
            return
        for key, entry in fired.items():
            if isinstance(entry, list) and len(entry) == 2:
                at, cooldown = entry
                if isinstance(at, int | float) and isinstance(cooldown, int | float):
                    self._fired[str(key)] = float(at)
                    self._cooldowns[str(key)] = float(cooldown)

    def last_fired(self, rule_id: str, mint: str) -> float | None:
        return self._fired.get(self.key(rule_id, mint))

    def cooling(self, rule: AlertRule, mint: str, now: float) -> bool:
        """True while `rule` may not fire again on `mint`."""
        if rule.cooldown <= 0:
            return False
        last = self._fired.get(self.key(rule.id, mint))
        return last is not None and now - last < rule.cooldown

    def record(self, rule: AlertRule, mint: str, at: float) -> None:
        if rule.cooldown <= 0:
            return
        key = self.key(rule.id, mint)
        self._fired[key] = at
        self._cooldowns[key] = rule.cooldown
        self._save(at)

    def _save(self, now: float) -> None:
        for key in [k for k, at in self._fired.items() if now - at >= self._cooldowns[k]]:
            del self._fired[key]
            del self._cooldowns[key]
        if self.path is None:
            return
        data = {k: [at, self._cooldowns[k]] for k, at in self._fired.items()}
        try:
            write_json(self.path, {"version": FILE_VERSION, "fired": data})
        except OSError as exc:
            if self.problem is None:  # said once; the cooldowns still hold in memory
                self.problem = f"{self.path}: cannot keep the alerts' last firings ({exc})"

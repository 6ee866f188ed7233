"""Alerts: rules on the live market, delivered wherever the user is. No Textual here.

The parts, in the order an event meets them:

- `rules`: `AlertRule` (condition in the expression language of `pumptui.rules`, with the
  event fields of `fields`: `event`, `side`, `sol`, `usd`, `trader`, `by`, `whale`; a scope:
  new coins, the watchlist or one mint; a window; a cooldown; channels). `rule_from_table`
  reads a `[[alerts]]` table (`pumptui.config` does, for the config file), `make_rule` makes
  one from code (the app, the command line). Both raise `AlertRuleError`, one line.
- `files`: `AppRules` (rules made in the app, `paths.alerts_file()`) and `CooldownLog` (last
  firings per rule and coin, `paths.alerts_fired_file()`, so cooldowns survive a restart).
- `evaluator`: `AlertEvaluator.evaluate(event) -> list[Firing]`, indexed so that its cost per
  event stays flat with hundreds of rules; `test(rule, mint)` for a rule's "test" button.
- `firing`: `Firing`, what fired, with its caveats (`late`, `provisional`, `stale`), its one
  line of text and its JSON (`to_json`: the headless line and the command hook's stdin).
- `delivery`: `Deliverer`, the channels (app, bell, osc, notify-send, command), each failure
  reported once; `terminal`: the OSC 9 / OSC 777 sequences, sanitised.
- `service`: `AlertService`, the evaluator on the bus plus delivery and a history, for the TUI;
  `pumptui alerts` (pumptui.cli.alerts) runs the same without a screen.

For the TUI: build a `Deliverer(app=<post a message>, terminal=<the driver's write>,
problem=<a toast, once>)`, rules from `Settings.alerts` plus `AppRules(paths.alerts_file())
.load()`, then `AlertService(engine.bus, engine.store, rules, deliverer,
cooldowns=CooldownLog(paths.alerts_fired_file()), watchlist=...)`, `start()` it, and add a
listener (or use the `app` channel) to toast and refresh the history.
"""

from pumptui.alerts.delivery import Deliverer
from pumptui.alerts.evaluator import AlertEvaluator, RuleIndex
from pumptui.alerts.fields import ALERT_FIELDS, EVENT_FIELDS, EVENT_KINDS, alert_fields
from pumptui.alerts.files import AppRules, CooldownLog
from pumptui.alerts.firing import Firing
from pumptui.alerts.rules import (
    CHANNELS,
    SCOPES,
    AlertRule,
    AlertRuleError,
    make_rule,
    parse_duration,
    rule_from_table,
)
from pumptui.alerts.service import AlertService
from pumptui.alerts.terminal import desktop_notification, osc9, osc777, terminal_safe

__all__ = [
    "ALERT_FIELDS",
    "CHANNELS",
    "EVENT_FIELDS",
    "EVENT_KINDS",
    "SCOPES",
    "AlertEvaluator",
    "AlertRule",
    "AlertRuleError",
    "AlertService",
    "AppRules",
    "CooldownLog",
    "Deliverer",
    "Firing",
    "RuleIndex",
    "alert_fields",
    "desktop_notification",
    "make_rule",
    "osc9",
    "osc777",
    "parse_duration",
    "rule_from_table",
    "terminal_safe",
]

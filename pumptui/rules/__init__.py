"""The filter and rule expression language shared by the screener and alerts.

    mc > 20k and age < 10m and dev < 5% and holders >= 50
    name ~ pepe or symbol ~ "dog wif"
    change 5m > 30% and vol 5m >= 10k

`parse` checks a rule against the fields it may name and returns an `Expr`, whose `evaluate`
reads a `Facts`; `coin_facts` is the one definition of what each coin field means. Core code: no
Textual, no Rich.
"""

from pumptui.rules.coin import (
    COIN_FIELDS,
    GRADUATING_CURVE_PERCENT,
    STAGES,
    CoinFacts,
    coin_facts,
    describe_fields,
    fields_help,
    price_change,
    stage_of,
)
from pumptui.rules.errors import ExprError
from pumptui.rules.expr import Expr, evaluate_tree, parse, plain_value
from pumptui.rules.fields import Facts, Field, Kind, MappingFacts
from pumptui.rules.tree import And, Compare, Node, Not, Or, render

__all__ = [
    "COIN_FIELDS",
    "GRADUATING_CURVE_PERCENT",
    "STAGES",
    "And",
    "CoinFacts",
    "Compare",
    "Expr",
    "ExprError",
    "Facts",
    "Field",
    "Kind",
    "MappingFacts",
    "Node",
    "Not",
    "Or",
    "coin_facts",
    "describe_fields",
    "evaluate_tree",
    "fields_help",
    "parse",
    "plain_value",
    "price_change",
    "render",
    "stage_of",
]

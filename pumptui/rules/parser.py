"""Filter text → a checked tree, by recursive descent over the tokens.

    expr       := conjunction ("or" conjunction)*
    conjunction:= unary ("and" unary)*
    unary      := "not" unary | "(" expr ")" | comparison
    comparison := FIELD [WINDOW] OP VALUE

Everything a rule could get wrong is caught here, against the fields it names (unknown field,
a unit the field does not take, an operator its kind does not have), so evaluating never fails.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from pumptui.rules.errors import ExprError
from pumptui.rules.fields import Field
from pumptui.rules.lexer import Token, tokenize
from pumptui.rules.tree import NUMERIC_OPS, TEXT_OPS, And, Compare, Node, Not, Or, quote_text
from pumptui.rules.units import UnitError, read_value, read_window

# Parentheses and `not`s a rule may nest (far beyond any real rule; keeps recursion bounded).
MAX_DEPTH = 50


def parse_tree(text: str, fields: Mapping[str, Field]) -> Node:
    """The tree of `text`; `ExprError` pointing at the offending token when it cannot be read."""
    return _Parser(text, fields).parse()


class _Parser:
    def __init__(self, source: str, fields: Mapping[str, Field]) -> None:
        self.source = source
        self.fields = fields
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0

    # -- helpers -----------------------------------------------------------------------------

    def peek(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def error(self, message: str, token: Token) -> ExprError:
        return ExprError(message, token.position, token.length, self.source)

    def describe(self, token: Token) -> str:
        if token.kind == "end":
            return "the end"
        if token.kind == "string":
            return f'"{token.text}"'
        return f"'{token.text}'"

    # -- grammar -----------------------------------------------------------------------------

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise self.error("empty filter: write a condition such as mc > 20k", self.peek())
        node = self.disjunction()
        token = self.peek()
        if token.kind == "rparen":
            raise self.error("')' without a matching '('", token)
        if token.kind != "end":
            hint = self.did_you_mean(token.text.lower(), ["and", "or"])
            raise self.error(
                f"expected 'and', 'or' or the end, found {self.describe(token)}{hint}", token
            )
        return node

    def disjunction(self) -> Node:
        operands = [self.conjunction()]
        while self.peek().keyword == "or":
            self.advance()
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def conjunction(self) -> Node:
        operands = [self.unary()]
        while self.peek().keyword == "and":
            self.advance()
            operands.append(self.unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def unary(self) -> Node:
        token = self.peek()
        if token.keyword == "not" or token.kind == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"nested too deeply (more than {MAX_DEPTH} levels)", token)
        if token.keyword == "not":
            self.advance()
            node: Node = Not(self.unary())
            self.depth -= 1
            return node
        if token.kind == "lparen":
            self.advance()
            if self.peek().kind == "rparen":
                raise self.error("empty parentheses: put a condition inside", self.peek())
            node = self.disjunction()
            if self.peek().kind != "rparen":
                if self.peek().kind == "end":
                    raise self.error("unclosed parenthesis: add ')'", token)
                raise self.error(
                    f"expected 'and', 'or' or ')', found {self.describe(self.peek())}",
                    self.peek(),
                )
            self.advance()
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        token = self.advance()
        if token.kind in ("end", "rparen") or token.keyword in ("and", "or"):
            raise self.error(f"missing condition before {self.describe(token)}", token)
        if token.kind != "word":
            raise self.error(f"expected a field name, found {self.describe(token)}", token)
        spec = self.field(token)
        window = spec.default_window if spec.windowed else None
        if self.peek().kind == "number":
            window_token = self.advance()
            if not spec.windowed:
                if self.peek().kind == "op":
                    raise self.error(f"{spec.name} takes no window", window_token)
                raise self.error(self.missing_operator(spec), window_token)
            try:
                window = read_window(window_token.text)
            except UnitError as exc:
                raise self.error(str(exc), window_token) from None
        op_token = self.advance()
        if op_token.kind != "op":
            raise self.error(self.missing_operator(spec), op_token)
        op = "=" if op_token.text == "==" else op_token.text
        allowed = TEXT_OPS if spec.is_text else NUMERIC_OPS
        if op not in allowed:
            if spec.is_text:
                hint = f"{spec.name} is text: compare it with = != ~ (contains) or !~"
            else:
                hint = f"{spec.name} is a number: ~ is for text; use > >= < <= = !="
            raise self.error(hint, op_token)
        return Compare(spec.name, op, self.value(spec, op_token), window)

    def value(self, spec: Field, op_token: Token) -> float | str:
        token = self.advance()
        if token.kind in ("end", "rparen", "lparen", "op") or token.keyword is not None:
            raise self.error(
                f"missing value after {spec.name} {op_token.text}"
                + (f' (quote it: "{token.text}")' if token.keyword and spec.is_text else ""),
                token,
            )
        if spec.is_text:
            if token.kind == "number":
                raise self.error(
                    f'{spec.name} is text: quote a number to match it ("{token.text}")', token
                )
            if spec.choices and op_token.text in ("=", "==", "!="):
                lowered = token.text.lower()
                if lowered not in spec.choices:
                    raise self.error(
                        f"{spec.name} is one of {', '.join(spec.choices)}"
                        + self.did_you_mean(lowered, spec.choices),
                        token,
                    )
                return lowered
            return token.text
        if token.kind != "number":
            raise self.error(f"{spec.name} needs a number, not {self.describe(token)}", token)
        try:
            return read_value(token.text, spec.kind, spec.name)
        except UnitError as exc:
            raise self.error(str(exc), token) from None

    def field(self, token: Token) -> Field:
        spec = self.fields.get(token.text.lower())
        if spec is None:
            hint = self.did_you_mean(token.text.lower(), list(self.fields))
            if not hint and self.peek().kind not in ("op", "number") and "name" in self.fields:
                hint = f": to find a coin by name, write name ~ {quote_text(token.text)}"
            raise self.error(f"unknown field '{token.text}'{hint}", token)
        return spec

    def missing_operator(self, spec: Field) -> str:
        ops = " ".join(TEXT_OPS if spec.is_text else NUMERIC_OPS)
        return f"expected an operator ({ops}) after {spec.name}"

    @staticmethod
    def did_you_mean(word: str, choices: Sequence[str]) -> str:
        close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
        return f": did you mean {close[0]}?" if close else ""

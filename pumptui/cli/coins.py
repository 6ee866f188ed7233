"""`pumptui coins`: look up any number of coins by mint, in bulk (`POST /coins-v2/mints`).

Results go to stdout in input order (each distinct item once), a progress bar and a summary line
to stderr. Exit status: 0 when every item was found or reported missing, 1 when some failed or
were invalid, 2 for bad usage or no valid input, 130 when interrupted (after printing what was
done and writing `--failed-out` for the rest).

A found coin carries its name, symbol, description, image and socials: the metadata look-up of
the 2025 API (`--metadata`, on the dead advanced host) is gone. JSON output is `Coin.to_json`:
lamports and raw token units as integers, times in Unix seconds, market caps in SOL
(`market_cap_sol`, null for a coin not quoted in SOL) and USD (`market_cap_usd`,
`ath_market_cap_usd`: the all-time high is USD).

The helpers below the command (reading items, the progress display, output formats, running a
job so that Ctrl-C keeps what was done) are shared with `pumptui moderate`.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import dataclasses
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pumptui.cli.options import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from pumptui.cli.table import Column, print_table
from pumptui.words import plural

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from pumptui.api.bulk import BulkJob, BulkProgress, BulkResult, ItemResult
    from pumptui.config import Settings

FORMATS = ("table", "json", "jsonl", "csv")


def register(sub: argparse._SubParsersAction) -> None:
    from pumptui.cli.options import add_api_options

    parser = sub.add_parser(
        "coins",
        help="look up coins by mint, in bulk (name, socials, market data)",
        description="Look up any number of coins by mint, in batches of up to 100 on "
        "POST /coins-v2/mints (frontend-api-v3; its own route group, budget --frontend-rpm). "
        "Invalid mints are reported without being sent, duplicates are dropped, and every item "
        "ends up found, not_found, invalid or failed (with the reason). JSON/JSONL records: "
        '{"item", "status", "reason", "coin"}; "coin" has lamports and raw token units as '
        "integers, times in Unix seconds, market_cap_sol in SOL, market_cap_usd and "
        "ath_market_cap_usd in USD, plus name, symbol, description, image_uri, twitter, "
        "telegram, website. Exit status: 0 all found or not found, 1 some failed or invalid, "
        "2 bad usage or no valid input, 130 interrupted.",
    )
    parser.add_argument("mints", nargs="*", metavar="MINT", help="mints to look up ('-': stdin)")
    add_bulk_options(parser, item_name="mints")
    parser.add_argument("--metadata", action="store_true", help=argparse.SUPPRESS)
    add_api_options(parser)
    parser.set_defaults(handler=run)


def add_bulk_options(parser: argparse.ArgumentParser, *, item_name: str) -> None:
    """Options shared by every bulk command."""
    parser.add_argument(
        "--file", metavar="PATH", help=f"read {item_name} from a file, one per line ('-': stdin)"
    )
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument(
        "--batch-size",
        type=_bounded(1, 100),
        default=50,
        metavar="N",
        help="items per request, 1-100 (default 50; shrinks while the server is slow)",
    )
    parser.add_argument(
        "--concurrency",
        type=_bounded(1, 5),
        default=4,
        metavar="N",
        help="requests in flight, 1-5 (default 4)",
    )
    parser.add_argument(
        "--failed-out",
        metavar="PATH",
        help="write the failed items here, one per line (feed it back with --file)",
    )


def run(args: argparse.Namespace) -> int:
    from pumptui.api.bulk import CoinLookup

    if args.metadata:
        error(
            "--metadata is gone: the advanced API host is dead, and every coin now carries "
            "its name, symbol, description, image and socials (see --format json)"
        )
        return EXIT_USAGE
    settings = load_cli_settings(args)
    if settings is None:
        return EXIT_USAGE
    items = read_items(args.mints, args.file)
    if items is None:
        return EXIT_USAGE
    if not items:
        error("no mints given: pass them as arguments, or use --file PATH (or - for stdin)")
        return EXIT_USAGE
    return asyncio.run(
        run_bulk(args, settings, CoinLookup(), items, render=render_coins, token=None)
    )


# -- shared with `pumptui moderate` ----------------------------------------------------------------


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def error(message: str) -> None:
    print(f"pumptui: {message}", file=sys.stderr)


def load_cli_settings(args: argparse.Namespace) -> Settings | None:
    """Settings with the command line's server options applied; None (after a message) when
    the config file cannot be used."""
    from pumptui.cli.options import settings_from_args
    from pumptui.config import ConfigError

    try:
        return settings_from_args(args)
    except ConfigError as exc:
        error(str(exc))
        return None


_SEPARATORS = re.compile(r"[\s,]+")


def read_items(positional: Sequence[str], file: str | None) -> list[str] | None:
    """Items from the arguments and/or a file ('-' is stdin): whitespace- or comma-separated,
    blank lines and `#` comments skipped. None (after a message) when the file is unreadable."""
    items: list[str] = []
    sources: list[str] = []
    for value in positional:
        if value == "-":
            sources.append("-")
        else:
            items.append(value)
    if file:
        sources.append(file)
    for source in dict.fromkeys(sources):
        try:
            if source == "-":
                text = sys.stdin.read()
            else:
                text = Path(source).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            error(f"cannot read {source}: {exc.strerror or exc}")
            return None
        for line in text.splitlines():
            line = line.split("#", 1)[0]
            items.extend(part for part in _SEPARATORS.split(line) if part)
    return items


class ProgressDisplay:
    """A Rich progress bar on stderr: items, batches, failures, rate."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console: Console = Console(stderr=True)
        self._progress: Progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("items · {task.fields[batches]} · {task.fields[failed]} failed"),
            TextColumn("· {task.fields[rate]:.0f}/s"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self._task: TaskID = self._progress.add_task(
            label, total=None, batches=plural(0, "batch"), failed=0, rate=0.0
        )

    def __enter__(self) -> ProgressDisplay:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update(self, progress: BulkProgress) -> None:
        self._progress.update(
            self._task,
            total=progress.items_total,
            completed=progress.items_settled,
            batches=plural(progress.batches_done, "batch"),
            failed=progress.failed,
            rate=progress.items_per_second,
        )


Render = Callable[["BulkResult[Any]", str, TextIO], None]


async def run_bulk(
    args: argparse.Namespace,
    settings: Settings,
    operation: Any,
    items: list[str],
    *,
    render: Render,
    token: Any,
    before: Callable[[Any], Any] | None = None,
) -> int:
    """Run one bulk job to the end (or to Ctrl-C), print results and the summary, write
    `--failed-out`, and return the exit status. `before(client)` may veto the run (returning
    an exit status) after the client exists, e.g. to check admin rights."""
    from pumptui.api.bulk import BulkJob
    from pumptui.api.client import PumpClient
    from pumptui.cli.options import client_budgets

    try:
        client = PumpClient(settings.api, token=token, budgets=client_budgets(settings))
    except ValueError as exc:
        error(f"bad server URL: {exc}")
        return EXIT_USAGE
    async with client:
        display = ProgressDisplay(f"{operation.name}")
        job: BulkJob[Any] = BulkJob(
            client,
            operation,
            items,
            batch_size=args.batch_size,
            concurrency=args.concurrency,
            on_progress=display.update,
        )
        if job.result.valid_count == 0:
            render(job.result, args.format, sys.stdout)
            error(f"no valid input: {job.result.summary()}")
            return EXIT_USAGE
        if before is not None:
            veto = await before(client)
            if veto is not None:
                return int(veto)
        interrupted = False
        with display:
            try:
                await job.run()
            except asyncio.CancelledError:
                interrupted = True
        return finish(job, args, render, display.console, interrupted=interrupted)


def finish(
    job: BulkJob[Any],
    args: argparse.Namespace,
    render: Render,
    console: Console,
    *,
    interrupted: bool,
) -> int:
    result = job.result
    render(result, args.format, sys.stdout)
    sys.stdout.flush()
    if args.failed_out:
        try:
            write_failed(args.failed_out, result.failed_keys)
        except OSError as exc:
            error(f"cannot write {args.failed_out}: {exc.strerror or exc}")
            return EXIT_FAILED
    for item in result.failed[:5]:
        console.print(
            f"failed {item.key}: {item.reason}", markup=False, highlight=False, soft_wrap=True
        )
    if len(result.failed) > 5:
        console.print(f"... and {len(result.failed) - 5} more failed", markup=False)
    console.print(result.summary(), markup=False, highlight=False, soft_wrap=True)
    if interrupted:
        if args.failed_out:
            console.print(
                f"interrupted: the {len(result.failed)} failed or unfinished items are in "
                f"{args.failed_out}",
                markup=False,
                soft_wrap=True,
            )
        return EXIT_INTERRUPTED
    return exit_status(result)


def exit_status(result: BulkResult[Any]) -> int:
    from pumptui.api.bulk import Outcome

    if result.valid_count == 0:
        return EXIT_USAGE
    if result.count(Outcome.FAILED) or result.count(Outcome.INVALID):
        return EXIT_FAILED
    return EXIT_OK


def write_failed(path: str, keys: Iterable[str]) -> None:
    text = "".join(f"{key}\n" for key in keys)
    Path(path).write_text(text, encoding="utf-8")


# -- output formats --------------------------------------------------------------------------------


def _iso(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record(item: ItemResult[Any], value_key: str) -> dict[str, Any]:
    value = item.value
    if value is None:
        data = None
    elif hasattr(value, "to_json"):
        data = value.to_json()
    else:
        data = dataclasses.asdict(value)
    return {"item": item.key, "status": _status(item), "reason": item.reason, value_key: data}


def _write_json(result: BulkResult[Any], fmt: str, out: TextIO, value_key: str) -> None:
    import orjson

    records = [_record(item, value_key) for item in result.items]
    if fmt == "json":
        out.write(orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        for record in records:
            out.write(orjson.dumps(record).decode() + "\n")


def _csv(columns: Sequence[str], rows: Iterable[Sequence[str]], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?%?")


def spreadsheet_safe(cell: str) -> str:
    """`cell` as a spreadsheet shows it but never runs it: text that starts like a formula
    (`=HYPERLINK(…)`, `+…`, `-…`, `@…`, a tab or line break) gets a leading single quote. Done
    here, on the very text written, after the API boundary's sanitiser (which trims leading
    whitespace and so can turn "\t=…" into "=…"). Our own numbers are left as numbers."""
    if cell.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _status(item: ItemResult[Any]) -> str:
    return item.outcome.value if item.outcome else "failed"


def render_coins(result: BulkResult[Any], fmt: str, out: TextIO) -> None:
    """CSV: market caps in SOL and USD (the all-time high is USD only), curve progress in
    percent, creation time in UTC. The table: the same figures as the app shows them (`$4.51k`,
    `45%`, the coin's age), sized to the terminal. Socials and the image in JSON."""
    if fmt in ("json", "jsonl"):
        _write_json(result, fmt, out, "coin")
        return
    if fmt == "table":
        print_table(coin_columns(result, time.time()), out)
        return
    columns = [
        "mint",
        "status",
        "name",
        "symbol",
        "market_cap_sol",
        "market_cap_usd",
        "ath_market_cap_usd",
        "curve_progress",
        "complete",
        "created_at",
        "reason",
    ]
    rows = []
    for item in result.items:
        coin = item.value
        if coin is None:
            rows.append(
                [item.key, _status(item), "", "", "", "", "", "", "", "", item.reason or ""]
            )
            continue
        sol = f"{coin.market_cap_sol:.3f}" if coin.is_sol_quoted else ""
        rows.append(
            [
                item.key,
                _status(item),
                coin.name,
                coin.symbol,
                sol,
                _usd(coin.market_cap_usd),
                _usd(coin.ath_market_cap_usd),
                f"{coin.progress:.1%}",
                "yes" if coin.complete else "no",
                _iso(coin.created_at),
                "",
            ]
        )
    _csv(columns, rows, out)


def coin_columns(result: BulkResult[Any], now: float) -> list[Column]:
    """The table of `coins`: the mint (short when the full one does not fit), the status and
    reason only when some item was not found, and the figures formatted as in the app."""
    from pumptui import numbers

    items = result.items
    coins = [item.value for item in items]

    def figures(shown: Callable[[Any], str]) -> list[str]:
        return [shown(coin) if coin is not None else "" for coin in coins]

    columns = [_item_column("mint", items)]
    if any(_status(item) != "found" for item in items):
        columns.append(Column("status", [_status(item) for item in items]))
    columns += [
        Column("name", figures(lambda c: c.name), cut=True),
        Column("symbol", figures(lambda c: c.symbol), cut=True, drop=2),
        Column(
            "mcap SOL",
            figures(lambda c: numbers.sol(c.market_cap_sol) if c.is_sol_quoted else "—"),
            right=True,
            drop=4,
        ),
        Column("mcap USD", figures(lambda c: numbers.usd(c.market_cap_usd)), right=True),
        Column("ATH USD", figures(lambda c: numbers.usd(c.ath_market_cap_usd)), right=True, drop=6),
        Column(
            "curve",
            figures(lambda c: "grad" if c.complete else numbers.percent(c.progress)),
            right=True,
            drop=3,
        ),
        Column(
            "age",
            figures(lambda c: numbers.age(None if c.created_at is None else now - c.created_at)),
            right=True,
            drop=5,
        ),
    ]
    if any(item.reason for item in items):
        columns.append(Column("reason", [item.reason or "" for item in items], wrap=True))
    return columns


def _item_column(header: str, items: Sequence[ItemResult[Any]]) -> Column:
    """The item itself: whole when it fits (to copy), else `EpNi…pump`."""
    from pumptui.numbers import short_address

    keys = [item.key for item in items]
    return Column(header, keys, short=[short_address(key) for key in keys])


def _usd(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def render_moderation(result: BulkResult[Any], fmt: str, out: TextIO) -> None:
    if fmt in ("json", "jsonl"):
        import orjson

        records = [{"item": i.key, "status": _status(i), "reason": i.reason} for i in result.items]
        if fmt == "json":
            out.write(orjson.dumps(records, option=orjson.OPT_INDENT_2).decode() + "\n")
        else:
            for record in records:
                out.write(orjson.dumps(record).decode() + "\n")
        return
    if fmt == "table":
        status = Column("status", [_status(i) for i in result.items])
        reason = Column("reason", [i.reason or "" for i in result.items], wrap=True)
        print_table([_item_column("item", result.items), status, reason], out)
        return
    rows = [[i.key, _status(i), i.reason or ""] for i in result.items]
    _csv(["item", "status", "reason"], rows, out)

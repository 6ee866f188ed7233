"""Names, symbols, descriptions, replies and callout theses for simulated coins, and hostile
strings for tests.

Everything is drawn from the caller's seeded `random.Random`, so the same seed writes the same
market. `HOSTILE` holds the strings a real feed can carry and a terminal must survive.
"""

from __future__ import annotations

import random

_ADJECTIVES = (
    "Based",
    "Moon",
    "Tiny",
    "Giga",
    "Sad",
    "Happy",
    "Angry",
    "Sleepy",
    "Golden",
    "Cyber",
    "Turbo",
    "Baby",
    "Wild",
    "Dank",
    "Frozen",
    "Cosmic",
    "Lazy",
    "Rich",
    "Degen",
    "Silly",
    "Mega",
    "Smol",
    "Chad",
    "Dark",
    "Pixel",
    "Laser",
    "Retro",
    "Holy",
    "Feral",
    "Crispy",
)
_NOUNS = (
    "Frog",
    "Cat",
    "Dog",
    "Pepe",
    "Shiba",
    "Whale",
    "Penguin",
    "Goat",
    "Hamster",
    "Otter",
    "Wojak",
    "Duck",
    "Bonk",
    "Ape",
    "Panda",
    "Toad",
    "Llama",
    "Corgi",
    "Sloth",
    "Banana",
    "Rocket",
    "Wizard",
    "Ninja",
    "Pirate",
    "Robot",
    "Taco",
    "Pickle",
    "Bear",
    "Bull",
    "Raccoon",
)
_DESCRIPTIONS = (
    "the next 1000x, community owned, no team tokens",
    "{name} is here to eat every other {noun} coin",
    "just a {adj} {noun} trying to make it",
    "fair launch. no presale. {noun}s only.",
    "{symbol} to the moon, dev doxxed on twitter",
    "",
)
_REPLIES = (
    "LFG 🚀🚀",
    "dev sold?",
    "this is going to raydium",
    "send it",
    "chart looks healthy",
    "who is buying this lol",
    "{symbol} army where you at",
    "bought the dip",
    "rug incoming",
    "just aped 2 sol",
    "king of the hill soon",
    "community takeover?",
    "wen twitter",
    "this {noun} is different",
    "holding till graduation",
    "gm",
    "ngmi",
    "🐸🐸🐸",
    "bonding curve almost done",
    "fudders will cry",
    "dev is based",
    "1m mc easy",
)
_THESES = (
    "{symbol} is the strongest {noun} chart on the curve, dev still holding",
    "community takeover in progress, {symbol} to graduation this week",
    "early on {symbol}: tiny mc, real memes, twitter waking up",
    "calling {symbol} here. volume up 5x in an hour and no jeets yet",
    "{noun} meta is back and {symbol} is the cleanest play",
    "bundles sold, holders spread out, {symbol} ready to run",
    "not financial advice but {symbol} at this mc is a gift",
)
_CALLOUT_REPLIES = (
    "called it",
    "in at 2x, thanks ser",
    "this aged well",
    "still holding",
    "rugged?",
    "{symbol} printing",
    "nah this is cooked",
    "good call",
    "late but aped",
    "🐸 gm",
)
_USERNAME_PARTS = (
    "sol",
    "degen",
    "whale",
    "moon",
    "ape",
    "chad",
    "anon",
    "pump",
    "frog",
    "based",
    "gm",
    "wagmi",
)

HOSTILE: tuple[str, ...] = (
    "\x1b[31mRED\x1b[0m \x1b[2J\x1b[H cleared?",
    "[bold red]not bold[/bold red] [link=http://x]link[/link]",
    "\u202eevil reversed\u202c text",
    "zero\u200bwidth\u200d\ufeffjoin",
    "\x1b]52;c;cHduZWQ=\x07clipboard",
    "\x1b]0;title hijack\x07title",
    "🚀" * 40 + "全角文字テスト",
    "A" * 10_000,
    "line\nbreaks\r\nand\ttabs\x00nul\x07bell",
    "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359algo",
    "\x9b31mC1 CSI\x9b0m",
    "[/]",
)


def coin_identity(rng: random.Random) -> tuple[str, str, str]:
    """(name, symbol, description) for a new coin."""
    adj, noun = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
    name = f"{adj} {noun}" if rng.random() < 0.8 else f"{noun}{rng.randint(2, 999)}"
    symbol = (adj[: rng.randint(1, 3)] + noun[: rng.randint(2, 4)]).upper()
    description = rng.choice(_DESCRIPTIONS).format(
        name=name, noun=noun.lower(), adj=adj.lower(), symbol=symbol
    )
    return name, symbol, description


def reply_text(rng: random.Random, symbol: str) -> str:
    return rng.choice(_REPLIES).format(symbol=symbol, noun=rng.choice(_NOUNS).lower())


def callout_thesis(rng: random.Random, symbol: str) -> str:
    return rng.choice(_THESES).format(symbol=symbol, noun=rng.choice(_NOUNS).lower())


def callout_reply(rng: random.Random, symbol: str) -> str:
    return rng.choice(_CALLOUT_REPLIES).format(symbol=symbol)


def username(rng: random.Random) -> str:
    first, second = rng.sample(_USERNAME_PARTS, 2)
    return f"{first}{second}{rng.randint(1, 9999)}" if rng.random() < 0.6 else f"{first}_{second}"


def hostile(rng: random.Random) -> str:
    return rng.choice(HOSTILE)

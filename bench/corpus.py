"""Generate a reproducible corpus of realistic news articles for benchmarks.

``python bench/corpus.py N OUT_DIR [--seed S] [--format txt|jsonl]`` writes N articles with
varied fictional names, places and dates that together use every relation phenomenon the
extractor handles (verb and noun triggers, denials, attribution, negation, modality,
coordination, passive, coreference, captions and credits). Same N and seed, same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

FIRST = [
    "Marta", "Felix", "Ilona", "Tomas", "Luis", "Oskar", "Anya", "Pavel", "Greta", "Jonas",
    "Lena", "Mikael", "Sofia", "Andrei", "Clara", "Nikolai", "Irena", "Matteo", "Helga", "Rasmus",
    "Yara", "Dmitri", "Elena", "Karim", "Ingrid", "Viktor", "Nadia", "Henrik", "Zofia", "Emil",
]
LAST = [
    "Kolar", "Braun", "Varga", "Reyes", "Andrade", "Lind", "Petrov", "Novak", "Holm", "Berg",
    "Marin", "Costa", "Weiss", "Dalca", "Sorensen", "Kovac", "Ferreira", "Lund", "Olsen", "Brandt",
    "Ivanek", "Moreau", "Szabo", "Halvorsen", "Ruiz", "Tamm", "Keller", "Vidal", "Rossi", "Aalto",
]
COUNTRIES = [
    "Veridia", "Marovia", "Kestland", "Aldoria", "Belmora", "Castrava", "Dunmark", "Estovia",
    "Fenwick", "Galdor", "Helvora", "Istria", "Jorvik", "Kaldera", "Lorvania", "Montavia",
]
CITIES = [
    "Vienna", "Lisbon", "Geneva", "Madrid", "Berlin", "Oslo", "Prague", "Warsaw", "Helsinki",
    "Brussels", "Rome", "Athens", "Dublin", "Tallinn", "Riga", "Sofia", "Zagreb", "Budapest",
]
ROLES = ["President", "Prime Minister", "Foreign Minister", "Chancellor", "Defence Minister"]
PAPERS = ["Daily Courier", "Morning Ledger", "Evening Standard Review", "National Gazette"]
PARTIES = ["Liberty Party", "Green Party", "National Farmers Union", "Workers' Alliance"]
AGENCIES = ["Getty", "Alamy", "Reuters", "AP"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

FILLER = [
    "The talks come amid rising tension over energy prices and trade across the region.",
    "Analysts said the outcome would shape the coalition's agenda for the rest of the year.",
    "Markets were little changed on the news, with bond yields steady in early trading.",
    "The government has faced weeks of protests over pension reform and the cost of living.",
    "Officials declined to give further details of the agenda.",
    "Opinion polls suggest the governing coalition has lost ground since the spring.",
    "The ministry said a full statement would be published later in the week.",
]


def _person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{first} {last}", last


def _sentences(rng: random.Random, day: date) -> Iterator[str]:
    a, a_last = _person(rng)
    b, b_last = _person(rng)
    while b_last == a_last:
        b, b_last = _person(rng)
    c, c_last = _person(rng)
    country, other = rng.sample(COUNTRIES, 2)
    city, city2 = rng.sample(CITIES, 2)
    role_a, role_b = rng.choice(ROLES), rng.choice(ROLES)
    paper, party, agency = rng.choice(PAPERS), rng.choice(PARTIES), rng.choice(AGENCIES)
    past = day - timedelta(days=rng.randint(30, 900))
    when, month = past.strftime("%-d %B %Y"), past.strftime("%B %Y")
    weekday = rng.choice(WEEKDAYS)
    pool = [
        f"{role_a} {a} of {country} met {role_b} {b} in {city} on {weekday}.",
        f"{a_last} and {b_last} held talks in {city} on {when}.",
        f"{role_a} {a} spoke by phone with {c} on {weekday}, her office said.",
        f"{c} called {a_last} a liar during a rally in {city2}.",
        f"The foreign ministry of {country} called reports that {a_last} had secretly met "
        f"{c_last} \"complete nonsense\".",
        f"{b} has no plans to meet {c}, a spokesman said.",
        f"{a_last} did not call {c_last} after the election.",
        f"{a_last} will travel to {city2} next week to meet {b}.",
        f"If {c_last} wins, {a_last} would phone him within a day, aides said.",
        f"The opposition {party} backed {role_a} {a}'s budget on {weekday}.",
        f"{b} was endorsed by the {party}.",
        f"{c} praised {b_last}'s handling of the crisis.",
        f"The defence ministry of {country} denied a report in the {paper} that troops had "
        f"crossed the border.",
        f"{c} has repeatedly denied meeting the businessman {b}.",
        f"The {paper} reported that {a_last} and {c_last} had met in {city} in {month}.",
        f"The {party} withdrew its support for {a} on {weekday}.",
        f"{b} called on {c_last} to resign.",
        f"{a} visited {city2} last month.",
        f"{other} pledged support for {country}.",
        f"A phone call between {b_last} and {c_last} is planned for next week.",
        f"{c} urged {a_last} not to escalate the dispute.",
        f"{a_last} accused {c_last} of undermining the talks.",
        f"{c} criticised {b}'s response to the floods.",
    ]
    rng.shuffle(pool)
    yield from pool[: rng.randint(8, 14)]
    caption = f"{a} and {b} shake hands before a meeting in {city}"
    yield f"CAPTION\n{caption}\n{caption}. Picture: {agency}"


def generate_article(index: int, seed: int = 0) -> dict[str, str]:
    """One article as a dict (id, title, date, author, text); depends only on index and seed."""
    rng = random.Random(f"{seed}:{index}")
    day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))
    author, _ = _person(rng)
    sentences = list(_sentences(rng, day))
    caption = sentences.pop()[len("CAPTION\n") :]
    paragraphs: list[str] = []
    while sentences:
        take = rng.randint(1, 3)
        chunk = sentences[:take] + ([rng.choice(FILLER)] if rng.random() < 0.5 else [])
        paragraphs.append(" ".join(chunk))
        sentences = sentences[take:]
    paragraphs.insert(1, caption)
    title = paragraphs[0].split(".")[0][:90]
    body = "\n\n".join(paragraphs)
    text = f"{title}\n\n{day.strftime('%-d %B %Y')}, 09:{index % 60:02d}\n\nBy {author}\n\n{body}\n"
    return {
        "id": f"bench-{index:06d}",
        "title": title,
        "date": day.isoformat(),
        "author": author,
        "text": text,
    }


def write_corpus(n: int, out: Path, *, seed: int = 0, fmt: str = "txt") -> Path:
    """Write N articles under OUT (one .txt each, or one articles.jsonl); returns the path."""
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        path = out / "articles.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for i in range(n):
                fh.write(json.dumps(generate_article(i, seed), ensure_ascii=False) + "\n")
        return path
    for i in range(n):
        art = generate_article(i, seed)
        sub = out / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{art['id']}.txt").write_text(art["text"], encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=["txt", "jsonl"], default="txt")
    args = parser.parse_args()
    print(write_corpus(args.n, args.out, seed=args.seed, fmt=args.format))


if __name__ == "__main__":
    main()

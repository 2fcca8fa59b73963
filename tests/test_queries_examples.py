"""The analysts' queries in examples/queries/: their rows on graphs built with `kg import`
from the seed article's gold and from the dev sentences' gold."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_kg
from helpers_sparql import QUERIES, build_dev_graph, build_graph, build_seed_graph, dev_records

from kg import iris
from kg.query import SelectResult, query, read_query_file

ENT = "https://w3id.org/newskg/id/entity/"
EXPECTED_FILES = {
    "met-or-called.rq",
    "disputed-claims.rq",
    "support-network.rq",
    "entity-timeline.rq",
    "relation-sources.rq",
    "asserted-and-denied.rq",
    "top-entities.rq",
}


@pytest.fixture(scope="module")
def seed_graph(seed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_seed_graph(seed_dir, tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def dev_graph(dev_sentences: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dev_graph(dev_sentences, tmp_path_factory.mktemp("dev"))


def run(graph: Path, name: str, **params: str) -> list[dict[str, str | None]]:
    res = query(graph, read_query_file(QUERIES / name), params=params or None)
    assert isinstance(res, SelectResult)
    return res.records()


def pick(rows: list[dict[str, str | None]], *keys: str) -> set[tuple[str | None, ...]]:
    return {tuple(r[k] for k in keys) for r in rows}


def test_every_query_file_is_commented_and_tested() -> None:
    files = {p.name for p in QUERIES.glob("*.rq")}
    assert files == EXPECTED_FILES
    for name in files:
        text = (QUERIES / name).read_text(encoding="utf-8")
        assert text.startswith("#"), f"{name} must open with a comment saying what it answers"
        assert "kg query" in text, f"{name} must show how to run it"


# -- who met or called whom -------------------------------------------------------------------


def test_met_or_called_on_seed(seed_graph: Path) -> None:
    rows = run(seed_graph, "met-or-called.rq")
    got = pick(rows, "type", "subject", "object", "status", "date", "place")
    assert ("met", "Vladimir Putin", "Donald Trump", "fact", "2018-07-16", "Helsinki") in got
    assert (
        "called", "Donald Trump", "Vladimir Putin",
        "reported by The Washington Post; denied by Kremlin", None, None,
    ) in got
    assert ("called", "Vladimir Putin", "Donald Trump", "negated, planned; reported by Kremlin",
            None, None) in got
    assert {r["type"] for r in rows} == {"met", "called"}
    # only the caption meeting is a fact; every call is qualified
    assert {r["status"] for r in rows if r["type"] == "called"}.isdisjoint({"fact"})
    assert all(r["article"] == "seed-article" and r["sentence"] for r in rows)


@pytest.mark.parametrize(
    ("article", "type_", "subject", "obj", "status", "place"),
    [
        ("dev-01", "met", "Marta Kolar", "Felix Braun", "fact", "Vienna"),
        ("dev-03", "called", "Ilona Varga", "Tomas Reyes", "fact", None),  # her own office
        ("dev-05", "met", "Marta Kolar", "Tomas Reyes",
         "reported; denied by Veridian foreign ministry", None),
        ("dev-06", "met", "Felix Braun", "Tomas Reyes", "negated, planned; reported by a spokesman",
         None),
        ("dev-07", "called", "Marta Kolar", "Tomas Reyes", "negated", None),
        ("dev-08", "met", "Marta Kolar", "Luis Andrade", "planned", "Lisbon"),
        ("dev-09", "called", "Marta Kolar", "Tomas Reyes", "hypothetical; reported by aides", None),
        ("dev-15", "called", "Marta Kolar", "Luis Andrade", "reported by VNA", None),
        ("dev-42", "met", "Ilona Varga", "Tomas Reyes", "reported by Daily Courier", "Geneva"),
        ("dev-44", "met", "Marta Kolar", "Oskar Lind", "negated", None),
    ],
)
def test_met_or_called_on_dev(
    dev_graph: Path, article: str, type_: str, subject: str, obj: str, status: str,
    place: str | None,
) -> None:
    rows = [r for r in run(dev_graph, "met-or-called.rq") if r["article"] == article]
    assert pick(rows, "type", "subject", "object", "status", "place") == {
        (type_, subject, obj, status, place)
    }


def test_met_or_called_dates_and_no_false_calls(dev_graph: Path) -> None:
    rows = run(dev_graph, "met-or-called.rq")
    assert ("2025-03-03", "dev-02") in pick(rows, "date", "article")
    assert ("2023-05", "dev-42") in pick(rows, "date", "article")
    # "called X a liar", "called on", "called for" never appear
    assert not {"dev-04", "dev-23", "dev-25"} & {r["article"] for r in rows}


# -- disputed claims --------------------------------------------------------------------------


def test_disputed_claims_on_seed(seed_graph: Path) -> None:
    rows = run(seed_graph, "disputed-claims.rq")
    pair = ("Donald Trump", "Vladimir Putin")
    trump_putin = [r for r in rows if (r["subject"], r["object"]) == pair]
    call = [r for r in trump_putin if r["claimType"] == "Call"]
    assert pick(call, "reportedBy", "deniedBy") == {("The Washington Post", "Kremlin")}
    assert "spoke to Vladimir Putin" in (call[0]["claimSentence"] or "")
    assert "denied" in (call[0]["denialSentence"] or "")
    # over all Trump-Putin claims reported by the Post: denied by the Kremlin and by Peskov
    assert {r["deniedBy"] for r in trump_putin if r["reportedBy"] == "The Washington Post"} == {
        "Kremlin", "Dmitry Peskov"
    }
    assert ("Urging", "United States", "Russia", "unnamed reports", "Kremlin") in pick(
        rows, "claimType", "subject", "object", "reportedBy", "deniedBy"
    )
    # the caption meeting is not disputed
    assert "Meeting" not in {r["claimType"] for r in rows}


def test_disputed_claims_on_dev(dev_graph: Path) -> None:
    rows = run(dev_graph, "disputed-claims.rq")
    assert pick(rows, "claimType", "subject", "object", "deniedBy", "claimArticle") == {
        ("Meeting", "Marta Kolar", "Tomas Reyes", "Veridian foreign ministry", "dev-05"),
        ("Meeting", "Marta Kolar", "Tomas Reyes", "Marta Kolar", "dev-13"),
        ("Meeting", "Tomas Reyes", "Oskar Lind", "Tomas Reyes", "dev-32"),
        ("Call", "Felix Braun", "Tomas Reyes", "Felix Braun", "dev-40"),
    }
    assert {r["reportedBy"] for r in rows} == {"unnamed reports"}
    assert all(r["claimSentence"] and r["denialSentence"] for r in rows)


def test_disputed_claims_with_and_without_a_relation(tmp_path: Path) -> None:
    """A denied relation keeps its row; a denied statement (no relation, maybe no object) gets
    one too, with its words in `claimText` and whom it names in `claimant`."""
    rel = f"{iris.DEFAULT_BASE}relation/"
    met = "Anna Holt met Piet Varga, the Courier reported."
    denial = "Holt denied it. Varga denied his party was split over the budget."
    records = [
        {"id": rel + "m1", "doc": "d1", "type": "met", "subject": "Anna Holt",
         "object": "Piet Varga", "attributed_to": "Daily Courier", "sentence": met,
         "start": 0, "end": len(met)},
        {"id": rel + "d1", "doc": "d1", "type": "denied", "subject": "Anna Holt",
         "object": "Piet Varga", "denies": rel + "m1", "claim_text": "it",
         "claim_start": 60, "claim_end": 62, "sentence": denial, "start": 48, "end": 64},
        {"doc": "d1", "type": "denied", "subject": "Piet Varga", "object": None,
         "claim_text": "his party was split over the budget", "claim_start": 78,
         "claim_end": 113, "sentence": denial, "start": 48, "end": 114},
        {"doc": "d1", "type": "denied", "subject": "Piet Varga", "object": "Daily Courier",
         "claim_text": "the Courier's story", "claim_start": 0, "claim_end": 19,
         "sentence": denial, "start": 48, "end": 114},
    ]  # fmt: skip
    rows = run(build_graph(records, tmp_path), "disputed-claims.rq")
    got = pick(rows, "claimType", "subject", "object", "reportedBy", "deniedBy", "claimText",
               "claimant")  # fmt: skip
    assert got == {
        ("Meeting", "Anna Holt", "Piet Varga", "Daily Courier", "Anna Holt", "it", "Piet Varga"),
        ("Statement", None, None, None, "Piet Varga", "his party was split over the budget",
         None),
        ("Statement", None, None, None, "Piet Varga", "the Courier's story", "Daily Courier"),
    }  # fmt: skip
    statements = [r for r in rows if r["claimType"] == "Statement"]
    assert all(r["claimSentence"] == r["denialSentence"] == denial for r in statements)
    assert all(r["claimArticle"] == "d1" and r["claim"] is None for r in statements)


# -- support network --------------------------------------------------------------------------


def test_support_network_on_dev(dev_graph: Path) -> None:
    rows = run(dev_graph, "support-network.rq")
    got = pick(rows, "supporter", "stance", "supported", "article")
    assert ("National Farmers Union", "supports", "Ilona Varga", "dev-11") in got
    assert ("National Farmers Union", "withdrew or refused support", "Ilona Varga", "dev-43") in got
    assert ("Ilona Varga", "withdrew or refused support", "Tomas Reyes", "dev-35") in got
    assert ("Luis Andrade", "withdrew or refused support", "Marta Kolar", "dev-20") in got
    assert ("European Union", "supports", "Veridia", "dev-22") in got
    negative = {r["article"] for r in rows if r["stance"] != "supports"}
    assert negative == {"dev-20", "dev-35", "dev-43"}
    assert len(rows) == 12


def test_support_network_on_seed(seed_graph: Path) -> None:
    rows = run(seed_graph, "support-network.rq")
    assert pick(rows, "supporter", "supported", "status") == {
        ("United States", "Ukraine", "fact"),
        ("United States", "Ukraine", "reported by Volodymyr Zelenskyy"),
        ("Volodymyr Zelenskyy", "Donald Trump", "fact"),  # he states his own support
    }


# -- one entity's timeline --------------------------------------------------------------------


@pytest.mark.parametrize("entity", ["Vladimir Putin", "Putin"])
def test_entity_timeline_on_seed(seed_graph: Path, entity: str) -> None:
    rows = run(seed_graph, "entity-timeline.rq", entity=entity)
    assert rows[0]["when"] == "2018-07-16" and rows[0]["type"] == "Meeting"
    assert rows[0]["whenFrom"] == "event"
    assert {r["when"] for r in rows[1:]} == {"2024-11-11"}  # the article's date
    assert {r["type"] for r in rows} >= {"Meeting", "Call", "Warning", "Urging"}
    assert all("Vladimir Putin" in (r["subject"], r["object"]) for r in rows)


def test_entity_timeline_on_dev(dev_graph: Path) -> None:
    rows = run(dev_graph, "entity-timeline.rq", entity="Oskar Lind")
    assert pick(rows, "type", "role", "subject", "status", "article") == {
        ("Meeting", "object", "Tomas Reyes", "reported; denied by Tomas Reyes", "dev-32"),
        ("Denial", "object", "Tomas Reyes", "fact", "dev-32"),
        ("Meeting", "object", "Marta Kolar", "negated", "dev-44"),
    }
    kolar = run(dev_graph, "entity-timeline.rq", entity="Marta Kolar")
    dated = [r["when"] for r in kolar if r["when"]]
    assert dated == sorted(dated) and dated[0] == "2024-06-12"
    assert kolar[-1]["when"] is None  # undated entries come last
    assert run(dev_graph, "entity-timeline.rq", entity="Nobody Known") == []


def test_entity_timeline_takes_names_not_iris(seed_graph: Path) -> None:
    # documented: the IRI form was dropped for speed (a UNION or `?` path costs 30-60 s at 1M)
    assert run(seed_graph, "entity-timeline.rq", entity=f"<{ENT}vladimir-putin>") == []
    assert run(seed_graph, "entity-timeline.rq", entity="Vladimir Putin")


def test_entity_timeline_from_the_command_line(dev_graph: Path) -> None:
    res = run_kg("query", dev_graph, "-f", QUERIES / "entity-timeline.rq",
                 "--param", "entity=Oskar Lind", "--format", "csv")
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.splitlines()) == 4 and "dev-44" in res.stdout


# -- sources ----------------------------------------------------------------------------------


def test_relation_sources_on_dev(dev_graph: Path) -> None:
    rows = run(dev_graph, "relation-sources.rq")
    top = rows[0]
    assert (top["type"], top["subject"], top["object"]) == ("Meeting", "Marta Kolar", "Felix Braun")
    assert top["articles"] == "4" and top["evidenceCount"] == "4"
    assert set((top["articleIds"] or "").split(", ")) == {"dev-01", "dev-02", "dev-27", "dev-28"}
    vna = [r for r in rows if r["reportedBy"] == "VNA"]
    assert pick(vna, "type", "subject", "object") == {("Call", "Marta Kolar", "Luis Andrade")}
    denied = {(r["type"], r["subject"], r["object"]) for r in rows if r["denied"] == "true"}
    assert denied == {
        ("Meeting", "Marta Kolar", "Tomas Reyes"),
        ("Meeting", "Tomas Reyes", "Oskar Lind"),
        ("Call", "Felix Braun", "Tomas Reyes"),
    }


def test_relation_sources_on_seed(seed_graph: Path) -> None:
    rows = run(seed_graph, "relation-sources.rq")
    by_key = {(r["type"], r["subject"], r["object"], r["modality"], r["denied"]): r for r in rows}
    meeting = by_key[("Meeting", "Vladimir Putin", "Donald Trump", "actual", "false")]
    assert meeting["evidenceCount"] == "2" and meeting["articles"] == "1"  # the caption, twice
    call = by_key[("Call", "Donald Trump", "Vladimir Putin", "actual", "true")]
    assert call["reportedBy"] == "The Washington Post"


# -- asserted in one article, denied in another ----------------------------------------------


def test_asserted_and_denied_on_dev(dev_graph: Path) -> None:
    rows = run(dev_graph, "asserted-and-denied.rq")
    assert pick(rows, "type", "assertedIn", "deniedIn", "deniedBy") == {
        ("Meeting", "dev-17", "dev-05", "Veridian foreign ministry"),
        ("Meeting", "dev-17", "dev-13", "Marta Kolar"),
        ("Call", "dev-24", "dev-40", "Felix Braun"),
    }
    assert all(r["assertedSentence"] and r["denialSentence"] for r in rows)


def test_asserted_and_denied_needs_two_articles(seed_graph: Path) -> None:
    # one article: its own denials make claims, never "asserted elsewhere"
    assert run(seed_graph, "asserted-and-denied.rq") == []


# -- most connected entities ------------------------------------------------------------------


def test_top_entities_on_dev(dev_graph: Path, dev_sentences: Path) -> None:
    # Oracle: the gold records counted in Python (parties by IRI, one graph per sentence).
    counts: dict[str, dict[str, set[str]]] = {}
    for rec in dev_records(dev_sentences):
        if rec.get("record") == "article":
            continue
        for role in ("subject", "object"):
            c = counts.setdefault(iris.entity_iri(rec[role]), {
                "rel": set(), "doc": set(), "subject": set(), "object": set()})
            c["rel"].add(rec["id"])
            c["doc"].add(rec["doc"])
            c[role].add(rec["id"])
    ranked = sorted(counts, key=lambda e: (-len(counts[e]["rel"]), e))[:25]
    rows = run(dev_graph, "top-entities.rq")
    assert [r["entity"] for r in rows] == ranked
    for r in rows:
        c = counts[r["entity"] or ""]
        assert iris.entity_iri(r["name"] or "") == r["entity"]
        assert (r["relations"], r["articles"], r["asSubject"], r["asObject"]) == (
            str(len(c["rel"])), str(len(c["doc"])), str(len(c["subject"])),
            str(len(c["object"])))
    assert rows[0]["name"] == "Marta Kolar"


def test_top_entities_keeps_the_first_25(tmp_path: Path) -> None:
    # 30 parties, party k in k relations: the 25 largest come out, most connected first.
    records = []
    for k in range(1, 31):
        for i in range(k):
            records.append({"type": "met", "subject": f"Party {k:02d}", "object": "Hub",
                            "doc": f"d{i}", "sentence": f"Party {k:02d} met Hub.", "start": 0,
                            "end": 10, "polarity": "positive", "modality": "actual",
                            "id": f"r{k}-{i}"})
    graph = build_graph(records, tmp_path)
    rows = run(graph, "top-entities.rq")
    assert [r["name"] for r in rows] == ["Hub"] + [f"Party {k:02d}" for k in range(30, 6, -1)]
    assert rows[0]["relations"] == str(sum(range(1, 31)))
    assert rows[0]["articles"] == "30"
    assert (rows[0]["asSubject"], rows[0]["asObject"]) == ("0", str(sum(range(1, 31))))
    assert (rows[1]["relations"], rows[1]["asSubject"], rows[1]["asObject"]) == ("30", "30", "0")

"""``kg eval``: score predicted relation records against gold, exactly as data/README.md says.

Matching (per document, per type): names match after lower-casing and dropping titles, a
leading "the" and possessive 's, when one name's tokens are all in the other's, or when they
are equal up to an edit distance of 2 on the last token (same first token or an initial);
met and called match in either order; a denial's object also matches either party of the gold
``claim``. Each gold and each prediction is matched at most once (a maximum matching that
prefers pairs agreeing on attributes); unmatched predictions duplicating a matched relation
count neither way. :func:`score` is pure; the loaders and :func:`format_report` surround it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import InputError, UsageError
from kg.model import MODALITIES, POLARITIES, UNNAMED_SOURCE, ArticleGraph, RelationRecord

CORE_TYPES = ("met", "called", "denied", "supported")
SYMMETRIC_TYPES = frozenset({"met", "called"})

_TITLE_PHRASES = (
    "prime minister", "vice president", "foreign minister", "defence minister",
    "defense minister", "foreign secretary", "home secretary", "secretary of state",
    "first minister", "deputy prime minister", "president-elect", "president elect",
)  # fmt: skip
_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "president",
        "chancellor", "minister", "premier", "secretary", "senator", "sen", "rep",
        "representative", "governor", "gov", "mayor", "king", "queen", "prince", "princess",
        "pope", "general", "gen", "colonel", "col", "captain", "capt", "judge", "justice",
        "professor", "prof", "rev", "reverend", "sheikh", "emir", "ambassador", "chairman",
        "chairwoman", "ceo", "commissioner", "speaker", "leader",
    }
)  # fmt: skip
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")


# ---------------------------------------------------------------------------------------------
# Names


@lru_cache(maxsize=4096)
def name_tokens(name: str) -> tuple[str, ...]:
    """Tokens of a name after lower-casing and dropping titles, "the" and possessive 's."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’]s\b", "", text)
    text = re.sub(r"(?<=s)['’](?=\s|$)", "", text)
    text = re.sub(r"^\s*the\s+", "", text)
    untitled = [t.replace("’", "'") for t in _TOKEN.findall(text)]
    for phrase in _TITLE_PHRASES:
        text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", text)
    tokens = [t.replace("’", "'") for t in _TOKEN.findall(text)]
    kept = [t for t in tokens if t not in _TITLES]
    return tuple(kept or untitled)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i]
        for j, cb in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _first_compatible(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


@lru_cache(maxsize=16384)
def names_match(a: str | None, b: str | None) -> bool:
    """True when two names denote the same party by the README's rules."""
    if a is None or b is None:
        return False
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return a.strip().casefold() == b.strip().casefold()
    sa, sb = set(ta), set(tb)
    if sa <= sb or sb <= sa:
        return True
    last_a, last_b = ta[-1], tb[-1]
    if min(len(last_a), len(last_b)) < 4 or edit_distance(last_a, last_b) > 2:
        return False
    if len(ta) > 1 and len(tb) > 1:
        return len(ta) == len(tb) and _first_compatible(ta[0], tb[0]) and ta[1:-1] == tb[1:-1]
    return True


# ---------------------------------------------------------------------------------------------
# Gold


@dataclass(frozen=True)
class Claim:
    """The relation a gold denial denies."""

    type: str
    subject: str
    object: str


@dataclass(frozen=True)
class GoldRelation:
    """One gold relation (data/README.md fields) and the document it belongs to."""

    doc: str
    type: str
    subject: str
    object: str | None
    polarity: str = "positive"
    modality: str = "actual"
    attributed_to: str | None = None
    date: str | None = None
    place: str | None = None
    claim: Claim | None = None
    sentence: str | None = None


@dataclass(frozen=True)
class SentenceSpan:
    """A sentence-mode gold line located in an article: predictions made on the whole article
    (``kg extract ARTICLES``) whose sentence lies in ``start``..``end`` of ``doc`` are scored
    against the sentence ``id``."""

    id: str
    doc: str
    start: int
    end: int


@dataclass(frozen=True)
class Gold:
    """A gold set: its relations and every document it annotates (even with no relation)."""

    relations: tuple[GoldRelation, ...]
    docs: tuple[str, ...]
    source: str = "<gold>"
    spans: tuple[SentenceSpan, ...] = ()


def _gold_str(obj: Mapping[str, Any], key: str, source: str, line: int | None,
              *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise InputError(f"gold relation lacks {key!r}", source, line)
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"gold field {key!r} must be a non-empty string", source, line)
    return value


def gold_relation(obj: Any, doc: str, source: str, line: int | None = None) -> GoldRelation:
    """Validate one gold relation object (raises InputError naming file and line)."""
    if not isinstance(obj, dict):
        raise InputError("a gold relation must be a JSON object", source, line)
    rtype = _gold_str(obj, "type", source, line, required=True)
    subject = _gold_str(obj, "subject", source, line, required=True)
    # A denial of a statement with no named claimant has no object (ANNOTATION.md).
    obj_name = _gold_str(obj, "object", source, line, required=rtype != "denied")
    assert rtype is not None and subject is not None
    polarity = obj.get("polarity") or "positive"
    modality = obj.get("modality") or "actual"
    if polarity not in POLARITIES:
        raise InputError(f"gold polarity {polarity!r} is not one of {POLARITIES}", source, line)
    if modality not in MODALITIES:
        raise InputError(f"gold modality {modality!r} is not one of {MODALITIES}", source, line)
    claim = None
    raw_claim = obj.get("claim")
    if raw_claim is not None:
        if not isinstance(raw_claim, dict):
            raise InputError("gold 'claim' must be an object", source, line)
        ct = _gold_str(raw_claim, "type", source, line, required=True)
        cs = _gold_str(raw_claim, "subject", source, line, required=True)
        co = _gold_str(raw_claim, "object", source, line, required=True)
        assert ct is not None and cs is not None and co is not None
        claim = Claim(ct, cs, co)
    return GoldRelation(
        doc=doc,
        type=rtype,
        subject=subject,
        object=obj_name,
        polarity=polarity,
        modality=modality,
        attributed_to=_gold_str(obj, "attributed_to", source, line),
        date=_gold_str(obj, "date", source, line),
        place=_gold_str(obj, "place", source, line),
        claim=claim,
        sentence=_gold_str(obj, "sentence", source, line),
    )


def _gold_from_object(obj: dict[str, Any], path: Path) -> Gold:
    source = str(path)
    doc = obj.get("doc") or path.name.split(".")[0]
    if not isinstance(doc, str):
        raise InputError("gold 'doc' must be a string", source)
    rels: list[GoldRelation] = []
    for key in ("relations", "extended_relations"):
        items = obj.get(key) or []
        if not isinstance(items, list):
            raise InputError(f"gold {key!r} must be a list", source)
        rels.extend(gold_relation(r, doc, source) for r in items)
    return Gold(tuple(rels), (doc,), source)


def load_gold(path: str | Path) -> Gold:
    """Read a gold file: the seed ``expected.json``, dev ``sentences.jsonl`` ({id, sentence,
    relations} a line) or one relation a line with a ``doc`` field."""
    p = Path(path)
    source = str(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"--gold {p}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read gold file: {exc}", source) from None
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict) and ("relations" in whole or "extended_relations" in whole) \
            and "id" not in whole:
        return _gold_from_object(whole, p)
    rels: list[GoldRelation] = []
    docs: dict[str, None] = {}
    spans: list[SentenceSpan] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})", source,
                             number) from None
        if not isinstance(obj, dict):
            raise InputError("expected a JSON object", source, number)
        if "relations" in obj:  # a dev sentence: {id, sentence, relations}
            doc = obj.get("id") or obj.get("doc")
            if not isinstance(doc, str) or not doc:
                raise InputError("gold sentence lacks a string 'id'", source, number)
            docs[doc] = None
            span = _sentence_span(obj, doc)
            if span is not None:
                spans.append(span)
            items = obj["relations"]
            if not isinstance(items, list):
                raise InputError("gold 'relations' must be a list", source, number)
            sentence = obj.get("sentence") if isinstance(obj.get("sentence"), str) else None
            for r in items:
                g = gold_relation(r, doc, source, number)
                rels.append(g if g.sentence or not sentence else replace(g, sentence=sentence))
            continue
        doc = obj.get("doc")
        if not isinstance(doc, str) or not doc:
            raise InputError("gold line lacks a string 'doc'", source, number)
        docs[doc] = None
        if obj.get("record") in ("entity", "article"):
            continue
        rels.append(gold_relation(obj, doc, source, number))
    if not docs:
        raise InputError("gold file holds no relation and no document", source)
    return Gold(tuple(rels), tuple(docs), source, tuple(spans))


def _sentence_span(obj: Mapping[str, Any], sentence_id: str) -> SentenceSpan | None:
    """The article span of a sentence-mode gold line that names its ``doc`` and offsets."""
    doc, start, end = obj.get("doc"), obj.get("start"), obj.get("end")
    if not isinstance(doc, str) or doc == sentence_id:
        return None
    if not isinstance(start, int) or not isinstance(end, int) or end <= start:
        return None
    return SentenceSpan(sentence_id, doc, start, end)


def locate_in_sentences(
    predicted: Iterable[RelationRecord], spans: Sequence[SentenceSpan]
) -> list[RelationRecord]:
    """Give article predictions the id of the gold sentence they were found in (the one their
    evidence overlaps most); predictions outside every gold sentence keep their document."""
    by_doc: dict[str, list[SentenceSpan]] = {}
    for span in spans:
        by_doc.setdefault(span.doc, []).append(span)
    out = []
    for p in predicted:
        best: tuple[int, str] | None = None
        for span in by_doc.get(p.doc, ()):
            overlap = min(p.end, span.end) - max(p.start, span.start)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, span.id)
        out.append(replace(p, doc=best[1]) if best else p)
    return out


# ---------------------------------------------------------------------------------------------
# Scoring


def relations_match(g: GoldRelation, p: RelationRecord) -> bool:
    """Same document and type, and parties matching (README rules)."""
    if g.doc != p.doc or g.type != p.type:
        return False
    if g.object is None:  # a denial with no named claimant: the denier decides
        return names_match(g.subject, p.subject)
    if not names_match(g.subject, p.subject):
        return g.type in SYMMETRIC_TYPES and names_match(g.subject, p.object) and names_match(
            g.object, p.subject
        )
    if names_match(g.object, p.object):
        return True
    if g.type in SYMMETRIC_TYPES and names_match(g.subject, p.object) and names_match(
        g.object, p.subject
    ):
        return True
    return g.type == "denied" and g.claim is not None and (
        names_match(g.claim.subject, p.object) or names_match(g.claim.object, p.object)
    )


def _parties_match(rtype: str, s1: str, o1: str | None, s2: str, o2: str | None) -> bool:
    if names_match(s1, s2) and names_match(o1, o2):
        return True
    return rtype in SYMMETRIC_TYPES and names_match(s1, o2) and names_match(o1, s2)


def _third_party(source: str | None, subject: str, obj: str | None) -> bool:
    if source is None:
        return False
    if source == UNNAMED_SOURCE:
        return True
    return not (names_match(source, subject) or names_match(source, obj))


def gold_is_plain_fact(g: GoldRelation, gold: Sequence[GoldRelation]) -> bool:
    """Positive, actual, not attributed to a third party and not denied by a gold denial."""
    if g.polarity != "positive" or g.modality != "actual":
        return False
    if _third_party(g.attributed_to, g.subject, g.object):
        return False
    for d in gold:
        if d.doc == g.doc and d.type == "denied" and d.claim is not None \
                and d.claim.type == g.type \
                and _parties_match(g.type, d.claim.subject, d.claim.object, g.subject, g.object):
            return False
    return True


def predicted_as_fact(p: RelationRecord) -> bool:
    """The prediction states the relation as fact (positive, actual, unattributed, undenied)."""
    return (
        p.polarity == "positive"
        and p.modality == "actual"
        and not p.denied_by
        and not _third_party(p.attributed_to, p.subject, p.object)
    )


def _pair_weight(g: GoldRelation, p: RelationRecord) -> int:
    w = 1000
    w += 10 * (g.polarity == p.polarity) + 10 * (g.modality == p.modality)
    w += 5 * ((g.attributed_to is None) == (p.attributed_to is None))
    if g.sentence and p.sentence:
        a = " ".join(g.sentence.split()).casefold()
        b = " ".join(p.sentence.split()).casefold()
        w += 8 * (a == b or a in b or b in a)
    w += 2 * (g.date is not None and g.date == p.date)
    w += 2 * names_match(g.place, p.place)
    return w


@dataclass(frozen=True)
class TypeScore:
    """Counts and P / R / F1 of one relation type (None when a denominator is zero)."""

    type: str
    gold: int
    predicted: int
    matched: int

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def to_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold, "predicted": self.predicted, "matched": self.matched,
            "precision": _round(self.precision), "recall": _round(self.recall),
            "f1": _round(self.f1),
        }  # fmt: skip


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


@dataclass(frozen=True)
class Accuracy:
    correct: int
    total: int

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def to_json(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": _round(self.value)}


@dataclass(frozen=True)
class EvalReport:
    """The result of :func:`score`: per-type scores, attribute accuracies and every error."""

    types: tuple[TypeScore, ...]
    overall: TypeScore
    polarity: Accuracy
    modality: Accuracy
    attributed: Accuracy
    pairs: tuple[tuple[GoldRelation, RelationRecord], ...]
    misses: tuple[GoldRelation, ...]
    spurious: tuple[RelationRecord, ...]
    false_facts: tuple[tuple[GoldRelation, RelationRecord], ...]
    duplicates: int = 0
    ignored: int = 0
    failures: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        def g_json(g: GoldRelation) -> dict[str, Any]:
            return {
                "doc": g.doc, "type": g.type, "subject": g.subject, "object": g.object,
                "polarity": g.polarity, "modality": g.modality,
                "attributed_to": g.attributed_to, "sentence": g.sentence,
            }  # fmt: skip

        def p_json(p: RelationRecord) -> dict[str, Any]:
            return {
                "doc": p.doc, "type": p.type, "subject": p.subject, "object": p.object,
                "polarity": p.polarity, "modality": p.modality,
                "attributed_to": p.attributed_to, "denied_by": list(p.denied_by),
                "sentence": p.sentence,
            }  # fmt: skip

        return {
            "types": {t.type: t.to_json() for t in self.types},
            "overall": self.overall.to_json(),
            "attributes": {
                "polarity": self.polarity.to_json(),
                "modality": self.modality.to_json(),
                "attributed": self.attributed.to_json(),
            },
            "false_facts": [
                {"gold": g_json(g), "predicted": p_json(p)} for g, p in self.false_facts
            ],
            "misses": [g_json(g) for g in self.misses],
            "spurious": [p_json(p) for p in self.spurious],
            "duplicates": self.duplicates,
            "ignored": self.ignored,
            "failures": list(self.failures),
        }


def _match_doc(
    gold: list[tuple[int, GoldRelation]], pred: list[tuple[int, RelationRecord]]
) -> list[tuple[int, int]]:
    """A maximum matching of candidate pairs, preferring pairs that agree on attributes."""
    import networkx as nx

    graph = nx.Graph()
    for gi, g in gold:
        for pi, p in pred:
            if relations_match(g, p):
                graph.add_edge(("g", gi), ("p", pi), weight=_pair_weight(g, p))
    if graph.number_of_edges() == 0:
        return []
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    pairs = []
    for a, b in matching:
        ga, pb = (a, b) if a[0] == "g" else (b, a)
        pairs.append((int(ga[1]), int(pb[1])))
    return sorted(pairs)


def score(
    gold: Sequence[GoldRelation] | Gold,
    predicted: Iterable[RelationRecord],
    *,
    types: Sequence[str] | None = None,
    docs: Iterable[str] | None = None,
) -> EvalReport:
    """Score ``predicted`` against ``gold`` (pure; see the module docstring for the rules).

    ``types``: the scored types (default: the core four plus every type in the gold).
    ``docs``: the documents the gold annotates (default: those of the gold relations, or of the
    :class:`Gold`); predictions in other documents are ignored and counted as ``ignored``.
    """
    if isinstance(gold, Gold):
        doc_set = set(docs) if docs is not None else set(gold.docs)
        gold_rels = list(gold.relations)
        if gold.spans:
            predicted = locate_in_sentences(predicted, gold.spans)
    else:
        gold_rels = list(gold)
        doc_set = set(docs) if docs is not None else {g.doc for g in gold_rels}
    scored = list(types) if types else sorted(set(CORE_TYPES) | {g.type for g in gold_rels},
                                              key=_type_order)
    scored_set = set(scored)
    preds: list[RelationRecord] = []
    ignored = 0
    for p in predicted:
        if p.doc not in doc_set:
            ignored += 1
        elif p.type in scored_set:
            preds.append(p)
    gold_in = [g for g in gold_rels if g.type in scored_set]

    by_doc_g: dict[tuple[str, str], list[tuple[int, GoldRelation]]] = {}
    for i, g in enumerate(gold_in):
        by_doc_g.setdefault((g.doc, g.type), []).append((i, g))
    by_doc_p: dict[tuple[str, str], list[tuple[int, RelationRecord]]] = {}
    for j, p in enumerate(preds):
        by_doc_p.setdefault((p.doc, p.type), []).append((j, p))

    pairs: list[tuple[int, int]] = []
    for key in sorted(set(by_doc_g) & set(by_doc_p)):
        pairs.extend(_match_doc(by_doc_g[key], by_doc_p[key]))
    pairs.sort()
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pj for _, pj in pairs}

    duplicates: set[int] = set()
    for j, p in enumerate(preds):
        if j in matched_p:
            continue
        if any(relations_match(gold_in[gi], p) for gi in matched_g) or any(
            preds[q].doc == p.doc and preds[q].type == p.type
            and _parties_match(p.type, preds[q].subject, preds[q].object, p.subject, p.object)
            for q in matched_p
        ):
            duplicates.add(j)

    per_type = []
    for t in scored:
        per_type.append(
            TypeScore(
                type=t,
                gold=sum(1 for g in gold_in if g.type == t),
                predicted=sum(1 for j, p in enumerate(preds) if p.type == t
                              and j not in duplicates),
                matched=sum(1 for gi, _ in pairs if gold_in[gi].type == t),
            )
        )
    overall = TypeScore(
        "all",
        gold=len(gold_in),
        predicted=len(preds) - len(duplicates),
        matched=len(pairs),
    )
    pair_objs = tuple((gold_in[gi], preds[pj]) for gi, pj in pairs)
    false_facts = tuple(
        (g, p) for g, p in pair_objs if not gold_is_plain_fact(g, gold_in) and predicted_as_fact(p)
    )
    return EvalReport(
        types=tuple(per_type),
        overall=overall,
        polarity=Accuracy(sum(g.polarity == p.polarity for g, p in pair_objs), len(pair_objs)),
        modality=Accuracy(sum(g.modality == p.modality for g, p in pair_objs), len(pair_objs)),
        attributed=Accuracy(
            sum((g.attributed_to is None) == (p.attributed_to is None) for g, p in pair_objs),
            len(pair_objs),
        ),
        pairs=pair_objs,
        misses=tuple(g for i, g in enumerate(gold_in) if i not in matched_g),
        spurious=tuple(
            p for j, p in enumerate(preds) if j not in matched_p and j not in duplicates
        ),
        false_facts=false_facts,
        duplicates=len(duplicates),
        ignored=ignored,
    )


def _type_order(t: str) -> tuple[int, str]:
    return (CORE_TYPES.index(t) if t in CORE_TYPES else len(CORE_TYPES), t)


# ---------------------------------------------------------------------------------------------
# Predictions and the report


def looks_like_records(path: Path) -> bool:
    """True for a JSONL file of relation records (``kg extract`` output), not of articles."""
    if not path.is_file() or not path.name.lower().endswith(".jsonl"):
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for raw in fh:
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw)
                except json.JSONDecodeError:
                    return False
                if not isinstance(obj, dict):
                    return False
                if "record" in obj:
                    return True
                if "text" in obj or "relations" in obj:
                    return False
                return "subject" in obj and "object" in obj and "type" in obj
    except OSError:
        return False
    return False


def read_predictions(paths: Sequence[Path]) -> tuple[list[RelationRecord], list[str]]:
    """Relation records from JSONL files (entity and article lines skipped); and failures."""
    from kg.records import read_records

    rels: list[RelationRecord] = []
    failures: list[str] = []
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for item in read_records(fh, str(path)):
                if isinstance(item, InputError):
                    failures.append(str(item))
                elif isinstance(item.record, RelationRecord):
                    rels.append(item.record)
    return rels, failures


def _pct(x: float | None) -> str:
    return "    -" if x is None else f"{x:.3f}"


def _describe(doc: str, rtype: str, subject: str, obj: str | None, polarity: str, modality: str,
              attributed: str | None, extra: str = "") -> str:
    attrs = [polarity, modality]
    if attributed:
        attrs.append(f"attributed to {attributed}")
    return f"[{doc}] {rtype}({subject} -> {obj}) {', '.join(attrs)}{extra}"


def format_report(report: EvalReport, *, verbose: bool = False) -> str:
    """The report as plain text (per-type table, attribute accuracies, false facts)."""
    lines = [f"{'type':<14}{'gold':>6}{'pred':>6}{'match':>7}{'prec':>8}{'recall':>8}{'f1':>8}"]
    for t in (*report.types, report.overall):
        lines.append(
            f"{t.type:<14}{t.gold:>6}{t.predicted:>6}{t.matched:>7}"
            f"{_pct(t.precision):>8}{_pct(t.recall):>8}{_pct(t.f1):>8}"
        )
    n = len(report.pairs)
    lines.append(
        f"attributes over {n} matched pair(s): polarity {_pct(report.polarity.value)}, "
        f"modality {_pct(report.modality.value)}, attributed {_pct(report.attributed.value)}"
    )
    lines.append(f"false facts: {len(report.false_facts)}")
    if report.duplicates or report.ignored:
        lines.append(
            f"duplicates of matched relations (not counted): {report.duplicates}; "
            f"predictions in documents without gold (ignored): {report.ignored}"
        )
    if report.failures:
        lines.append(f"failed inputs: {len(report.failures)}")
    if verbose:
        for g, p in report.false_facts:
            lines.append("FALSE FACT " + _describe(
                g.doc, g.type, g.subject, g.object, g.polarity, g.modality, g.attributed_to,
                f" predicted as fact: {p.sentence!r}"))
        for g, p in report.pairs:
            diffs = [
                f"{name} {gv} != {pv}"
                for name, gv, pv in (
                    ("polarity", g.polarity, p.polarity),
                    ("modality", g.modality, p.modality),
                    ("attributed", g.attributed_to is not None, p.attributed_to is not None),
                )
                if gv != pv
            ]
            if diffs:
                lines.append("ATTRIBUTE " + _describe(
                    g.doc, g.type, g.subject, g.object, g.polarity, g.modality, g.attributed_to,
                    f": {'; '.join(diffs)} | {p.sentence!r}"))
        for g in report.misses:
            lines.append("MISS " + _describe(
                g.doc, g.type, g.subject, g.object, g.polarity, g.modality, g.attributed_to,
                f" | {g.sentence!r}" if g.sentence else ""))
        for p in report.spurious:
            lines.append("SPURIOUS " + _describe(
                p.doc, p.type, p.subject, p.object, p.polarity, p.modality, p.attributed_to,
                f" | {p.sentence!r}"))
        for f in report.failures:
            lines.append(f"FAILED {f}")
    return "\n".join(lines)


def _doc_of(result: ArticleGraph | InputError) -> str:
    return (result.source or "") if isinstance(result, InputError) else result.article.doc


def evaluate(
    gold_path: str | Path,
    inputs: Sequence[str | Path],
    *,
    model: str | None = None,
    workers: int = 1,
    progress: bool | None = False,
) -> EvalReport:
    """Load the gold, get predictions (records files as they are, other inputs extracted) and
    score them. ``progress`` None draws a bar of the extraction on a terminal (standard error)."""
    gold = load_gold(gold_path)
    if not inputs:
        raise UsageError("kg eval: give the articles to extract, or a JSONL of predictions")
    paths = [Path(i) for i in inputs]
    if all(str(i) != "-" and looks_like_records(p) for i, p in zip(inputs, paths, strict=True)):
        preds, failures = read_predictions(paths)
    else:
        from kg import progress as bar
        from kg.extraction.pipeline import extract_paths

        preds, failures = [], []
        total = bar.count_articles(inputs) if bar.shown(progress) else None
        results = extract_paths(inputs, model=model, workers=workers)
        for result in bar.track(results, "extracting", total, _doc_of, enabled=progress):
            if isinstance(result, InputError):
                failures.append(str(result))
            else:
                preds.extend(result.relations)
    report = score(gold, preds)
    return replace(report, failures=tuple(failures))


__all__ = [
    "CORE_TYPES",
    "Accuracy",
    "Claim",
    "EvalReport",
    "Gold",
    "GoldRelation",
    "SentenceSpan",
    "TypeScore",
    "edit_distance",
    "evaluate",
    "format_report",
    "gold_is_plain_fact",
    "gold_relation",
    "load_gold",
    "locate_in_sentences",
    "looks_like_records",
    "name_tokens",
    "names_match",
    "predicted_as_fact",
    "read_predictions",
    "relations_match",
    "score",
]

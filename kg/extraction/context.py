"""The compiled lexicon and the clause context a relation inherits from the words governing it.

A relation lives in a clause; the words above that clause in the dependency tree say whether it
is a fact: a reporting verb adds a source ("X said that ..."), a denial turns the clause into a
denied claim ("denied reports that ..."), a negation or "refused to" flips polarity, "will" /
"plans to" / "if ... would" set modality. :func:`clause_context` walks from a trigger up to the
root once and collects all of that, so trigger matching (relations.py) never needs to know.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from kg.lexicon import CUES, Lexicon, RelationType
from kg.model import UNNAMED_SOURCE, Entity, Modality

if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "Compiled",
    "Context",
    "Lookup",
    "Source",
    "TokenLookup",
    "clause_context",
    "compile_lexicon",
    "resolve_source",
]

#: Maps a token to the entity it mentions (a name, an alias, a resolved pronoun), or None.
Lookup = Callable[["Token"], "Entity | None"]



class TokenLookup:
    """A :data:`Lookup` over one doc that also answers by token index (:attr:`at`), so a loop
    over every token asks it without making the token."""

    __slots__ = ("at",)

    def __init__(self, at: Callable[[int], Entity | None]) -> None:
        self.at = at

    def __call__(self, tok: Token) -> Entity | None:
        return self.at(tok.i)


_SUBJ = ("nsubj", "nsubjpass", "csubj")
#: a day of the week ("Tuesday"): with a present-tense verb it dates a schedule
_WEEKDAY = re.compile("|".join(calendar.day_name) + r"$")


def _set(values: tuple[str, ...] | list[str] | object) -> frozenset[str]:
    if isinstance(values, (list, tuple)):
        return frozenset(str(v).lower() for v in values)
    return frozenset()


@dataclass(frozen=True)
class Compiled:
    """Lexicon lookups as sets and dicts, built once per :class:`Lexicon` (see compile_lexicon)."""

    types: dict[str, RelationType]
    verbs: dict[str, tuple[str, ...]]
    nouns: dict[str, tuple[str, ...]]
    adjectives: dict[str, tuple[str, ...]]
    phrases: tuple[tuple[str, str, tuple[str, ...]], ...]
    modifier_nouns: dict[str, str]
    modifier_verbs: dict[str, str]
    context_verbs: dict[str, str]
    motion_verbs: dict[str, str]
    person_verbs: dict[str, str]
    departure_verbs: dict[str, str]
    in_person_verbs: dict[str, str]
    reporting: frozenset[str]
    report_nouns: frozenset[str]
    anonymous_sources: frozenset[str]
    denial: frozenset[str]
    fiction: frozenset[str]
    negation: frozenset[str]
    negating_verbs: frozenset[str]
    planned: frozenset[str]
    planned_nouns: frozenset[str]
    planned_objects: frozenset[str]
    hypothetical: frozenset[str]
    stand_in_nouns: frozenset[str]
    actor_nouns: frozenset[str]
    phone_words: frozenset[str]
    thanking: frozenset[str]
    motion: frozenset[str]
    call_not_preps: frozenset[str]
    place_nouns: frozenset[str] = frozenset()
    neighbour_words: frozenset[str] = frozenset()
    capital_nouns: frozenset[str] = frozenset()
    not_stand_in_nouns: frozenset[str] = frozenset()
    hearsay: frozenset[str] = frozenset()
    readiness: frozenset[str] = frozenset()
    receiving: frozenset[str] = frozenset()
    representatives: frozenset[str] = frozenset()
    future_time: frozenset[str] = frozenset()
    current_time: frozenset[str] = frozenset()
    arrangement: frozenset[str] = frozenset()
    occasion_nouns: frozenset[str] = frozenset()
    #: trigger lemmas by class, for narrowing argument patterns (kg/extraction/patterns.py)
    trigger_words: Mapping[str, frozenset[str]] = field(default_factory=dict)
    _option_sets: dict[tuple[str, str], frozenset[str]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _cue_sets: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    containing: frozenset[str] = frozenset()
    outlet_verbs: frozenset[str] = frozenset()
    summon_preps: frozenset[str] = frozenset()
    pair_nouns: frozenset[str] = frozenset()
    pair_words: frozenset[str] = frozenset()
    separate_words: frozenset[str] = frozenset()
    in_person_words: frozenset[str] = frozenset()
    not_place_holders: frozenset[str] = frozenset()
    speaker_nouns: frozenset[str] = frozenset()
    labelling_verbs: frozenset[str] = frozenset()
    habitual: frozenset[str] = frozenset()
    shared_object_preps: frozenset[str] = frozenset()
    owner_compound_nouns: frozenset[str] = frozenset()
    #: every cue of the lexicon, for :meth:`words`
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: lemmas the verb stage looks at: triggers, modifiers, context, motion, person verbs and
    #: the heads of phrases (one set, asked once per token)
    verb_stage_lemmas: frozenset[str] = frozenset()
    #: lemmas a token needs for the sentence loop to try it (relations.py): noun triggers,
    #: modifier nouns, the verb stage's lemmas and motion verbs
    sentence_lemmas: frozenset[str] = frozenset()

    def words(self, cue: str) -> frozenset[str]:
        """The lowercase words of one of the lexicon's cues (kg.lexicon.CUES), computed once:
        the function words the walk reads (auxiliaries, prepositions, markers) are data too."""
        hit = self._cue_sets.get(cue)
        if hit is None:
            if cue not in CUES:
                raise KeyError(f"unknown cue {cue!r} (declare it in kg.lexicon.CUES)")
            hit = self._cue_sets[cue] = _set(self.cues.get(cue, ()))
        return hit

    def option(self, rtype: str, name: str, default: object = None) -> object:
        return self.types[rtype].options.get(name, default)

    def option_list(self, rtype: str, name: str, default: tuple[str, ...] = ()) -> list[str]:
        value = self.types[rtype].options.get(name, default)
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else list(default)

    def option_set(self, rtype: str, name: str) -> frozenset[str]:
        """An option's words as a set, computed once (the extractor asks per token)."""
        key = (rtype, name)
        hit = self._option_sets.get(key)
        if hit is None:
            hit = self._option_sets[key] = _set(self.types[rtype].options.get(name, ()))
        return hit


_COMPILED: dict[int, tuple[Lexicon, Compiled]] = {}


def compile_lexicon(lexicon: Lexicon) -> Compiled:
    """Index the lexicon for matching; cached per Lexicon object (it is immutable)."""
    hit = _COMPILED.get(id(lexicon))
    if hit is not None and hit[0] is lexicon:
        return hit[1]
    verbs: dict[str, list[str]] = {}
    nouns: dict[str, list[str]] = {}
    adjectives: dict[str, list[str]] = {}
    phrases: list[tuple[str, str, tuple[str, ...]]] = []
    modifier_nouns: dict[str, str] = {}
    modifier_verbs: dict[str, str] = {}
    context_verbs: dict[str, str] = {}
    motion_verbs: dict[str, str] = {}
    person_verbs: dict[str, str] = {}
    departure_verbs: dict[str, str] = {}
    in_person_verbs: dict[str, str] = {}
    for name in sorted(lexicon.types):
        spec = lexicon.types[name]
        for v in spec.verbs:
            verbs.setdefault(v.lower(), []).append(name)
        for n in spec.nouns:
            nouns.setdefault(n.lower().replace(" ", ""), []).append(name)
            nouns.setdefault(n.lower().split()[-1], []).append(name)
        for a in spec.adjectives:
            adjectives.setdefault(a.lower(), []).append(name)
        for p in spec.phrases:
            words = p.lower().split()
            if len(words) >= 2:
                phrases.append((name, words[0], tuple(words[1:])))
        for key, target in (
            ("modifier_nouns", modifier_nouns),
            ("modifier_verbs", modifier_verbs),
            ("context_verbs", context_verbs),
            ("motion_verbs", motion_verbs),
            ("person_verbs", person_verbs),
            ("departure_verbs", departure_verbs),
            ("in_person_verbs", in_person_verbs),
        ):
            for w in _set(spec.options.get(key, ())):
                target.setdefault(w, name)
    cue = lexicon.cue
    compiled = Compiled(
        types=dict(lexicon.types),
        verbs={k: tuple(dict.fromkeys(v)) for k, v in verbs.items()},
        nouns={k: tuple(dict.fromkeys(v)) for k, v in nouns.items()},
        adjectives={k: tuple(dict.fromkeys(v)) for k, v in adjectives.items()},
        phrases=tuple(phrases),
        verb_stage_lemmas=(stage := frozenset(
            (*verbs, *modifier_verbs, *context_verbs, *motion_verbs, *departure_verbs,
             *person_verbs, *(head for _name, head, _rest in phrases))
        )),
        sentence_lemmas=stage.union(nouns, modifier_nouns, motion_verbs),
        modifier_nouns=modifier_nouns,
        modifier_verbs=modifier_verbs,
        context_verbs=context_verbs,
        motion_verbs=motion_verbs,
        person_verbs=person_verbs,
        departure_verbs=departure_verbs,
        in_person_verbs=in_person_verbs,
        reporting=_set(cue("reporting")),
        report_nouns=_set(cue("report_nouns")),
        anonymous_sources=_set(cue("anonymous_sources")),
        denial=_set(cue("denial")),
        fiction=_set(cue("fiction_words")),
        negation=_set(cue("negation")),
        habitual=_set(cue("habitual")),
        shared_object_preps=_set(cue("shared_object_preps")),
        negating_verbs=_set(cue("negating_verbs")),
        planned=_set(cue("planned")),
        planned_nouns=_set(cue("planned_nouns")),
        planned_objects=_set(cue("planned_objects")),
        hypothetical=_set(cue("hypothetical")),
        stand_in_nouns=_set(cue("stand_in_nouns")),
        actor_nouns=_set(cue("actor_nouns")),
        phone_words=_set(cue("phone_words")),
        thanking=_set(cue("thanking")),
        motion=_set(cue("motion")),
        call_not_preps=_set(cue("call_not_preps")),
        place_nouns=_set(cue("place_nouns")),
        neighbour_words=_set(cue("neighbour_words")),
        capital_nouns=_set(cue("capital_nouns")),
        not_stand_in_nouns=_set(cue("not_stand_in_nouns")),
        owner_compound_nouns=_set(cue("owner_compound_nouns")),
        hearsay=_set(cue("hearsay_adverbs")),
        readiness=_set(cue("readiness")),
        receiving=_set(cue("receiving")),
        representatives=_set(cue("representative_nouns")),
        future_time=_set(cue("future_time")),
        current_time=_set(cue("current_time")),
        arrangement=_set(cue("arrangement_verbs")),
        occasion_nouns=_set(cue("occasion_nouns")),
        cues=dict(lexicon.cues),
        trigger_words={
            "verb": frozenset(verbs),
            "noun": frozenset(nouns),  # the noun triggers the pattern interpreter reads
            "adjective": frozenset(adjectives),
        },
        containing=_set(cue("containing_preps")),
        outlet_verbs=_set(cue("outlet_verbs")),
        summon_preps=_set(cue("summon_preps")),
        pair_nouns=_set(cue("pair_nouns")),
        pair_words=_set(cue("pair_words")),
        separate_words=_set(cue("separate_words")),
        in_person_words=_set(cue("in_person_words")),
        not_place_holders=_set(cue("not_place_holders")),
        speaker_nouns=_set(cue("speaker_nouns")),
        labelling_verbs=_set(cue("labelling_verbs")),
    )
    _COMPILED[id(lexicon)] = (lexicon, compiled)
    return compiled


@dataclass(frozen=True)
class Source:
    """Who a clause is attributed to: a resolved entity, or a phrase ("a spokesman")."""

    label: str
    entity: Entity | None = None
    #: an unnamed report ("reports that ...", "it was reported"): the article's credited outlet
    #: carries it when the article names one (see relations.credited_outlet)
    report: bool = False


@dataclass(frozen=True)
class Context:
    """What the governing words say about a clause."""

    negative: bool = False
    modality: Modality = "actual"
    source: Source | None = None
    denier: Entity | None = None
    denier_phrase: str | None = None
    #: the named source of a denied report ("a report in the Daily Courier")
    denied_source: Entity | None = None
    denied: bool = False
    conditional: bool = False
    trail: tuple[str, ...] = field(default=())
    #: inside an open question ("has not said whether he will meet X") or a habit ("has rarely
    #: met X"): no relation at all
    question: bool = False


#: strings of spaCy's string store by hash (a string's hash is the same in every vocab), and
#: lowercase lemmas by the lemma's hash: the extractor asks for the same few thousand words
#: many times, and the store lookup plus ``lower()`` cost more than a dict hit. Bounded: a
#: table is cleared when full.
_STRINGS: dict[int, str] = {}
_LEMMAS: dict[int, str] = {}
_MEMO_LIMIT = 1 << 20


def store_string(strings: StringStore, key: int, *, lower: bool = False) -> str:
    """The string of ``key`` in ``strings`` (lowercased with ``lower``), decoded once."""
    table = _LEMMAS if lower else _STRINGS
    hit = table.get(key)
    if hit is None:
        if len(table) >= _MEMO_LIMIT:
            table.clear()
        text = str(strings[key])
        hit = table[key] = text.lower() if lower else text
    return hit


def lemma(tok: Token) -> str:
    low = _LEMMAS.get(tok.lemma)
    return low if low is not None else store_string(tok.vocab.strings, tok.lemma, lower=True)


@dataclass(frozen=True)
class SentenceWords:
    """The lowercase lemmas (as :func:`lemma` gives them) and lowercase forms of a sentence's
    tokens: a stage whose every trigger needs a word of some set skips a sentence without one,
    instead of walking its tokens."""

    lemmas: frozenset[str]
    lowers: frozenset[str]


def sentence_words(sent: Span) -> SentenceWords:
    """:class:`SentenceWords` of ``sent``, read from the doc's lemma and lower columns (one
    ``to_array`` per doc) without making the tokens; kept per sentence in the doc's
    ``user_data``, as several stages ask."""
    return columns(sent.doc).words(sent.start, sent.end)


def doc_words(doc: Doc) -> SentenceWords:
    """:class:`SentenceWords` of a whole doc (a superset of any of its sentences')."""
    return columns(doc).words(0, len(doc))


def _decode(strings: StringStore, keys: list[int], *, lower: bool = False) -> list[str]:
    """:func:`store_string` of each key (a dict hit for all but a doc's new words)."""
    out = list(map((_LEMMAS if lower else _STRINGS).get, keys))
    if None in out:
        for i, text in enumerate(out):
            if text is None:
                out[i] = store_string(strings, keys[i], lower=lower)
    return out  # type: ignore[return-value]  # no None is left


#: the attributes :attr:`Columns.ids` holds (names of spaCy's ``attrs``), in this order
ID_ATTRS = ("LEMMA", "LOWER", "ORTH", "POS", "DEP", "TAG", "ENT_TYPE")


class Columns:
    """A doc's token attributes as plain lists, read with one ``to_array``: a loop over every
    token (or over a token's children) that needs only these makes no spaCy Token objects,
    which cost more than the test itself; it makes ``doc[i]`` for the tokens it keeps.

    ``lemmas`` are lowercase (as :func:`lemma` gives them), ``lemma_ids`` the lemmas' string
    ids; ``texts`` and ``idx`` are ``Token.text`` and ``Token.idx``; ``heads`` are absolute
    indices; ``children[i]`` are the indices of ``doc[i].children``, in order. ``ids`` holds
    the columns of :data:`ID_ATTRS` as ``Doc.to_array`` gives them (string hashes, part-of-speech
    numbers), for checks that compare numbers (the argument patterns' pre-check)."""

    __slots__ = (
        "_ents",
        "_sents",
        "_text",
        "_words",
        "children",
        "deps",
        "heads",
        "ids",
        "idx",
        "lemma_ids",
        "lemmas",
        "lowers",
        "pos",
        "spaces",
        "texts",
    )

    def __init__(self, doc: Doc) -> None:
        from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, LEMMA, LOWER, ORTH, POS, SPACY, TAG

        strings = doc.vocab.strings
        self.ids: dict[str, list[int]] = {a: [] for a in ID_ATTRS}
        self.lemma_ids: list[int] = []
        self.lemmas: list[str] = []
        self.lowers: list[str] = []
        self.texts: list[str] = []
        self.idx: list[int] = []
        self.pos: list[str] = []
        self.deps: list[str] = []
        self.heads: list[int] = []
        self.spaces: list[int] = []
        if len(doc):
            arr = doc.to_array([LEMMA, LOWER, ORTH, POS, DEP, TAG, ENT_TYPE, IDX, HEAD, SPACY])
            rows: list[list[int]] = arr[:, :7].T.tolist()
            self.ids = dict(zip(ID_ATTRS, rows, strict=True))
            self.lemma_ids = rows[0]
            self.lemmas = _decode(strings, self.lemma_ids, lower=True)
            self.lowers = _decode(strings, rows[1])
            self.texts = _decode(strings, rows[2])
            self.pos = _decode(strings, rows[3])
            self.deps = _decode(strings, rows[4])
            self.idx = arr[:, 7].tolist()
            rel = arr[:, 8].astype("int64").tolist()  # HEAD: the offset to the head
            self.heads = [i + r for i, r in enumerate(rel)]
            self.spaces = arr[:, 9].tolist()
        # made with the columns, not on first use: the walks ask for children most
        self.children: list[list[int]] = [[] for _ in self.heads]
        for i, h in enumerate(self.heads):
            if h != i:
                self.children[h].append(i)
        self._text: str | None = None
        self._sents: list[tuple[int, int]] | None = None
        self._ents: list[tuple[int, int, str]] | None = None
        self._words: dict[tuple[int, int], SentenceWords] = {}

    @property
    def text(self) -> str:
        """``Doc.text`` (which joins the tokens anew on each access), joined once."""
        if self._text is None:
            self._text = "".join(
                t + " " if sp else t for t, sp in zip(self.texts, self.spaces, strict=True)
            )
        return self._text

    def words(self, start: int, end: int) -> SentenceWords:
        """:class:`SentenceWords` of the tokens ``start`` to ``end``, computed once."""
        span = (start, end)
        hit = self._words.get(span)
        if hit is None:
            hit = self._words[span] = SentenceWords(
                frozenset(self.lemmas[start:end]), frozenset(self.lowers[start:end])
            )
        return hit


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    cols = columns(doc)
    if cols._sents is None:
        cols._sents = [(s.start, s.end) for s in doc.sents]
    return cols._sents


def sentences(doc: Doc) -> list[Span]:
    """``list(doc.sents)``: the bounds found once per doc (``Doc.sents`` checks the whole doc
    for sentence starts on each call), the spans made anew (a doc keeps no span of its own)."""
    from spacy.tokens import Span

    return [Span(doc, a, b) for a, b in _sentence_bounds(doc)]


def sentence_of(tok: Token) -> tuple[int, int]:
    """The bounds of ``tok.sent`` (which makes a span and walks to its sentence's ends)."""
    bounds = _sentence_bounds(tok.doc)
    k = bisect_right(bounds, (tok.i, len(tok.doc) + 1)) - 1
    return bounds[k]


def sentence_root(tok: Token) -> Token:
    """``tok.sent.root``: the sentence's first token that heads itself, found in the columns
    (``Span.root`` checks it the same way, after making the sentence span)."""
    doc = tok.doc
    heads = columns(doc).heads
    start, end = sentence_of(tok)
    for i in range(start, end):
        if heads[i] == i:
            return doc[i]
    return tok.sent.root


def span_ents(sent: Span, label: str) -> list[Span]:
    """The entities of ``sent`` (``Span.ents``, which makes every entity span of the doc on
    each call) with that label; the doc's entity bounds read once."""
    from spacy.tokens import Span

    doc = sent.doc
    cols = columns(doc)
    if cols._ents is None:
        cols._ents = [(e.start, e.end, e.label_) for e in doc.ents]
    out: list[Span] = []
    start, end = sent.start, sent.end
    for a, b, name in cols._ents:
        if a >= start:
            if b > end:
                break
            if name == label:
                out.append(Span(doc, a, b, label=name))
    return out


def columns(doc: Doc) -> Columns:
    """The :class:`Columns` of ``doc``, made once and kept in its ``user_data``."""
    cols: Columns | None = doc.user_data.get("kg_columns")
    if cols is None:
        cols = doc.user_data["kg_columns"] = Columns(doc)
    return cols


def _children(tok: Token, *deps: str) -> list[Token]:
    doc = tok.doc
    cols = columns(doc)
    dep = cols.deps
    return [doc[j] for j in cols.children[tok.i] if dep[j] in deps]


def subject_of(verb: Token) -> Token | None:
    """The nominal subject of a verb, following conj / xcomp / relcl heads when it has none."""
    seen = 0
    cur = verb
    while seen < 6:
        seen += 1
        subj = _children(cur, "nsubj", "nsubjpass")
        if subj:
            if cur.dep_ == "relcl" and subj[0].tag_ in ("WP", "WDT") and cur.head.i != cur.i:
                return cur.head  # "Kolar, who met Braun": the antecedent
            return subj[0]
        if cur.dep_ == "conj" and cur.head.i != cur.i:
            cur = cur.head
            continue
        if cur.dep_ == "xcomp" and cur.head.i != cur.i:
            obj = _children(cur.head, "dobj")
            if obj:
                return obj[0]
            cur = cur.head
            continue
        if cur.dep_ in ("advcl", "pcomp", "acl") and cur.head.i != cur.i:
            head = cur.head
            if (
                head.pos_ == "PROPN" and cur.dep_ == "acl" and head.dep_ == "ROOT"
                and cur.tag_ in ("VBD", "VBZ", "VBP", "VBN") and cur.i > head.i
            ):
                # "Lind, who runs the port authority, later heard ...": with the relative
                # clause the parser takes the name for the root and the verb for its modifier
                return head
            if head.pos_ in ("NOUN", "PROPN") and cur.dep_ == "acl":
                owner = _children(head, "poss")
                if owner and any(a.tag_ == "TO" for a in _children(cur, "aux")):
                    return owner[0]  # "Veridia's decision to back X": Veridia decided
                # "plans to meet": the planner is the subject of the verb governing "plans"
                if head.dep_ in ("dobj", "pobj", "nsubj") and head.head.i != head.i:
                    cur = head.head if head.dep_ != "pobj" else head.head.head
                    continue
                return None
            if head.dep_ == "prep":
                cur = head.head
                if cur.pos_ == "NOUN" and cur.dep_ == "dobj" and cur.head.i != cur.i:
                    cur = cur.head  # "X had no intention of travelling": X
                continue
            cur = head
            continue
        if cur.dep_ == "relcl":
            return cur.head
        if (
            cur.dep_ == "acomp" or (cur.dep_ == "prep" and cur.pos_ == "ADJ")
        ) and cur.head.i != cur.i:
            cur = cur.head  # "X is due to travel" (with "due" also parsed as a preposition)
            continue
        return _appos_subject(cur)
    return None


def _appos_subject(verb: Token) -> Token | None:
    """ "The plan is sound, Governor Varga has said": after a fronted clause the parser hangs
    the speaker on that clause's last noun as an apposition; the name set off by a comma that
    ends right before the verb (and its auxiliaries) is the verb's subject."""
    for comp in _children(verb, "ccomp"):
        if comp.i > verb.i:
            continue
        for t in comp.subtree:
            if t.dep_ != "appos" or t.pos_ != "PROPN" or t.i > verb.i:
                continue
            start = min(x.i for x in t.subtree if x.pos_ != "PUNCT")
            before = t.doc[start - 1] if start > 0 else None
            between = t.doc[t.right_edge.i + 1 : verb.i]
            if (
                before is not None
                and before.pos_ == "PUNCT"
                and all(b.dep_ in ("aux", "neg", "advmod") for b in between)
            ):
                return t
    return None


def _modal_aux(tok: Token, c: Compiled) -> tuple[Modality | None, bool]:
    """Modality from the auxiliaries of ``tok`` ("will", "would"), and whether it is negated."""
    mod: Modality | None = None
    neg = False
    cols = columns(tok.doc)
    lowers, deps, lemmas = cols.lowers, cols.deps, cols.lemmas
    for j in cols.children[tok.i]:
        low = lowers[j]
        dep = deps[j]
        if dep in ("aux", "auxpass"):
            if low in c.words("future_auxiliaries"):
                mod = "planned"
            elif low in c.hypothetical or lemmas[j] in c.hypothetical:
                mod = mod or "hypothetical"
            elif low in c.words("going_to_words") or lemmas[j] in c.words("going_to_words"):
                mod = "planned"
        if dep == "neg" or (dep == "advmod" and low in c.negation):
            neg = True
    return mod, neg


def _has_if_clause(tok: Token, c: Compiled) -> bool:
    cols = columns(tok.doc)
    deps, lowers, kids = cols.deps, cols.lowers, cols.children
    marks = c.words("conditional_marks")
    return any(
        deps[j] == "advcl" and any(deps[g] == "mark" and lowers[g] in marks for g in kids[j])
        for j in kids[tok.i]
    )


def _np_phrase(tok: Token) -> str:
    """A short phrase for a non-entity source: "a spokesman", "aides", "two Ukrainian sources"."""
    keep = [
        t for t in tok.subtree if t.dep_ in ("det", "amod", "nummod", "compound") or t.i == tok.i
    ]
    keep = [t for t in keep if t.head.i == tok.i or t.i == tok.i]
    if len(keep) > 5:
        keep = [tok]
    return " ".join(t.text for t in sorted(keep, key=lambda t: t.i)).strip()


def resolve_source(tok: Token, lookup: Lookup, c: Compiled, verb: Token | None) -> Source:
    """The source named by a reporting subject: an entity, its owner ("her office"), or a phrase."""
    ent = lookup(tok)
    if ent is not None:
        return Source(ent.label, ent)
    low = lemma(tok)
    if tok.lower_ in c.words("impersonal_pronouns") and tok.dep_ == "nsubjpass":
        return Source(UNNAMED_SOURCE, report=True)
    if tok.pos_ == "NOUN" or low in c.speaker_nouns or low in c.anonymous_sources:
        for ch in tok.children:
            if ch.dep_ == "appos":
                # "spokesperson Lin Wei", "its leader Maja Kvist", "the ministry's spokesman,
                # Ivo Kral": the person named in apposition
                named = lookup(ch)
                if named is not None:
                    return Source(named.label, named)
    if low in c.speaker_nouns or low in c.anonymous_sources:
        for ch in tok.children:
            if ch.dep_ in ("poss", "compound"):
                owner = lookup(ch)
                if owner is not None:
                    return Source(owner.label, owner)
        for ch in tok.children:
            # "a spokesperson for Mr Obama" (not "sources close to X": they are not X)
            if (
                low in c.speaker_nouns and ch.dep_ == "prep"
                and ch.lower_ in c.words("spokesperson_preps")
            ):
                for p in ch.children:
                    if p.dep_ == "pobj":
                        owner = lookup(p)
                        if owner is not None:
                            return Source(owner.label, owner)
                        break
        if low in c.anonymous_sources and verb is not None:
            # "sources told the Washington Post that ...": the outlet carries the report
            for ch in verb.children:
                if ch.dep_ in ("dobj", "dative"):
                    outlet = lookup(ch)
                    if outlet is not None:
                        return Source(outlet.label, outlet)
    if tok.pos_ == "PRON":
        return Source(UNNAMED_SOURCE)  # a pronoun the entities stage left unresolved
    if tok.pos_ == "NOUN":
        # "a White House readout", "a statement from the presidency": whose document it is
        for t in tok.subtree:
            if t.i < tok.i and t.dep_ in ("poss", "compound") and lookup(t) is not None:
                owner = lookup(t)
                assert owner is not None
                return Source(owner.label, owner)
        for ch in tok.children:
            if ch.dep_ == "prep" and ch.lower_ in c.words("speaker_source_preps"):
                for p in ch.children:
                    owner = lookup(p) if p.dep_ == "pobj" else None
                    if owner is not None:
                        return Source(owner.label, owner)
    return Source(_np_phrase(tok) or UNNAMED_SOURCE)


def _named_report_source(noun: Token, lookup: Lookup, c: Compiled) -> Entity | None:
    """The named origin of a report noun: "the Post's report", "a report in the Courier"."""
    for ch in noun.children:
        if ch.dep_ == "poss":
            ent = lookup(ch)
            if ent is not None:
                return ent
        if ch.dep_ == "prep" and ch.lower_ in c.words("report_source_preps"):
            for p in ch.children:
                if p.dep_ == "pobj":
                    ent = lookup(p)
                    if ent is not None:
                        return ent
    return None


def _has_fiction(tok: Token, c: Compiled, skip: Token | None = None) -> bool:
    """Whether a fiction word ("pure fiction", "nonsense") hangs below ``tok`` as a complement."""
    for t in tok.subtree:
        if skip is not None and t.i == skip.i:
            continue
        if t.lower_ in c.fiction or lemma(t) in c.fiction:
            if t.dep_ in ("oprd", "attr", "acomp", "dobj", "xcomp", "ccomp", "appos", "conj"):
                return True
            if t.head.dep_ in ("oprd", "attr", "acomp", "dobj") and t.dep_ in ("amod", "compound"):
                return True
    return False


def _deny_context(ctx: Context, verb: Token, lookup: Lookup, c: Compiled) -> Context:
    if _modal_aux(verb, c)[1]:
        # "did not deny meeting X": no denial; what was not denied stays someone's claim
        return ctx if ctx.source is not None else replace(
            ctx, source=Source(UNNAMED_SOURCE, report=True)
        )
    subj = subject_of(verb)
    denier: Entity | None = None
    phrase: str | None = None
    if subj is not None:
        src = resolve_source(subj, lookup, c, verb)
        denier = src.entity
        phrase = None if denier is not None else src.label
    return replace(ctx, denied=True, denier=ctx.denier or denier, denier_phrase=phrase)


def _trailing_denial(ctx: Context, trigger: Token, lookup: Lookup, c: Compiled) -> Context:
    """ "..., that A met B, a claim X denied": a report noun in apposition after the clause,
    with a denying relative clause, denies what the clause says. Not for an accusation: "X
    accused Y of ..., an allegation Y denies" denies what X said, not that X said it."""
    kinds = (*c.verbs.get(lemma(trigger), ()), *c.nouns.get(lemma(trigger), ()))
    if any(c.option(k, "speech_act") for k in kinds):
        return ctx
    words = doc_words(trigger.doc).lemmas
    if words.isdisjoint(c.report_nouns) or words.isdisjoint(c.denial):
        return ctx  # no report noun or no denial verb anywhere in the segment
    for noun in trigger.subtree:
        if noun.dep_ != "appos" or noun.i <= trigger.i or lemma(noun) not in c.report_nouns:
            continue
        for rc in noun.children:
            if (
                rc.dep_ == "relcl"
                and lemma(rc) in c.denial
                and all(d.tag_ in ("WDT", "WP") for d in _children(rc, "dobj"))
            ):
                return _deny_context(ctx, rc, lookup, c)
    return ctx


def _report_noun_parent(noun: Token, ctx: Context, lookup: Lookup, c: Compiled) -> Context:
    """A clause under a report noun ("reports that ..."): a claim; is the report denied above?"""
    named = _named_report_source(noun, lookup, c)
    if ctx.source is None:
        ctx = replace(
            ctx,
            source=Source(named.label, named) if named else Source(UNNAMED_SOURCE, report=True),
        )
    gov = noun.head
    if noun.dep_ in ("dobj", "oprd", "pobj", "nsubjpass") and gov.i != noun.i:
        verb = gov.head if noun.dep_ == "pobj" else gov
        if lemma(verb) in c.denial:
            return replace(_deny_context(ctx, verb, lookup, c), denied_source=named)
        if lemma(verb) in c.labelling_verbs and _has_fiction(verb, c, skip=None):
            return replace(_deny_context(ctx, verb, lookup, c), denied_source=named)
    if noun.dep_ in ("nsubj",) and gov.i != noun.i and _has_fiction(gov, c, skip=noun):
        # "reports that ... were pure invention", typically under "X said"
        speaker = gov
        while speaker.dep_ in ("ccomp", "conj") and speaker.head.i != speaker.i:
            speaker = speaker.head
            if lemma(speaker) in c.reporting:
                return replace(_deny_context(ctx, speaker, lookup, c), denied_source=named)
        gsubj = subject_of(gov)
        if gsubj is not None and gsubj.i != noun.i:
            return replace(_deny_context(ctx, gov, lookup, c), denied_source=named)
        # "X's claim that she met Y was false": the article itself says so; no one denies it
        return replace(ctx, denied=True, denied_source=named)
    return ctx


def _refuted(ctx: Context, verb: Token, c: Compiled) -> Context:
    """ "X falsely claimed to have met Y", "X wrongly said ...": the article calls the claim
    false; it is denied, by no one in particular."""
    if _has_adverb(verb, c.words("falsity_adverbs")):
        return replace(ctx, denied=True)
    return ctx


def _according_to(ctx: Context, verb: Token, lookup: Lookup, c: Compiled) -> Context:
    """ "..., according to the news agency VNA": a source attached to a verb of the chain;
    "reportedly", "allegedly" on it: unnamed reports."""
    if ctx.source is not None:
        return ctx
    lowers = doc_words(verb.doc).lowers
    if lowers.isdisjoint(c.words("according_words")) and lowers.isdisjoint(c.hearsay):
        return ctx  # neither word anywhere in the segment
    for ch in verb.children:
        if ch.dep_ == "advmod" and ch.lower_ in c.hearsay:
            return replace(ctx, source=Source(UNNAMED_SOURCE, report=True))
        if ch.lower_ in c.words("according_words"):
            for to in ch.children:
                for p in to.children:
                    if p.dep_ == "pobj":
                        return replace(ctx, source=resolve_source(p, lookup, c, None))
    return ctx


#: dependencies the walk climbs from an argument to its verb (a particle the parser gives an
#: object, "called off the meeting", is read as the preposition it is)
_ARGUMENT_DEPS = frozenset({"prep", "prt", "pobj", "dobj", "nsubj", "nsubjpass", "pcomp"})


def has_infinitive_mark(tok: Token, c: Compiled) -> bool:
    """ "to meet": the verb has the infinitive marker as its auxiliary."""
    return _has_child(tok, "aux", c.words("infinitive_marks"))


def _has_adverb(tok: Token, words: frozenset[str]) -> bool:
    """One of ``words`` modifies ``tok`` as an adverb ("nearly met", "falsely claimed")."""
    return _has_child(tok, "advmod", words)


def _has_child(tok: Token, dep: str, words: frozenset[str]) -> bool:
    """A child of ``tok`` with dependency ``dep`` is one of ``words`` (read from the doc's
    columns: no child token is made)."""
    cols = columns(tok.doc)
    deps, lowers = cols.deps, cols.lowers
    return any(deps[j] == dep and lowers[j] in words for j in cols.children[tok.i])


def _child_words(tok: Token, dep: str) -> list[str]:
    """The lowercase forms of the children of ``tok`` with dependency ``dep``, in order."""
    cols = columns(tok.doc)
    deps, lowers = cols.deps, cols.lowers
    return [lowers[j] for j in cols.children[tok.i] if deps[j] == dep]


def _yes_no_question(trigger: Token) -> bool:
    """ "Did Holt meet Varga?": a question that opens with its clause's auxiliary asks and
    tells nothing. A wh-question ("Why did Holt meet Varga?") takes the act as given."""
    if "?" not in doc_words(trigger.doc).lowers:
        return False  # no question mark in the segment: no need to find the sentence
    sent = trigger.sent
    if not sent.text.rstrip().rstrip("\"'”’)").endswith("?"):
        return False
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    first = next((t for t in sent if not t.is_punct and not t.is_space), None)
    return (
        first is not None
        and first.pos_ == "AUX"
        and (first.head.i == verb.i or first.i == verb.i)
        and any(ch.dep_ in ("nsubj", "nsubjpass") and ch.i > first.i for ch in verb.children)
    )


def _neither_nor(trigger: Token, c: Compiled) -> bool:
    """ "met neither A nor B", "Neither A nor B attended": a negative correlative on a party."""
    if doc_words(trigger.doc).lowers.isdisjoint(c.words("negative_correlatives")):
        return False
    args = [*trigger.children]
    args += [p for ch in trigger.children if ch.dep_ == "prep" for p in ch.children]
    return any(
        g.dep_ in ("preconj", "det") and g.lower_ in c.words("negative_correlatives")
        for a in args
        for g in a.children
    )


def clause_context(trigger: Token, lookup: Lookup, c: Compiled) -> Context:
    """Walk from ``trigger`` to the root and collect source, denial, polarity and modality.

    Polarity and modality come only from the trigger's own clause chain (auxiliaries,
    "refused to", "plans to", "agreed to a call"); once the walk leaves the clause through a
    relative clause or an adverbial clause they stop applying, while attribution and denial
    keep propagating up to the reporting or denying verb.
    """
    ctx = Context()
    if _has_adverb(trigger, c.habitual):
        return replace(ctx, question=True)  # "has rarely spoken to X": a habit, no event
    if _yes_no_question(trigger):
        return replace(ctx, question=True)
    mod, neg = _modal_aux(trigger, c)
    negative = (
        neg or _neither_nor(trigger, c) or _has_adverb(trigger, c.words("near_miss_adverbs"))
    )
    modality: Modality = mod or "actual"
    if mod == "hypothetical" and not _has_if_clause(trigger, c):
        modality = "hypothetical"
    if trigger.pos_ in ("NOUN", "PROPN") and _has_child(trigger, "det", c.negation):
        negative = True
    if modality == "actual" and (_headline_infinitive(trigger, c) or _future_dated(trigger, c)):
        modality = "planned"
    open_clause = True
    circumstance = False
    tok = trigger
    ctx = _according_to(ctx, trigger, lookup, c)
    steps = 0
    question = False
    asserted = False  # a relative clause is asserted even inside a question
    while tok.head.i != tok.i and steps < 30:
        steps += 1
        dep, head = tok.dep_, tok.head
        if dep == "ccomp" and head.pos_ in ("NOUN", "PROPN") and lemma(head) in c.report_nouns:
            dep = "acl"  # "reports that she met X": the report's content, parsed as a clause
        marks = set(_child_words(tok, "mark"))
        if not asserted and (
            not marks.isdisjoint(c.words("question_marks"))
            or (
                dep in ("ccomp", "xcomp")
                and not marks.isdisjoint(c.words("embedded_question_marks"))
            )
        ):
            question = True
        asserted = asserted or (
            dep == "relcl" and not (lemma(head) in c.report_nouns and content_relcl(tok, c))
        )
        hl = lemma(head)
        prt = _child_words(head, "prt")
        hk = f"{hl} {prt[0]}" if prt else hl  # "rule out", "call off"
        if ctx.source is None:
            ctx = _according_to(ctx, head, lookup, c)
        if dep in ("ccomp", "parataxis") or (
            dep == "advcl" and hl in c.reporting and head.i > tok.i
        ):
            if hl in c.denial:
                ctx = _deny_context(ctx, head, lookup, c)
            elif hl in c.reporting and asserted:
                pass  # "X, who visited Y, ... the ministry said": background, not the report
            elif hl in c.reporting:
                subj = _children(head, "nsubj", "nsubjpass")
                if subj and lemma(subj[0]) in c.denial:
                    # "Kremlin slams claims that ..." misparsed as "slams" = subject of "claims"
                    ctx = _deny_context(ctx, subj[0], lookup, c)
                    ctx = replace(ctx, source=ctx.source or Source(UNNAMED_SOURCE, report=True))
                elif ctx.source is None:
                    inherited = subject_of(head) if not subj and head.dep_ == "conj" else None
                    if subj or inherited is not None:
                        # "X spoke to Y and told him that ...": the shared subject
                        speaker = subj[0] if subj else inherited
                        assert speaker is not None
                        ctx = replace(ctx, source=resolve_source(speaker, lookup, c, head))
                    else:
                        ctx = replace(ctx, source=Source(UNNAMED_SOURCE, report=True))
                ctx = _refuted(ctx, head, c)
            elif open_clause:
                hmod, hneg = _modal_aux(head, c)
                if hl in c.planned and modality == "actual":
                    modality = "planned"
                if hmod and modality == "actual":
                    modality = hmod
                if hneg and head.pos_ == "VERB" and hl not in c.reporting:
                    negative = not negative
            open_clause = False
        elif dep == "xcomp" or dep in _ARGUMENT_DEPS:
            if dep == "pobj":
                tok = head
                continue
            if (
                dep == "prep"
                and (
                    tok.lower_ in c.words("dating_preps") or tok.lower_ in c.words("cause_preps")
                )
                and trigger.pos_ in ("NOUN", "PROPN")
                and head.pos_ in ("VERB", "AUX")
            ):
                # "has not spoken to X since Y's invasion of Z": the event noun only dates the
                # clause, so the clause's negation is not its own (a report or a denial further
                # up still applies); but an event that dates a future or conditional clause
                # ("during his visit he would/will talk to them") lies there too
                hmod, _ = _modal_aux(head, c)
                if hmod is None and head.dep_ == "conj":
                    hmod, _ = _modal_aux(head.head, c)  # "will hold talks and meet X during"
                if open_clause and hmod and modality == "actual" and tok.lower_ in c.containing:
                    modality = hmod
                open_clause = False
                tok = head
                continue
            if dep == "prep" and head.pos_ not in ("VERB", "AUX"):
                if (
                    open_clause and tok.lower_ in c.words("planned_noun_preps")
                    and lemma(head) in c.planned_nouns
                ):
                    # "had no intention of travelling to X", "the plan of meeting X"
                    if modality == "actual":
                        modality = "planned"
                    if any(ch.dep_ == "det" and ch.lower_ in c.negation for ch in head.children):
                        negative = not negative
                if tok.lower_ in c.words("circumstance_preps"):
                    # "dismissed the story ... during a visit": a circumstance, not the claim
                    circumstance = True
                tok = head
                continue
            if (
                hl in c.denial
                and dep in ("xcomp", "dobj", "pcomp")
                and not circumstance
                and (
                    dep != "dobj"
                    or (
                        trigger.pos_ == "NOUN"
                        and (tok.i == trigger.i or lemma(tok) in c.report_nouns)
                    )
                )
            ):
                ctx = _deny_context(ctx, head, lookup, c)
                open_clause = False
                tok = head
                continue
            if hl in c.reporting and dep == "xcomp":
                # "X was reported to have met Y" / "X claimed to have met Y"
                subj = _children(head, "nsubj")
                if ctx.source is None:
                    ctx = replace(
                        ctx,
                        source=resolve_source(subj[0], lookup, c, head)
                        if subj
                        else Source(UNNAMED_SOURCE, report=True),
                    )
                ctx = _refuted(ctx, head, c)
            if (open_clause and dep != "nsubj") or (
                open_clause and dep == "nsubj" and trigger.pos_ == "NOUN"
            ):
                hmod, hneg = _modal_aux(head, c)
                if (hl in c.negating_verbs or hk in c.negating_verbs) and dep != "nsubj":
                    # "refused to meet", "withdrew its support", "the meeting was cancelled";
                    # not "the talks ended" (they took place)
                    negative = not negative
                if (
                    hl in c.planned or hk in c.planned
                    if dep != "dobj"
                    else hl in c.planned_objects or hk in c.planned_objects
                ) and modality == "actual":
                    modality = "planned"
                if hmod and modality == "actual":
                    modality = hmod
                    if hmod == "hypothetical" and _has_if_clause(head, c):
                        modality = "hypothetical"
                if (
                    dep == "xcomp"
                    and hl in c.arrangement
                    and modality == "actual"
                    and has_infinitive_mark(tok, c)
                ):
                    modality = "planned"  # "is to visit", "was to meet"
                if dep == "xcomp" and hl in c.readiness and modality == "actual":
                    modality = "hypothetical"  # "was ready to meet X": willing, not done
                if (
                    dep == "prep"
                    and f"{hl} {tok.lower_}" in c.words("request_phrases")
                    and modality == "actual"
                ):
                    modality = "hypothetical"  # "called for talks with X": proposed
                if dep == "xcomp" and _has_adverb(head, c.words("pending_adverbs")):
                    negative = not negative  # "has yet to meet X", "is yet to visit X"
                if hneg:
                    negative = not negative
        elif (dep == "acl" or (dep == "relcl" and content_relcl(tok, c))) and head.pos_ in (
            "NOUN",
            "PROPN",
        ):
            if lemma(head) in c.report_nouns:
                ctx = _report_noun_parent(head, ctx, lookup, c)
                open_clause = False
            elif open_clause and lemma(head) in c.planned_nouns:
                if modality == "actual":
                    modality = "planned"
                if any(ch.dep_ == "det" and ch.lower_ in c.negation for ch in head.children):
                    negative = not negative
            else:
                open_clause = False
        elif dep == "acomp" and open_clause and tok.pos_ == "ADJ":
            # "is not aware of any plans for a call": the copula's negation applies
            _, hneg = _modal_aux(head, c)
            if hneg:
                negative = not negative
            open_clause = False
        elif dep == "conj":
            if open_clause:
                hmod, _ = _modal_aux(head, c)
                if hmod and modality == "actual":
                    modality = hmod
        elif dep == "advcl":
            marks = set(_child_words(tok, "mark"))
            if open_clause and not marks.isdisjoint(c.words("conditional_marks")):
                modality = "hypothetical"
            elif open_clause and has_infinitive_mark(tok, c):
                # purpose: "will travel to Lisbon to meet X", "flew to Kyiv to meet X"
                if modality == "actual":
                    modality = "planned"
                hmod, hneg = _modal_aux(head, c)
                if hneg:
                    negative = not negative
            open_clause = False
        else:
            open_clause = False
        tok = head
    if not ctx.denied and not question:
        ctx = _trailing_denial(ctx, trigger, lookup, c)
    if ctx.source is None:
        # "A spoke to B ... and described the talks as useful, according to X": a source
        # attached to a coordinated main verb covers the whole sentence.
        root = sentence_root(trigger)
        for verb in (root, *(ch for ch in root.children if ch.dep_ == "conj")):
            ctx = _according_to(ctx, verb, lookup, c)
    if (
        modality == "hypothetical"
        and ctx.source is not None
        and not _conditional_in_sentence(trigger, c)
        and _would_only(trigger, c)
    ):
        modality = "planned"
    return replace(ctx, negative=negative, modality=modality, question=question)


def _future_dated(trigger: Token, c: Compiled) -> bool:
    """ "leaves for Tokyo tomorrow", "next week's visit", "the coming talks": a time word of
    the future on a present-tense verb or an event noun places the event after the article.
    A past verb ("met him the next day") is a narrative, not a plan."""
    verb = trigger
    if trigger.pos_ in ("NOUN", "PROPN"):
        if any(_names_future(ch, c) for ch in trigger.children if ch.dep_ != "prep"):
            return True
        head = trigger.head
        if (
            trigger.dep_ == "nsubj"
            and lemma(head) in c.arrangement
            and head.tag_ in ("VBZ", "VBP")
            and not any(ch.dep_ in ("aux", "auxpass") for ch in head.children)
        ):
            # "X's China trip is part of ...": an event described in the present tense is
            # under way or ahead; it is not reported as done
            return True
        if trigger.dep_ not in ("dobj", "nsubj", "nsubjpass") or trigger.head.i == trigger.i:
            return False
        verb = trigger.head
    if verb.tag_ in ("VBD", "VBN") or any(ch.tag_ == "VBD" for ch in verb.children
                                           if ch.dep_ in ("aux", "auxpass")):
        return False
    times = [ch for ch in verb.children if ch.dep_ in ("npadvmod", "advmod", "tmod")]
    if any(_names_future(ch, c) for ch in times):
        return True
    if verb.tag_ in ("VBZ", "VBP") and any(
        prep.dep_ == "prep" and any(_WEEKDAY.match(o.text) for o in prep.children)
        for prep in (*verb.children, *trigger.children)
    ) and not any(ch.dep_ in ("aux", "auxpass") for ch in verb.children):
        # "Lind begins a state visit on Tuesday": the present tense of a weekday is a schedule
        return True
    # "King Anton visits Marovia this week": a present-tense verb with the current period is
    # a schedule (a headline announces it), not a report of a visit that took place
    return verb is trigger and any(
        t.lower_ in c.current_time for ch in times for t in ch.subtree
    )


def _names_future(tok: Token, c: Compiled) -> bool:
    return any(t.lower_ in c.future_time for t in tok.subtree)


def _headline_infinitive(trigger: Token, c: Compiled) -> bool:
    """Headline-ese "Holt to meet Varga", "Kolar to hold talks with Braun": an infinitive with
    its own subject and no finite verb above it announces a plan."""
    verb: Token | None = trigger
    for _ in range(3):
        if verb is None or verb.pos_ in ("VERB", "AUX"):
            break
        verb = verb.head if verb.head.i != verb.i else None
    if verb is None or verb.tag_ != "VB":
        return False
    if not has_infinitive_mark(verb, c):
        return False
    if verb.dep_ == "ROOT":
        return any(ch.dep_ in ("nsubj", "nsubjpass") for ch in verb.children)
    head = verb.head
    # "Holt to visit Lisbon as ..." parsed as a clause on the name: the name right before
    # "to", heading the sentence or its subject.
    return (
        verb.dep_ in ("relcl", "acl")
        and (head.pos_ == "PROPN" or (head.pos_ == "NOUN" and head.text[:1].isupper()))
        and head.dep_ in ("ROOT", "nsubj", "nsubjpass")
        and verb.i - head.i == 2
    )


def content_relcl(verb: Token, c: Compiled) -> bool:
    """A "relative clause" under a report noun that is really its content ("a report that X had
    phoned Y" misparsed): the relativizer fills no argument slot, or there is none and the
    clause has its own subject and object."""
    rel = [
        ch for ch in verb.children
        if ch.tag_ in ("WDT", "WP") or ch.lower_ in c.words("relativizers")
    ]
    if rel:
        return all(r.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj") for r in rel)
    return bool(_children(verb, "nsubj", "nsubjpass")) and bool(_children(verb, "dobj", "xcomp"))


def _conditional_in_sentence(tok: Token, c: Compiled) -> bool:
    marks = c.words("conditional_marks")
    cols = columns(tok.doc)
    lowers, deps = cols.lowers, cols.deps
    start, end = sentence_of(tok)
    return any(lowers[i] in marks and deps[i] == "mark" for i in range(start, end))


def _would_only(tok: Token, c: Compiled) -> bool:
    """'X said she would meet Y' is a future in the past (planned), not a hypothetical."""
    chain = [tok, *tok.ancestors]
    auxes = {ch.lower_ for t in chain[:3] for ch in t.children if ch.dep_ == "aux"}
    future_in_past = c.words("future_in_past_auxiliaries")
    return not auxes.isdisjoint(future_in_past) and auxes.isdisjoint(
        c.hypothetical - future_in_past
    )

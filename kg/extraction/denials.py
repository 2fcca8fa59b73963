"""Denials of any statement: who denied what, and whose claim it was.

Most denials in the news deny a statement, not a relation: "X denied his cabinet was split",
"the spokesman denied the cancellation was linked to the turmoil", "deny collecting votes",
"despite denials by X that ...", "rejected accusations by Y", "said the reports were untrue",
"there was no truth in the report", "pleaded not guilty". Each yields one denial record per
denier with ``claim_text`` (the denied words and their offsets) and as object, following
ANNOTATION.md, the party that made the claim when it is named, else the first other named
party of the denied words, else none. A denial whose words hold a relation already got its
record (pointing at that relation) from the clause context in relations.py: here it only gains
its claim text.

Every word list comes from the lexicon cues (``denial``, ``denial_any_object``,
``claim_nouns``, ``denial_not_objects``, ``denial_nouns``, ``truth_nouns``, ``plea_verbs`` ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from kg import iris
from kg.extraction.context import (
    Compiled,
    Context,
    Lookup,
    Source,
    TokenLookup,
    _children,
    _named_report_source,
    clause_context,
    columns,
    lemma,
    resolve_source,
    sentence_root,
    sentence_words,
    subject_of,
)
from kg.lexicon import Lexicon, denial_type, flagged_types
from kg.model import Entity, Modality, RelationRecord

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "DenialCues",
    "DenialFrame",
    "DenialMemory",
    "add_statement_denials",
    "complete_headline_denials",
    "denial_cues",
    "find_denials",
]

GroupLookup = Callable[["Token"], "tuple[Entity, ...]"]

_CLAUSE_BREAKS = frozenset(["-", "–", "—", ";", ":", "--"])
#: how far back (characters) a bare "the report" / "that quote" looks for who made the claim
_CLAIMANT_REACH = 1500
#: the shortest verb stem an event noun is matched on ("cancel" in "the cancellation")
_STEM_MIN = 4


@dataclass(frozen=True)
class DenialCues:
    """The lexicon cues this module reads, as sets."""

    denial: frozenset[str]
    any_object: frozenset[str]
    claim_nouns: frozenset[str]
    not_objects: frozenset[str]
    nouns: frozenset[str]
    support_verbs: frozenset[str]
    truth_nouns: frozenset[str]
    plea_verbs: frozenset[str]
    guilt_words: frozenset[str]
    innocence_words: frozenset[str]
    claiming_verbs: frozenset[str]
    said_nouns: frozenset[str]
    reporting: frozenset[str]
    fiction: frozenset[str]
    negation: frozenset[str]
    representatives: frozenset[str]
    agent_preps: frozenset[str]
    content_preps: frozenset[str]
    truth_preps: frozenset[str]
    labelling: frozenset[str]
    labelling_preps: frozenset[str]
    accusation_nouns: frozenset[str]
    condition_marks: frozenset[str]
    type_name: str


def _lower(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.lower() for v in values)


_CUES: dict[int, tuple[Lexicon, DenialCues]] = {}


def denial_cues(lexicon: Lexicon) -> DenialCues:
    """The denial cues of ``lexicon`` (built once per Lexicon object)."""
    return _cues_for(lexicon)


def _cues_for(lexicon: Lexicon) -> DenialCues:
    """The cues of ``lexicon``, built once per Lexicon object (it is immutable)."""
    hit = _CUES.get(id(lexicon))
    if hit is not None and hit[0] is lexicon:
        return hit[1]
    cues = _build_cues(lexicon)
    _CUES[id(lexicon)] = (lexicon, cues)
    return cues


def _build_cues(lexicon: Lexicon) -> DenialCues:
    cue = lexicon.cue
    denial = _lower(cue("denial"))
    # the relation type of denials: the one found only from the clause it governs
    type_name = denial_type(lexicon.types) or ""
    verbs = _lower(lexicon.types[type_name].verbs) if type_name in lexicon.types else frozenset()
    nouns = _lower(lexicon.types[type_name].nouns) if type_name in lexicon.types else frozenset()
    return DenialCues(
        denial=denial | verbs,
        any_object=_lower(cue("denial_any_object")),
        claim_nouns=(
            _lower(cue("claim_nouns")) | _lower(cue("report_nouns")) | _lower(cue("state_nouns"))
        ),
        said_nouns=_lower(cue("claim_nouns")) | _lower(cue("report_nouns")),
        not_objects=_lower(cue("denial_not_objects")),
        nouns=_lower(cue("denial_nouns")) | nouns,
        support_verbs=_lower(cue("denial_support_verbs")),
        truth_nouns=_lower(cue("truth_nouns")),
        plea_verbs=_lower(cue("plea_verbs")),
        guilt_words=_lower(cue("guilt_words")),
        innocence_words=_lower(cue("innocence_words")),
        claiming_verbs=_lower(cue("claiming_verbs")),
        reporting=_lower(cue("reporting")),
        fiction=_lower(cue("fiction_words")),
        negation=_lower(cue("negation")),
        representatives=_lower(cue("representative_nouns")),
        agent_preps=_lower(cue("denial_agent_preps")),
        content_preps=_lower(cue("denial_content_preps")),
        truth_preps=_lower(cue("truth_preps")),
        labelling=_lower(cue("labelling_verbs")),
        labelling_preps=_lower(cue("labelling_preps")),
        # an accusation noun: the listed ones and the nouns of the accusing types
        accusation_nouns=_lower(cue("accusation_nouns")) | _lower(
            n for t in flagged_types(lexicon.types, "speech_act") for n in lexicon.types[t].nouns
        ),
        condition_marks=_lower(cue("condition_marks")),
        type_name=type_name,
    )


@dataclass
class DenialMemory:
    """What earlier sentences of the article said that a later denial refers back to.

    ``claimants``: (article offset, entity) of each named maker of a claim ("The Times
    reported", "Mr Peston's book claimed"), for a bare "the report" / "that quote" denied later.
    ``speakers``: the owner last named for a speaker noun ("a Treasury spokesman"), for a later
    "the spokesman denied ...".
    """

    claimants: list[tuple[int, Entity]] = field(default_factory=list)
    speakers: dict[str, Entity] = field(default_factory=dict)
    #: (article offset, verb lemma, subject, first named object) of each act told with a named
    #: subject ("Baker has cancelled a trip"), for a later "the cancellation" in a denied claim
    acts: list[tuple[int, str, Entity, Entity | None]] = field(default_factory=list)
    #: the previous sentence: (its segment offset, the entities it names in order)
    previous: tuple[int, tuple[Entity, ...]] = (-1, ())
    #: every entity the article named so far, in order of first mention
    named: dict[str, Entity] = field(default_factory=dict)
    #: the segment offset of the sentence being read (set by :func:`find_denials`)
    segment: int = -1
    #: the genders ("Masc", "Fem") of the pronouns the entity stage resolved to each entity
    genders: dict[str, set[str]] = field(default_factory=dict)
    #: the organisation named in a person's title ("MITI Deputy Director General X" -> MITI)
    bodies: dict[str, Entity] = field(default_factory=dict)
    #: the lexicon's denial cues (set by :func:`find_denials`)
    cues: DenialCues | None = None


@dataclass(frozen=True)
class DenialFrame:
    """One denial found in a sentence: deniers, the denied words, whose claim it was."""

    trigger: Token
    deniers: tuple[Entity, ...]
    #: token indices [first, last] (inclusive) of the denied words in the sentence's doc
    claim: tuple[int, int]
    claimant: Entity | None
    ctx: Context


def _definite(det: Token) -> bool:
    """ "the", "this", "that" (morphology, not a word list)."""
    return "Def" in det.morph.get("Definite", []) or "Dem" in det.morph.get("PronType", [])


def _thing_pronoun(tok: Token) -> bool:
    """ "it", "this", "that", "they": a pronoun that can stand for a claim or a thing."""
    morph = tok.morph
    return (
        "Dem" in morph.get("PronType", [])
        or "Neut" in morph.get("Gender", [])
        or ("Plur" in morph.get("Number", []) and "3" in morph.get("Person", []))
    )


def _negated(tok: Token, d: DenialCues) -> bool:
    return any(
        ch.dep_ == "neg" or (ch.dep_ in ("advmod", "det") and ch.lower_ in d.negation)
        for ch in tok.children
    )


# ---- deniers --------------------------------------------------------------------------------


def _party_entities(
    tok: Token, lookup: Lookup, group: GroupLookup | None, c: Compiled, memory: DenialMemory,
    verb: Token | None,
) -> list[Entity]:
    """The entities a denier phrase stands for: names, coordinations, "the two men", a
    spokesman for X ("the spokesman" -> whom the article last said a spokesman spoke for),
    officials of X."""
    out: list[Entity] = []
    for t in [tok, *tok.conjuncts]:
        ent = lookup(t)
        if ent is None and group is not None:
            members = group(t)
            if len(members) >= 2:
                out.extend(members)
                continue
        if ent is None:
            ent = resolve_source(t, lookup, c, verb).entity
        if ent is None and t.pos_ == "NOUN" and lemma(t) in c.representatives:
            for ch in t.children:
                if ch.dep_ in ("compound", "poss", "amod") and ch.i < t.i:
                    owner = lookup(ch) or _named_by_head(ch, memory)
                    if owner is not None and owner.type != "Person":
                        ent = owner
                        break
        if ent is None and t.pos_ == "NOUN":
            ent = _same_words(t, lookup)
        if ent is None and verb is not None and t.dep_ == "nsubj":
            ent = _previous_person(t, memory)
        if (
            ent is None
            and t.pos_ == "NOUN"
            and any(ch.dep_ == "det" and _definite(ch) for ch in t.children)
        ):
            ent = memory.speakers.get(lemma(t))
        if ent is not None and all(ent.id != o.id for o in out):
            out.append(ent)
    return out


def _named_by_head(tok: Token, memory: DenialMemory) -> Entity | None:
    """ "Government officials" after "The U.K. Government hopes ...": a bare common noun that is
    the last word of exactly one organisation the article named before stands for it."""
    if tok.pos_ != "NOUN":
        return None
    word = iris.normalise_name(tok.text)
    found = [
        e
        for e in memory.named.values()
        if e.type == "Organization"
        and any(
            len(n.split()) > 1 and iris.normalise_name(n).split()[-1] == word
            for n in (e.label, *e.aliases)
        )
    ]
    return found[0] if len(found) == 1 else None


def _own_side(ent: Entity, deniers: Sequence[Entity]) -> bool:
    """Whether ``ent`` is a denier's own side by name: "Britain" (alias "U.K.") for the denier
    "U.K. Government", whose name is that name and one word more."""
    names = {iris.normalise_name(n) for n in (ent.label, *ent.aliases)}
    for d in deniers:
        words = iris.normalise_name(d.label).split()
        if len(words) > 1 and " ".join(words[:-1]) in names:
            return True
    return False


def _previous_person(pron: Token, memory: DenialMemory) -> Entity | None:
    """ "The film showed the tensions between Mr Kilroy-Silk and his colleagues. He denied
    ...": a "he" / "she" subject the entity stage left open is the one person the sentence
    just before, in the same paragraph, named (none when it named several)."""
    gender = pron.morph.get("Gender", [])
    if pron.pos_ != "PRON" or not ("Masc" in gender or "Fem" in gender):
        return None
    seg, named = memory.previous
    if seg != memory.segment:
        return None
    persons = [e for e in named if e.type == "Person"]
    if len(persons) != 1 or memory.genders.get(persons[0].id, set()) != set(gender):
        return None  # the gender must be known from an earlier pronoun, and agree
    return persons[0]


def _same_words(tok: Token, lookup: Lookup) -> Entity | None:
    """ "the Seltrian government" left unresolved where the parse differs: the entity the same
    words name elsewhere in the sentence."""
    words = [
        t for t in tok.subtree
        if t.i <= tok.i and (t.i == tok.i or (t.dep_ in ("amod", "compound") and t.head.i == tok.i))
    ]  # fmt: skip
    if len(words) < 2:
        return None
    phrase = iris.normalise_name(" ".join(t.text for t in words))
    for t in tok.sent:
        ent = lookup(t)
        names = () if ent is None else (ent.label, *ent.aliases)
        if ent is not None and phrase in {iris.normalise_name(n) for n in names}:
            return ent
    return None


# ---- the denied words -------------------------------------------------------------------------


def _span(tokens: Iterable[Token]) -> tuple[int, int] | None:
    idx = sorted(t.i for t in tokens)
    if not idx:
        return None
    return idx[0], idx[-1]


def _trim(doc_tokens: Sequence[Token], first: int, last: int, sent: Span) -> tuple[int, int] | None:
    """Drop a leading "that", stop at a dash or semicolon, drop trailing punctuation."""
    doc = sent.doc
    while first <= last and doc[first].dep_ == "mark":
        first += 1
    for i in range(first, last + 1):
        # a dash between words ("rock-bottom") is no break
        if doc[i].text in _CLAUSE_BREAKS and (i == 0 or doc[i - 1].whitespace_):
            last = i - 1
            break
    while last >= first and (doc[last].is_punct or doc[last].pos_ == "CCONJ"):
        if doc[last].is_quote and any(doc[i].is_quote for i in range(first, last)):
            break  # the closing quote of a quote inside the claim stays
        last -= 1
    while first <= last and doc[first].is_punct and doc[first].text not in ('"', "'", "“", "‘"):
        first += 1
    if first > last:
        return None
    return first, last


def _fiction_word(tok: Token, d: DenialCues) -> bool:
    """ "nonsense", "false", "a lie" (a noun or adjective: "she had lied" labels nothing)."""
    return tok.pos_ in ("NOUN", "ADJ", "PROPN") and (
        tok.lower_ in d.fiction or lemma(tok) in d.fiction
    )


def _label_tokens(noun: Token, d: DenialCues) -> set[int]:
    """What the denier says of the claim, or when, not the claim: "dismissed the story as
    nonsense", "called reports ... pure fiction", "denied the report on Tuesday"."""
    out: set[int] = set()
    for ch in noun.children:
        sub = list(ch.subtree)
        if (
            (ch.dep_ == "prep" and ch.lower_ in d.labelling_preps)
            or _fiction_word(ch, d)
            or (ch.dep_ == "prep" and any(t.ent_type_ in ("DATE", "TIME") for t in sub))
            or (ch.dep_ in ("prep", "amod", "appos") and any(_fiction_word(t, d) for t in sub))
        ):
            out.update(t.i for t in sub)
    return out


def _verb_claim(verb: Token, d: DenialCues) -> tuple[list[Token], Token | None] | None:
    """The denied words under a denial verb and the claim noun among them (if any)."""
    objs = _children(verb, "dobj")
    comps = _children(verb, "ccomp", "xcomp")
    if _children(verb, "dative") or _children(verb, "nsubjpass", "auxpass"):
        return None  # "denied him a visa", "was denied entry": a refusal
    if len(objs) > 1:
        return None
    lem = lemma(verb)
    if objs:
        ob = objs[0]
        if ob.tag_ in ("WDT", "WP"):
            return None
        if lemma(ob) in d.not_objects or ob.lower_ in d.not_objects:
            return None
        label = _label_tokens(ob, d)
        tokens = [t for t in ob.subtree if t.i not in label]
        # "denied the ban had led to ...": the object is the subject of a clause the parser
        # hung off the verb beside it
        for comp in _children(verb, "ccomp", "advcl"):
            if comp.i > ob.i and not _children(comp, "nsubj", "nsubjpass", "mark"):
                tokens += list(comp.subtree)
        claim_noun = ob if lemma(ob) in d.claim_nouns or ob.lower_ in d.claim_nouns else None
        if claim_noun is None and lem not in d.any_object:
            return None
        if ob.pos_ == "PRON" and not _thing_pronoun(ob):
            return None  # "denied him": not a statement
        return tokens, claim_noun
    if comps:
        comp = comps[0]
        if comp.dep_ == "xcomp" and comp.pos_ not in ("VERB", "AUX"):
            return None
        if lem not in d.any_object and comp.dep_ == "xcomp":
            return None  # "rejected to ..." is no denial of a statement
        return list(comp.subtree), None
    return None


# ---- finding denials ----------------------------------------------------------------------------


def find_denials(
    sent: Span,
    lookup: Lookup,
    c: Compiled,
    lexicon: Lexicon,
    memory: DenialMemory,
    group: GroupLookup | None = None,
    offset: int = 0,
) -> list[DenialFrame]:
    """Every denial of a statement in one sentence (``offset``: the sentence's article offset
    minus its offset in its doc, to place remembered claimants)."""
    d = _cues_for(lexicon)
    memory.cues = d
    memory.segment = offset
    frames: list[DenialFrame] = []
    words = sentence_words(sent)
    if (
        words.lemmas.isdisjoint(_trigger_lemmas(d))
        and words.lowers.isdisjoint(d.nouns)
        and not any(_headline_word_cached(low, d) for low in words.lowers)
    ):
        return frames  # none of the words a denial of a statement starts from
    triggers = _trigger_lemmas(d)
    doc = sent.doc
    cols = columns(doc)
    lemmas, lowers, tags = cols.lemmas, cols.lowers, cols.pos
    for i in range(sent.start, sent.end):
        lem = lemmas[i]
        if lem not in triggers and lowers[i] not in d.nouns and not (
            tags[i] in ("NOUN", "PROPN") and _headline_word_cached(lowers[i], d)
        ):
            continue  # no test below can pass: no token to make
        tok = doc[i]
        frame: DenialFrame | None = None
        if lem in d.denial and tok.pos_ in ("VERB", "AUX"):
            frame = _verb_denial(tok, sent, lookup, c, d, memory, group, offset)
        elif tok.pos_ in ("NOUN", "PROPN") and (lem in d.nouns or tok.lower_ in d.nouns):
            frame = _noun_denial(tok, sent, lookup, c, d, memory, group, offset)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.dep_ == "ROOT" and _headline_verb(tok, d):
            frame = _headline_denial(tok, sent, lookup, c, d, memory, group, offset)
        elif (
            tok.pos_ == "NOUN"
            and tok.dep_ in ("acl", "relcl", "appos")
            and lemma(tok.head) in d.claim_nouns
            and _headline_verb(tok, d)
        ):
            # "an allegation the government rejects" with "rejects" taken for a noun
            frame = _summing_denial(tok, sent, lookup, c, memory, group, offset)
        elif lem in d.truth_nouns:
            frame = _no_truth(tok, sent, lookup, c, d, memory, group, offset)
        elif lem in d.plea_verbs:
            frame = _plea(tok, sent, lookup, c, d, memory, group, offset)
        elif lem in d.reporting or lem in d.labelling:
            frame = _fiction_denial(tok, sent, lookup, c, d, memory, group, offset)
        if frame is not None:
            frames.append(frame)
    return frames


_TRIGGERS: dict[int, tuple[DenialCues, frozenset[str]]] = {}
#: _headline_word by (id of the cues, word), with the cues kept to check identity
_HEADLINE_WORDS: dict[tuple[int, str], tuple[DenialCues, bool]] = {}


def _trigger_lemmas(d: DenialCues) -> frozenset[str]:
    """Every lemma :func:`find_denials` starts from (a headline verb taken for a noun aside)."""
    hit = _TRIGGERS.get(id(d))
    if hit is None or hit[0] is not d:
        words = d.denial | d.nouns | d.truth_nouns | d.plea_verbs | d.reporting | d.labelling
        hit = _TRIGGERS[id(d)] = (d, words)
    return hit[1]


def _headline_verb(tok: Token, d: DenialCues) -> bool:
    """ "Falconer rebuts 'charade' claims": a headline verb the tagger took for a noun."""
    return _headline_word(tok.lower_, d)


def _headline_word_cached(low: str, d: DenialCues) -> bool:
    hit = _HEADLINE_WORDS.get((id(d), low))
    if hit is not None and hit[0] is d:
        return hit[1]
    if len(_HEADLINE_WORDS) >= 1 << 18:
        _HEADLINE_WORDS.clear()
    found = _headline_word(low, d)
    _HEADLINE_WORDS[(id(d), low)] = (d, found)
    return found


def _headline_word(low: str, d: DenialCues) -> bool:
    """:func:`_headline_verb` of a lowercase word."""
    for stem in (low[:-1], low[:-2], low[:-3] + "y" if low.endswith("ies") else ""):
        if stem and stem in d.denial and low.endswith("s"):
            return True
    return False


def _make(
    trigger: Token,
    deniers: list[Entity],
    tokens: list[Token],
    claim_noun: Token | None,
    sent: Span,
    lookup: Lookup,
    c: Compiled,
    memory: DenialMemory,
    offset: int,
    ctx: Context | None = None,
) -> DenialFrame | None:
    if not deniers:
        return None
    span = _span(t for t in tokens if t.i != trigger.i)
    if span is None:
        return None
    trimmed = _trim(list(sent), span[0], span[1], sent)
    if trimmed is None:
        return None
    if ctx is None:
        ctx = clause_context(trigger, lookup, c)
        if _reported_conj_speaker(trigger, c) is not None:
            ctx = replace(ctx, source=None)
        elif ctx.source is not None and ctx.source.entity is None:
            ctx = replace(ctx, source=_relative_speaker(trigger, lookup, c, ctx.source))
    if ctx.negative or ctx.question:
        return None  # "did not deny", "refused to deny", "whether he would deny"
    if trigger.tag_ in ("VBD", "VBZ", "VBP") and not any(
        ch.dep_ == "aux" and ch.tag_ == "MD" for ch in trigger.children
    ):
        ctx = replace(ctx, modality="actual")  # "denied ...": done, whatever governs it
    elif _done_infinitive(trigger, c):
        ctx = replace(ctx, modality="actual")
    assert memory.cues is not None
    claimant = _claimant(
        claim_noun, trimmed, sent, lookup, deniers, memory, offset, trigger, memory.cues, c
    )
    return DenialFrame(trigger, tuple(deniers), trimmed, claimant, ctx)


def _done_infinitive(trigger: Token, c: Compiled) -> bool:
    """ "Officials were at pains to deny ...", "X moved to deny ...": a denial infinitive under a
    past verb that plans nothing was made. Under a planning verb it stays planned ("planned to
    deny", "was to deny": "be" governing the infinitive directly)."""
    if not any(ch.dep_ == "aux" and ch.tag_ == "TO" for ch in trigger.children):
        return False
    cur = trigger
    for _ in range(3):
        head = cur.head
        if head.i == cur.i:
            return False
        if head.pos_ in ("VERB", "AUX"):
            if head.tag_ != "VBD":
                return False
            lem = lemma(head)
            if lem in c.planned or lem in c.hypothetical:
                return lem in c.arrangement and cur.dep_ == "advcl"
            return True
        cur = head
    return False


def _relative_speaker(trigger: Token, lookup: Lookup, c: Compiled, source: Source) -> Source:
    """ "X, who said he would contest the charges": the speaker is the relative pronoun's
    antecedent (subject_of follows it), not "who"."""
    cur = trigger
    for _ in range(6):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        if lemma(cur) in c.reporting:
            subj = _children(cur, "nsubj")
            if subj and subj[0].tag_ in ("WP", "WDT"):
                who = subject_of(cur)
                ent = lookup(who) if who is not None else None
                if ent is not None:
                    return Source(ent.label, ent)
            break
    return source



def _claim_noun_owner(noun: Token, lookup: Lookup, c: Compiled) -> Entity | None:
    """Whose claim a claim noun is: its named source ("the Courier's report", "a report in the
    Courier") or a name compounded before it ("the Peston claims")."""
    named = _named_report_source(noun, lookup, c)
    if named is not None:
        return named
    for ch in noun.children:
        if ch.dep_ == "compound" and ch.i < noun.i:
            owner = lookup(ch)
            if owner is not None:
                return owner
    return None

def _claimant(
    claim_noun: Token | None,
    span: tuple[int, int],
    sent: Span,
    lookup: Lookup,
    deniers: Sequence[Entity],
    memory: DenialMemory,
    offset: int,
    trigger: Token,
    d: DenialCues,
    c: Compiled,
) -> Entity | None:
    """Who made the claim: named with the claim noun ("the Courier's report"), or for a claim
    noun with no content of its own ("the report", "that quote", "the talk of splits") the
    maker of the claim an earlier sentence named; else the first other party of the denied
    words; else none."""
    ids = {e.id for e in deniers}
    if claim_noun is not None:
        named = _claim_noun_owner(claim_noun, lookup, c)
        if named is not None and named.id not in ids:
            return named
        if lemma(claim_noun) in d.said_nouns and not any(
            ch.dep_ in ("acl", "relcl", "ccomp") for ch in claim_noun.children
        ):
            here = offset + trigger.idx
            for pos, ent in reversed(memory.claimants):
                if here - pos > _CLAIMANT_REACH:
                    break
                if ent.id not in ids and pos < here:
                    return ent
    doc = sent.doc
    for i in range(span[0], span[1] + 1):
        tok = doc[i]
        if _in_aside(tok, span):
            continue
        if tok.pos_ == "PRON" and tok.dep_ in ("nsubj", "nsubjpass") and _may_be(tok, deniers):
            continue  # "Syria denied it was implicated": the denier speaking of itself
        found = lookup(tok)
        if found is None and tok.pos_ == "PRON" and _thing_pronoun(tok):
            found = _joined_subject(trigger, lookup)
        if found is not None and found.id not in ids and not _own_side(found, deniers):
            return found
    act = _act_of_event_noun(span, sent, deniers, memory, offset + trigger.idx)
    if act is not None:
        return act
    return _previous_party(span, sent, deniers, memory, offset)


def _in_aside(tok: Token, span: tuple[int, int]) -> bool:
    """Whether ``tok`` lies in a clause of its own introduced by "when" / "where" ("denied
    wanting the job until 2004, when he told a radio show ..."): it tells when or where, not
    whose claim it was."""
    cur = tok
    while span[0] <= cur.i <= span[1] and cur.head.i != cur.i:
        if cur.dep_ in ("advcl", "relcl") and any(
            ch.tag_ == "WRB" and ch.dep_ == "advmod" for ch in cur.children
        ) and any(ch.dep_ in ("nsubj", "nsubjpass") for ch in cur.children):
            return True
        cur = cur.head
    return False


def _act_of_event_noun(
    span: tuple[int, int], sent: Span, deniers: Sequence[Entity], memory: DenialMemory,
    here: int,
) -> Entity | None:
    """ "The spokesman denied the cancellation was linked to ...": a definite noun naming an
    act ("the cancellation", "the visit") refers back to the act an earlier sentence told
    ("Baker has cancelled a trip"), whose doer (or, when the doer is the denier, whose other
    party) is the other party of the denied words. The noun is matched to the verb by its stem
    ("cancel" / "cancellation", "postpone" / "postponement"), the latest act first."""
    ids = {e.id for e in deniers}
    doc = sent.doc
    for i in range(span[0], span[1] + 1):
        tok = doc[i]
        if tok.pos_ != "NOUN" or not any(
            ch.dep_ == "det" and _definite(ch) for ch in tok.children
        ):
            continue
        noun = lemma(tok)
        for pos, verb, doer, obj in reversed(memory.acts):
            if pos >= here or here - pos > _CLAIMANT_REACH:
                continue
            stem = verb[:-1] if verb.endswith("e") else verb
            if len(stem) < _STEM_MIN or not noun.startswith(stem):
                continue
            other = doer if doer.id not in ids else obj
            if other is not None and other.id not in ids:
                return other
            break
        return None  # the first definite noun is what the claim is about
    return None


def _previous_party(
    span: tuple[int, int], sent: Span, deniers: Sequence[Entity], memory: DenialMemory,
    offset: int,
) -> Entity | None:
    """ "Mr Chirac will miss an address from Iyad Allawi. Mr Chirac denied there was any snub":
    denied words that name no party and refer to no earlier act are about what the sentence
    just before (in the same paragraph) told of the denier: its other party is the object."""
    seg, named = memory.previous
    if seg != offset or not named:
        return None
    ids = {e.id for e in deniers}
    if not any(e.id in ids for e in named):
        return None
    doc = sent.doc
    if any(doc[i].pos_ == "PRON" and doc[i].dep_ == "poss" for i in range(span[0], span[1] + 1)):
        return None  # "his forecasts": the claim is about the denier's own things
    return next((e for e in named if e.id not in ids), None)


def _may_be(pron: Token, deniers: Sequence[Entity]) -> bool:
    """Whether a subject pronoun of the denied words can be the denier itself: "he" / "she"
    for a person, "it" / "they" for a country or body."""
    person = "Masc" in pron.morph.get("Gender", []) or "Fem" in pron.morph.get("Gender", [])
    return any((e.type == "Person") == person for e in deniers)


def _joined_subject(trigger: Token, lookup: Lookup) -> Entity | None:
    """ "A's subsidiary had sold chips but [X] denied that it was dumping them": "it" is the
    subject of the clause the denial is joined to."""
    if trigger.dep_ != "conj":
        return None
    subj = subject_of(trigger.head)
    if subj is None:
        return None
    ent = lookup(subj)
    if ent is not None:
        return ent
    for t in subj.subtree:
        if t.dep_ in ("poss", "compound") and t.head.i == subj.i:
            owner = lookup(t)
            if owner is not None:
                return owner
    return None


def _bare(noun: Token) -> bool:
    """ "the report", "that quote", "the claim": definite, with no content or source of its own."""
    if not any(ch.dep_ == "det" and _definite(ch) for ch in noun.children):
        return False
    return not any(ch.dep_ in ("acl", "relcl", "prep", "poss", "compound") for ch in noun.children)


def _reported_conj_speaker(verb: Token, c: Compiled) -> Token | None:
    """ "X said Y had sold chips but denied that ...", "X has said there would be no change and
    rejected ...": a subjectless denial verb the parser joined to the reported clause is the
    speaker's own act, so its subject is the reporting verb's."""
    if verb.dep_ != "conj" or _children(verb, "nsubj", "nsubjpass"):
        return None
    head = verb.head
    if head.dep_ != "ccomp" or lemma(head.head) not in c.reporting:
        return None
    subj = _children(head.head, "nsubj")
    return subj[0] if subj else None


def _verb_denial(
    verb: Token, sent: Span, lookup: Lookup, c: Compiled, d: DenialCues, memory: DenialMemory,
    group: GroupLookup | None, offset: int,
) -> DenialFrame | None:
    subj = _reported_conj_speaker(verb, c) or subject_of(verb)
    # "X, who denied ...", "Europe, which disputes the claim": subject_of gives the antecedent
    deniers = _party_entities(subj, lookup, group, c, memory, verb) if subj is not None else []
    if _children(verb, "auxpass") and not _children(verb, "dobj", "dative"):
        return _passive_denial(verb, sent, lookup, c, d, memory, group, offset)
    if verb.dep_ in ("relcl", "acl") and lemma(verb.head) in d.claim_nouns:
        return _summing_denial(verb, sent, lookup, c, memory, group, offset)
    misparsed = _misparsed_report(verb, sent, lookup, c, d, memory, group, offset, deniers)
    if misparsed is not None:
        return misparsed
    got = _verb_claim(verb, d)
    if got is None:
        return None
    tokens, claim_noun = got
    return _make(verb, deniers, tokens, claim_noun, sent, lookup, c, memory, offset)


def _passive_denial(
    verb: Token, sent: Span, lookup: Lookup, c: Compiled, d: DenialCues, memory: DenialMemory,
    group: GroupLookup | None, offset: int,
) -> DenialFrame | None:
    """ "The report was denied by the ministry", "claims which are denied by X": the agent
    denies the passive subject (or the noun a relative clause hangs on). No agent, no denier
    ("claims which are denied")."""
    deniers: list[Entity] = []
    for ag in _children(verb, "agent"):
        for p in _children(ag, "pobj"):
            deniers += _party_entities(p, lookup, group, c, memory, verb)
    subj = _children(verb, "nsubjpass")
    if not deniers or not subj:
        return None
    noun = verb.head if verb.dep_ == "relcl" and subj[0].tag_ in ("WDT", "WP") else subj[0]
    if noun.pos_ not in ("NOUN", "PROPN") or lemma(noun) in d.not_objects:
        return None
    if lemma(noun) not in d.claim_nouns and lemma(verb) not in d.any_object:
        return None
    skip = _label_tokens(noun, d)
    tokens = [t for t in noun.subtree if t.i not in skip]
    if noun.i != subj[0].i:
        # "the claims, which are denied by X, ...": the noun phrase before its relative clause
        tokens = [t for t in tokens if t.i < verb.left_edge.i]
    claim = noun if lemma(noun) in d.claim_nouns else None
    return _make(verb, deniers, tokens, claim, sent, lookup, c, memory, offset)


def _summing_denial(
    verb: Token, sent: Span, lookup: Lookup, c: Compiled, memory: DenialMemory,
    group: GroupLookup | None, offset: int,
) -> DenialFrame | None:
    """ "X accused Y of ..., an allegation Y rejects": the denial of a claim noun put after the
    clause it sums up denies that clause; whoever made it (the clause's subject) is the
    claimant."""
    noun = verb.head
    if _children(verb, "dobj") and not all(
        o.tag_ in ("WDT", "WP") for o in _children(verb, "dobj")
    ):
        return None
    # the subject; "the government rejects" read as a noun phrase leaves it a compound
    subj_tok = _children(verb, "nsubj") or [
        ch for ch in verb.children if ch.dep_ == "compound" and ch.i < verb.i
    ]
    deniers = _party_entities(subj_tok[0], lookup, group, c, memory, verb) if subj_tok else []
    left = noun.left_edge.i
    tokens = [t for t in sent if t.i < left]
    claimant = _clause_subject(noun, lookup, deniers)
    frame = _make(verb, deniers, tokens, None, sent, lookup, c, memory, offset, ctx=Context())
    return replace(frame, claimant=claimant or frame.claimant) if frame else None


def _misparsed_report(
    verb: Token, sent: Span, lookup: Lookup, c: Compiled, d: DenialCues, memory: DenialMemory,
    group: GroupLookup | None, offset: int, deniers: list[Entity],
) -> DenialFrame | None:
    """ "Howard denied Mr Yeo, his spokesman, said the plans stink", parsed as "[Howard denied
    Mr Yeo] said ...": a named object followed by the reporting verb that governs the denial
    verb; the denied words run from the object to the end of that verb's clause."""
    head = verb.head
    objs = _children(verb, "dobj")
    if (
        verb.dep_ not in ("ccomp", "parataxis")
        or lemma(head) not in d.reporting
        or head.i < verb.i
        or len(objs) != 1
        or lookup(objs[0]) is None
        or lemma(verb) not in d.any_object
    ):
        return None
    tokens = [t for t in sent if t.i >= objs[0].left_edge.i and t.i <= head.right_edge.i]
    return _make(verb, deniers, tokens, None, sent, lookup, c, memory, offset, ctx=Context())


def _clause_subject(noun: Token, lookup: Lookup, deniers: Sequence[Entity]) -> Entity | None:
    """The subject of the clause a summing-up noun is put after ("X accused Y ..., an
    allegation Y rejects" -> X): who made the claim. The noun closes the sentence's main
    clause, so that is the sentence root's subject."""
    root = sentence_root(noun)
    if root.i > noun.i or root.pos_ not in ("VERB", "AUX"):
        return None
    subj = subject_of(root)
    ent = lookup(subj) if subj is not None else None
    if ent is not None and all(ent.id != e.id for e in deniers):
        return ent
    return None


def _noun_denial(
    noun: Token, sent: Span, lookup: Lookup, c: Compiled, d: DenialCues, memory: DenialMemory,
    group: GroupLookup | None, offset: int,
) -> DenialFrame | None:
    """ "despite denials by X that ...", "X's denial of the report", "X issued a denial"."""
    deniers: list[Entity] = []
    for ch in noun.children:
        if ch.dep_ == "poss":
            deniers = _party_entities(ch, lookup, group, c, memory, None) or _our_body(
                ch, lookup, c, memory, group
            )
        elif ch.dep_ in ("prep", "agent") and ch.lower_ in d.agent_preps:
            for p in _children(ch, "pobj"):
                deniers = _party_entities(p, lookup, group, c, memory, None)
    if not deniers and noun.dep_ == "dobj" and lemma(noun.head) in d.support_verbs:
        subj = subject_of(noun.head)
        if subj is not None:
            deniers = _party_entities(subj, lookup, group, c, memory, noun.head)
    if not deniers:
        return None  # "a state of denial"
    tokens: list[Token] = []
    claim_noun: Token | None = None
    for ch in noun.children:
        if ch.dep_ in ("acl", "relcl", "ccomp"):
            tokens += list(ch.subtree)
        elif ch.dep_ == "prep" and ch.lower_ in d.content_preps:
            for p in _children(ch, "pobj", "pcomp"):
                tokens += list(p.subtree)
                if lemma(p) in d.claim_nouns:
                    claim_noun = p
    modality: Modality = "actual"
    if not tokens and noun.head.pos_ in ("VERB", "AUX"):
        # "If X uses this as proof, we will present our rebuttal": the condition is what the
        # rebuttal would deny
        for cl in _children(noun.head, "advcl"):
            if any(m.dep_ == "mark" and m.lower_ in d.condition_marks for m in cl.children):
                tokens = list(cl.subtree)
                modality = "hypothetical"
                break
    if not tokens:
        return None
    # the denial was made whatever the sentence says of it ("X's denial ... did not convince")
    said = clause_context(noun, lookup, c)
    ctx = replace(said, negative=False, modality=modality)
    frame = _make(noun, deniers, tokens, claim_noun, sent, lookup, c, memory, offset, ctx=ctx)
    doubter = _doubter(noun, said, lookup, c, d, memory, group, deniers)
    return replace(frame, claimant=doubter) if frame is not None and doubter else frame


def _our_body(
    pron: Token, lookup: Lookup, c: Compiled, memory: DenialMemory, group: GroupLookup | None
) -> list[Entity]:
    """ "'... we will present our rebuttal,' he said": "we" / "our" in a speaker's words is the
    body the speaker speaks for: the organisation named in the speaker's title."""
    morph = pron.morph
    if "1" not in morph.get("Person", []) or "Plur" not in morph.get("Number", []):
        return []
    out: list[Entity] = []
    for ent in _speaker_of(pron.head.head, lookup, c, memory, group):
        body = ent if ent.type != "Person" else memory.bodies.get(ent.id)
        if body is not None and all(body.id != e.id for e in out):
            out.append(body)
    return out


def _doubter(
    noun: Token, said: Context, lookup: Lookup, c: Compiled, d: DenialCues,
    memory: DenialMemory, group: GroupLookup | None, deniers: Sequence[Entity],
) -> Entity | None:
    """ "Kestland refuses to accept Veridia's denials that ...", "Kestland rejected Veridia's
    denial": the party that will not accept the denial holds the claim denied."""
    gov = noun.head
    if noun.dep_ != "dobj" or gov.pos_ != "VERB":
        return None
    if not (said.negative or lemma(gov) in d.denial):
        return None
    subj = subject_of(gov)
    if subj is None:
        return None
    ids = {e.id for e in deniers}
    found = _party_entities(subj, lookup, group, c, memory, gov)
    return next((e for e in found if e.id not in ids), None)


def _headline_denial(
    tok: Token, sent: Span, lookup: Lookup, c: Compiled, d: DenialCues, memory: DenialMemory,
    group: GroupLookup | None, offset: int,
) -> DenialFrame | None:
    """ "Falconer rebuts 'charade' claims": the name before the verb denies the words after."""
    before = [t for t in sent if t.i < tok.i and not t.is_punct]
    deniers: list[Entity] = []
    for t in before:
        ent = lookup(t)
        if ent is not None and all(ent.id != e.id for e in deniers):
            deniers.append(ent)
    if len(deniers) != 1:
        return None
    after = [t for t in sent if t.i > tok.i]
    nouns = [t for t in after if lemma(t) in d.claim_nouns]
    claim_noun = nouns[0] if nouns else None
    if claim_noun is None and lemma_guess(tok, d) not in d.any_object:
        return None
    return _make(tok, deniers, after, claim_noun, sent, lookup, c, memory, offset, ctx=Context())


def lemma_guess(tok: Token, d: DenialCues) -> str | None:
    low = tok.lower_
    for stem in (low[:-3] + "y" if low.endswith("ies") else "", low[:-1], low[:-2]):
        if stem and stem in d.denial:
            return stem
    return None


def _speaker_of(verb: Token, lookup: Lookup, c: Compiled, memory: DenialMemory,
                group: GroupLookup | None) -> list[Entity]:
    """Who says the words below ``verb`` (a reporting verb): its subject's entities."""
    cur = verb
    for _ in range(4):
        if lemma(cur) in c.reporting:
            subj = subject_of(cur)
            if subj is not None:
                return _party_entities(subj, lookup, group, c, memory, cur)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return []


def _no_truth(
    noun: Token, sent: Span, lookup: Lookup, c: Compiled, d: DenialCues, memory: DenialMemory,
    group: GroupLookup | None, offset: int,
) -> DenialFrame | None:
    """ "there was not one iota of truth in the report", "no basis for the claims"."""
    head = noun.head
    negated = _negated(noun, d) or (noun.dep_ in ("attr", "dobj", "nsubj") and _negated(head, d))
    # "one iota of truth": the negation sits on "iota", the phrase on the copula
    holder = noun
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("NOUN", "NUM"):
        holder = head.head
        negated = negated or _negated(holder, d) or _negated(holder.head, d)
    if not negated:
        return None
    targets: list[Token] = []
    for anchor in (noun, holder, holder.head):
        for ch in anchor.children:
            if ch.dep_ == "prep" and ch.lower_ in d.truth_preps:
                targets += _children(ch, "pobj")
    if not targets:
        return None
    target = targets[0]
    verb = holder.head if holder.head.pos_ in ("VERB", "AUX") else noun.head
    deniers = _speaker_of(verb, lookup, c, memory, group)
    claim_noun = target if lemma(target) in d.claim_nouns else None
    return _make(
        verb, deniers, list(target.subtree), claim_noun, sent, lookup, c, memory, offset,
        ctx=Context(),
    )


def _plea(
    verb: Token, sent: Span, lookup: Lookup, c: Compiled, d: DenialCues, memory: DenialMemory,
    group: GroupLookup | None, offset: int,
) -> DenialFrame | None:
    """ "pleaded not guilty to fraud", "pleaded innocent": a denial of the charge."""
    word = next(
        (
            t
            for t in verb.children
            if (t.lower_ in d.guilt_words and _negated(t, d))
            or (t.lower_ in d.guilt_words and any(
                s.lower_ in d.negation and s.i == t.i - 1 for s in sent))
            or t.lower_ in d.innocence_words
        ),
        None,
    )
    if word is None:
        return None
    subj = subject_of(verb)
    deniers = _party_entities(subj, lookup, group, c, memory, verb) if subj is not None else []
    tokens: list[Token] = []
    for anchor in (word, verb):
        for ch in anchor.children:
            if ch.dep_ == "prep" and ch.i > word.i:
                tokens += list(ch.subtree)
    if not tokens:
        tokens = [word, *word.subtree]
    frame = _make(verb, deniers, tokens, None, sent, lookup, c, memory, offset)
    if frame is not None and tokens and tokens[0].dep_ == "prep":
        first, last = frame.claim
        if first == tokens[0].i and first < last:
            frame = replace(frame, claim=(first + 1, last))
    return frame


def _fiction_denial(
    verb: Token, sent: Span, lookup: Lookup, c: Compiled, d: DenialCues, memory: DenialMemory,
    group: GroupLookup | None, offset: int,
) -> DenialFrame | None:
    """ "said the reports were untrue", "called the story false": a claim noun labelled with a
    fiction word by the speaker."""
    claim: Token | None = None
    if lemma(verb) in d.labelling:
        objs = [o for o in _children(verb, "dobj") if lemma(o) in d.claim_nouns]
        for label in _children(verb, "oprd", "xcomp", "ccomp"):
            if label.lower_ in d.fiction or lemma(label) in d.fiction:
                # "called the story false" parsed with "story" under "false"
                objs += [
                    o
                    for o in label.children
                    if o.dep_ in ("compound", "nmod", "nsubj") and lemma(o) in d.claim_nouns
                ]
                if objs:
                    claim = objs[0]
        if claim is None and objs and any(
            t.lower_ in d.fiction or lemma(t) in d.fiction
            for t in verb.subtree
            if t.i > objs[0].i and t.head.i != objs[0].i
        ):
            claim = objs[0]
        speaker = _reported_conj_speaker(verb, c) or subject_of(verb)
        deniers = (
            _party_entities(speaker, lookup, group, c, memory, verb) if speaker is not None else []
        )
    else:
        deniers = []
        for comp in _children(verb, "ccomp"):
            subj = _children(comp, "nsubj", "nsubjpass")
            if not subj or lemma(subj[0]) not in d.claim_nouns:
                continue
            if any(
                ch.dep_ in ("attr", "acomp") and (ch.lower_ in d.fiction or lemma(ch) in d.fiction
                or any(g.dep_ == "amod" and g.lower_ in d.fiction for g in ch.children))
                for ch in comp.children
            ) and not _negated(comp, d):
                claim = subj[0]
                speaker = subject_of(verb)
                deniers = (
                    _party_entities(speaker, lookup, group, c, memory, verb)
                    if speaker is not None
                    else []
                )
                break
    if claim is None:
        return None
    labelled = _label_tokens(claim, d)

    def is_fiction(t: Token) -> bool:
        return _fiction_word(t, d)

    # the label may hang deep inside ("reports that X had met Y 'pure fiction'" misparsed)
    tokens = [
        t
        for t in claim.subtree
        if t.i not in labelled
        and not is_fiction(t)
        and not (is_fiction(t.head) and t.dep_ in ("amod", "det", "punct", "advmod"))
    ]
    return _make(verb, deniers, tokens, claim, sent, lookup, c, memory, offset)


# ---- memory -----------------------------------------------------------------------------------


def remember(
    sent: Span, lookup: Lookup, c: Compiled, lexicon: Lexicon, memory: DenialMemory, offset: int
) -> None:
    """Note the named makers of claims and the owners of speaker nouns in this sentence."""
    d = _cues_for(lexicon)
    seen: list[Entity] = []
    seen_ids: set[str] = set()
    doc = sent.doc
    cols = columns(doc)
    lemmas, tags = cols.lemmas, cols.pos
    at = lookup.at if isinstance(lookup, TokenLookup) else None
    # one pass: what is noted for a token reads no memory, so the order of the notes is kept
    for i in range(sent.start, sent.end):
        pos = tags[i]
        lem = lemmas[i]
        if at is not None:
            ent = at(i)
            if ent is None and pos != "VERB" and not (
                pos == "NOUN" and (lem in d.claim_nouns or lem in c.speaker_nouns)
            ):
                continue  # nothing to note: no token to make
            tok = doc[i]
        else:
            tok = doc[i]
            ent = lookup(tok)
        if ent is not None:
            if pos == "PRON":
                memory.genders.setdefault(ent.id, set()).update(tok.morph.get("Gender", []))
            elif ent.id not in seen_ids:
                seen.append(ent)
                seen_ids.add(ent.id)
            if ent.type == "Person" and ent.id not in memory.bodies:
                for t in tok.subtree:
                    body = lookup(t) if t.i < tok.i and t.dep_ in ("nmod", "compound") else None
                    if body is not None and body.type == "Organization":
                        memory.bodies[ent.id] = body
                        break
        if pos == "VERB":
            if len(lem) >= _STEM_MIN:
                doer = subject_of(tok)
                doer_ent = lookup(doer) if doer is not None else None
                if doer_ent is not None:
                    objs = [lookup(o) for o in _children(tok, "dobj")]
                    obj = next((o for o in objs if o is not None), None)
                    memory.acts.append((offset + tok.idx, lem, doer_ent, obj))
            if lem in d.claiming_verbs or lem in d.denial or lem in d.reporting:
                # who claims: "The Times said ...", "X alleged ...", and a denier (a denial is
                # a claim too: "Bush's advisers denied warming is taking place" ... "Europe,
                # which disputes the claim"); a person merely saying something makes no report
                subj = subject_of(tok)
                if subj is not None:
                    src = resolve_source(subj, lookup, c, tok).entity
                    if src is not None and (
                        lem in d.claiming_verbs or lem in d.denial or src.type != "Person"
                    ):
                        memory.claimants.append((offset + tok.idx, src))
        elif pos == "NOUN":
            if lem in d.claim_nouns:
                named = _claim_noun_owner(tok, lookup, c)
                if named is not None:
                    memory.claimants.append((offset + tok.idx, named))
            if ent is None and lem in c.speaker_nouns:
                owner = None
                for ch in tok.children:
                    if ch.dep_ in ("compound", "poss") and ch.i < tok.i:
                        owner = lookup(ch)
                        if owner is not None:
                            break
                src = resolve_source(tok, lookup, c, None).entity if owner is None else owner
                if src is not None and src.type != "Person":
                    memory.speakers[lem] = src
    memory.previous = (offset, tuple(seen))
    for ent in seen:
        memory.named.setdefault(ent.id, ent)


# ---- records ----------------------------------------------------------------------------------


def complete_headline_denials(
    records: Sequence[RelationRecord], headlines: Sequence[tuple[int, int]],
    lead: tuple[int, int] | None, lexicon: Lexicon,
) -> list[RelationRecord]:
    """ "Holt denies split over budget" over "Anna Holt has denied her party was split over the
    budget": a headline sums up the lead paragraph, so a headline denial that found no object
    is the lead's denial by the same denier of the same words (a shared word of the denied
    text) and takes its object."""
    d = _cues_for(lexicon)
    if lead is None:
        return list(records)

    def words(text: str | None) -> set[str]:
        return {w.lower() for w in (text or "").split() if w.isalpha() and len(w) > 3}

    body = [
        r
        for r in records
        if r.type == d.type_name and r.object_id and lead[0] <= r.start < lead[1]
    ]
    out: list[RelationRecord] = []
    for r in records:
        if (
            r.type == d.type_name
            and r.object_id is None
            and any(a <= r.start < b for a, b in headlines)
        ):
            same = [
                b for b in body
                if b.subject_id == r.subject_id and words(b.claim_text) & words(r.claim_text)
            ]  # fmt: skip
            if same:
                r = replace(r, object=same[0].object, object_id=same[0].object_id)
        out.append(r)
    return out



def add_statement_denials(
    frames: Sequence[DenialFrame],
    records: list[RelationRecord],
    *,
    doc_id: str,
    sentence: str,
    start: int,
    end: int,
    offset: int,
    base: str,
    lexicon: Lexicon,
) -> list[RelationRecord]:
    """The sentence's records with each denial frame applied: a denial record of the same
    denier already made from the clause context gains the claim text; any other denier gets a
    new denial record. ``offset`` maps a doc character offset to the article."""
    d = _cues_for(lexicon)
    out = list(records)
    for fr in frames:
        cols = columns(fr.trigger.doc)
        first, last = fr.claim
        a, b = cols.idx[first], cols.idx[last] + len(cols.texts[last])
        c_start = offset + a
        c_end = offset + b
        text = cols.text[a:b]
        # the denial is the article's own report unless someone else reports it
        src = fr.ctx.source
        attributed = None
        attributed_id = None
        ids = {e.id for e in fr.deniers}
        if src is not None and (src.entity is None or src.entity.id not in ids):
            attributed = src.label
            attributed_id = src.entity.id if src.entity is not None else None
        for denier in fr.deniers:
            hits = [
                i for i, r in enumerate(out) if r.type == d.type_name and r.subject_id == denier.id
            ]
            if hits:
                for i in hits:
                    if out[i].claim_text is None:
                        out[i] = replace(
                            out[i], claim_text=text, claim_start=c_start, claim_end=c_end
                        )
                continue
            obj = fr.claimant if fr.claimant is not None and fr.claimant.id != denier.id else None
            rid = iris.relation_iri(
                doc_id,
                d.type_name,
                denier.id,
                obj.id if obj is not None else None,
                start,
                end,
                base,
                qualifier=f"positive|{fr.ctx.modality}|{attributed or ''}|",
                claim=(c_start, c_end) if obj is None else None,
            )
            out.append(
                RelationRecord(
                    id=rid,
                    doc=doc_id,
                    type=d.type_name,
                    subject=denier.label,
                    subject_id=denier.id,
                    object=obj.label if obj is not None else None,
                    object_id=obj.id if obj is not None else None,
                    modality=fr.ctx.modality,
                    attributed_to=attributed,
                    attributed_to_id=attributed_id,
                    sentence=sentence,
                    start=start,
                    end=end,
                    confidence=0.7,
                    claim_text=text,
                    claim_start=c_start,
                    claim_end=c_end,
                )
            )
    return out

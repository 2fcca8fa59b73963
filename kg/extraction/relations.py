"""Claims-aware relation extraction: lexicon triggers over the dependency parse.

For every sentence, a trigger (a verb, noun or phrase of ``ontology/lexicon.yaml``) yields a
relation whose parties come from its arguments (subject, object, "with"/"between" phrases,
possessives, passive agents, coordination) and whose status comes from the clause context
(:mod:`kg.extraction.context`): attributed, denied, negated, planned or hypothetical. A relation is
only ever between two distinct resolved entities; named entities that no trigger governs yield
nothing. When the parse is unclear the extractor prefers no relation, or a non-fact reading.

The sense of *speak*: "spoke by phone / on the phone with X" is a call. A plain "spoke to/with X"
is a call only when the article itself talks about a phone call (a phone word or the noun
*call*); otherwise it gives nothing, since it may be a meeting, a speech or an interview.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import combinations
from typing import TYPE_CHECKING, Protocol

from kg import iris
from kg.extraction.clean import wire_dateline
from kg.extraction.context import (
    Compiled,
    Context,
    Lookup,
    Source,
    _children,
    clause_context,
    compile_lexicon,
    content_relcl,
    doc_words,
    has_infinitive_mark,
    lemma,
    sentence_words,
    subject_of,
)
from kg.extraction.dates import normalise_date, parse_reference
from kg.extraction.denials import (
    DenialMemory,
    _definite,
    add_statement_denials,
    complete_headline_denials,
    denial_cues,
    find_denials,
    remember,
)
from kg.extraction.entities import load_alias_data
from kg.extraction.frames import (
    ROLES,
    FrameName,
    WordSource,
    may_reach,
    slot_paths,
    slot_tokens,
    slots_for,
    source_words,
)
from kg.extraction.patterns import PatternMatch, match_patterns
from kg.lexicon import Lexicon, denial_type, flagged_types, load_lexicon
from kg.model import UNNAMED_SOURCE, Entity, Evidence, RelationRecord

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from kg.extraction.nlp import ParsedArticle

__all__ = ["EntityIndex", "extract_relations", "extract_sentence_relations"]

_DATE_LINKS = ("pobj", "prep", "npadvmod", "nummod", "appos", "compound", "tmod", "punct")
_PLACE_TYPES = ("GeopoliticalEntity", "Location")


class EntityIndex(Protocol):
    """What the extractor needs from the entity stage (kg.extraction.entities.ResolvedEntities).

    ``segment`` is the index of the segment in ``ParsedArticle.segments``, ``token`` the index
    of the token in that segment's doc.
    """

    def entity_at(self, segment: int, token: int) -> Entity | None: ...

    def entities_at(self, segment: int, token: int) -> tuple[Entity, ...]: ...

    def in_text_order(self) -> Iterator[Entity]: ...


#: Maps a token to every entity a group mention covers ("the two leaders").
GroupLookup = Callable[["Token"], "tuple[Entity, ...]"]


@dataclass(frozen=True)
class _Party:
    entity: Entity
    token: Token
    penalty: float = 0.0
    #: the place comes from the wire dateline, not from the sentence's words
    dateline: bool = False


@dataclass(frozen=True)
class _Found:
    """One relation found in a sentence, before it becomes a record."""

    type: str
    subject: _Party
    object: _Party
    trigger: Token
    confidence: float
    place: str | None = None
    place_id: str | None = None


class _Sentence:
    """Per-sentence entity look-ups. Coreference (pronouns, role nouns, "the two leaders",
    "A and B said they ...") is the entity stage's alone: this only asks it."""

    def __init__(
        self,
        sent: Span,
        base_lookup: Lookup,
        history: Sequence[Entity],
        c: Compiled,
        group_lookup: GroupLookup | None = None,
        host: tuple[Entity | None, Entity | None] = (None, None),
    ):
        self.group_lookup = group_lookup
        #: the wire dateline's city and country, when the article names them (see dateline_host)
        self.host = host
        self.sent = sent
        self.base_lookup = base_lookup
        #: entities named before the sentence, for "the neighbouring state" only
        self.history = history
        self.c = c

    def lookup(self, tok: Token) -> Entity | None:
        return self.base_lookup(tok)

    def group(self, tok: Token) -> list[Entity]:
        """ "the two leaders", "both men", "A and B said they ...": the entity stage's group."""
        if self.group_lookup is None:
            return []
        members = self.group_lookup(tok)
        return list(members) if len(members) >= 2 else []


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.conjuncts:
        if c.i not in {o.i for o in out}:
            out.append(c)
    return out


class _Extractor:
    def __init__(self, s: _Sentence, c: Compiled, phone_context: bool):
        self.s = s
        self.c = c
        self.phone_context = phone_context

    # ---- parties -------------------------------------------------------------------------

    def parties(self, tok: Token | None, rtype: str | None = None, depth: int = 0) -> list[_Party]:
        """Entities an argument token stands for (with conjuncts and stand-ins)."""
        if tok is None or depth > 3:
            return []
        out: list[_Party] = []
        for ap in _children(tok, "appos"):
            # "the prime minister X and the president Y": the "and" hangs off X
            for cj in ap.conjuncts:
                if cj.i > ap.i:
                    out.extend(self.parties(cj, rtype, depth + 1))
        for t in _conjuncts(tok):
            ent = self.s.lookup(t)
            if ent is not None:
                pen = 0.1 if t.pos_ == "PRON" else 0.0
                out.extend(self._coordinated_modifiers(t, ent))
                out.append(_Party(ent, t, pen))
                continue
            named = self._described(t)
            if named is not None:
                out.append(named)
                continue
            grp = self.s.group(t)
            if grp:
                out.extend(_Party(e, t, 0.1) for e in grp)
                continue
            if t.pos_ in ("NOUN", "PROPN") and rtype is not None:
                out.extend(self._stand_in(t, rtype, depth))
        return out

    def _described(self, t: Token) -> _Party | None:
        """The entity a common noun is put in apposition with: "the city's mayor, Hanne
        Solheim", "the port of Halden", or that a misparse folded into a fiction complement
        ("had met Dorokhov 'pure fiction'" with Dorokhov under "fiction")."""
        if t.pos_ not in ("NOUN", "PROPN"):
            return None
        low = lemma(t)
        for ch in t.children:
            if ch.dep_ == "appos":
                ent = self.s.lookup(ch)
                if ent is not None:
                    return _Party(ent, ch, 0.05)
        if t.dep_ == "conj":
            # "A and the head of the bank, NAME, met": the parser hangs NAME on A
            for ch in t.head.children:
                between = t.doc[t.right_edge.i + 1 : ch.i]
                ent = self.s.lookup(ch) if ch.dep_ == "appos" and ch.i > t.i else None
                if ent is not None and ent.type == "Person" and all(
                    b.is_punct or b.i >= ch.left_edge.i for b in between
                ):
                    return _Party(ent, ch, 0.1)
        chain = self._prep_objects(t, self.c.words("belonging_preps"))
        for pob in list(chain):
            # "the head of the central bank of Norland, Piet Varga": the "of" phrases nest
            chain += [p for p in self._prep_objects(pob, self.c.words("belonging_preps"))
                      if p not in chain][:2]
        for pob in chain:
            # "the mayor of Oslo, Piet Varga, hosted ...": the name hangs off the place
            owner = self.s.lookup(pob)
            for ch in pob.children:
                ent = self.s.lookup(ch) if ch.dep_ == "appos" else None
                if (
                    ent is not None
                    and ent.type == "Person"
                    and (owner is None or owner.type != "Person")
                ):
                    return _Party(ent, ch, 0.1)
        if low in self.c.place_nouns and any(
            ch.dep_ == "amod" and ch.lower_ in self.c.neighbour_words for ch in t.children
        ):
            return self._neighbour(t)
        if low in self.c.capital_nouns and t.dep_ == "pobj":
            capital = self._capital_before(t)
            if capital is not None:
                return capital
        if low in self.c.place_nouns:
            # "the capital of Norway", "Norway's capital"
            owners = [ch for ch in t.children if ch.dep_ == "poss"]
            for pob in (*self._prep_objects(t, self.c.words("belonging_preps")), *owners):
                ent = self.s.lookup(pob)
                if ent is not None and ent.type in _PLACE_TYPES:
                    return _Party(ent, pob, 0.05)
        if low in self.c.fiction or t.lower_ in self.c.fiction:
            for ch in t.children:
                if ch.dep_ in ("nmod", "compound") and ch.i < t.i:
                    ent = self.s.lookup(ch)
                    if ent is not None:
                        return _Party(ent, ch, 0.1)
        return None

    def _capital_before(self, t: Token) -> _Party | None:
        """ "the city" with no name of its own, no modifier but its article: the capital city
        named last before it in the sentence (entity_aliases.yaml: capitals)."""
        if any(ch.dep_ not in ("det",) for ch in t.children) or not _children(t, "det"):
            return None
        capitals = load_alias_data().capitals
        for x in reversed(self.s.sent[: t.i - self.s.sent.start]):
            ent = self.s.lookup(x)
            if ent is not None and ent.type in _PLACE_TYPES:
                return _Party(ent, t, 0.15) if _fold(ent.label) in capitals else None
        return None

    def _neighbour(self, t: Token) -> _Party | None:
        """ "Moscow's troops invaded the neighbouring state": the one country named before it
        in the sentence (or, failing that, the article) that is not the clause's subject."""
        excluded: set[str] = set()
        subj = subject_of(t.head) if t.dep_ in ("dobj", "pobj") else None
        if subj is not None:
            for x in (subj, *[ch for ch in subj.children if ch.dep_ == "poss"]):
                ent = self.s.lookup(x)
                if ent is not None:
                    excluded.add(ent.id)
        seen: dict[str, Entity] = {}
        for x in self.s.sent:
            if x.i >= t.i:
                break
            ent = self.s.lookup(x)
            if ent is not None and ent.type == "GeopoliticalEntity" and ent.id not in excluded:
                seen[ent.id] = ent
        if len(seen) == 1:
            return _Party(next(iter(seen.values())), t, 0.15)
        if not seen:
            for ent in reversed(self.s.history):
                if ent.type == "GeopoliticalEntity" and ent.id not in excluded:
                    return _Party(ent, t, 0.2)
        return None

    def _coordinated_modifiers(self, t: Token, ent: Entity) -> list[_Party]:
        """ "urged Volkonsky and Kestish Chancellor Margit Ekdahl": the parser hangs the first
        conjunct under the second name as a modifier with its own "and"."""
        out: list[_Party] = []
        for ch in t.children:
            if ch.dep_ not in ("nmod", "compound") or ch.i >= t.i:
                continue
            for m in ch.subtree:
                if m.i < t.i and any(
                    g.dep_ == "cc" and g.lower_ in self.c.words("coordinators")
                    for g in m.children
                ):
                    other = self.s.lookup(m)
                    if other is not None and other.id != ent.id:
                        out.append(_Party(other, m, 0.1))
                        break
        return out

    def _stand_in(self, t: Token, rtype: str, depth: int) -> list[_Party]:
        low = lemma(t)
        listed = low in self.c.stand_in_nouns or t.lower_ in self.c.stand_in_nouns
        if self.c.option(rtype, "stand_in") and (
            listed
            or (
                # a noun, or a name that is no party ("Mr Varga's Regional Water Fund":
                # the entity stage leaves a person's scheme out)
                t.pos_ in ("NOUN", "PROPN")
                and low not in self.c.not_stand_in_nouns
                and t.lower_ not in self.c.not_stand_in_nouns
            )
        ):
            # "praised Lang's courage", "condemned Marovia's manoeuvres": an act or quality
            # of the owner; listed nouns also stand in through "by" ("a plan led by X")
            for ch in t.children:
                if ch.dep_ == "poss":
                    return [
                        replace(p, penalty=p.penalty + 0.1)
                        for p in self.parties(ch, None, depth + 1)
                    ]
            for ch in t.children if listed else ():
                if ch.dep_ == "acl":
                    for ag in ch.children:
                        if ag.dep_ == "agent":
                            for p in ag.children:
                                if p.dep_ == "pobj":
                                    return [
                                        replace(x, penalty=x.penalty + 0.1)
                                        for x in self.parties(p, None, depth + 1)
                                    ]
                if ch.dep_ == "prep" and ch.lower_ in self.c.words("passive_agent_preps"):
                    for p in ch.children:
                        if p.dep_ == "pobj":
                            return [
                                replace(x, penalty=x.penalty + 0.1)
                                for x in self.parties(p, None, depth + 1)
                            ]
            for ch in t.children if listed else ():
                # "backed Russian entry", "the Veridian role": a listed act of the country
                # its nationality adjective names
                if ch.dep_ == "amod" and ch.i < t.i:  # not "the Africa plan" (for Africa)
                    owner = self.s.lookup(ch)
                    if owner is not None:
                        return [_Party(owner, ch, 0.15)]
                if ch.dep_ == "compound" and ch.i < t.i:
                    # "the Ostria role", "the Varga administration" (cue owner_compound_nouns),
                    # "the Green Alliance plans" (an organisation's): the name is the owner
                    owner = self.s.lookup(ch)
                    if owner is not None and (
                        owner.type == "Organization"
                        or low in self.c.owner_compound_nouns
                        or t.lower_ in self.c.owner_compound_nouns
                    ):
                        return [_Party(owner, ch, 0.15)]
        if low in self.c.actor_nouns:
            for ch in t.children:
                if ch.dep_ == "poss":
                    return [
                        replace(p, penalty=p.penalty + 0.1)
                        for p in self.parties(ch, None, depth + 1)
                    ]
        return []

    def _prep_objects(self, tok: Token, wanted: Collection[str]) -> list[Token]:
        out: list[Token] = []
        for ch in tok.children:
            # "paid tribute to X" is often parsed with "to" as a dative
            if ch.dep_ in ("prep", "agent", "dative") and ch.lower_ in wanted:
                out.extend(_children(ch, "pobj"))
        return out

    def _slot_parties(
        self,
        tok: Token,
        rtype: str,
        frame: FrameName,
        only: frozenset[str] | None = None,
        without: frozenset[str] = frozenset(),
        wanted: Collection[str] = ROLES,
    ) -> dict[str, list[_Party]]:
        """The parties of each ``wanted`` role of ``tok``'s frame for ``rtype``
        (ontology/frames.yaml), slot by slot in file order. A policy may aim the slots at
        another head with other words: ``only`` replaces each slot's words, ``without`` removes
        some."""

        def words(src: tuple[WordSource, ...]) -> frozenset[str]:
            base = source_words(self.c, rtype, src) if only is None else only
            return base - without if without else base

        roles: dict[str, list[_Party]] = {r: [] for r in ROLES}
        if not may_reach(frame, tok):
            return roles
        options = self.c.types[rtype].options
        for slot in slots_for(frame):
            if (
                slot.role == "direct_object"
                or slot.role not in wanted
                or (slot.when is not None and not options.get(slot.when))
                or (slot.fallback and roles[slot.role])
            ):
                continue
            for t in slot_tokens(slot, tok, words, self.c.words):
                found = self.parties(t, rtype if slot.stand_ins else None)
                if slot.party_types:
                    found = [p for p in found if p.entity.type in slot.party_types]
                if slot.penalty:
                    found = [replace(p, penalty=p.penalty + slot.penalty) for p in found]
                roles[slot.role].extend(found)
        return roles

    def _slot_paths(self, tok: Token, rtype: str, frame: FrameName) -> list[tuple[Token, ...]]:
        """The chains the slots of ``frame`` match from ``tok`` (slot by slot), for the
        policies that read the tokens between the trigger and the party."""
        if not may_reach(frame, tok):
            return []
        return [
            path
            for slot in slots_for(frame)
            for path in slot_paths(slot, tok, lambda src: source_words(self.c, rtype, src),
                                   self.c.words)
        ]

    def _role_tokens(self, tok: Token, rtype: str, frame: FrameName, role: str) -> list[Token]:
        """The tokens the slots of one role reach (for the policies that judge each token)."""
        return [
            t
            for slot in slots_for(frame)
            if slot.role == role
            for t in slot_tokens(slot, tok, lambda src: source_words(self.c, rtype, src),
                                 self.c.words)
        ]

    # ---- verb triggers -------------------------------------------------------------------

    def verb_relations(self, tok: Token) -> list[_Found]:
        lem = lemma(tok)
        found: list[_Found] = []
        types = list(self.c.verbs.get(lem, ()))
        if tok.pos_ not in ("VERB", "AUX"):
            return self._fallback_verb(tok, types)
        for name, head, rest in self.c.phrases:
            if head == lem and self._phrase_matches(tok, rest):
                found.extend(self._verb_frame(tok, name, conf=0.85, phrase=rest))
        if lem in self.c.modifier_verbs and self._phone_modified(tok):
            found.extend(self._verb_frame(tok, self.c.modifier_verbs[lem], conf=0.85))
        elif (
            lem in self.c.context_verbs
            and self.phone_context
            and self._slot_paths(tok, self.c.context_verbs[lem], "talk")
        ):
            found.extend(self._verb_frame(tok, self.c.context_verbs[lem], conf=0.6))
        if lem in self.c.in_person_verbs and self._in_person(tok):
            # "has not spoken to X in person since May": a meeting, not a call
            in_person = self.c.in_person_verbs[lem]
            agents, _ = self._subjects(tok, in_person)
            others = self._slot_parties(tok, in_person, "talk")["object"]
            return self._pairs(tok, in_person, agents, others, 0.8)
        if lem in self.c.motion_verbs:
            found.extend(self._motion(tok, self.c.motion_verbs[lem]))
        if lem in self.c.departure_verbs:
            found.extend(
                self._motion(tok, self.c.departure_verbs[lem], "departure")
            )
        if lem in self.c.person_verbs:
            # "Ekdahl welcomed Voss", "Voss is welcomed by Ekdahl": a person receiving a person
            found.extend(
                f
                for f in self._verb_frame(tok, self.c.person_verbs[lem], conf=0.7)
                if f.subject.entity.type == "Person"
                and f.object.entity.type == "Person"
                and f.object.token.dep_ in ("dobj", "nsubjpass", "conj")
                and not self._act_noun(f.object.token)
                and f.subject.token.pos_ != "PRON"
            )
        for rtype in types:
            if self.c.modifier_verbs.get(lem, rtype) != rtype and self._phone_modified(tok):
                continue  # "discussed it with X by phone" is the phone type's, not a meeting
            if lem in self.c.option_set(rtype, "phone_sense_verbs") and not self._is_phone_call(
                tok
            ):
                continue  # "called X a liar", "called for calm"
            if self.c.option(rtype, "clause_only"):
                continue  # denials come from the clause context of what they deny
            if lem in self.c.option_set(rtype, "standin_only_verbs"):
                found.extend(self._verb_frame(tok, rtype, conf=0.8, standin_only=True))
                continue
            if self.c.option(rtype, "party_object_only") and self._claim_object(tok):
                continue  # "slammed the reports": a denial of a claim, not of a party
            found.extend(self._verb_frame(tok, rtype, conf=0.9))
        return found

    # ---- argument patterns (ontology/patterns.yaml) -------------------------------------

    def pattern_relations(self, matches: Iterable[PatternMatch]) -> list[_Found]:
        """Relations of DependencyMatcher matches: the trigger's lexicon types (restricted to
        the pattern's), the parties of the subject and object roles."""
        out: list[_Found] = []
        for m in matches:
            p, trig = m.pattern, m.tokens["trigger"]
            table = {"verb": self.c.verbs, "noun": self.c.nouns}.get(p.trigger, self.c.adjectives)
            types = dict.fromkeys((*table.get(lemma(trig), ()), *table.get(trig.lower_, ())))
            if p.yields is not None:
                types = {p.yields: None}
            if p.trigger == "verb" and trig.pos_ not in ("VERB", "AUX"):
                continue
            if any(self._role_parties(m.tokens[r], None) for r in p.not_party):
                continue
            for rtype in types:
                if (p.types and rtype not in p.types) or self.c.option(rtype, "clause_only"):
                    continue
                if (
                    p.trigger == "noun"
                    and lemma(trig) in self.c.option_set(rtype, "phone_sense_nouns")
                    and self._call_for(trig)
                ):
                    continue  # the noun in another sense: "during a call for calm"
                if p.subject == "trigger":
                    agents, _ = self._subjects(trig, rtype)
                else:
                    agents = self._role_parties(m.tokens[p.subject], None)
                objects = self._role_parties(m.tokens[p.object], rtype)
                out.extend(self._pairs(trig, rtype, agents, objects, p.confidence))
        return out

    def _role_parties(self, tok: Token, rtype: str | None) -> list[_Party]:
        """The parties a role token names; a compound modifier names those of its head
        ("Moscow-backed candidate Viktor Lind": the candidate is Lind); a verb names its
        subject, found as for every verb (through relative clauses and misparses)."""
        if tok.pos_ in ("VERB", "AUX"):
            subj = subject_of(tok)
            if subj is None:
                return []
            tok = subj
        for _ in range(4):
            found = self.parties(tok, rtype)
            if found or tok.dep_ != "compound" or tok.head.i == tok.i:
                return found
            tok = tok.head
        return []

    def _in_person(self, tok: Token) -> bool:
        return any(
            p.lower_ in self.c.in_person_words
            for p in self._prep_objects(tok, self.c.words("manner_preps"))
        ) or any(ch.lower_ in self.c.in_person_words for ch in tok.children)

    def _claim_object(self, tok: Token) -> bool:
        return any(
            lemma(ch) in self.c.report_nouns for ch in tok.children if ch.dep_ in ("dobj", "nsubj")
        )

    def _phrase_matches(self, tok: Token, rest: tuple[str, ...]) -> bool:
        """The first word of the rest is a direct dependent of the head, the others at most
        two levels down ("call on X": "on" hangs off *call*, not off "Reyes on Sunday")."""
        direct = {w for ch in tok.children for w in (lemma(ch), ch.lower_)}
        below = set(direct)
        for ch in tok.children:
            for g in ch.children:
                below.add(lemma(g))
                below.add(g.lower_)
        return rest[0] in direct and all(w in below for w in rest[1:])

    def _phone_modified(self, tok: Token) -> bool:
        for ch in tok.children:
            if ch.dep_ in ("prep", "agent", "npadvmod", "advmod") or ch.dep_ == "dobj":
                if lemma(ch) in self.c.phone_words or ch.lower_ in self.c.phone_words:
                    return True
                for g in ch.children:
                    if g.dep_ == "pobj" and lemma(g) in self.c.phone_words:
                        return True
                    if g.dep_ == "pobj" and lemma(g) in self.c.words("phone_line_nouns"):
                        return True
                    if g.dep_ == "pobj" and lemma(g) in self.c.modifier_nouns and (
                        self._phone_noun(g)
                    ):
                        return True  # "in a telephone conversation, A and B discussed ..."
        return False

    def _is_phone_call(self, tok: Token) -> bool:
        """The sense of *call*: a direct object and no complement ("called X a liar")."""
        objs = _children(tok, "dobj")
        if not objs:
            # "Macron called Braun on Sunday" parsed like "called him Bob": a bare name as the
            # only complement is whom they called (then the same checks as for an object)
            objs = [o for o in _children(tok, "oprd") if o.pos_ == "PROPN"]
            if len(objs) != 1 or len(_children(tok, "oprd")) != 1:
                return False
        for ch in tok.children:
            if ch.dep_ in ("oprd", "attr", "acomp", "ccomp") and ch.i != objs[0].i:
                return False
            if ch.dep_ == "xcomp" and ch.pos_ in ("NOUN", "ADJ", "PROPN"):
                return False
            if ch.dep_ == "prt":
                return ch.lower_ not in self.c.call_not_preps
        for holder in (tok, *_children(tok, "advmod", "prt")):
            # "called the Liberal leader back to Downing Street": summoned, not phoned
            if self._prep_objects(holder, self.c.summon_preps):
                return False
        for o in objs:
            if lemma(o) in self.c.report_nouns:
                return False
            for g in o.children:
                if (
                    g.dep_ in ("appos", "oprd", "amod", "acl")
                    and g.i > o.i
                    and g.pos_ in ("NOUN", "ADJ")
                ):
                    return False
        nxt = objs[0].i + 1
        sent_end = self.s.sent.end
        if nxt < sent_end:
            t = tok.doc[nxt]
            if t.pos_ in ("DET", "ADJ") and t.head.i != tok.i and t.dep_ not in ("prep", "punct"):
                return False
            if t.tag_ in ("``", "''") or t.text in ('"', "“", "'", "‘"):
                return False
        return not self._has_fiction_below(tok)

    def _has_fiction_below(self, tok: Token) -> bool:
        return any(t.lower_ in self.c.fiction for t in tok.subtree if t.i != tok.i)

    def _subjects(self, tok: Token, rtype: str) -> tuple[list[_Party], list[_Party]]:
        """(agents, patients) of a verb, passive-aware, inheriting a missing subject."""
        passive = bool(_children(tok, "auxpass", "nsubjpass"))
        if passive:
            wanted = ("passive_agent",)
            agents = self._slot_parties(tok, rtype, "verb", wanted=wanted)["passive_agent"]
            patients: list[_Party] = []
            subjects = _children(tok, "nsubjpass")
            if not subjects and tok.dep_ == "conj":
                # "X is backed by A and was endorsed by B": the conjunct shares X
                shared = subject_of(tok)
                subjects = [shared] if shared is not None else []
            for sp in subjects:
                patients.extend(self.parties(sp, rtype))
            return agents, patients
        subj_tok = subject_of(tok)
        agents = self._actor_parties(subj_tok)
        # a subject found through a conjunct or a raising verb, not the verb's own (by index:
        # spaCy makes a new Token object on every access, so `is` never holds)
        inherited = subj_tok is not None and subj_tok.head.i != tok.i
        if inherited:
            agents = [replace(a, penalty=a.penalty + 0.05) for a in agents]
        return agents, []

    def _act_noun(self, tok: Token) -> bool:
        """A stand-in noun ("the budget"): its owner's act, never its owner in person."""
        return tok.pos_ == "NOUN" and (
            lemma(tok) in self.c.stand_in_nouns or tok.lower_ in self.c.stand_in_nouns
        )

    def _actor_parties(self, subj_tok: Token | None) -> list[_Party]:
        """The parties a clause's subject names; "Moscow's troops invaded ...", "her remark
        was an endorsement of X": forces and words (cue actor_nouns) act for their owner."""
        agents = self.parties(subj_tok, None)
        if (
            not agents
            and subj_tok is not None
            and (lemma(subj_tok) in self.c.actor_nouns or subj_tok.lower_ in self.c.actor_nouns)
        ):
            agents = [
                replace(p, penalty=p.penalty + 0.1)
                for ch in subj_tok.children
                if ch.dep_ == "poss"
                for p in self.parties(ch, None)
            ]
        return agents

    def _verb_frame(
        self,
        tok: Token,
        rtype: str,
        conf: float,
        standin_only: bool = False,
        phrase: tuple[str, ...] = (),
    ) -> list[_Found]:
        agents, patients = self._subjects(tok, rtype)
        # "The conference was hosted by A and B": the patient is no party, so A and B did not
        # meet each other by hosting it (as with "A and B hosted the conference" below)
        other_object = not patients and bool(_children(tok, "nsubjpass"))
        if standin_only:
            # "Voss is welcomed by Ekdahl": the person is no stand-in for anything
            patients = [p for p in patients if p.token.dep_ not in ("nsubjpass",)]
        objects = list(patients)
        direct = self.c.option(rtype, "direct_object", True)
        # "call on X to" (a preposition: its object is the party), not "called in the
        # ambassador" (a particle: the direct object is)
        phrase_preps = [
            w for w in phrase
            if any(ch.dep_ == "prep" and ch.lower_ == w for ch in tok.children)
            or (w in self.c.words("party_preps")
                and not any(ch.dep_ == "prt" and ch.lower_ == w for ch in tok.children))
        ]
        direct_objects = self._role_tokens(tok, rtype, "verb", "direct_object")
        if not direct_objects and lemma(tok) in self.c.option_set(rtype, "phone_sense_verbs"):
            # "Macron called Braun on Sunday" parsed like "called him Bob": a bare name as the
            # object predicate, with no object, is whom they called
            direct_objects = [ob for ob in _children(tok, "oprd") if ob.pos_ == "PROPN"]
        if lemma(tok) in self.c.option_set(rtype, "topic_object_verbs"):
            direct_objects = []  # "discussed Ukraine with X": the object is the topic
        for ob in direct_objects:
            if phrase and (lemma(ob) in phrase or phrase_preps):
                continue  # "called on X to": the party is the object of the phrase's preposition
            nxt = tok.doc[ob.i + 1] if ob.i + 1 < len(tok.doc) else None
            if nxt is not None and nxt.pos_ == "NOUN" and lemma(nxt) in self.c.nouns:
                continue  # "to host Ukraine talks" misparsed: the name modifies the event noun
            if ob.tag_ in ("WDT", "WP"):
                # "Zelensky, whom Erdogan received": the antecedent of the relative clause
                objects.extend(replace(p, token=ob) for p in self._antecedent(tok, rtype))
                continue
            if direct:
                cand = self.parties(ob, rtype)
                if standin_only:
                    # "welcomed the budget" (Varga's, entity stage): an act, not the person
                    cand = [p for p in cand if p.token.i != ob.i or self._act_noun(ob)]
                if not cand and ob.pos_ == "NOUN":
                    # "meeting his counterpart Lula" with the name misparsed as a sibling
                    cand = [
                        p
                        for ch in tok.children
                        if ch.dep_ in ("npadvmod", "appos") and ch.i == ob.right_edge.i + 1
                        for p in self.parties(ch, rtype)
                    ]
                objects.extend(cand)
                other_object = other_object or not cand
        preps = self.c.option_list(rtype, "object_preps")
        if phrase_preps:
            preps = phrase_preps
        prep_heads = [tok]
        if phrase:
            # "paid a courtesy call on X": the preposition hangs off the phrase's noun
            prep_heads += [ob for ob in _children(tok, "dobj") if lemma(ob) in phrase]
        if phrase or lemma(tok) in self.c.modifier_verbs:
            # "spoke by telephone with X": the with-phrase hangs off the phone word
            prep_heads += [
                p
                for p in self._prep_objects(tok, self.c.words("medium_preps"))
                if lemma(p) in self.c.phone_words
            ]
        topics: list[Token] = []
        if lemma(tok) in self.c.modifier_verbs:
            # "discussed the tariffs with X in a phone call": "with X" hung on the topic (not
            # "discussed relations between A and B": the topic's own parties)
            topics = [ob for ob in _children(tok, "dobj") if not self.parties(ob)]
        for head in (*prep_heads, *topics):
            # the object slots aimed at each head: a phrase's own prepositions replace the
            # type's ("call on X to"); a topic's between-phrase names its own parties
            without = self.c.words("pair_preps") if head in topics else frozenset()
            only = frozenset(phrase_preps) if phrase_preps else None
            objects.extend(
                self._slot_parties(head, rtype, "verb", only, without, ("object",))["object"]
            )
        if not objects and not other_object and not direct_objects and not phrase:
            objects = self._shared_objects(tok, rtype, preps)
        if not objects and other_object and not phrase:
            # "A and B hosted the conference": a non-party object, not a meeting of A and B
            return []
        if (
            agents
            and not objects
            and not direct_objects
            and not other_object
            and lemma(tok) in self.c.option_set(rtype, "dateline_triggers")
        ):
            # "OSLO - King Anton visited in 1967": where the story was filed; "... and King
            # Karl in 1981": a name coordinated with the verb is the subject of a gapped copy
            objects = self._dateline_place(tok, rtype)
            for cj in _children(tok, "conj"):
                if cj.pos_ == "PROPN":
                    agents = [*agents, *self.parties(cj)]
        if self.c.context_verbs.get(lemma(tok)) == rtype:
            objects = [o for o in objects if o.token.dep_ == "pobj"] or objects
        objects.extend(self._stray_conjuncts(tok, objects, rtype))
        found = self._pairs(tok, rtype, agents, objects, conf)
        guests = [o for o in objects if o.token.dep_ != "pobj"]
        if (
            self.c.types[rtype].symmetric
            and len({g.entity.id for g in guests}) >= 2
            and any(
                rtype in self.c.nouns.get(lemma(p), ())
                and lemma(p) not in self.c.occasion_nouns
                and not any(
                    m.lower_ in self.c.separate_words for m in p.children if m.dep_ == "amod"
                )
                for p in self._prep_objects(tok, self.c.words("purpose_preps"))
            )
        ):
            # "hosted A and B for a three-way meeting": the guests met each other too
            found += self._pairs(tok, rtype, guests, [], conf - 0.1)
        return found

    def _stray_conjuncts(self, tok: Token, objects: list[_Party], rtype: str) -> list[_Party]:
        """ "phoned A, and the leaders of B and C": after a comma the parser
        hangs the last conjunct of the object on the verb; a noun conjunct of the verb after
        its last object, with the verb's own "and", is one more object (not a second clause:
        that would have a verb)."""
        after = [o.token.i for o in objects if o.token.doc is tok.doc and o.token.i > tok.i]
        if not after:  # no object of its own in the clause (a place from the dateline is none)
            return []
        last = max(after)
        ccs = [ch.i for ch in tok.children if ch.dep_ == "cc" and ch.i > last]
        return [
            p
            for ch in tok.children
            if ch.dep_ == "conj" and ch.pos_ in ("NOUN", "PROPN") and ch.i > last
            and any(c < ch.i for c in ccs)
            for p in self.parties(ch, rtype)
        ]

    def _shared_objects(self, tok: Token, rtype: str, preps: list[str]) -> list[_Party]:
        """ "had never met or spoken to X", "met and praised X": a verb with no object of its
        own shares the object of the verb coordinated with it (one with no subject of its
        own, so not "A met B and C praised D")."""
        for conj in _children(tok, "conj"):
            if conj.pos_ != "VERB" or _children(conj, "nsubj", "nsubjpass"):
                continue
            found = [p for ob in _children(conj, "dobj") for p in self.parties(ob, rtype)]
            found += [
                p for pob in self._prep_objects(conj, (*preps, *self.c.shared_object_preps))
                for p in self.parties(pob, rtype)
            ]
            if found:
                return [replace(p, penalty=p.penalty + 0.1) for p in found]
        return []

    def _antecedent(self, tok: Token, rtype: str) -> list[_Party]:
        cur = tok
        for _ in range(3):
            if cur.dep_ == "relcl" and cur.head.i != cur.i:
                if lemma(cur.head) in self.c.report_nouns:
                    return []
                return self.parties(cur.head, rtype)
            if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
                return []
            cur = cur.head
        return []

    def _motion(self, tok: Token, rtype: str, frame: FrameName | None = None) -> list[_Found]:
        agents, _ = self._subjects(tok, rtype)
        return self._motion_pairs(tok, rtype, agents, frame)

    def _motion_pairs(
        self, tok: Token, rtype: str, agents: list[_Party], frame: FrameName | None = None
    ) -> list[_Found]:
        """A travel destination is a place visited, never a party met ("would travel to
        Calais" with Calais mistyped stays out): the place slots of the travel frame, or of
        the arrival frame for an arrival verb ("arrived in Lisbon")."""
        if frame is None:
            arrival = lemma(tok) in self.c.option_set(rtype, "arrival_verbs")
            frame = "arrival" if arrival else "travel"
        places = self._slot_parties(tok, rtype, frame)["place"]
        return self._pairs(tok, rtype, agents, places, 0.8)

    def headline_motion(self, tok: Token) -> list[_Found]:
        """Headline "Xi heads to Serbia": *heads* tagged as a noun with the traveller as its
        compound."""
        rtype = self.c.motion_verbs.get(lemma(tok))
        if rtype is None or tok.dep_ != "ROOT":
            return []
        agents = self._slot_parties(tok, rtype, "headline-motion")["agent"]
        return self._motion_pairs(tok, rtype, agents)

    def _fallback_verb(self, tok: Token, types: Sequence[str]) -> list[_Found]:
        """A trigger the tagger did not take for a verb ("Kolar hosted Andrade" as an ADJ):
        only the plain pattern NAME trigger NAME, with low confidence."""
        if not types or tok.tag_ not in ("JJ", "VBN", "VBD"):
            return []
        if tok.i == 0 or tok.i + 1 >= len(tok.doc):
            return []
        left, right = tok.doc[tok.i - 1], tok.doc[tok.i + 1]
        le, re_ = self.s.lookup(left), self.s.lookup(right)
        if le is None or re_ is None or tok.pos_ in ("NOUN",):
            return []
        out: list[_Found] = []
        for rtype in types:
            if self.c.option(rtype, "clause_only") or self.c.option(rtype, "standin_only_verbs"):
                continue
            if any(tok.lower_.startswith(v) for v in self.c.option_set(rtype, "phone_sense_verbs")):
                continue  # the sense of *call* needs a clean parse
            # the right-hand name must be a whole name (the next token is not inside it)
            end = right.i
            while end + 1 < len(tok.doc) and self.s.lookup(tok.doc[end + 1]) == re_:
                end += 1
            right_tok = tok.doc[end]
            out.extend(self._pairs(tok, rtype, [_Party(le, left)], [_Party(re_, right_tok)], 0.5))
        return out

    # ---- noun triggers -------------------------------------------------------------------

    def noun_relations(self, tok: Token) -> list[_Found]:
        lem = lemma(tok)
        types = list(self.c.nouns.get(lem, ())) + list(self.c.nouns.get(tok.lower_, ()))
        if lem in self.c.modifier_nouns and self._phone_noun(tok):
            types.append(self.c.modifier_nouns[lem])
        found: list[_Found] = []
        for rtype in dict.fromkeys(types):
            if self.c.option(rtype, "clause_only"):
                continue
            if lem in self.c.option_set(rtype, "phone_sense_nouns") and self._call_for(tok):
                continue  # "a call for calm"
            if self.c.modifier_nouns.get(lem, rtype) != rtype and self._phone_noun(tok):
                continue  # "telephone talks" are the phone type's, not a meeting
            conf = 0.75
            found.extend(self._noun_frame(tok, rtype, conf))
        return found

    def _call_for(self, tok: Token) -> bool:
        """The noun *call* as an appeal: "a call for calm", "calls to resign"."""
        return bool(_children(tok, "acl")) or any(
            ch.dep_ == "prep"
            and ch.lower_ in self.c.call_not_preps
            and not self._party_prep(ch)
            and not _dating_prep(ch)  # "a call on Monday" is dated, not an appeal
            for ch in tok.children
        )

    def _party_prep(self, prep: Token) -> bool:
        return any(self.s.lookup(p) is not None for p in prep.children if p.dep_ == "pobj")

    def _phone_noun(self, tok: Token) -> bool:
        return any(
            ch.dep_ in ("compound", "amod", "nmod") and lemma(ch) in self.c.phone_words
            for ch in tok.children
        )

    def _received(self, tok: Token, rtype: str, conf: float) -> list[_Found] | None:
        """ "X secured the endorsement of Y", "drew a rebuke from Y": Y acts on X; None when
        the noun is not the object of a receiving verb."""
        verb = tok.head
        if tok.dep_ != "dobj" or verb.pos_ not in ("VERB", "AUX"):
            return None
        if lemma(verb) not in self.c.receiving:
            return None
        givers = self._slot_parties(tok, rtype, "received-noun")["agent"]
        receivers = self.parties(subject_of(verb))
        return self._pairs(tok, rtype, givers, receivers, conf - 0.05) if receivers else []

    def _agent_noun(self, tok: Token, rtype: str, conf: float) -> list[_Found]:
        """ "Lundia is Norvik's largest backer", "a supporter of X": the noun is the agent."""
        roles = self._slot_parties(tok, rtype, "agent-noun")
        agents, objects = roles["agent"], roles["object"]
        if tok.dep_ == "attr" and tok.head.pos_ in ("VERB", "AUX"):
            agents = self.parties(subject_of(tok.head))  # the copula's subject: "X is a backer"
        return self._pairs(tok, rtype, agents, objects, conf)

    def _noun_frame(self, tok: Token, rtype: str, conf: float) -> list[_Found]:
        if lemma(tok) in self.c.option_set(rtype, "agent_nouns"):
            return self._agent_noun(tok, rtype, conf)
        received = self._received(tok, rtype, conf)
        if received is not None:
            return received
        roles = self._slot_parties(tok, rtype, "noun")
        agents, objects, between = roles["agent"], roles["object"], roles["pair"]
        if len({p.entity.id for p in between}) >= 2 and self.c.types[rtype].symmetric:
            # "would host talks between A and B": the pair, not the host
            return self._pairs(tok, rtype, between, [], conf)
        gov = tok.head
        if tok.dep_ == "pobj" and gov.dep_ in ("prep", "prt"):
            verb = gov.head
            if (
                gov.lower_ in self.c.words("belonging_preps")
                and verb.pos_ == "NOUN"
                and verb.dep_ == "dobj"
                and verb.head.pos_ in ("VERB", "AUX")
                and any(ch.dep_ == "nummod" for ch in verb.children)
            ):
                # "held two hours of talks", "used two days of talks with X": the holder
                verb = verb.head
            if gov.lower_ in self.c.words("thanking_preps") and lemma(verb) in self.c.thanking:
                # "Kolar thanked Andrade for his support" -> supported(Andrade, Kolar)
                thanked = [p for d in _children(verb, "dobj") for p in self.parties(d)]
                thanker = self.parties(subject_of(verb))
                return self._pairs(tok, rtype, thanked or agents, thanker, conf - 0.05)
            if (
                not agents
                and gov.lower_ in self.c.words("amount_preps")
                and verb.pos_ == "NOUN"
                and verb.dep_ == "dobj"
                and verb.head.pos_ == "VERB"
            ):
                verb = verb.head  # "pledged 3.5 billion euros in support for X": who pledged
            if (
                not agents and verb.pos_ not in ("VERB", "AUX")
                and gov.lower_ in self.c.words("time_preps")
            ):
                # "dismissed the story ... during a visit to Halden": the clause's subject
                for anc in verb.ancestors:
                    if anc.pos_ in ("VERB", "AUX"):
                        verb = anc
                        break
            if (
                all(a.token.pos_ == "PRON" for a in agents)
                and gov.lower_ in self.c.words("reaction_preps")
                and any(self.c.option(t, "reaction") for t in self.c.verbs.get(lemma(verb), ()))
            ):
                # "X accuses Y of ... after (his) call with Z": the reaction is to Y's act
                agents = [p for d in _children(verb, "dobj") for p in self.parties(d)] or agents
            if not agents and verb.pos_ in ("VERB", "AUX"):
                agents = [
                    replace(p, penalty=p.penalty + 0.1) for p in self.parties(subject_of(verb))
                ]
        elif tok.dep_ in ("dobj", "attr") and gov.pos_ in ("VERB", "AUX") and not agents:
            agents = [
                replace(p, penalty=p.penalty + 0.05) for p in self._actor_parties(subject_of(gov))
            ]
        elif (
            tok.dep_ in ("dobj",)
            and gov.pos_ in ("VERB", "AUX")
            and agents
            and all(a.token.pos_ == "PRON" for a in agents)
        ):
            agents = self.parties(subject_of(gov)) or agents
        if not objects and self.c.option(rtype, "speech_act") and lemma(gov) not in self.c.denial:
            # "accusations from A that C had lied": the one accused is the content's subject
            # (under "C rejected accusations ..." the sentence is C's denial, as in the gold)
            for cl in tok.children:
                if cl.dep_ == "acl" or (cl.dep_ == "relcl" and content_relcl(cl, self.c)):
                    objects.extend(self.parties(subject_of(cl), rtype))
        if (
            not objects
            and tok.dep_ == "dobj"
            and (lemma(gov) in self.c.negating_verbs)
            and not self.c.types[rtype].symmetric
        ):
            # "withdrew (its) support from X", "pulled its backing from X": X lost the support
            objects.extend(self._slot_parties(tok, rtype, "withdrawn-noun")["object"])
        if agents and not objects and lemma(tok) in self.c.option_set(rtype, "dateline_triggers"):
            objects = self._dateline_place(tok, rtype)
        if not agents and not objects:
            return []
        if not agents and len(objects) >= 2 and self.c.types[rtype].symmetric:
            # "the meeting between A and B"
            agents, objects = objects, []
        return self._pairs(tok, rtype, agents, objects, conf)

    def _dateline_place(self, tok: Token, rtype: str) -> list[_Party]:
        """A visit with no destination in a datelined story is a visit where it was filed:
        the dateline's country, or its city when the clause says "here" (dateline_adverbs)."""
        city, country = self.s.host
        here = self.c.option_set(rtype, "dateline_adverbs")
        clause = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), tok)
        if any(t.lower_ in here for t in clause.children):
            city, country = country, city
        place = country or city
        return [] if place is None else [_Party(place, tok, 0.1, dateline=True)]

    # ---- pairs and attributes --------------------------------------------------------------

    def _pairs(
        self, trigger: Token, rtype: str, agents: list[_Party], objects: list[_Party], conf: float
    ) -> list[_Found]:
        spec = self.c.types[rtype]
        out: list[_Found] = []
        pairs: list[tuple[_Party, _Party]] = []
        if objects:
            pairs = [(a, o) for a in agents for o in objects]
        elif spec.symmetric and len(agents) >= 2:
            pairs = list(combinations(agents, 2))
        for a, o in pairs:
            if a.entity.id == o.entity.id:
                continue
            kind = rtype
            if self.c.option(rtype, "place_object"):
                if o.entity.type not in _PLACE_TYPES:
                    alt = self.c.option(rtype, "person_object_as")
                    if not isinstance(alt, str) or alt not in self.c.types:
                        continue
                    kind = alt
            elif o.entity.type == "Location" and not self.c.option(rtype, "location_object"):
                continue
            place, place_id = self._place(trigger, (a, o), kind)
            out.append(
                _Found(
                    kind,
                    a,
                    o,
                    trigger,
                    round(max(0.1, conf - a.penalty - o.penalty), 2),
                    place,
                    place_id,
                )
            )
        return out

    def _place(
        self, trigger: Token, parties: tuple[_Party, _Party], kind: str
    ) -> tuple[str | None, str | None]:
        if self.c.option(kind, "place_object"):
            target = parties[1].entity
            return target.label, target.id
        party_ids = {parties[0].entity.id, parties[1].entity.id}
        roots: list[Token] = [trigger, parties[0].token, parties[1].token]
        if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ == "pobj":
            roots.append(trigger.head.head)
        if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "nsubj", "nsubjpass"):
            roots.append(trigger.head)
        if trigger.dep_ == "advcl" and lemma(trigger.head) in self.c.motion:
            roots.append(trigger.head)
        for root in roots:
            for path in self._slot_paths(root, kind, "event-place"):
                prep, pob = path[1], path[-1]
                if prep.lower_ in self.c.words("destination_preps") and root.i != trigger.head.i:
                    continue  # "flew to X": where the traveller went, not where the event was
                ent = self.s.lookup(pob)
                if ent is not None and ent.id in party_ids:
                    continue
                if ent is not None and ent.type in _PLACE_TYPES:
                    return ent.label, ent.id
                if (
                    ent is None
                    and prep.lower_ in self.c.words("venue_preps")
                    and pob.pos_ == "NOUN"
                    and pob.i != trigger.i  # "At a meeting, A told B": no place
                ):
                    # an unnamed venue: the noun with its modifiers ("at a state dinner")
                    words = [
                        t for t in pob.subtree if t.dep_ in ("amod", "compound") or t.i == pob.i
                    ]
                    words = [t for t in words if t.head.i == pob.i or t.i == pob.i]
                    return " ".join(t.text for t in sorted(words, key=lambda t: t.i)), None
            # "the summit in Madrid" below "on the sidelines of": deeper chains first
            below = sorted(
                self._slot_paths(root, kind, "event-place-below"),
                key=lambda path: (*(t.i for t in path[1:]), len(trigger.doc)),
            )
            for path in below:
                ent = self.s.lookup(path[-1])
                if ent is not None and ent.type in _PLACE_TYPES and ent.id not in party_ids:
                    return ent.label, ent.id
        return None, None


def _dating_prep(prep: Token) -> bool:
    """A preposition whose object is a date or time ("on Monday", "for two hours")."""
    return any(p.ent_type_ in ("DATE", "TIME") for p in prep.children if p.dep_ == "pobj")


def _date_of(
    trigger: Token, reference: date | None, future: bool, dates: Sequence[Span] | None = None
) -> str | None:
    """A DATE entity attached to the trigger (or its clause verb) through prepositions only
    (``dates``: the DATE entities of the trigger's sentence, when the caller has them)."""
    anchors = {trigger.i}
    if trigger.dep_ == "pobj":
        anchors.add(trigger.head.head.i)
    if trigger.dep_ in ("dobj",):
        anchors.add(trigger.head.i)
    if dates is None:
        dates = [e for e in trigger.sent.ents if e.label_ == "DATE"]
    for ent in dates:
        cur = ent.root
        for _ in range(5):
            if cur.i in anchors:
                return normalise_date(ent.text, reference, future=future)
            if cur.dep_ not in _DATE_LINKS:
                break
            if cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.dep_ == "dobj" and cur.i not in anchors and cur.head.i in anchors:
                # "met Braun in Vienna on Tuesday" often hangs the date off the object
                return normalise_date(ent.text, reference, future=future)
        else:
            continue
    return None


def _phone_context(docs: Iterable[Doc], c: Compiled) -> bool:
    from kg.extraction.context import columns

    sense_nouns = frozenset().union(*(c.option_set(k, "phone_sense_nouns") for k in c.types))
    for doc in docs:
        words = doc_words(doc).lemmas
        if words.isdisjoint(c.phone_words) and words.isdisjoint(sense_nouns):
            continue  # no phone word in this segment
        for i, lo in enumerate(columns(doc).lemmas):
            if lo not in c.phone_words and lo not in sense_nouns:
                continue  # no token to make
            t = doc[i]
            if lo in c.phone_words and t.pos_ in ("NOUN", "ADJ", "VERB"):
                return True
            if (
                lo in sense_nouns
                and t.pos_ == "NOUN"
                and not any(
                    ch.dep_ == "prep" and ch.lower_ in c.words("call_for_preps")
                    for ch in t.children
                )
            ):
                return True
    return False


@dataclass(frozen=True)
class _Draft:
    found: _Found
    ctx: Context


def _contextualise(f: _Found, s: _Sentence, c: Compiled) -> Context:
    ctx = clause_context(f.trigger, s.lookup, c)
    return ctx


def extract_sentence_relations(
    sent: Span,
    lookup: Lookup,
    *,
    lexicon: Lexicon | None = None,
    history: Sequence[Entity] = (),
    phone_context: bool = False,
    group_lookup: GroupLookup | None = None,
    host: tuple[Entity | None, Entity | None] = (None, None),
) -> list[tuple[_Found, Context]]:
    """Relations in one parsed sentence with their clause context (no records, no IRIs).

    ``history`` lists the entities mentioned before the sentence (for "the neighbouring
    state"); it is not modified. Pronouns and groups come resolved from ``lookup`` and
    ``group_lookup`` (the entity stage).
    """
    from kg.extraction.context import columns

    c = compile_lexicon(lexicon or load_lexicon())
    s = _Sentence(sent, lookup, history, c, group_lookup, host)
    ex = _Extractor(s, c, phone_context)
    found: list[_Found] = []
    words = sentence_words(sent)
    stage = c.sentence_lemmas
    triggered = not words.lemmas.isdisjoint(stage) or not words.lowers.isdisjoint(c.nouns)
    doc = sent.doc
    cols = columns(doc)
    lemmas, lowers = cols.lemmas, cols.lowers
    for i in range(sent.start, sent.end) if triggered else ():  # no trigger word: no token
        lem = lemmas[i]
        if lem not in stage and lowers[i] not in c.nouns:
            continue  # none of the tests below can pass: no token to make
        tok = doc[i]
        nominal = tok.pos_ in ("NOUN", "PROPN") or (
            lem in c.nouns and tok.pos_ not in ("VERB", "AUX")
        )
        if nominal and tok.dep_ == "ROOT" and tok.tag_ == "NNS" and lem in c.motion_verbs:
            found.extend(ex.headline_motion(tok))
            continue
        if nominal and (lem in c.nouns or tok.lower_ in c.nouns or lem in c.modifier_nouns):
            found.extend(ex.noun_relations(tok))
            continue
        if lem in c.verb_stage_lemmas:
            found.extend(ex.verb_relations(tok))
    found.extend(ex.pattern_relations(match_patterns(sent, words=c.trigger_words)))
    found = _without_same_pair_purposes(found, c)
    placed = {
        f.subject.entity.id
        for f in found
        if not f.object.dateline and c.option(f.type, "dateline_triggers")
    }
    if placed:
        # "X, who leaves for Japan, said during his visit ...": the sentence names where X's
        # travel goes, so X's unplaced visit is no visit to the dateline's place (another
        # traveller's is: "A cancelled a trip to Y because of the visit by B")
        found = [f for f in found if not (f.object.dateline and f.subject.entity.id in placed)]
    out: list[tuple[_Found, Context]] = []
    for f in found:
        ctx = _contextualise(f, s, c)
        if not ctx.question:
            out.append((f, ctx))
    return out


def _purpose_clause(tok: Token, c: Compiled) -> bool:
    """An infinitive of purpose with no subject of its own ("called X to congratulate him")."""
    return (
        tok.dep_ == "advcl"
        and has_infinitive_mark(tok, c)
        and not any(ch.dep_ in ("nsubj", "nsubjpass") for ch in tok.children)
    )


def _without_same_pair_purposes(found: list[_Found], c: Compiled) -> list[_Found]:
    """ "Braun called Reyes to congratulate him": a purpose clause between the two parties of
    its main verb's relation says what that one event was for; it is no second event. A
    purpose with other parties ("flew to Kyiv to meet X") is its own relation."""
    pairs = {
        (f.trigger.i, frozenset((f.subject.entity.id, f.object.entity.id))) for f in found
    }
    return [
        f
        for f in found
        if not (
            _purpose_clause(f.trigger, c)
            and (f.trigger.head.i, frozenset((f.subject.entity.id, f.object.entity.id))) in pairs
        )
    ]


def _source_fields(src: Source | None) -> tuple[str | None, str | None]:
    if src is None:
        return None, None
    return src.label, (src.entity.id if src.entity is not None else None)


def _qualifier(polarity: str, modality: str, attributed: str | None, denies: str | None) -> str:
    return f"{polarity}|{modality}|{attributed or ''}|{denies or ''}"


def _records_for_sentence(
    doc_id: str,
    sent_text: str,
    start: int,
    end: int,
    drafts: list[tuple[_Found, Context]],
    base: str,
    reference: date | None,
    c: Compiled,
    sent: Span | None = None,
) -> list[RelationRecord]:
    dtype = denial_type(c.types) or ""
    records: dict[tuple[object, ...], RelationRecord] = {}
    denials: list[RelationRecord] = []
    # the sentence's dates, read once for all its drafts (Token.sent and Span.ents are walks)
    from kg.extraction.context import span_ents

    dates = span_ents(sent, "DATE") if sent is not None and drafts else None
    for f, ctx in drafts:
        polarity = "negative" if ctx.negative else "positive"
        modality = ctx.modality
        src = ctx.source
        if ctx.denied and src is None:
            src = Source(UNNAMED_SOURCE)
        attributed, attributed_id = _source_fields(src)
        subj, obj = f.subject.entity, f.object.entity
        spec_sym = c.types[f.type].symmetric
        pair: tuple[str, ...] = tuple(sorted((subj.id, obj.id))) if spec_sym else (subj.id, obj.id)
        key = (f.type, pair, polarity, modality, attributed)
        denied_by: tuple[str, ...] = ()
        if ctx.denied and ctx.denier is not None:
            denied_by = (ctx.denier.label,)
        elif ctx.denied:
            denied_by = (ctx.denier_phrase or UNNAMED_SOURCE,)
        trig = f.trigger
        in_sent = sent is not None and trig.doc is sent.doc and sent.start <= trig.i < sent.end
        date_value = _date_of(trig, reference, modality == "planned", dates if in_sent else None)
        rid = iris.relation_iri(
            doc_id,
            f.type,
            subj.id,
            obj.id,
            start,
            end,
            base,
            qualifier=_qualifier(polarity, modality, attributed, None),
        )
        rec = RelationRecord(
            id=rid,
            doc=doc_id,
            type=f.type,
            subject=subj.label,
            subject_id=subj.id,
            object=obj.label,
            object_id=obj.id,
            polarity=polarity,  # type: ignore[arg-type]
            modality=modality,
            attributed_to=attributed,
            attributed_to_id=attributed_id,
            denied_by=denied_by,
            date=date_value,
            place=f.place,
            place_id=f.place_id,
            sentence=sent_text,
            start=start,
            end=end,
            confidence=f.confidence,
        )
        prev = records.get(key)
        if prev is not None:
            if prev.confidence >= rec.confidence:
                continue
            rec = replace(rec, id=prev.id)
        records[key] = rec
        if ctx.denied and ctx.denier is not None:
            denier = ctx.denier
            other = subj if denier.id != subj.id else obj
            if other.id == denier.id:
                continue
            did = iris.relation_iri(
                doc_id,
                dtype,
                denier.id,
                other.id,
                start,
                end,
                base,
                qualifier=_qualifier("positive", "actual", None, rid),
            )
            denials.append(
                RelationRecord(
                    id=did,
                    doc=doc_id,
                    type=dtype,
                    subject=denier.label,
                    subject_id=denier.id,
                    object=other.label,
                    object_id=other.id,
                    denies=rid,
                    sentence=sent_text,
                    start=start,
                    end=end,
                    confidence=round(max(0.1, f.confidence - 0.05), 2),
                )
            )
    out = list(records.values())
    # denials of a named report with no relation beneath it ("denied a report in the Courier");
    # repeats are merged with the article's other records (_merge_repeats)
    out.extend(denials)
    return out


def _source_only_denials(
    sent: Span,
    s_lookup: Lookup,
    c: Compiled,
    doc_id: str,
    start: int,
    end: int,
    base: str,
    existing: list[RelationRecord],
) -> list[RelationRecord]:
    """ "denied a report in the Daily Courier that ...", "rejected accusations by the Green Party":
    a denial of a named source even when the claim itself has no two named parties."""
    from kg.extraction.context import _deny_context, _named_report_source

    dtype = denial_type(c.types) or ""
    out: list[RelationRecord] = []
    if sentence_words(sent).lemmas.isdisjoint(c.denial):
        return out  # no denial verb
    for tok in _denial_verbs(sent, c):
        for ob in tok.children:
            if ob.dep_ != "dobj" or lemma(ob) not in c.report_nouns:
                continue
            named = _named_report_source(ob, s_lookup, c)
            if named is None:
                continue
            ctx = _deny_context(Context(), tok, s_lookup, c)
            if ctx.denier is None or ctx.denier.id == named.id:
                continue
            if any(r.type == dtype and r.subject_id == ctx.denier.id for r in existing):
                continue
            did = iris.relation_iri(doc_id, dtype, ctx.denier.id, named.id, start, end, base)
            out.append(
                RelationRecord(
                    id=did,
                    doc=doc_id,
                    type=dtype,
                    subject=ctx.denier.label,
                    subject_id=ctx.denier.id,
                    object=named.label,
                    object_id=named.id,
                    sentence=sent.text,
                    start=start,
                    end=end,
                    confidence=0.8,
                )
            )
    return out


def _denial_verbs(sent: Span, c: Compiled) -> Iterator[Token]:
    """The verbs of ``sent`` with a denial lemma (found in the doc's columns: the other
    tokens are not made)."""
    from kg.extraction.context import columns

    doc = sent.doc
    cols = columns(doc)
    lemmas, tags = cols.lemmas, cols.pos
    for i in range(sent.start, sent.end):
        if lemmas[i] in c.denial and tags[i] == "VERB":
            yield doc[i]


def _anaphoric_denials(
    sent: Span,
    s_lookup: Lookup,
    c: Compiled,
    start: int,
    end: int,
    base: str,
    earlier: list[RelationRecord],
    lexicon: Lexicon,
    memory: DenialMemory,
) -> list[RelationRecord]:
    """ "Downing Street dismissed the report as untrue", "rejected the accusation as absurd":
    a definite report noun with no content of its own denies the claim of the sentence just
    before (the latest reported claim, or for an accusation the latest accusation). A claim
    some party made after that relation was told ("X's advisers denied ...; Europe, which
    disputes the claim") is the one meant: it is left to the statement denials."""
    from kg.extraction.context import _deny_context

    if sentence_words(sent).lemmas.isdisjoint(c.denial):
        return []  # no denial verb
    dtype = denial_type(c.types) or ""
    accusing = set(flagged_types(c.types, "speech_act"))
    accusation_nouns = denial_cues(lexicon).accusation_nouns
    out: list[RelationRecord] = []
    latest = max((pos for pos, _ in memory.claimants if pos < start), default=-1)
    recent = [
        r for r in earlier[-12:] if r.type != dtype and start - r.end < 600 and r.end >= latest
    ]
    for tok in _denial_verbs(sent, c):
        for ob in tok.children:
            if ob.dep_ != "dobj" or lemma(ob) not in c.report_nouns:
                continue
            if not any(d.dep_ == "det" and _definite(d) for d in ob.children):
                continue
            if any(ch.dep_ in ("acl", "relcl", "prep") for ch in ob.children):
                continue  # the noun says itself what it reports
            ctx = _deny_context(Context(), tok, s_lookup, c)
            denier = ctx.denier
            if denier is None:
                continue
            if lemma(ob) in accusation_nouns:
                claims = [r for r in recent if r.type in accusing]
            else:
                claims = [
                    r
                    for r in recent
                    if r.attributed_to and r.attributed_to_id != denier.id and not r.denied_by
                ]
            if not claims:
                continue
            claim = claims[-1]
            other_id, other = (
                (claim.subject_id, claim.subject)
                if claim.type in accusing or claim.object_id == denier.id
                else (claim.object_id, claim.object)
            )
            if other_id == denier.id:
                continue
            did = iris.relation_iri(
                claim.doc,
                dtype,
                denier.id,
                other_id,
                start,
                end,
                base,
                qualifier=_qualifier("positive", "actual", None, claim.id),
            )
            out.append(
                RelationRecord(
                    id=did,
                    doc=claim.doc,
                    type=dtype,
                    subject=denier.label,
                    subject_id=denier.id,
                    object=other,
                    object_id=other_id,
                    denies=claim.id,
                    sentence=sent.text,
                    start=start,
                    end=end,
                    confidence=0.6,
                )
            )
    return out


def _link_denials(records: list[RelationRecord], c: Compiled) -> list[RelationRecord]:
    """Fill ``denied_by`` of each denied relation from the denial records pointing at it."""
    dtype = denial_type(c.types)
    by_claim: dict[str, list[str]] = {}
    for r in records:
        if r.type == dtype and r.denies:
            by_claim.setdefault(r.denies, []).append(r.subject)
    out: list[RelationRecord] = []
    for r in records:
        deniers = by_claim.get(r.id)
        if deniers:
            merged = tuple(dict.fromkeys((*r.denied_by, *deniers)))
            merged = tuple(d for d in merged if d != UNNAMED_SOURCE) or merged
            r = replace(r, denied_by=merged)
        out.append(r)
    return out


def _merge_repeats(records: list[RelationRecord]) -> list[RelationRecord]:
    """One record per relation an identical sentence repeats (a caption printed twice)."""
    first: dict[tuple[object, ...], int] = {}
    id_map: dict[str, str] = {}
    out: list[RelationRecord] = []
    for r in records:
        denies = id_map.get(r.denies, r.denies) if r.denies else None
        key = (
            r.sentence,
            r.type,
            r.subject_id,
            r.object_id,
            r.polarity,
            r.modality,
            r.attributed_to,
            denies,
        )
        if key in first:
            i = first[key]
            kept = out[i]
            if kept.start != r.start:
                ev = Evidence(r.sentence, r.start, r.end)
                if ev not in kept.extra_evidence:
                    out[i] = replace(kept, extra_evidence=(*kept.extra_evidence, ev))
            id_map[r.id] = kept.id
            continue
        first[key] = len(out)
        out.append(r if denies == r.denies else replace(r, denies=denies))
    return out


def _outlets_in(sent: Span, lookup: Lookup, c: Compiled) -> list[Entity]:
    """Organisations a sentence credits with a story: "The Courier reported that ...", "sources
    told the Courier that ...", "a report in the Courier"."""
    from kg.extraction.context import _named_report_source

    found: list[Entity | None] = []
    lemmas = sentence_words(sent).lemmas
    if (
        lemmas.isdisjoint(c.outlet_verbs)
        and lemmas.isdisjoint(c.report_nouns)
        and (lemmas.isdisjoint(c.reporting) or lemmas.isdisjoint(c.anonymous_sources))
    ):
        return []  # none of the words that credit an outlet
    from kg.extraction.context import columns

    doc = sent.doc
    cols = columns(doc)
    words, tags = cols.lemmas, cols.pos
    for i in range(sent.start, sent.end):
        low = words[i]
        if not (
            (tags[i] == "VERB" and (low in c.outlet_verbs or low in c.reporting))
            or (tags[i] == "NOUN" and low in c.report_nouns)
        ):
            continue  # none of the tests below can pass: no token to make
        tok = doc[i]
        if tok.pos_ == "VERB" and low in c.outlet_verbs:
            found.extend(lookup(s) for s in _children(tok, "nsubj"))
        elif tok.pos_ == "VERB" and low in c.reporting and any(
            lemma(s) in c.anonymous_sources for s in _children(tok, "nsubj")
        ):
            found.extend(lookup(o) for o in _children(tok, "dobj", "dative"))
        elif tok.pos_ == "NOUN" and low in c.report_nouns:
            found.append(_named_report_source(tok, lookup, c))
    return [e for e in found if e is not None and e.type == "Organization"]


def credited_outlet(sentences: Iterable[tuple[Span, Lookup]], c: Compiled) -> Entity | None:
    """The one outlet an article credits with its reported story, if it names exactly one: the
    source of its unnamed "reports that ..." and "it was reported" (issue: sources across
    sentences). With two or more outlets nothing is guessed."""
    outlets = {e.id: e for sent, lookup in sentences for e in _outlets_in(sent, lookup, c)}
    return next(iter(outlets.values())) if len(outlets) == 1 else None


def _credited(ctx: Context, outlet: Entity | None) -> Context:
    if outlet is None or ctx.source is None or not ctx.source.report:
        return ctx
    return replace(ctx, source=Source(outlet.label, outlet))


def _segment_lookups(entities: EntityIndex, index: int) -> tuple[Lookup, GroupLookup]:
    from functools import partial

    from kg.extraction.context import TokenLookup
    from kg.extraction.entities import ResolvedEntities

    def group(tok: Token) -> tuple[Entity, ...]:
        return entities.entities_at(index, tok.i)

    at = (
        entities.singles(index).get
        if isinstance(entities, ResolvedEntities)
        else partial(entities.entity_at, index)
    )
    return TokenLookup(at), group


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _named_entities(entities: EntityIndex) -> dict[str, Entity]:
    """The article's entities by id, in order of first mention."""
    out: dict[str, Entity] = {}
    for ent in entities.in_text_order():
        out.setdefault(ent.id, ent)
    return out


def dateline_host(
    dateline: str | None, entities: Mapping[str, Entity]
) -> tuple[Entity | None, Entity | None]:
    """The city of a wire dateline ("WASHINGTON, Oct 19") and the country it is the capital of
    (entity_aliases.yaml: capitals), as the article's entities; None where it names neither."""
    found = wire_dateline(f"{dateline} - .") if dateline else None  # as it opened the text
    if found is None:
        return None, None
    city_name = _fold(found.place)
    country_name = _fold(load_alias_data().capitals.get(city_name, ""))

    def named(name: str) -> Entity | None:
        if not name:
            return None
        return next(
            (
                e
                for e in entities.values()
                if e.type in _PLACE_TYPES
                and name in {_fold(n) for n in (e.label, *e.aliases)}
            ),
            None,
        )

    return named(city_name), named(country_name)


def extract_relations(
    parsed: ParsedArticle,
    entities: EntityIndex,
    *,
    lexicon: Lexicon | None = None,
    base: str = iris.DEFAULT_BASE,
) -> tuple[RelationRecord, ...]:
    """All relation records of one parsed article, in text order, deterministic."""
    lex = lexicon or load_lexicon()
    c = compile_lexicon(lex)
    memory = DenialMemory()
    dtype = denial_type(c.types)
    article = parsed.article
    reference = parse_reference(article.date)
    phone = _phone_context((ps.doc for ps in parsed.segments), c)
    history: list[Entity] = []
    records: list[RelationRecord] = []
    lookups = [_segment_lookups(entities, index) for index in range(len(parsed.segments))]
    from functools import partial

    from kg.extraction.context import TokenLookup, sentences

    sents = [sentences(pseg.doc) for pseg in parsed.segments]
    outlet = credited_outlet(
        ((sent, lookups[index][0]) for index in range(len(sents)) for sent in sents[index]),
        c,
    )
    host = dateline_host(article.dateline, _named_entities(entities))
    for index, pseg in enumerate(parsed.segments):
        lookup, group = lookups[index]
        at = lookup.at if isinstance(lookup, TokenLookup) else partial(entities.entity_at, index)
        seg_start = pseg.segment.start
        for sent in sents[index]:
            start = seg_start + sent.start_char
            end = seg_start + sent.end_char
            text = article.text[start:end]
            drafts = extract_sentence_relations(
                sent,
                lookup,
                lexicon=lexicon,
                history=history,
                phone_context=phone,
                group_lookup=group,
                host=host,
            )
            drafts = [(f, _credited(ctx, outlet)) for f, ctx in drafts]
            recs = _records_for_sentence(
                article.doc, text, start, end, drafts, base, reference, c, sent
            )
            recs += _source_only_denials(sent, lookup, c, article.doc, start, end, base, recs)
            if not any(r.type == dtype for r in recs):
                recs += _anaphoric_denials(
                    sent, lookup, c, start, end, base, records, lex, memory
                )
            # denials of any statement: claim text for the ones above, records for the rest
            frames = find_denials(sent, lookup, c, lex, memory, group, seg_start)
            recs = add_statement_denials(
                frames, recs, doc_id=article.doc, sentence=text, start=start, end=end,
                offset=seg_start, base=base, lexicon=lex,
            )
            remember(sent, lookup, c, lex, memory, seg_start)
            records.extend(recs)
            for i in range(sent.start, sent.end):  # lookup(tok) without making the tokens
                ent = at(i)
                if ent is not None and (not history or history[-1].id != ent.id):
                    history.append(ent)
    spans = [(ps.segment.kind, (ps.segment.start, ps.segment.end)) for ps in parsed.segments]
    heads = [span for kind, span in spans if kind == "headline"]
    lead = next((span for kind, span in spans if kind == "paragraph"), None)
    records = complete_headline_denials(records, heads, lead, lex)
    return tuple(_merge_repeats(_link_denials(records, c)))

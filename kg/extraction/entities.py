"""Entity resolution within one article: mentions -> clusters -> typed, labelled entities.

Why this stage exists: relations are only useful between *resolved* entities. spaCy finds
name spans, but news refers to one person as "Russian President Vladimir Putin", "Putin",
"Mr Putin", "the Russian leader" and "he"; spells Zelensky / Zelenskyy; and tags "Trump" ORG in
a headline. This module turns spaCy's spans into :class:`Mention` objects that all point at one
:class:`~kg.model.Entity` per real-world thing in the article.

The steps, each conservative (a wrong merge creates false relations, a missed one only loses
recall):

1. name mentions from spaCy NER, with titles, roles, possessive 's and "(R)" tags stripped off
   and remembered (they give gender, role and country of a person);
2. clustering: alias data (US = United States), full names by first + last token (edit distance
   <= 2 on the last token), surnames joining the full name that has them;
3. a second pass finds names spaCy missed but the article already named;
4. one type per cluster by vote; canonical label = most frequent full form;
5. definite role nouns ("the US president-elect", "the spokesman", "his chancellor", "the
   Liberal leader"), pairs ("the two leaders"), groups ("the trio": the article's one list of
   three names, even a later one), people acting for a named body ("West German
   officials", "a Treasury spokesman") and pronouns resolved left to right only when exactly one
   candidate fits. What a person holds is learned from the article itself: titles before the
   name ("Pakistani President X", "Sir Edward Heath" -> "Sir Edward"), "of COUNTRY" after a
   titled name, appositions and "who is ..." clauses; capitalised qualifiers are affiliations
   ("Liberal leader") that a description must share.

This stage is the only owner of coreference: the relation stage asks :meth:`entity_at` /
:meth:`entities_at` and never guesses. Pronoun rules beyond "one candidate fits": the subject of
a clause that governs it ("X denied that he ..."); "A met B, his office said" (the reported
clause's subject); "A and B said they ..." (a group of the two speakers); "the two leaders"
(two persons named before it in the sentence, else the pair last named together, coordinated
or subject and object of one clause); when several persons fit, the one that is a subject, then
the article's main actor; he/she never resolves to a non-person, a name used as a modifier ("the
Attlee government") is no antecedent, and after "..., said a spokesman." a subject pronoun stays
open. Unsure means unresolved: a wrong party makes a false relation, a missing one only a miss.

Labels drop a leading "the" ("the Kremlin" -> "Kremlin") except for names listed under
``keep_the`` in ``ontology/entity_aliases.yaml`` ("The Washington Post").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

from kg import iris
from kg.errors import KGError
from kg.extraction.context import Compiled, columns, compile_lexicon, store_string
from kg.extraction.context import sentences as doc_sentences
from kg.lexicon import ONTOLOGY_DIR, load_lexicon, load_yaml
from kg.model import ENTITY_TYPES, Entity, EntityType

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from kg.extraction.nlp import ParsedArticle

ALIASES_PATH = ONTOLOGY_DIR / "entity_aliases.yaml"

MentionKind = Literal["name", "alias", "role", "pronoun", "representative"]
Representing = Literal["body", "any", "party"]
Gender = Literal["male", "female"]
#: (suffix, endings) pairs of ``demonym_rules``, in the data's order
DemonymRules = tuple[tuple[str, tuple[str, ...]], ...]

_LABEL_TYPES: Mapping[str, EntityType] = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "GeopoliticalEntity",
    "LOC": "Location",
    "FAC": "Location",
    "NORP": "Group",
}
#: Tie-break order of types in the vote (first wins).
_TYPE_PRIORITY: Mapping[str, int] = {t: i for i, t in enumerate(ENTITY_TYPES)}

_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})
_OBJ_DEPS = frozenset({"dobj", "dative", "obj", "pobj", "iobj"})
_DASHES = re.compile(r"\s*([-‐‑])\s*")
_CREDIT_TAIL = r"\b(?:{cues})\s*:[^\n]*$"
#: the credit pattern of alias data with no ``credit_cues``: no line is a credit
_NO_MATCH = re.compile(r"(?!)")


# --------------------------------------------------------------------------------------------
# Alias data


@dataclass(frozen=True)
class PersonFacts:
    """What news copy assumes readers know of a public figure: office, country, gender."""

    roles: frozenset[str] = frozenset()
    country: str | None = None
    gender: Gender | None = None


def _parse_people(
    value: Any, source: str, alias_to_canon: dict[str, tuple[str, EntityType]]
) -> dict[str, PersonFacts]:
    """``known_people``: label -> {aliases, roles, country, gender}; aliases become Person names."""
    people: dict[str, PersonFacts] = {}
    for canon, spec in _str_map(value, f"{source}: known_people").items():
        where = f"{source}: known_people.{canon}"
        spec = _str_map(spec, where)
        gender = spec.get("gender")
        if gender not in (None, "male", "female"):
            raise KGError(f"{where}.gender must be male, female or null")
        country = spec.get("country")
        if country is not None and not isinstance(country, str):
            raise KGError(f"{where}.country must be a string")
        for name in [canon, *_str_list(spec.get("aliases"), f"{where}.aliases")]:
            alias_to_canon[_norm(name)] = (canon, "Person")
        people[_norm(canon)] = PersonFacts(
            frozenset(_norm(r) for r in _str_list(spec.get("roles"), f"{where}.roles")),
            country,
            gender,
        )
    return people


@dataclass(frozen=True)
class AliasData:
    """``ontology/entity_aliases.yaml`` parsed: all keys lower-cased / normalised."""

    honorifics: Mapping[str, Gender | None]
    roles: frozenset[str]
    role_gender: Mapping[str, Gender]
    leader_roles: frozenset[str]
    role_modifiers: frozenset[str]
    other_holder_modifiers: frozenset[str]
    pair_nouns: Mapping[str, str]
    alias_to_canon: Mapping[str, tuple[str, EntityType]]
    capitals: Mapping[str, str]
    demonyms: Mapping[str, str]
    keep_the: Mapping[str, str]
    photo_agencies: frozenset[str]
    credit_re: re.Pattern[str]
    org_nouns: frozenset[str]
    not_person_words: frozenset[str] = frozenset()
    max_role_words: int = 3
    people: Mapping[str, PersonFacts] = field(default_factory=dict)
    city_verbs: frozenset[str] = frozenset()
    platforms: frozenset[str] = frozenset()
    first_name_titles: frozenset[str] = frozenset()
    affiliation_synonyms: Mapping[str, str] = field(default_factory=dict)
    portfolio_roles: frozenset[str] = frozenset()
    #: "the trio", "the three men": nouns and number words giving a group's size
    group_sizes: Mapping[str, int] = field(default_factory=dict)
    #: noun -> what its bearer may act for: "body" (country, organisation, party) or "any"
    #: (a person too: "Braun's spokesman")
    representatives: Mapping[str, Representing] = field(default_factory=dict)
    partial_words: frozenset[str] = frozenset()
    other_office_prefixes: frozenset[str] = frozenset()
    #: "the president of X", "a spokesman for X": the prepositions naming a role's body
    owner_preps: frozenset[str] = frozenset()
    #: "officials of X", "leaders in X": the prepositions naming representatives' body
    representative_preps: frozenset[str] = frozenset()
    #: personal pronouns and the gender each refers to ("he" -> male, "her" -> female)
    pronouns: Mapping[str, Gender] = field(default_factory=dict)
    #: pronouns of a thing or a body ("it", "its")
    it_pronouns: frozenset[str] = frozenset()
    #: the pronoun of a group ("they"), and the possessive that looks back to any party
    group_pronouns: frozenset[str] = frozenset()
    back_possessives: frozenset[str] = frozenset()
    #: relative pronouns: the subject of a relative clause is the noun it modifies
    relative_pronouns: frozenset[str] = frozenset()
    #: possessive endings trimmed off a name ("Braun's" -> Braun)
    possessive_marks: frozenset[str] = frozenset()
    #: lower-case words inside surnames ("Ursula von der Leyen", "Lula da Silva")
    name_particles: frozenset[str] = frozenset()
    #: prepositions whose object acts in a relation ("talks with Velmar": the country)
    actor_preps: frozenset[str] = frozenset()
    #: articles dropped before a name ("the Kremlin"), and the definite one, which makes a
    #: role noun refer back ("the president")
    articles: frozenset[str] = frozenset()
    definite_articles: frozenset[str] = frozenset()
    #: (suffix, endings) in order: a nationality word with the suffix may derive from the
    #: country name its stem plus an ending makes ("veridian" -> "veridia")
    demonym_rules: DemonymRules = ()
    #: prepositions of a place: "in Ostria", "near Kestland"
    locative_preps: frozenset[str] = frozenset()
    #: reflexive pronouns of a person ("himself"): the subject of their own clause
    reflexive_pronouns: frozenset[str] = frozenset()
    #: the possessive clitic a tokenizer splits off a name ("Braun 's"), as written in the text
    #: and normalised; ``possessive_clitic`` is the first one listed, normalised: the form a
    #: bare apostrophe is read as ("Reuters'" as "reuters's")
    possessive_clitics: frozenset[str] = frozenset()
    possessive_clitic: str = ""
    #: words joining two names or two title words ("Bill and Hillary Clinton", "Trade and
    #: Industry Secretary")
    conjunctions: frozenset[str] = frozenset()
    #: "the two leaders", "both men": the words that make a pair noun name a pair
    pair_words: frozenset[str] = frozenset()
    #: the preposition of belonging: "Secretary of State", "the town of X", "some of them"
    genitive_preps: frozenset[str] = frozenset()
    #: "Prince Abdullah, who is deputy prime minister": the verb that describes a name (lemmas)
    copulas: frozenset[str] = frozenset()
    #: roles naming whoever heads a government or state, whatever the office ("the Russian
    #: leader")
    generic_leader_roles: frozenset[str] = frozenset()
    #: endings of a role to come that is the same office ("president-elect": president)
    future_role_suffixes: frozenset[str] = frozenset()
    #: role -> the office it names the same way ("pm" -> "prime minister")
    role_synonyms: Mapping[str, str] = field(default_factory=dict)
    #: "met officials in the Finance Ministry": a preposition whose phrase right after a
    #: representative noun is the noun's, even when the parser hangs it on the verb
    representative_trailing_preps: frozenset[str] = frozenset()


#: the parts of speech :meth:`_Resolver._reference` reads a reference from (besides a pronoun
#: word and an adjective before a stand-in noun)
_REFERENCE_POS = frozenset({"PRON", "NOUN", "PROPN"})


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    """Identity form of a surface string: NFKC, case-folded, curly quotes straightened."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return " ".join(_DASHES.sub(r"\1", text).casefold().split())


def _str_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KGError(f"{where} must be a list of strings")
    return list(value)


def _str_map(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise KGError(f"{where} must be a mapping")
    return {str(k): v for k, v in value.items()}


def _norm_set(data: Mapping[str, Any], key: str, source: str) -> frozenset[str]:
    return frozenset(_norm(n) for n in _str_list(data.get(key), f"{source}: {key}"))


def _without_article(name: str, articles: frozenset[str]) -> str | None:
    """``name`` after a leading article of ``articles`` ("the Kremlin" -> "Kremlin"), or None
    when it does not begin with one."""
    head, sep, rest = name.partition(" ")
    return rest if sep and head.lower() in articles else None


def _parse_demonym_rules(value: Any, source: str) -> DemonymRules:
    """``demonym_rules``: suffix -> the endings that replace it, in the data's order."""
    rules: list[tuple[str, tuple[str, ...]]] = []
    for suffix, endings in _str_map(value, f"{source}: demonym_rules").items():
        where = f"{source}: demonym_rules.{suffix}"
        if not _norm(suffix):
            raise KGError(f"{where}: the suffix must not be empty")
        if not isinstance(endings, list):
            raise KGError(f"{where} must be a list of strings")
        rules.append((_norm(suffix), tuple(_norm(e) for e in _str_list(endings, where))))
    return tuple(rules)


def parse_alias_data(data: Any, source: str = "entity_aliases") -> AliasData:
    """Build :class:`AliasData` from parsed YAML; a clear error names the malformed part."""
    if not isinstance(data, dict):
        raise KGError(f"{source}: expected a mapping")
    definite_articles = _norm_set(data, "definite_articles", source)
    honorifics: dict[str, Gender | None] = {}
    for k, v in _str_map(data.get("honorifics"), f"{source}: honorifics").items():
        if v not in (None, "male", "female"):
            raise KGError(f"{source}: honorifics.{k} must be male, female or null")
        honorifics[_norm(k)] = v
    role_gender: dict[str, Gender] = {}
    for k, v in _str_map(data.get("role_gender"), f"{source}: role_gender").items():
        if v not in ("male", "female"):
            raise KGError(f"{source}: role_gender.{k} must be male or female")
        role_gender[_norm(k)] = v
    alias_to_canon: dict[str, tuple[str, EntityType]] = {}
    for etype, names in _str_map(data.get("aliases"), f"{source}: aliases").items():
        if etype not in ENTITY_TYPES:
            raise KGError(f"{source}: aliases.{etype} is not one of {', '.join(ENTITY_TYPES)}")
        for canon, others in _str_map(names, f"{source}: aliases.{etype}").items():
            typed: EntityType = etype
            for name in [canon, *_str_list(others, f"{source}: aliases.{etype}.{canon}")]:
                alias_to_canon[_norm(name)] = (canon, typed)
                bare = _without_article(name, definite_articles)
                if bare is not None:
                    alias_to_canon[_norm(bare)] = (canon, typed)
    people = _parse_people(data.get("known_people"), source, alias_to_canon)
    representatives: dict[str, Representing] = {}
    for k, v in _str_map(data.get("representatives"), f"{source}: representatives").items():
        if v not in ("body", "any", "party"):
            raise KGError(f"{source}: representatives.{k} must be body, any or party")
        representatives[_norm(k)] = v
    roles = frozenset(_norm(r) for r in _str_list(data.get("roles"), f"{source}: roles"))
    pronouns: dict[str, Gender] = {}
    for gender, words in _str_map(data.get("pronouns"), f"{source}: pronouns").items():
        if gender not in ("male", "female"):
            raise KGError(f"{source}: pronouns.{gender} must be male or female")
        known: Gender = "male" if gender == "male" else "female"
        for w in _str_list(words, f"{source}: pronouns.{gender}"):
            pronouns[_norm(w)] = known
    cues = _str_list(data.get("credit_cues"), f"{source}: credit_cues")
    credit_re = (
        re.compile(_CREDIT_TAIL.format(cues="|".join(re.escape(c) for c in cues)), re.IGNORECASE)
        if cues
        else _NO_MATCH
    )
    clitics = _str_list(data.get("possessive_clitics"), f"{source}: possessive_clitics")
    if not all(_norm(c) for c in clitics):
        raise KGError(f"{source}: possessive_clitics must not hold an empty string")
    role_synonyms: dict[str, str] = {}
    for k, v in _str_map(data.get("role_synonyms"), f"{source}: role_synonyms").items():
        if not isinstance(v, str):
            raise KGError(f"{source}: role_synonyms.{k} must be a string")
        role_synonyms[_norm(k)] = _norm(v)
    suffixes = _norm_set(data, "future_role_suffixes", source)
    if "" in suffixes:
        raise KGError(f"{source}: future_role_suffixes must not hold an empty string")
    pair_nouns: dict[str, str] = {}
    for k, v in _str_map(data.get("pair_nouns"), f"{source}: pair_nouns").items():
        # the kind is a value the code reads, not a word: "leader" gathers heads of state
        if v not in ("leader", "any"):
            raise KGError(f"{source}: pair_nouns.{k} must be leader or any")
        pair_nouns[_norm(k)] = v
    return AliasData(
        honorifics=honorifics,
        roles=roles,
        role_gender=role_gender,
        leader_roles=frozenset(
            _norm(r) for r in _str_list(data.get("leader_roles"), f"{source}: leader_roles")
        ),
        role_modifiers=frozenset(
            _norm(r) for r in _str_list(data.get("role_modifiers"), f"{source}: role_modifiers")
        ),
        other_holder_modifiers=frozenset(
            _norm(r)
            for r in _str_list(
                data.get("other_holder_modifiers"), f"{source}: other_holder_modifiers"
            )
        ),
        pair_nouns=pair_nouns,
        alias_to_canon=alias_to_canon,
        group_sizes={
            _norm(k): int(v)
            for k, v in _str_map(data.get("group_sizes"), f"{source}: group_sizes").items()
        },
        capitals={
            _norm(k): str(v)
            for k, v in _str_map(data.get("capitals"), f"{source}: capitals").items()
        },
        demonyms={
            _norm(k): str(v)
            for k, v in _str_map(data.get("demonyms"), f"{source}: demonyms").items()
        },
        keep_the={
            _norm(n if (bare := _without_article(n, definite_articles)) is None else bare): n
            for n in _str_list(data.get("keep_the"), f"{source}: keep_the")
        },
        photo_agencies=frozenset(
            _norm(n) for n in _str_list(data.get("photo_agencies"), f"{source}: photo_agencies")
        ),
        credit_re=credit_re,
        org_nouns=frozenset(
            _norm(n) for n in _str_list(data.get("org_nouns"), f"{source}: org_nouns")
        ),
        not_person_words=frozenset(
            _norm(n)
            for n in _str_list(data.get("not_person_words"), f"{source}: not_person_words")
        ),
        max_role_words=max((len(r.split()) for r in roles), default=1),
        people=people,
        platforms=frozenset(
            _norm(n) for n in _str_list(data.get("platforms"), f"{source}: platforms")
        ),
        city_verbs=frozenset(
            _norm(n) for n in _str_list(data.get("city_verbs"), f"{source}: city_verbs")
        ),
        first_name_titles=_norm_set(data, "first_name_titles", source),
        affiliation_synonyms={
            _norm(k): _norm(str(v))
            for k, v in _str_map(
                data.get("affiliation_synonyms"), f"{source}: affiliation_synonyms"
            ).items()
        },
        portfolio_roles=_norm_set(data, "portfolio_roles", source),
        representatives=representatives,
        partial_words=_norm_set(data, "partial_words", source),
        other_office_prefixes=_norm_set(data, "other_office_prefixes", source),
        owner_preps=_norm_set(data, "owner_preps", source),
        representative_preps=_norm_set(data, "representative_preps", source),
        pronouns=pronouns,
        it_pronouns=_norm_set(data, "it_pronouns", source),
        group_pronouns=_norm_set(data, "group_pronouns", source),
        back_possessives=_norm_set(data, "back_possessives", source),
        relative_pronouns=_norm_set(data, "relative_pronouns", source),
        possessive_marks=_norm_set(data, "possessive_marks", source),
        name_particles=_norm_set(data, "name_particles", source),
        actor_preps=_norm_set(data, "actor_preps", source),
        articles=_norm_set(data, "articles", source),
        definite_articles=definite_articles,
        demonym_rules=_parse_demonym_rules(data.get("demonym_rules"), source),
        locative_preps=_norm_set(data, "locative_preps", source),
        reflexive_pronouns=_norm_set(data, "reflexive_pronouns", source),
        possessive_clitics=frozenset(clitics) | frozenset(_norm(c) for c in clitics),
        possessive_clitic=_norm(clitics[0]) if clitics else "",
        conjunctions=_norm_set(data, "conjunctions", source),
        pair_words=_norm_set(data, "pair_words", source),
        genitive_preps=_norm_set(data, "genitive_preps", source),
        copulas=_norm_set(data, "copulas", source),
        generic_leader_roles=_norm_set(data, "generic_leader_roles", source),
        future_role_suffixes=suffixes,
        role_synonyms=role_synonyms,
        representative_trailing_preps=_norm_set(data, "representative_trailing_preps", source),
    )


@lru_cache(maxsize=4)
def load_alias_data(path: Path = ALIASES_PATH) -> AliasData:
    """Read ``ontology/entity_aliases.yaml`` once per process."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = load_yaml(fh.read())
    except (OSError, yaml.YAMLError) as exc:
        raise KGError(f"{path}: cannot read entity alias data: {exc}") from exc
    return parse_alias_data(data, source=str(path))


# --------------------------------------------------------------------------------------------
# Public result


@dataclass(frozen=True)
class Mention:
    """One reference to an entity: token span in a segment's doc plus article character offsets."""

    segment: int
    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    entity_id: str
    kind: MentionKind


@dataclass(frozen=True)
class ResolvedEntities:
    """The entities of one article and every mention of them, in article order.

    A group mention ("the two leaders") is one :class:`Mention` per member over the same span:
    :meth:`entities_at` returns all members, :meth:`entity_at` returns ``None`` there so a
    caller that expects one party never silently gets half of a pair.
    """

    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    _by_token: Mapping[tuple[int, int], tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _by_id: Mapping[str, Entity] = field(default_factory=dict, repr=False, compare=False)
    #: the one entity at a token, where there is exactly one (:meth:`entity_at`, asked per token)
    _one: Mapping[tuple[int, int], Entity] = field(
        default_factory=dict, repr=False, compare=False
    )
    _one_by_segment: Mapping[int, Mapping[int, Entity]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_id = {e.id: e for e in self.entities}
        by_token: dict[tuple[int, int], list[str]] = {}
        for m in self.mentions:
            for tok in range(m.start, m.end):
                ids = by_token.setdefault((m.segment, tok), [])
                if m.entity_id not in ids:
                    ids.append(m.entity_id)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_token", {k: tuple(v) for k, v in by_token.items()})
        one = {k: by_id[v[0]] for k, v in by_token.items() if len(v) == 1 and v[0] in by_id}
        object.__setattr__(self, "_one", one)
        by_segment: dict[int, dict[int, Entity]] = {}
        for (segment, token), ent in one.items():
            by_segment.setdefault(segment, {})[token] = ent
        object.__setattr__(self, "_one_by_segment", by_segment)

    def entities_at(self, segment: int, token: int) -> tuple[Entity, ...]:
        """Every entity a mention covering that token refers to (two for "the two leaders")."""
        return tuple(self._by_id[i] for i in self._by_token.get((segment, token), ()))

    def in_text_order(self) -> Iterator[Entity]:
        """The entities of the mentions covering each token, token by token in text order
        (as :meth:`entities_at` gives them), without visiting the tokens no mention covers."""
        for key in sorted(self._by_token):
            for i in self._by_token[key]:
                yield self._by_id[i]

    def entity_at(self, segment: int, token: int) -> Entity | None:
        """The one entity whose mention covers that token; ``None`` if none or a group."""
        return self._one.get((segment, token))

    def singles(self, segment: int) -> Mapping[int, Entity]:
        """:meth:`entity_at` of one segment as a mapping by token index (a caller asking for
        every token reads it without a call per token)."""
        return self._one_by_segment.get(segment, {})

    def by_id(self, entity_id: str) -> Entity:
        """The entity with that IRI (``KeyError`` if it is not in this article)."""
        return self._by_id[entity_id]

    def mentions_of(self, entity_id: str) -> tuple[Mention, ...]:
        """All mentions of one entity, in article order."""
        return tuple(m for m in self.mentions if m.entity_id == entity_id)


# --------------------------------------------------------------------------------------------
# Internal working objects


@dataclass(eq=False)
class _Raw:
    """A name mention before clustering."""

    seg: int
    start: int
    end: int
    text: str
    label: str | None  # spaCy label, None when found by the known-name pass
    surfaces: list[str]
    roles: list[str]
    country: str | None
    gender: Gender | None
    canon: tuple[str, EntityType] | None = None
    titled: bool = False
    cluster: int = -1
    kind: MentionKind = "name"
    affiliations: set[str] = field(default_factory=set)
    qualifiers: set[str] = field(default_factory=set)
    #: after a title used with first names ("Sir Edward", "Sir Edward Heath")
    first_name: bool = False


@dataclass(eq=False)
class _Cluster:
    index: int
    first: tuple[int, int]
    raws: list[_Raw] = field(default_factory=list)
    canon: tuple[str, EntityType] | None = None
    person_full: bool = False
    entity: Entity | None = None
    roles: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    gender: Gender | None = None
    gender_conflict: bool = False
    maybe_person: bool = False
    pronoun_votes: int = 0
    affiliations: set[str] = field(default_factory=set)
    qualifiers: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Title:
    """What the words around a name say of its bearer: offices, country, gender, affiliation."""

    roles: tuple[str, ...] = ()
    country: str | None = None
    gender: Gender | None = None
    titled: bool = False
    #: a title used with a first name ("Sir Edward", "Prince Abdullah")
    first_name: bool = False
    #: parties, bodies and portfolios the holder belongs to ("liberal", "bp", "defense")
    affiliations: frozenset[str] = frozenset()
    #: other words qualifying the role ("party" in "party leader", "transport spokesman")
    qualifiers: frozenset[str] = frozenset()

    def plus(self, other: _Title) -> _Title:
        return _Title(
            (*self.roles, *other.roles),
            self.country or other.country,
            self.gender or other.gender,
            self.titled or other.titled,
            self.first_name or other.first_name,
            self.affiliations | other.affiliations,
            self.qualifiers | other.qualifiers,
        )


def _edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, stopping early once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _similar_surname(a: str, b: str) -> bool:
    """Zelensky ~ Zelenskyy: equal, or edit distance <= 2 on names long enough to bear it."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and a[0] == b[0] and _edit_distance(a, b) <= 2


def demonym_stems(word: str, rules: DemonymRules | None = None) -> list[str]:
    """Country names a nationality word may derive from ("veridian" -> "veridia", ...).

    ``rules``: (suffix, endings) pairs, by default the alias data's ``demonym_rules``
    ("Veridian" -> "Veridia", "Kestish" -> "Kestland", "Aldmarker" -> "Aldmark"). Irregular
    demonyms live in the alias data too (``demonyms``)."""
    out: list[str] = []
    for suffix, repl in load_alias_data().demonym_rules if rules is None else rules:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            out.extend(stem + r for r in repl if stem + r != word)
    return out


def _derive_demonyms(
    docs: Sequence[Doc], data: AliasData, ents: Sequence[tuple[Span, ...]] | None = None
) -> dict[str, str]:
    """Nationality words of this article whose country the article names: "Veridian" ->
    "Veridia" when "Veridia" is a name here. One pass over the tokens; no name lists.
    ``ents``: each doc's ``doc.ents`` when the caller has them."""
    names: dict[str, str] = {}
    for doc_ents in ents if ents is not None else [d.ents for d in docs]:
        for ent in doc_ents:
            if ent.label_ in ("GPE", "ORG", "PERSON", "LOC", "NORP") and len(ent) == 1:
                names.setdefault(_norm(ent.text), ent.text)
            elif ent.label_ == "GPE" and ent[-1].is_title:
                # "West Ostria": "West Ostrian" is built on "Ostrian"
                names.setdefault(_norm(ent[-1].text), ent[-1].text)
    words: set[str] = set()
    for doc in docs:
        cols = columns(doc)
        for i, text in enumerate(cols.texts):
            # Token.is_alpha is str.isalpha of the text (spaCy's lexical attribute)
            if text[:1].isupper() and cols.pos[i] in ("ADJ", "PROPN", "NOUN") and text.isalpha():
                words.add(_norm(text))
    out: dict[str, str] = {}
    for w in sorted(words):
        if w in data.demonyms:
            continue
        for stem in demonym_stems(w, data.demonym_rules):
            if stem in names and stem != w:
                out[w] = names[stem]
                break
    return out


def _ending(text: str, marks: Iterable[str]) -> int:
    """Length of the longest of ``marks`` that ``text`` ends with; 0 if none."""
    return max((len(m) for m in marks if m and text.endswith(m)), default=0)


def _first_compatible(a: str, b: str) -> bool:
    """Same first token, or one is the other's initial ("J." ~ "Joe")."""
    a, b = a.rstrip("."), b.rstrip(".")
    if a == b:
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


class _Resolver:
    """One article's resolution state; created and used by :func:`resolve_entities` only."""

    def __init__(self, parsed: ParsedArticle, data: AliasData, base: str) -> None:
        self.parsed = parsed
        self.data = data
        self.base = base
        self.docs: list[Doc] = [ps.doc for ps in parsed.segments]
        # Doc.text joins the tokens anew on each access: read it once per segment, and for
        # all but headlines (parsed truecased) take it from the article (spaCy's doc text is
        # the text it was given)
        art = parsed.article.text
        self.texts: list[str] = [
            columns(d).text if ps.segment.kind == "headline"
            else art[ps.segment.start : ps.segment.end]
            for ps, d in zip(parsed.segments, self.docs, strict=True)
        ]
        #: each doc's entities, read once (Doc.ents makes new spans on each access)
        self.ents: list[tuple[Span, ...]] = [tuple(d.ents) for d in self.docs]
        self.offsets = [ps.segment.start for ps in parsed.segments]
        self.raws: list[_Raw] = []
        self.clusters: list[_Cluster] = []
        self.covered: set[tuple[int, int]] = set()
        self.quoted: list[list[bool]] = [
            self._quote_mask(d, t) for d, t in zip(self.docs, self.texts, strict=True)
        ]
        self.seg_index = {id(d): i for i, d in enumerate(self.docs)}
        #: token -> the name mention covering it (filled once names are final)
        self.raw_at: dict[tuple[int, int], _Raw] = {}
        #: (noun, cluster) for "a Treasury spokesman": "the spokesman" later is the Treasury
        self.spoke_for: list[tuple[str, int]] = []
        #: persons last named together (coordinated, or subject and object of one clause),
        #: latest last: "the two leaders" when no sentence nearby names exactly two
        self.pairs: list[tuple[int, int]] = []
        #: lists of three or more persons named together anywhere in the article ("A, B and
        #: C"): "the men" or "the trio" may name them before the list comes
        self.groups: list[tuple[int, ...]] = []
        #: stand-in noun -> the cluster that last owned one ("Green Alliance plans", "Varga's
        #: budget"): a later bare "the plans" is theirs
        self.owned_acts: dict[str, int] = {}
        self.cues: Compiled = _compiled_cues()
        #: memos of _country_of and _analyse_modifiers (pure given this article's names): the
        #: same title words are read for every name and every cut of it
        self._countries: dict[tuple[str, ...], str | None] = {}
        self._modifiers: dict[tuple[tuple[str, ...], frozenset[str]], _Title | None] = {}
        self._main: int | None = -1
        self.derived_demonyms = _derive_demonyms(self.docs, data, self.ents)
        self.demonym_countries = frozenset(_norm(v) for v in self.derived_demonyms.values())
        #: places the article names, by normalised text ("west germany" -> "West Germany")
        self.article_gpes = {
            _norm(e.text): e.text for ents in self.ents for e in ents if e.label_ == "GPE"
        }
        #: country names the alias data or this article's nationality words point at
        self.country_names = {
            _norm(v): v
            for v in (*data.demonyms.values(), *data.capitals.values(),
                      *self.derived_demonyms.values())
        }
        #: last words of multi-word person names: "Braun" in "Kolar and Braun" is a surname
        self.surnames = frozenset(
            _norm(e[-1].text) for ents in self.ents for e in ents
            if e.label_ == "PERSON" and len(e) > 1
        )

    # ---- helpers over tokens ---------------------------------------------------------------

    @staticmethod
    def _quote_mask(doc: Doc, text: str) -> list[bool]:
        """Per token: inside double quotes (reset per segment; straight quotes toggle);
        ``text``: the doc's text."""
        if not any(q in text for q in ('"', "“", "”", "«", "»", "``", "''")):
            return [False] * len(doc)  # no quote token: nothing is inside quotes
        mask: list[bool] = []
        inside = False
        cols = columns(doc)
        for t, idx in zip(cols.texts, cols.idx, strict=True):
            if t in ("“", "”", '"', "``", "''") or (len(t) == 1 and t in "«»"):
                if t in ("“", "«", "``"):
                    inside = True
                elif t in ("”", "»", "''"):
                    inside = False
                else:
                    # a straight quote opens after a space and closes after a word or comma
                    before = text[idx - 1] if idx > 0 else " "
                    inside = before.isspace() or before in "([{—–-"
                mask.append(False)
                continue
            mask.append(inside)
        return mask

    def _text(self, seg: int, start: int, end: int) -> str:
        """``doc[start:end].text`` of segment ``seg`` (start < end), cut from the segment's
        text instead of joining the tokens anew."""
        cols = columns(self.docs[seg])
        return self.texts[seg][cols.idx[start] : cols.idx[end - 1] + len(cols.texts[end - 1])]

    def _in_credit(self, seg: int, span: Span) -> bool:
        text = self.texts[seg]
        line_start = text.rfind("\n", 0, span.start_char) + 1
        if text.find(":", line_start, span.start_char) < 0:
            return False  # every credit cue ends in a colon (_CREDIT_TAIL)
        return bool(self.data.credit_re.search(text, line_start, span.start_char))

    def _role_at_end(self, words: Sequence[str]) -> tuple[str, int] | None:
        """The longest role noun that ``words`` end with, and how many words it takes."""
        for n in range(min(self.data.max_role_words, len(words)), 0, -1):
            cand = " ".join(words[-n:])
            if cand in self.data.roles:
                return cand, n
            cut = _ending(cand, self.data.future_role_suffixes) if n == 1 else 0
            if cut and cand[:-cut] in self.data.roles:
                return cand, n
        return None

    def _country_of(self, words: Sequence[str]) -> str | None:
        """Country named by modifier words ("russian", "us", "russia's")."""
        key = tuple(words)
        if key in self._countries:
            return self._countries[key]
        found = self._countries[key] = self._find_country(key)
        return found

    def _find_country(self, words: Sequence[str]) -> str | None:
        text = " ".join(words)
        # a trailing possessive and the space before it: "russia's", "the us '"
        cut = _ending(text, self.data.possessive_clitics | {"'"})
        if cut:
            text = text[:-cut]
            text = text[:-1] if text.endswith(" ") else text
        if text in self.data.demonyms:
            return self.data.demonyms[text]
        if text in self.derived_demonyms:
            return self.derived_demonyms[text]
        canon = self.data.alias_to_canon.get(text)
        if canon and canon[1] == "GeopoliticalEntity":
            return canon[0]
        if text in self.country_names:
            return self.country_names[text]
        if text in self.article_gpes:
            return self.article_gpes[text]  # "Ostria's Crown Prince": a place the text names
        if len(words) > 1 and all(w.isalpha() for w in words):
            # "West German" when the article names West Germany: prefix + the last word's country
            last = self._country_of(words[-1:])
            if last is not None:
                return self.article_gpes.get(" ".join([*words[:-1], _norm(last)]))
        return None

    def _analyse_modifiers(
        self, words: list[str], caps: frozenset[str] = frozenset()
    ) -> _Title | None:
        """Split title words into roles, country, gender and affiliation; None if not all known
        (:meth:`_read_modifiers`, memoised)."""
        key = (tuple(words), caps)
        if key in self._modifiers:
            return self._modifiers[key]
        found = self._modifiers[key] = self._read_modifiers(words, caps)
        return found

    def _read_modifiers(self, words: list[str], caps: frozenset[str]) -> _Title | None:
        """Split title words into roles, country, gender and affiliation; None if not all known.

        ``words`` are normalised tokens ("russian", "president") with "'s" and hyphens joined;
        ``caps`` the words written capitalised in the text: a capitalised qualifier of a role is
        the holder's affiliation ("Liberal leader", "Trade and Industry Secretary").
        """
        roles: list[str] = []
        country: str | None = None
        gender: Gender | None = None
        titled = False
        first_name = False
        affiliation: list[str] = []
        qualifiers: set[str] = set()
        i = len(words)
        while i > 0:
            head = words[:i]
            role = self._role_at_end(head)
            if role:
                roles.append(role[0])
                gender = gender or self.data.role_gender.get(role[0])
                first_name = first_name or role[0] in self.data.first_name_titles
                titled = True
                i -= role[1]
                continue
            w = words[i - 1]
            if w.rstrip(".") in self.data.honorifics or w in self.data.honorifics:
                gender = gender or self.data.honorifics.get(w.rstrip("."))
                first_name = first_name or w.rstrip(".") in self.data.first_name_titles
                titled = True
                i -= 1
                continue
            found = None
            for n in (3, 2, 1):
                if n <= i and self._country_of(words[i - n : i]):
                    found = n
                    break
            if found:
                country = country or self._country_of(words[i - found : i])
                i -= found
                continue
            if roles and w in self.data.other_office_prefixes and words[i:i + 1] and (
                words[i] == roles[-1].split()[0]
            ):
                # "shadow chancellor", "deputy secretary": another office than the chancellor's
                roles[-1] = f"{w} {roles[-1]}"
                i -= 1
                continue
            if (
                w in self.data.role_modifiers or w == "-" or w in self.data.possessive_clitics
                or w in self.data.definite_articles
            ):
                i -= 1
                continue
            if roles and w.isalpha() and w.islower():
                # a noun qualifying a role: "communications director", "government spokesman"
                if w in caps or (affiliation and w in self.data.conjunctions):
                    affiliation.insert(0, w)
                elif w not in self.data.conjunctions:
                    qualifiers.add(w)
                i -= 1
                continue
            return None
        while affiliation and affiliation[0] in self.data.conjunctions:
            affiliation.pop(0)
        aff = " ".join(affiliation)
        return _Title(
            tuple(roles), country, gender, titled, first_name,
            frozenset({self.data.affiliation_synonyms.get(aff, aff)} if aff else ()),
            frozenset(qualifiers),
        )

    def _possessive(self, tok: Token) -> bool:
        """A possessive clitic ("'s") or a bare apostrophe ("the US' force")."""
        return tok.text == "'" or tok.text in self.data.possessive_clitics

    @staticmethod
    def _caps(tokens: Iterable[Token]) -> frozenset[str]:
        """Normalised words written with a capital initial ("Liberal" in "Liberal leader")."""
        return frozenset(_norm(t.text) for t in tokens if t.text[:1].isupper())

    def _words(self, tokens: Iterable[Token]) -> list[str]:
        """Normalised words of a token run, hyphenated compounds and possessives joined."""
        out: list[str] = []
        for tok in tokens:
            w = _norm(tok.text)
            if out and (w == "-" or out[-1].endswith("-")):
                out[-1] += w
            elif (w in self.data.possessive_clitics or w == "'") and out:
                out[-1] += self.data.possessive_clitic
            else:
                out.append(w)
        return [w for w in out if w]

    # ---- 1. name mentions ------------------------------------------------------------------

    def collect_names(self) -> None:
        for seg, doc in enumerate(self.docs):
            honorific = self._honorific_names(doc)
            named = {t.i for span in honorific for t in span}
            for ent in self.ents[seg]:
                if ent.label_ in _LABEL_TYPES and not (
                    ent.label_ == "NORP" and ent.start in named
                ):
                    self._add_ent(seg, doc, ent)
            for span in honorific:
                self._add_ent(seg, doc, span)
            self._add_org_phrases(seg, doc)

    def _honorific_names(self, doc: Doc) -> list[Span]:
        """"Mr Lammy" that the tagger left out: an honorific and the capitalised proper nouns
        after it name a person."""
        from spacy.tokens import Span

        # "Mr Thorpe" tagged a nationality (NORP) is still a person: an honorific says so
        ents = self.ents[self.seg_index[id(doc)]]
        covered = {i for e in ents if e.label_ != "NORP" for i in range(e.start, e.end)}
        out: list[Span] = []
        n = len(doc)
        cols = columns(doc)
        texts, tags = cols.texts, cols.pos
        for i, text in enumerate(texts):
            if not text[:1].isupper() or i in covered:
                continue  # "sir" in running text (tested first: most words go here)
            word = _norm(text).rstrip(".")
            if word not in self.data.honorifics and word not in self.data.first_name_titles:
                continue
            j = i + 1 + (i + 1 < n and texts[i + 1] == ".")
            k = j
            while (
                k < n and k not in covered and tags[k] == "PROPN" and texts[k][:1].isupper()
                and not (texts[k].isupper() and len(texts[k]) > 1)  # an all-capitals headline
                and _norm(texts[k]) not in self.data.roles
            ):
                k += 1
            if k > j:
                out.append(Span(doc, i, k, label="PERSON"))
        return out

    def _add_ent(self, seg: int, doc: Doc, ent: Span) -> None:
        data = self.data
        if self._in_credit(seg, ent):
            return
        toks = list(ent)
        label = ent.label_
        # trailing possessive, "(R)"-style tags and punctuation
        while toks and (_norm(toks[-1].text) in data.possessive_marks or not toks[-1].text.strip()):
            toks.pop()
        while toks and toks[-1].is_punct:
            toks.pop()
        if len(toks) >= 3 and toks[-1].text == ")" and toks[-3].text == "(":
            toks = toks[:-3]
        while toks and toks[0].lower_ in data.articles:
            toks.pop(0)
        if not toks:
            return
        if label == "NORP":
            self._add_norp(seg, doc, toks)
            return
        if label == "ORG" and self._owned_by_person(doc, toks):
            # "Mr Varga's Regional Water Fund" tagged as one organisation: a
            # person's scheme, no party of its own; the person is a name
            from spacy.tokens import Span

            cut = next(t.i for t in toks if t.tag_ == "POS")
            self._add_ent(seg, doc, Span(doc, toks[0].i, cut, label="PERSON"))
            return
        if label in ("PERSON", "ORG"):
            only = self._analyse_modifiers(self._words(toks))
            if only is not None and only.roles:
                return  # "High Commissioner", "Crown Prince" tagged as a name: a title alone
        title = _Title()
        span_start = toks[0].i
        # titles inside the span ("President Trump" tagged as one PERSON)
        if label in ("PERSON", "ORG") and len(toks) > 1:
            for cut in range(len(toks) - 1, 0, -1):
                mods = self._analyse_modifiers(self._words(toks[:cut]), self._caps(toks[:cut]))
                if mods is not None and mods.titled and (
                    toks[cut].text[:1].isupper() or toks[cut].lower_ in data.name_particles
                ):
                    title = mods
                    toks = toks[cut:]
                    label = "PERSON"
                    break
        if label in ("PERSON", "ORG", "GPE"):
            toks = self._through_particles(doc, toks)
        text = self._text(seg, toks[0].i, toks[-1].i + 1)
        if label == "PERSON" and len(toks) == 1:
            text = self._shared_surname(doc, toks[0]) or text
        norm = _norm(text)
        if (
            not norm or norm in data.photo_agencies or norm in data.platforms
            or not any(c.isalnum() for c in norm)
        ):
            return
        if label in ("ORG", "GPE") and not title.titled and self._portfolio(doc, toks[-1]):
            return  # "Defense | Secretary Caspar Weinberger": the office's name, not a party
        # titles before the span, in the same noun phrase ("Russian President | Vladimir Putin")
        pre = self._premodifiers(seg, doc, toks[0].i, toks[-1].i)
        surface_start = span_start  # "Gen Musharraf": the titled form is an alias
        if pre:
            before = doc[pre[0] : toks[0].i]
            mods = self._analyse_modifiers(self._words(before), self._caps(before))
            if mods is not None and (mods.titled or label == "PERSON"):
                title = title.plus(mods)
                surface_start = pre[0]
        if title.titled or label == "PERSON":
            # what the article says the person is: "King Fahd of Saudi Arabia", "Mr Yeo, his
            # transport spokesman", "Prince Abdullah, who is deputy prime minister of ..."
            title = title.plus(self._described_as(doc, toks[-1], bool(title.roles)))
        roles, country, gender = list(title.roles), title.country, title.gender
        titled = title.titled
        if titled and label not in ("PERSON",):
            label = "PERSON" if label in ("ORG", "GPE", "NORP") else label
        surfaces = [text]
        full = self._text(seg, surface_start, toks[-1].i + 1)
        if full != text and (titled or country):
            surfaces.insert(0, full)
        raw_ent = ent.text
        if (
            raw_ent != text and "'" not in raw_ent
            and _without_article(raw_ent, data.definite_articles) is not None
        ):
            surfaces.append(raw_ent)
        canon = data.alias_to_canon.get(norm)
        if (
            canon is None and norm in data.capitals and not titled
            and self._capital_as_actor(toks[-1])
        ):
            country_name = data.capitals[norm]
            canon = data.alias_to_canon.get(
                _norm(country_name), (country_name, "GeopoliticalEntity")
            )
        self._append(
            _Raw(seg, toks[0].i, toks[-1].i + 1, text, label, surfaces, roles, country, gender,
                 canon=canon, titled=titled, kind="alias" if canon and _norm(canon[0]) != norm
                 else "name", affiliations=set(title.affiliations),
                 qualifiers=set(title.qualifiers),
                 first_name=title.first_name)
        )

    def _through_particles(self, doc: Doc, toks: list[Token]) -> list[Token]:
        """Extend a name over surname particles spaCy cut it at: "Ursula von | der Leyen",
        "Ms von der | Leyen" -> the whole name."""
        end = toks[-1].i + 1
        k = end
        particles = self.data.name_particles
        while k < len(doc) and doc[k].lower_ in particles and doc[k].text.islower():
            k += 1
        ends_in_particle = toks[-1].lower_ in particles
        if (k > end or ends_in_particle) and k < len(doc):
            nxt = doc[k]
            if nxt.is_alpha and nxt.text[:1].isupper() and not nxt.is_sent_start:
                return [*toks, *doc[end : k + 1]]
        return toks

    def _shared_surname(self, doc: Doc, tok: Token) -> str | None:
        """"Bill and Hillary Clinton": a lone first name coordinated with a two-word name shares
        its surname ("Bill Clinton")."""
        i = tok.i
        if i + 3 >= len(doc) or doc[i + 1].lower_ not in self.data.conjunctions:
            return None
        first, last = doc[i + 2], doc[i + 3]
        after = doc[i + 4] if i + 4 < len(doc) else None
        if not (
            first.ent_type_ == "PERSON" and first.ent_iob_ == "B"
            and last.ent_type_ == "PERSON" and last.ent_iob_ == "I"
            and (after is None or after.ent_iob_ != "I")
            and last.is_alpha and last.text[:1].isupper() and tok.is_alpha
            and tok.lower_ != last.lower_ and _norm(tok.text) not in self.surnames
            and _norm(tok.text) not in self.data.alias_to_canon
        ):
            return None
        return f"{tok.text} {last.text}"


    def _capital_as_actor(self, tok: Token) -> bool:
        """A capital standing for its government: "Moscow said", "Beijing's ties", "warned
        Moscow", "support for Kyiv". After a verb of travel or attack, or "in"/"to", it is the
        city ("flew to Kyiv", "visited Moscow", "strikes on Kyiv")."""
        for _ in range(4):
            if tok.dep_ != "conj" or tok.head.i == tok.i:
                break
            tok = tok.head
        dep = tok.dep_
        if dep in _SUBJ_DEPS or dep == "poss" or any(c.dep_ == "case" for c in tok.children):
            return True
        if dep in ("npadvmod", "compound", "nmod") and tok.head.tag_ == "VBN" and any(
            c.tag_ == "HYPH" for c in tok.head.children
        ):
            return True  # "Moscow-backed candidate": the agent of the participle
        if dep in ("dobj", "dative", "iobj", "obj"):
            return _norm(tok.head.lemma_) not in self.data.city_verbs
        return dep == "pobj" and tok.head.lower_ in self.data.actor_preps and (
            _norm(tok.head.head.lemma_) not in self.data.city_verbs
        )

    def _append(self, raw: _Raw) -> None:
        keys = [(raw.seg, i) for i in range(raw.start, raw.end)]
        if any(k in self.covered for k in keys):
            return
        self.covered.update(keys)
        self.raws.append(raw)

    def _premodifiers(self, seg: int, doc: Doc, start: int, last: int) -> list[int]:
        """Indices of tokens left of a name that modify it within its noun phrase."""
        out: list[int] = []
        j = start - 1
        while j >= 0:
            tok = doc[j]
            if tok.lower_ in self.data.articles or tok.dep_ == "det":
                break
            clitic = tok.text in self.data.possessive_clitics
            if tok.is_punct and tok.text not in ("-", "‐") and not clitic:
                break
            head = tok.head.i
            if not (j < head <= last) and not (clitic and head == j - 1):
                break
            if tok.ent_type_ in ("PERSON", "ORG") and (seg, j) in self.covered:
                # another name; a title tagged as one ("Crown Prince") or an office's name
                # ("Defense Secretary") was not taken as a name
                break
            out.insert(0, j)
            j -= 1
        # a possessive belongs with the country before it ("Russia 's Vladimir Putin")
        while out and doc[out[0]].text in self.data.possessive_clitics:
            out.pop(0)
        return out


    def _portfolio(self, doc: Doc, tok: Token) -> bool:
        """A name inside a minister's title: "Defense Secretary Caspar Weinberger", "Deputy
        Secretary of State John Whitehead" (the office of a person named right after it)."""
        cur = tok
        passed_role = False
        for _ in range(8):
            dep, nxt = cur.dep_, cur.head
            if nxt.i == cur.i:
                return False
            if dep in ("compound", "nmod", "amod", "conj", "cc") and nxt.i > cur.i:
                pass
            elif dep == "conj" and nxt.i < cur.i and nxt.dep_ in ("compound", "nmod"):
                pass  # "Trade and | Industry Secretary"
            elif (dep == "pobj" and nxt.lower_ in self.data.genitive_preps) or (
                dep == "prep" and cur.lower_ in self.data.genitive_preps
            ):
                pass
            else:
                return False
            cur = nxt
            if _norm(cur.text) in self.data.portfolio_roles:
                passed_role = True
            elif passed_role and cur.ent_type_ == "PERSON":
                return True
        return False

    def _role_phrase(self, noun: Token) -> _Title | None:
        """The title a common noun phrase gives: "his transport spokesman", "Australia's PM",
        "deputy prime minister of Saudi Arabia", "chairman of BP" (office, country, body)."""
        if noun.pos_ not in ("NOUN", "PROPN") or noun.ent_type_ == "PERSON":
            return None
        toks = list(noun.doc[noun.left_edge.i : noun.i + 1])
        while toks and (
            toks[0].dep_ == "det" or (toks[0].dep_ == "poss" and toks[0].pos_ == "PRON")
        ):
            toks.pop(0)
        toks = [
            t for t in toks
            if not t.is_punct or t.text == "-" or t.text in self.data.possessive_clitics
        ]
        if not toks:
            return None
        mods = self._analyse_modifiers(self._words(toks), self._caps(toks))
        if mods is None or not mods.roles:
            return None
        mods = replace(mods, titled=False, first_name=False)
        for prep in noun.children:
            if prep.dep_ != "prep" or prep.lower_ not in self.data.owner_preps:
                continue
            for pob in prep.children:
                if pob.dep_ != "pobj":
                    continue
                span = [t for t in noun.doc[pob.left_edge.i : pob.i + 1] if t.dep_ != "det"]
                words = self._words(span)
                country = self._country_of(words)
                if country is not None:
                    mods = replace(mods, country=mods.country or country)
                elif pob.text[:1].isupper() and words:
                    aff = " ".join(words)
                    mods = replace(mods, affiliations=mods.affiliations | {aff})
        return mods

    def _described_as(self, doc: Doc, head: Token, titled: bool) -> _Title:
        """Roles the sentence gives a name beside its title: a postmodifier ("King Fahd of Saudi
        Arabia"), an apposition either way ("Mr Yeo, his spokesman"; "Australia's PM, John
        Howard") or a copular relative clause ("Prince Abdullah, who is deputy prime minister
        of Saudi Arabia and commander of ...")."""
        out = _Title()
        for prep in head.children if titled else ():
            # only right after a titled name: "warned Putin of the US' force" gives no country
            if (
                prep.dep_ == "prep" and prep.lower_ in self.data.genitive_preps
                and prep.i == head.i + 1
            ):
                for pob in prep.children:
                    if pob.dep_ == "pobj" and not any(c.dep_ == "case" for c in pob.children):
                        words = self._words(t for t in doc[pob.left_edge.i : pob.i + 1]
                                            if t.dep_ != "det")
                        country = self._country_of(words)
                        if country is not None:
                            out = out.plus(_Title(country=country))
        nouns: list[Token] = [c for c in head.children if c.dep_ == "appos"]
        if head.dep_ == "appos":
            nouns.append(head.head)
        for rel in head.children:
            if rel.dep_ == "relcl" and rel.lemma_ in self.data.copulas:
                nouns.extend(c for c in rel.children if c.dep_ == "attr")
        for noun in list(nouns):
            nouns.extend(c for c in noun.children if c.dep_ == "conj")
        for noun in nouns:
            found = self._role_phrase(noun)
            if found is not None:
                out = out.plus(found)
        return out

    def _add_norp(self, seg: int, doc: Doc, toks: list[Token]) -> None:
        """NORP only as an actor group ("Republicans said"), never as an adjective."""
        root = toks[-1]
        if root.tag_ in ("NNPS", "NNS") and root.dep_ in (
            "nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos"
        ):
            text = doc[toks[0].i : root.i + 1].text
            # "the Tories" as the party the alias data names so
            canon = self.data.alias_to_canon.get(_norm(text))
            self._append(
                _Raw(seg, toks[0].i, root.i + 1, text, "NORP", [text], [], None, None,
                     canon=canon, kind="alias" if canon else "name")
            )

    def _add_org_phrases(self, seg: int, doc: Doc) -> None:
        """'the Veridian foreign ministry', 'the Russian government': proper adjective + org."""
        cols = columns(doc)
        deps, heads, texts, lemma_ids = cols.deps, cols.heads, cols.texts, cols.lemma_ids
        strings = doc.vocab.strings
        for i in range(len(doc)):
            if deps[i] in ("compound", "amod") and heads[i] > i:
                continue
            if _norm(texts[i]) not in self.data.org_nouns and _norm(
                store_string(strings, lemma_ids[i])
            ) not in self.data.org_nouns:
                continue
            tok = doc[i]
            mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound", "nmod")]
            if not mods or any(c.dep_ == "poss" for c in tok.lefts):
                continue
            first = mods[0]
            if not ((first.text[:1].isupper() and first.i > 0) or (first.i == 0 and (
                first.ent_type_ in ("NORP", "GPE") or _norm(first.text) in self.data.demonyms
            ))):
                continue
            if first.ent_type_ not in ("NORP", "GPE", "") or first.pos_ not in ("ADJ", "PROPN"):
                continue
            span = doc[first.i : tok.i + 1]
            if any(t.ent_type_ in ("PERSON", "ORG", "FAC") for t in span):
                continue
            text = span.text
            for i in range(first.i, tok.i + 1):
                self.covered.discard((seg, i))
            self.raws = [
                r for r in self.raws if not (r.seg == seg and first.i <= r.start <= tok.i)
            ]
            self._append(_Raw(seg, first.i, tok.i + 1, text, "ORG", [text], [], None, None))

    # ---- 2. clustering ---------------------------------------------------------------------

    def cluster(self) -> None:
        self.raws.sort(key=lambda r: (r.seg, r.start))
        by_key: dict[str, _Cluster] = {}
        by_last: dict[str, list[_Cluster]] = {}
        persons: list[_Cluster] = []

        def new(raw: _Raw) -> _Cluster:
            c = _Cluster(len(self.clusters), (raw.seg, raw.start))
            self.clusters.append(c)
            return c

        def personish(raw: _Raw) -> bool:
            return raw.label in ("PERSON", None) or raw.titled or (
                raw.label in ("ORG", "GPE") and self._raw_person_shaped(raw)
            )

        # full person names first, so surnames seen before the full name still join it
        for raw in self.raws:
            words = _norm(raw.text).split()
            if raw.canon and raw.canon[1] == "Person":
                # a known public figure: one cluster, findable by its surname ("Harris")
                key = "canon:" + _norm(raw.canon[0])
                target = by_key.get(key)
                if target is None:
                    target = new(raw)
                    target.canon = raw.canon
                    by_key[key] = target
                    persons.append(target)
                    by_last.setdefault(_norm(raw.canon[0]).split()[-1], []).append(target)
                self._join(target, raw)
                continue
            if (
                raw.canon or not personish(raw) or len(words) < 2
                or words[0] in self.data.name_particles
            ):
                continue
            target = None
            # A spelling variant of the surname joins a known figure (alias data) only: two
            # different full names in one article are two people (Adrian Becker is not
            # Adrian Berger), however alike their surnames.
            for c in by_last.get(words[-1], []) + [
                c for c in persons if c.canon and _similar_surname(self._surname(c), words[-1])
            ]:
                first = _norm(c.raws[0].text).split()[0]
                if _first_compatible(first, words[0]):
                    target = c
                    break
            if target is None:
                target = new(raw)
                target.person_full = True
                persons.append(target)
                by_last.setdefault(words[-1], []).append(target)
            self._join(target, raw)
            by_key.setdefault(_norm(raw.text), target)
        for raw in self.raws:
            if raw.cluster >= 0:
                continue
            norm = _norm(raw.text)
            words = norm.split()
            if raw.canon:
                key = "canon:" + _norm(raw.canon[0])
                c = by_key.get(key) or new(raw)
                c.canon = raw.canon
                by_key[key] = c
                self._join(c, raw)
                continue
            target = by_key.get(norm)
            if (
                words and words[0] in self.data.name_particles
                and raw.label in ("PERSON", "ORG", "GPE")
            ):
                # "von der Leyen": a surname with its particles
                words = words[-1:]
            if target is None and len(words) == 1 and raw.label == "GPE":
                head = self.docs[raw.seg][raw.end - 1]
                if not (head.dep_ == "pobj" and head.head.lower_ in self.data.locative_preps):
                    # "hosted Dragan" tagged GPE: the surname of a person named in full
                    target = self._pick(by_last.get(words[0], []), raw)
            if target is None and raw.first_name and len(words) == 1:
                # "Sir Edward" after "Sir Edward Heath": a title used with the first name, of a
                # person the article titles so too (King Charles is not Charles Kennedy)
                target = self._pick([
                    c for c in persons
                    if _norm(c.canon[0] if c.canon else c.raws[0].text).split()[0] == words[0]
                    and any(r.first_name for r in c.raws)
                ], raw)
            if target is None and len(words) == 1 and raw.label in ("PERSON", "ORG", None):
                cands = by_last.get(words[0]) or [
                    c for c in persons if _similar_surname(self._surname(c), words[0])
                ]
                target = self._pick(cands, raw)
            if target is None:
                target = new(raw)
            by_key.setdefault(norm, target)
            self._join(target, raw)

    def _pick(self, cands: list[_Cluster], raw: _Raw) -> _Cluster | None:
        """The one candidate cluster, or the one mentioned most recently before ``raw``."""
        uniq = list(dict.fromkeys(cands))
        if len(uniq) <= 1:
            return uniq[0] if uniq else None
        before = [c for c in uniq if c.first < (raw.seg, raw.start)]
        if not before:
            return None
        return max(before, key=lambda c: max((r.seg, r.start) for r in c.raws
                                             if (r.seg, r.start) < (raw.seg, raw.start)))

    @staticmethod
    def _surname(c: _Cluster) -> str:
        return _norm(c.canon[0] if c.canon else c.raws[0].text).split()[-1]

    @staticmethod
    def _join(c: _Cluster, raw: _Raw) -> None:
        raw.cluster = c.index
        c.raws.append(raw)
        c.first = min(c.first, (raw.seg, raw.start))
        c.roles.update(raw.roles)
        c.affiliations.update(raw.affiliations)
        c.qualifiers.update(raw.qualifiers)
        if raw.country:
            c.countries.add(raw.country)
        if raw.gender:
            if c.gender and c.gender != raw.gender:
                c.gender_conflict = True
            c.gender = c.gender or raw.gender

    # ---- 3. names spaCy missed -------------------------------------------------------------

    def known_names(self) -> None:
        """Add mentions of names the article already resolved where spaCy tagged nothing."""
        lookup: dict[str, _Cluster] = {}
        for c in self.clusters:
            if not (c.person_full or any(r.label == "PERSON" for r in c.raws)):
                # an organisation's acronym spaCy tagged once ("BP said ... informed BP")
                for r in c.raws:
                    if r.label == "ORG" and 2 <= len(r.text) <= 6 and r.text.isupper() and (
                        r.text.isalpha()
                    ):
                        lookup.setdefault(_norm(r.text), c)
                continue
            for r in c.raws:
                lookup.setdefault(_norm(r.text), c)
                words = _norm(r.text).split()
                if len(words) > 1:
                    lookup.setdefault(words[-1], c)
        ambiguous = {k for k in lookup if sum(
            1 for c in self.clusters if c.person_full and _norm(c.raws[0].text).split()[-1] == k
        ) > 1}
        added: list[_Raw] = []
        unknown: dict[str, _Cluster] = {}
        for seg, doc in enumerate(self.docs):
            i = 0
            n = len(doc)
            cols = columns(doc)
            texts, tags = cols.texts, cols.pos
            while i < n:
                if (seg, i) in self.covered or not texts[i][:1].isupper():
                    i += 1
                    continue
                tok = doc[i]
                if tok.pos_ != "PROPN":
                    # a known surname the tagger took for a common noun ("Sandnes praised")
                    hit = lookup.get(_norm(tok.text)) if tok.pos_ == "NOUN" else None
                    if hit is not None and tok.is_alpha and _norm(tok.text) not in ambiguous:
                        raw = _Raw(seg, i, i + 1, tok.text, None, [tok.text], [], None, None)
                        self._join(hit, raw)
                        self.covered.add((seg, i))
                        added.append(raw)
                    i += 1
                    continue
                j = i
                while j < n and tags[j] == "PROPN" and (seg, j) not in self.covered:
                    j += 1
                text = self._text(seg, i, j)
                found = lookup.get(_norm(text))
                country = self.data.capitals.get(_norm(text))
                canon = self.data.alias_to_canon.get(_norm(text))
                if canon is not None and canon[1] != "Person":
                    canon = None
                if country and self._capital_as_actor(doc[j - 1]):
                    # "urged Kyiv to accept" with no NER label: the capital's country
                    canon = self.data.alias_to_canon.get(
                        _norm(country), (country, "GeopoliticalEntity")
                    )
                if found is None and (canon or country):
                    # a known person or a capital spaCy did not tag ("Trump urged", "to Kyiv")
                    found = (
                        next((c for c in self.clusters if c.canon == canon), None)
                        if canon else unknown.get(_norm(text))
                    )
                    if found is None:
                        found = _Cluster(len(self.clusters), (seg, i), canon=canon)
                        self.clusters.append(found)
                        if not canon:
                            unknown[_norm(text)] = found
                    raw = _Raw(seg, i, j, text, "PERSON" if canon and canon[1] == "Person"
                               else "GPE", [text], [], None, None, canon=canon,
                               kind="alias" if canon and _norm(canon[0]) != _norm(text)
                               else "name")
                    self._join(found, raw)
                    self.covered.update((seg, k) for k in range(i, j))
                    added.append(raw)
                    i = j
                    continue
                if found is None and self._unlabelled_name(seg, doc[i:j]):
                    found = unknown.get(_norm(text))
                    if found is None:
                        found = _Cluster(len(self.clusters), (seg, i))
                        self.clusters.append(found)
                        unknown[_norm(text)] = found
                if found is not None and _norm(text) not in ambiguous:
                    raw = _Raw(seg, i, j, text, None, [text], [], None, None)
                    self._join(found, raw)
                    self.covered.update((seg, k) for k in range(i, j))
                    added.append(raw)
                i = j
        self.raws.extend(added)

    _ARG_DEPS = frozenset(
        {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "poss", "dative", "attr"}
    )

    def _unlabelled_name(self, seg: int, span: Span) -> bool:
        """A proper-noun run spaCy gave no label, used as a verb argument ("Kolar and Braun met").

        Only title-case words without organisation or place words, never in a credit line.
        """
        head = span[-1]
        if head.dep_ not in self._ARG_DEPS or len(span) > 3:
            return False
        if self._role_at_end(self._words(span)) is not None:
            return False  # "Pakistan's High Commissioner": a title, no name
        if any(
            t.ent_type_ or not t.is_alpha or not t.is_title or len(t.text) < 2
            or _norm(t.text) in self.data.not_person_words
            or _norm(t.text) in self.data.honorifics
            or _norm(t.text) in self.data.roles
            # "US Vice pres Bush" in a recased headline: "Vice" is part of a title, no name
            or _norm(t.text) in self.data.other_office_prefixes
            for t in span
        ):
            return False
        if head.dep_ == "pobj" and head.head.lower_ in self.data.locative_preps:
            return False
        return not self._in_credit(seg, span)

    # ---- 4. types and labels ---------------------------------------------------------------

    def finalise(self) -> None:
        for c in self.clusters:
            facts = self.data.people.get(_norm(c.canon[0])) if c.canon else None
            if facts is not None:
                c.roles.update(facts.roles)
                if facts.country:
                    c.countries.add(facts.country)
                if facts.gender:
                    c.gender, c.gender_conflict = facts.gender, False
            c.maybe_person = self._person_shaped(c)
            c.entity = self._make_entity(c)
            c.maybe_person = c.maybe_person or c.entity.type == "Person"

    def _person_shaped(self, c: _Cluster) -> bool:
        """A name tagged ORG/GPE that could be a person spaCy did not know ("Marta Kolar").

        No alias-data name, no organisation or place word, title-case words only, and never
        the object of a locative preposition ("in Vienna").
        """
        return not c.canon and all(self._raw_person_shaped(r) for r in c.raws)

    def _raw_person_shaped(self, r: _Raw) -> bool:
        if r.canon or r.label in ("LOC", "FAC", "NORP"):
            return False
        words = r.text.split()
        if len(words) > 3 or any(
            not w.isalpha() or not w[:1].isupper() or w.isupper()
            or _norm(w) in self.data.not_person_words
            for w in words
        ):
            return False
        norm = _norm(r.text)
        if norm in self.data.capitals or norm in self.data.demonyms or norm in self.country_names:
            return False
        head = self.docs[r.seg][r.end - 1]
        if head.dep_ == "pobj" and head.head.lower_ in self.data.locative_preps:
            return False
        return head.dep_ != "compound"

    def _locative_votes(self, c: _Cluster) -> int:
        """One-word names after "in", "at", "to"... are places more often than not ("talks in
        Gravik"); spaCy often tags unknown town names ORG or PERSON."""
        if c.canon or any(
            r.titled or len(r.text.split()) > 1 or r.label in ("LOC", "FAC") for r in c.raws
        ):
            return 0
        n = 0
        for r in c.raws:
            head = self.docs[r.seg][r.end - 1]
            if head.dep_ == "pobj" and head.head.lower_ in self.data.locative_preps:
                n += 1
            elif (
                head.dep_ == "pobj"
                and head.head.lower_ in self.data.genitive_preps
                and head.head.head.lemma_.lower() in load_lexicon().cue("place_nouns")
            ):
                n += 2  # "the southern Indian town of Mamallapuram"
        return n

    def _is_demonym_country(self, c: _Cluster) -> bool:
        """A one-word name whose nationality word the article uses ("Veridia" / "Veridian")."""
        return any(
            _norm(r.text) in self.demonym_countries and len(r.text.split()) == 1 for r in c.raws
        ) and not any(r.titled for r in c.raws)

    def _make_entity(self, c: _Cluster) -> Entity:
        votes: Counter[str] = Counter()
        surnames = (
            {_norm(r.text).split()[-1] for r in c.raws if r.label == "PERSON" and " " in r.text}
            if c.person_full
            else set()
        )
        for r in c.raws:
            if surnames and _norm(r.text) in surnames:
                # "Dressler" after "Paul Dressler": spaCy's ORG/GPE guess on a bare surname
                votes["Person"] += 1
            elif r.label is not None and r.label in _LABEL_TYPES:
                votes[_LABEL_TYPES[r.label]] += 1
            if r.titled:
                votes["Person"] += 2
        if c.person_full:
            votes["Person"] += 1
        votes["GeopoliticalEntity"] += self._locative_votes(c)
        votes["Person"] += 2 * c.pronoun_votes
        if votes and c.maybe_person and any(len(r.text.split()) > 1 for r in c.raws):
            votes["Person"] += 1
        etype: EntityType
        if c.canon:
            etype = c.canon[1]
        elif all(
            (_norm(r.text) in self.data.capitals or _norm(r.text) in self.country_names)
            and not r.titled
            for r in c.raws
        ):
            # "Kyiv" or "Sri Lanka" tagged PERSON: a capital city or a country the alias data
            # names is a place whatever the tagger guessed
            etype = "GeopoliticalEntity"
        elif self._is_demonym_country(c):
            etype = "GeopoliticalEntity"
        elif votes:
            best = max(votes.items(), key=lambda kv: (kv[1], -_TYPE_PRIORITY[kv[0]]))
            etype = best[0]  # type: ignore[assignment]
        else:
            etype = "Person"
        if c.canon:
            label = c.canon[0]
        else:
            forms = Counter(r.text for r in c.raws if r.kind == "name")
            full = (
                {
                    f: n for f, n in forms.items()
                    if len(f.split()) > 1
                    and f.split()[0].casefold() not in self.data.name_particles
                }
                if etype == "Person"
                else {}
            )
            pool = full or forms or Counter(r.text for r in c.raws)
            order = {f: i for i, f in reversed(list(enumerate(r.text for r in c.raws)))}
            label = max(pool, key=lambda f: (pool[f], len(f), -order[f]))
            label = self.data.keep_the.get(_norm(label), label)
        aliases: list[str] = []
        for r in sorted(c.raws, key=lambda r: (r.seg, r.start)):
            for s in r.surfaces:
                if s != label and s not in aliases:
                    aliases.append(s)
        return Entity(iris.entity_iri(label, self.base), label, etype, tuple(aliases))

    # ---- 5. roles, pairs, pronouns ---------------------------------------------------------

    def references(self) -> list[Mention]:
        """Resolve role nouns, pairs and pronouns left to right; return all mentions."""
        by_pos: dict[tuple[int, int], _Raw] = {(r.seg, r.start): r for r in self.raws}
        self.raw_at = {(r.seg, i): r for r in self.raws for i in range(r.start, r.end)}
        self.groups = self._person_lists()
        sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]] = []
        out: list[Mention] = []
        pronouns = self.data.pronouns
        for seg, doc in enumerate(self.docs):
            quoted = self.quoted[seg]
            cols = columns(doc)
            tags, deps, lowers = cols.pos, cols.deps, cols.lowers
            doc_sents = doc_sentences(doc)
            for sent in doc_sents:
                cur: list[tuple[int, Token, tuple[int, ...], bool]] = []
                sentences.append(cur)
                i = sent.start
                while i < sent.end:
                    raw = by_pos.get((seg, i))
                    if raw is not None:
                        tok = doc[raw.end - 1]
                        cur.append((seg, tok, (raw.cluster,), quoted[i]))
                        out.append(self._mention(seg, raw.start, raw.end, raw.kind, raw.cluster))
                        i = raw.end
                        continue
                    if (seg, i) not in self.covered and (
                        tags[i] in _REFERENCE_POS or deps[i] == "amod" or lowers[i] in pronouns
                    ):  # _reference finds nothing on another word: no token to make
                        tok = doc[i]
                        found = self._reference(seg, tok, sentences, quoted[i])
                        if found is not None:
                            start, kind, clusters = found
                            cur.append((seg, tok, clusters, quoted[i]))
                            # the mention never overlaps a name inside it ("the US president")
                            own = max([start, *(k + 1 for k in range(start, i)
                                                 if (seg, k) in self.covered)])
                            for cl in clusters:
                                out.append(self._mention(seg, own, i + 1, kind, cl))
                                if len(clusters) == 1:
                                    self._add_alias(cl, doc[start : i + 1], kind)
                                if kind == "pronoun" and tok.lower_ in self.data.pronouns:
                                    self.clusters[cl].pronoun_votes += 1
                    i += 1
                self._remember_pair(cur)
            if self.parsed.segments[seg].segment.kind != "paragraph":
                # captions and headlines stand apart: pronouns never look back into them
                del sentences[-len(doc_sents) :]
        return out

    def _could_be_person(self, cl: int) -> bool:
        """A pronoun's candidate: a person-like name, never one with digits ("G8")."""
        c = self.clusters[cl]
        return c.maybe_person and not any(
            ch.isdigit() for r in c.raws if r.kind != "role" for ch in r.text
        )

    def _person(self, cl: int) -> bool:
        ent = self.clusters[cl].entity
        return ent is not None and ent.type == "Person"

    def _remember_pair(self, sent: list[tuple[int, Token, tuple[int, ...], bool]]) -> None:
        """Two persons coordinated ("A and B") or subject and object of one clause ("A met
        B", "A talked with B"): the pair a later "the two leaders" may mean."""
        persons = [(t, cls[0]) for _s, t, cls, q in sent
                   if not q and len(cls) == 1 and self._person(cls[0])]
        for (t1, c1), (t2, c2) in pairwise(persons):
            if c1 == c2 or t1.doc is not t2.doc:
                continue
            conj = [c.i for c in t1.conjuncts]
            coordinated = conj == [t2.i]  # a pair, not a list
            head = t2.head.head if t2.dep_ == "pobj" else t2.head
            clause = t1.dep_ in _SUBJ_DEPS and t2.dep_ in _OBJ_DEPS and head.i == t1.head.i
            if coordinated or clause:
                self.pairs.append((c1, c2))

    def _mention(self, seg: int, start: int, end: int, kind: MentionKind, cl: int) -> Mention:
        doc = self.docs[seg]
        off = self.offsets[seg]
        ent = self.clusters[cl].entity
        assert ent is not None
        if end > start:  # the span's text, cut from the segment's text (Span.text joins tokens)
            cols = columns(doc)
            a, b = cols.idx[start], cols.idx[end - 1] + len(cols.texts[end - 1])
            return Mention(seg, start, end, off + a, off + b, self.texts[seg][a:b], ent.id, kind)
        span = doc[start:end]
        return Mention(seg, start, end, off + span.start_char, off + span.end_char, span.text,
                       ent.id, kind)

    def _add_alias(self, cl: int, span: Span, kind: MentionKind) -> None:
        c = self.clusters[cl]
        if (
            kind != "role" or c.entity is None or c.entity.type != "Person"
            or span[0].dep_ == "poss"
        ):
            return  # "his minister" is no name of the minister
        text = span.text
        cut = _ending(text, self.data.possessive_clitics)
        if cut:
            text = text[:-cut].rstrip()
        if text != c.entity.label and text not in c.entity.aliases:
            c.entity = Entity(c.entity.id, c.entity.label, c.entity.type,
                              (*c.entity.aliases, text))

    def _reference(
        self,
        seg: int,
        tok: Token,
        sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]],
        quoted: bool,
    ) -> tuple[int, MentionKind, tuple[int, ...]] | None:
        low = tok.lower_
        morph = tok.morph if tok.pos_ == "PRON" else None
        if morph is not None and morph.get("Person", []) == ["1"] and morph.get(
            "Number", []
        ) == ["Plur"]:
            cl = self._reporting_body(tok)
            return (tok.i, "pronoun", (cl,)) if cl is not None else None
        if tok.pos_ == "PRON" or low in self.data.pronouns:
            if quoted:
                return None
            if low in self.data.group_pronouns:
                speakers = self._speakers(tok, sentences) or self._reciprocal(tok, sentences)
                return (tok.i, "pronoun", speakers) if speakers else None
            if low in self.data.pronouns:
                cl = self._pronoun(tok, self.data.pronouns[low], sentences)
            elif low in self.data.it_pronouns:
                cl = self._it_pronoun(tok, sentences)
            else:
                return None
            return (tok.i, "pronoun", (cl,)) if cl is not None else None
        if tok.dep_ == "amod" and tok.head.i > tok.i and self._stands_in(tok.head):
            # "welcomed Ostrian membership": the nationality names the country whose act it is
            cl = self._owner(tok, "body", sentences) if tok.pos_ in ("ADJ", "PROPN") else None
            return (tok.i, "representative", (cl,)) if cl is not None else None
        if tok.pos_ not in ("NOUN", "PROPN") or (
            tok.dep_ in ("compound", "amod") and tok.head.i > tok.i
        ):
            return None
        if self._stands_in(tok):
            owned = self._owned_act(tok, sentences)
            if owned is not None:
                return (tok.i, "representative", (owned,))
        if _norm(tok.text) in self.data.pair_nouns:
            pair = self._pair(tok, sentences)
            if pair is not None:
                return pair
        group = self._group(tok)
        if group is not None:
            return group
        return self._representative(tok, sentences) or self._role(tok, sentences)

    def _reporting_body(self, pron: Token) -> int | None:
        """ "The Commission has repeatedly said that we back ...": "we" as the subject of what
        an organisation or country says (a reporting verb, lexicon cue ``reporting``) is that
        body; never a person's "we" (whose group it is the text does not say)."""
        verb = pron.head
        if pron.dep_ != "nsubj" or verb.dep_ != "ccomp":
            return None
        said = verb.head
        if said.lemma_.lower() not in self.cues.reporting:
            return None
        for subj in said.children:
            if subj.dep_ != "nsubj" or (self._seg_of(subj), subj.i) not in self.covered:
                continue
            cl = self._cluster_at(subj)
            ent = self.clusters[cl].entity if cl is not None else None
            if ent is not None and ent.type in ("Organization", "GeopoliticalEntity"):
                return cl
        return None

    def _owned_by_person(self, doc: Doc, toks: list[Token]) -> bool:
        """An organisation's name that begins with a person's possessive ("Mr Varga's
        Regional Water Fund"): the possessor has an honorific or is the surname of
        a person the article names in full."""
        cuts = [k for k, t in enumerate(toks) if t.tag_ == "POS"]
        if len(cuts) != 1 or not 0 < cuts[0] < len(toks) - 1:
            return False
        owner = toks[: cuts[0]]
        return owner[-1].text[:1].isupper() and (
            _norm(owner[0].text).rstrip(".") in self.data.honorifics
            or (len(owner) == 1 and _norm(owner[0].text) in self.surnames)
        )

    def _owned_act(
        self, noun: Token, sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]]
    ) -> int | None:
        """ "praised the Green Alliance proposals ... later endorsed the proposals": a bare
        definite stand-in noun is the act of whoever last owned one of the same word (its
        owner a name, a nationality or a possessive before it); remembers owners as it goes."""
        key = noun.lemma_.lower()
        mods = [c for c in noun.children if c.i < noun.i]
        for ch in mods:
            if ch.dep_ not in ("poss", "compound", "amod"):
                continue
            cl = self._cluster_at(ch) if (self._seg_of(ch), ch.i) in self.covered else None
            cl = cl if cl is not None else self._resolved_before(ch, sentences)
            if cl is not None and self.clusters[cl].entity is not None:
                self.owned_acts[key] = cl
                return None
        if key in self.cues.actor_nouns or noun.lower_ in self.cues.actor_nouns:
            return None  # "the government" acts itself: no one's act named again
        dets = [c for c in mods if c.dep_ == "det"]
        if len(dets) != 1 or dets[0].morph.get("Definite", []) != ["Def"] or any(
            c.dep_ in ("poss", "compound", "nmod") or c.text[:1].isupper()
            for c in mods
        ) or any(
            c.dep_ in ("prep", "agent") and any(
                (self._seg_of(p), p.i) in self.covered for p in c.children
            )
            for c in noun.children
        ):
            return None  # "the government plans", "the plans of X": owned otherwise
        return self.owned_acts.get(key)

    def _stands_in(self, noun: Token) -> bool:
        """A noun of an act or stance that stands in for its owner (lexicon cue
        ``stand_in_nouns``): "Ostrian membership" is Ostria's."""
        return noun.pos_ == "NOUN" and (
            noun.lemma_.lower() in self.cues.stand_in_nouns
            or noun.lower_ in self.cues.stand_in_nouns
        )

    def _role(
        self, tok: Token, sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]]
    ) -> tuple[int, MentionKind, tuple[int, ...]] | None:
        """A definite description naming one person the article titles so: "the [country]
        [modifiers] ROLE" ("the Pakistani president", "the Liberal leader"), or a possessive
        one ("his chancellor", "Britain's prime minister")."""
        lefts = list(tok.lefts)
        if not lefts:
            return None
        det = lefts[0]
        owner: int | None = None  # the possessor's cluster: never the holder ("his minister")
        country: str | None = None
        # headline-ese drops the article: "Saudi crown prince meets Bush", "UK minister looks
        # to ease tension" are "the Saudi crown prince", "the UK minister" of the story
        bare = (
            det.dep_ in ("compound", "amod")
            and det.i == tok.left_edge.i
            and self.parsed.segments[self._seg_of(tok)].segment.kind == "headline"
        )
        if det.lower_ in self.data.definite_articles or bare:
            pass
        elif det.dep_ == "poss" and det.lower_ in self.data.pronouns:
            owner = self._resolved_before(det, sentences)
        elif det.dep_ == "poss" and (self._seg_of(det), det.i) in self.covered:
            cl = self._cluster_at(det)
            if cl is None:
                return None
            ent = self.clusters[cl].entity
            if ent is not None and ent.type == "GeopoliticalEntity":
                country = ent.label  # "Britain's chancellor"
            elif ent is not None and ent.type == "Person":
                owner = cl  # "Blair's chancellor"
            else:
                return None
            lefts = [t for t in lefts if t.i > det.i and not self._possessive(t)]
            if not lefts:
                lefts = [det]
        else:
            return None
        # a possessive pronoun is a mention of its own ("his" + "counterpart")
        start = det.i + 1 if det.dep_ == "poss" and det.lower_ in self.data.pronouns else det.i
        body = [t for t in tok.doc[det.i + (0 if bare else 1) : tok.i + 1]
                if not (det.dep_ == "poss" and t.i <= det.i + 1 and self._possessive(t))]
        words = self._words(body)
        role = self._role_at_end(words)
        if role is None:
            return None
        if any(w in self.data.other_holder_modifiers for w in words):
            return None  # "the next president": not whoever holds the office now
        mods = self._analyse_modifiers(words, self._caps(body))
        if mods is None:
            return None
        country = country or mods.country
        heads = {self._role_head(r) for r in mods.roles}
        leaders = {self._role_head(r) for r in self.data.leader_roles}
        if heads & self.data.generic_leader_roles:
            # "the Russian leader": whoever heads a government or state
            heads |= leaders
        cands = [
            c.index for c in self.clusters
            if c.entity is not None and c.entity.type == "Person" and c.index != owner
            and any(self._holds(r, heads) for r in c.roles)
            and (country is None or country in c.countries)
            and mods.affiliations <= c.affiliations
            # "the party leader" needs a holder titled with "party"
            and mods.qualifiers <= c.qualifiers | {w for a in c.affiliations for w in a.split()}
        ]
        if not cands and country is not None and owner is None and not (
            {self._role_head(r) for r in mods.roles} & self.data.generic_leader_roles
        ):
            # "the Pakistani president" in an article that names "President Musharraf" with no
            # country: the one holder of that office whose country the article never says
            # (not for "the UK leader": a leader may hold any of several offices)
            cands = [
                c.index for c in self.clusters
                if c.entity is not None and c.entity.type == "Person" and not c.countries
                and any(self._holds(r, heads) for r in c.roles)
                and mods.affiliations <= c.affiliations
                and mods.qualifiers <= c.qualifiers | {w for a in c.affiliations for w in a.split()}
            ]
            if len(cands) != 1:
                cands = []
        if owner is None and det.lower_ in self.data.definite_articles and not mods.affiliations:
            # "the spokesman" after "a Treasury spokesman": the body it spoke for
            cands += [cl for noun, cl in self.spoke_for if noun in heads and cl not in cands]
        chosen = self._salient(cands)
        if chosen is None:
            chosen = self._unique_or_recent(cands, sentences)
        return (start, "role", (chosen,)) if chosen is not None else None

    def _cluster_at(self, tok: Token) -> int | None:
        raw = self.raw_at.get((self._seg_of(tok), tok.i))
        return raw.cluster if raw is not None else None

    def _resolved_before(
        self, tok: Token, sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]]
    ) -> int | None:
        """The cluster a token earlier in the current sentence was resolved to."""
        for _s, t, cls, _q in sentences[-1] if sentences else []:
            if t.doc is tok.doc and t.i == tok.i and len(cls) == 1:
                return cls[0]
        return None

    def _representative(
        self, tok: Token, sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]]
    ) -> tuple[int, MentionKind, tuple[int, ...]] | None:
        """People acting for a body the article names act as it: "West German financial
        officials", "Beijing ministers", "a Treasury spokesman", "Labour negotiators", "Ukraine's
        delegation", "Braun's office"; "two officials", "some MPs" are only part of it."""
        scope = self.data.representatives.get(_norm(tok.text))
        if scope is None or tok.pos_ not in ("NOUN", "PROPN") or tok.ent_type_ == "PERSON":
            return None
        if tok.dep_ == "appos" or any(c.dep_ == "appos" for c in tok.children):
            return None  # "X, a spokesman for Y": the named spokesman X speaks, not Y
        if any(
            c.dep_ in ("nummod", "quantmod") or _norm(c.text) in self.data.partial_words
            or (c.dep_ == "prep" and c.lower_ in self.data.genitive_preps and tok.tag_ != "NNS")
            for c in tok.children
        ):
            return None
        if (
            tok.dep_ == "pobj" and tok.head.lower_ in self.data.genitive_preps
            and tok.head.head.pos_ in ("NUM", "PRON", "DET", "ADJ")
        ):
            return None  # "some of the officials", "one of his aides"
        mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "poss")]
        owners: set[int] = set()
        first = tok.i
        for m in mods:
            cl = self._owner(m, scope, sentences)
            if cl is not None:
                owners.add(cl)
                first = min(first, m.left_edge.i)
        # "met officials in the Finance Ministry" with "in ..." hung on the verb: the phrase
        # right after the noun is still the noun's
        after = [
            p for p in tok.head.children
            if tok.dep_ == "dobj" and p.i == tok.right_edge.i + 1
            and p.lower_ in self.data.representative_trailing_preps
        ]
        for prep in (*tok.children, *after):
            if prep.dep_ == "prep" and prep.lower_ in self.data.representative_preps and not mods:
                for pob in prep.children:  # "a spokesman for the Treasury"
                    if pob.dep_ != "pobj":
                        continue
                    for each in (pob, *(c for c in pob.conjuncts if c.i > pob.i)):
                        cl = self._owner(each, scope, sentences)  # "officials of A and B"
                        if cl is not None:
                            owners.add(cl)
        if not owners or (len(owners) > 1 and tok.tag_ != "NNS"):
            return None
        start = min([first, *(c.i for c in tok.lefts if c.dep_ == "det")])
        if len(owners) > 1:
            # "officials of the Stock Exchange and the Finance Ministry": each body
            return (start, "representative", tuple(sorted(owners)))
        cl = next(iter(owners))
        if tok.tag_ != "NNS":
            self.spoke_for.append((_norm(tok.text), cl))
        return (start, "representative", (cl,))

    def _owner(
        self, tok: Token, scope: Representing,
        sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]],
    ) -> int | None:
        """The body (or, for a spokesman or aide, person) a modifier names, if the article
        names it: a name, a capital ("Beijing" -> China), a nationality ("West German")."""
        seg = self._seg_of(tok)
        cl: int | None = None
        if (seg, tok.i) in self.covered:
            cl = self._cluster_at(tok)
            if cl is None:
                cl = self._resolved_before(tok, sentences)
        elif (
            tok.lower_ in self.data.pronouns or tok.lower_ in self.data.it_pronouns
            or tok.lower_ in self.data.back_possessives
        ):
            cl = self._resolved_before(tok, sentences)
        if cl is not None:
            c = self.clusters[cl]
            if c.entity is None:
                return None
            if tok.pos_ == "ADJ" or (len(c.raws) == 1 and (
                _norm(c.entity.label) in self.data.demonyms
                or _norm(c.entity.label) in self.derived_demonyms
            )):
                # "Ostrian officials" with "Ostrian" taken for a name: the country, if named
                # (a country whose name is also its adjective, "Sri Lanka", is itself)
                country = self._country_of([_norm(c.entity.label)])
                if country is None or _norm(country) != _norm(c.entity.label):
                    return self._named_country(country) if country is not None else None
            if c.entity.type == "Person" and scope == "party":
                return self._party_of(c)  # "Mr Lind's colleagues": his party
            if c.entity.type == "Person" and scope == "body" and len(c.countries) == 1 and (
                {self._role_head(r) for r in c.roles}
                & {self._role_head(r) for r in self.data.leader_roles}
            ):
                # "King Piet of Ostria ... his ministers": the country its leader heads
                return self._named_country(next(iter(c.countries)))
            if c.entity.type == "Person":
                return cl if scope == "any" else None
            if c.entity.type in ("GeopoliticalEntity", "Location"):
                capital = self.data.capitals.get(_norm(c.entity.label))
                if capital is not None:  # "Beijing ministers": the government, China
                    return self._named_country(capital)
            return cl
        if tok.pos_ not in ("ADJ", "PROPN") or not tok.text[:1].isupper():
            return None
        words = self._words(tok.doc[tok.left_edge.i : tok.i + 1])
        country = (
            self._country_of(words) or self._country_of(words[-1:])
            or self.data.capitals.get(words[-1] if words else "")
        )
        return self._named_country(country) if country is not None else None

    def _party_of(self, person: _Cluster) -> int | None:
        """The one named body among a person's affiliations ("Whig leader Karl Lind": the
        Whig Party), else ``None``."""
        found: dict[int, set[int]] = {0: set(), 1: set()}
        for aff in person.affiliations:
            for c in self.clusters:
                if c.entity is None or c.entity.type == "Person":
                    continue
                label = _norm(c.entity.label).split()
                if len(label) > 1 and label[0] == aff:
                    found[0].add(c.index)  # "the Whig Party" (its members' name an alias)
                elif label == [aff]:
                    found[1].add(c.index)  # "Whig" alone: only if nothing better
        best = found[0] or found[1]
        return next(iter(best)) if len(best) == 1 else None

    def _named_country(self, name: str) -> int | None:
        """The cluster of a country the article names (by label), else ``None``."""
        key = _norm(name)
        for c in self.clusters:
            if c.entity is not None and c.entity.type != "Person" and (
                _norm(c.entity.label) == key
            ) and any(r.kind != "role" for r in c.raws):
                return c.index
        return None

    def _holds(self, role: str, heads: set[str]) -> bool:
        """A holder of ``role`` answers to a description naming one of ``heads``: the same
        office, or a more specific one of its kind ("defence minister" is "the minister";
        "prime minister", "vice president" and "shadow chancellor" are other offices)."""
        head = self._role_head(role)
        if head in heads:
            return True
        words = head.split()
        leaders = {self._role_head(r) for r in self.data.leader_roles}
        return (
            len(words) > 1 and words[0] not in self.data.other_office_prefixes
            and head not in leaders and words[-1] in heads
        )

    def _role_head(self, role: str) -> str:
        """The office a role names: "president-elect" -> "president", "pm" -> "prime minister";
        "vice president" stays."""
        cut = _ending(role, self.data.future_role_suffixes)
        role = role[:-cut] if cut else role
        return self.data.role_synonyms.get(role, role)

    def _salient(self, cands: list[int]) -> int | None:
        """The candidate the article is clearly about: at least twice the named mentions of any
        other (and at least three); otherwise ``None`` and recency decides."""
        if len(cands) < 2:
            return cands[0] if cands else None
        counts = sorted(
            ((sum(1 for r in self.clusters[c].raws if r.kind != "role"), c) for c in set(cands)),
            reverse=True,
        )
        (top, best), (second, _) = counts[0], counts[1]
        return best if top >= 3 and top >= 2 * second else None

    def _pair(
        self, tok: Token, sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]]
    ) -> tuple[int, MentionKind, tuple[int, ...]] | None:
        """'the two leaders', 'both men': the two persons last named together (in this sentence
        or one of the three before)."""
        lefts = list(tok.lefts)
        words = [t.lower_ for t in lefts]
        if not any(w in self.data.pair_words for w in words):
            return None
        kind = self.data.pair_nouns[_norm(tok.text)]
        start = lefts[0].i if lefts else tok.i
        leaders = {self._role_head(r) for r in self.data.leader_roles}
        # "the two leaders" may look further back, gathering the heads of state or government
        # named one by one ("... Gen X said ... next to Mr Y ... Mr Y said the two leaders")
        gather = kind == "leader"
        here = self._persons_before(tok, sentences)
        if len(here) == 2:
            # "A and B agreed ... after the two leaders held talks": the two named before
            return (start, "role", tuple(sorted(here)))
        if len(here) > 2:
            return None
        found: list[int] = []
        for sent in reversed(sentences[-5:] if gather else sentences[-3:]):
            if not gather:
                found = []
            for _seg, t, clusters, quoted in sent:
                if quoted or len(clusters) != 1 or (t.i >= tok.i and t.doc is tok.doc):
                    continue
                c = self.clusters[clusters[0]]
                if c.entity is None or c.entity.type != "Person":
                    continue
                if kind == "leader" and not ({self._role_head(r) for r in c.roles} & leaders):
                    continue
                if c.index not in found:
                    found.append(c.index)
            if len(found) == 2:
                return (start, "role", tuple(sorted(found)))
            if len(found) > 2:
                break
        if self.pairs:
            # "the first meeting between the two leaders": the pair last named together
            return (start, "role", tuple(sorted(self.pairs[-1])))
        return None

    def _person_lists(self) -> list[tuple[int, ...]]:
        """Lists of three or more names joined only by commas and "and" ("A, B and C"), read
        off the tokens (the parser often hangs one member as an apposition). A list with a
        member that is no person is kept as an empty tuple: it makes a group noun ambiguous."""
        out: list[tuple[int, ...]] = []
        names = sorted((r for r in self.raws if r.kind == "name"), key=lambda r: (r.seg, r.start))
        run: list[_Raw] = []
        for r in [*names, None]:
            if (
                r is not None and run and run[-1].seg == r.seg and r.start > run[-1].end
                and self._only_list_marks(r.seg, run[-1].end, r.start)
            ):
                run.append(r)
                continue
            members = list(dict.fromkeys(x.cluster for x in run))
            if len(run) >= 3:
                group = tuple(sorted(members)) if all(self._person(c) for c in members) else ()
                if len(members) == len(run) and group not in out:
                    out.append(group)
            run = [r] if r is not None else []
        return out

    def _only_list_marks(self, seg: int, start: int, end: int) -> bool:
        """Tokens ``start`` to ``end`` of segment ``seg`` are all punctuation or a
        coordinating conjunction (what joins the members of a list)."""
        doc = self.docs[seg]
        pos = columns(doc).pos
        return all(pos[k] == "CCONJ" or doc[k].is_punct for k in range(start, end))

    def _group(self, tok: Token) -> tuple[int, MentionKind, tuple[int, ...]] | None:
        """'the trio', 'the three men', 'the men': the one list of three or more persons the
        article names together, when it names exactly one of that size (before or after)."""
        low = _norm(tok.text)
        pair_noun = low in self.data.pair_nouns
        if not pair_noun and low not in self.data.group_sizes:
            return None
        lefts = list(tok.lefts)
        if not any(
            t.dep_ == "det" and ("Def" in t.morph.get("Definite", []) or "Dem" in t.morph.get(
                "PronType", [])) for t in lefts
        ):
            return None
        if any(t.dep_ not in ("det", "nummod") for t in lefts):
            return None  # "the other men", "the Asian men"
        size = self.data.group_sizes.get(low)
        for t in lefts:
            if t.dep_ == "nummod":
                size = self.data.group_sizes.get(_norm(t.text))
                if size is None:
                    return None
        plural = tok.morph.get("Number", []) == ["Plur"]
        if size is None and (not pair_noun or not plural or self.pairs):
            return None  # a bare "the men" after a pair was named may mean the pair
        fits = [g for g in self.groups if size is None or len(g) in (0, size)]
        if len(fits) != 1 or not fits[0]:
            return None
        return (lefts[0].i, "role", fits[0])

    def _persons_before(
        self, tok: Token, sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]]
    ) -> list[int]:
        """Distinct persons named (or resolved) before ``tok`` in its sentence, in order."""
        out: list[int] = []
        for _s, t, cls, q in sentences[-1] if sentences else []:
            if (
                t.doc is tok.doc and t.i < tok.i and not q and len(cls) == 1
                and self._person(cls[0]) and cls[0] not in out
            ):
                out.append(cls[0])
        return out

    def _speakers(
        self, tok: Token, sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]]
    ) -> tuple[int, ...]:
        """"A and B said they were backing her": they are the coordinated subject of the
        reporting verb right above the pronoun's clause."""
        clause = tok.head
        if tok.dep_ not in _SUBJ_DEPS or clause.dep_ != "ccomp":
            return ()
        verb = clause.head
        if verb.lemma_.lower() not in self.cues.reporting:
            return ()
        cur = {t.i: cls[0] for _s, t, cls, q in sentences[-1] if len(cls) == 1
               and t.doc is tok.doc} if sentences else {}
        out: list[int] = []
        for subj in self._subjects(verb):
            for t in (subj, *subj.conjuncts):
                cl = cur.get(t.i)
                if cl is not None and cl not in out:
                    out.append(cl)
        return tuple(sorted(out)) if len(out) >= 2 else ()

    def _reciprocal(
        self, tok: Token, sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]]
    ) -> tuple[int, ...]:
        """"A phoned B and they met a week later": "they" with a symmetric verb and no object
        of its own are the two persons of the clause just before in the sentence (its subject
        and object)."""
        verb = tok.head
        types = self.cues.verbs.get(verb.lemma_.lower(), ())
        if tok.dep_ != "nsubj" or not any(self.cues.types[t].symmetric for t in types):
            return ()
        preps = {p for t in types for p in self.cues.option_list(t, "object_preps")}
        if any(c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in preps)
               for c in verb.children):
            return ()  # "they met Brandt", "they met with Brandt": not each other
        persons = [(t, cls[0]) for _s, t, cls, q in (sentences[-1] if sentences else [])
                   if not q and len(cls) == 1 and t.doc is tok.doc and t.i < tok.i
                   and self._person(cls[0])]
        for (t1, c1), (t2, c2) in pairwise(persons):
            head = t2.head.head if t2.dep_ == "pobj" else t2.head
            if c1 != c2 and t1.dep_ in _SUBJ_DEPS and t2.dep_ in _OBJ_DEPS and head.i == t1.head.i:
                return tuple(sorted((c1, c2)))
        return ()

    def _unique_or_recent(
        self, cands: list[int], sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]]
    ) -> int | None:
        if len(cands) == 1:
            return cands[0]
        if not cands:
            return None
        cset = set(cands)
        for sent in reversed(sentences[-3:]):
            seen = {cl for _s, _t, cls, q in sent if not q and len(cls) == 1 for cl in cls} & cset
            if seen:
                return next(iter(seen)) if len(seen) == 1 else None
        return None

    def _pronoun(
        self,
        tok: Token,
        gender: Gender,
        sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]],
    ) -> int | None:
        """he/she/him/her/his: the one compatible person the sentence structure points at."""

        def ok(cl: int) -> bool:
            c = self.clusters[cl]
            return self._could_be_person(cl) and (
                c.gender is None or c.gender == gender or c.gender_conflict
            )

        cur = sentences[-1]
        token_cluster = {
            t.i: cls[0] for _s, t, cls, q in cur if len(cls) == 1 and not q and t.doc is tok.doc
        }
        excluded: set[int] = set()
        if tok.dep_ in _OBJ_DEPS or tok.lower_ in self.data.reflexive_pronouns:
            verb = tok.head.head if tok.dep_ == "pobj" else tok.head
            for _ in range(5):
                subjects = self._subjects(verb)
                for subj in subjects:
                    # "Bill and Hillary Clinton endorsed her": no subject is the object
                    for s in (subj, *(c for c in subj.subtree if c.dep_ == "conj")):
                        if s.i in token_cluster:
                            excluded.add(token_cluster[s.i])
                # "A called B to congratulate him": the infinitive's subject is A's
                if subjects or verb.dep_ not in ("xcomp", "advcl") or verb.head.i == verb.i:
                    break
                verb = verb.head
            if tok.lower_ in self.data.reflexive_pronouns:
                keep = excluded
                return next(iter(keep)) if len(keep) == 1 and ok(next(iter(keep))) else None
        # strong cue: the subject of a clause that governs the pronoun ("X said he ...")
        anc = tok.head
        seen = 0
        while seen < 20:
            seen += 1
            for subj in self._subjects(anc):
                if subj.i == tok.i or subj.i > tok.i:
                    continue
                cl = token_cluster.get(subj.i)
                if cl is None or cl in excluded or not ok(cl):
                    continue
                between = {c for i, c in token_cluster.items() if subj.i < i < tok.i and ok(c)}
                if tok.dep_ == "poss" and between - {cl}:
                    # "A thanked B for his support": his is A or B; leave it open
                    return None
                self._learn_gender(cl, gender)
                return cl
            if anc.head.i == anc.i:
                break
            anc = anc.head
        if self._unknown_names_before(tok):
            return None
        reported = self._reported_subject(tok, token_cluster)
        if reported is not None and ok(reported) and reported not in excluded:
            return reported
        # only people before it count: "During his stay in Washington, he ..." looks back;
        # "the Attlee government" names no one who acts
        actors = {t.i for _s, t, _c, _q in cur if t.doc is tok.doc and not self._modifier(t)}
        before = [
            cl for i, cl in token_cluster.items()
            if i < tok.i and i in actors and self._could_be_person(cl)
        ]
        if before:
            uniq = {cl for cl in before if ok(cl)} - excluded
            if len(uniq) == 1:
                return next(iter(uniq))
            if uniq and tok.dep_ in _SUBJ_DEPS:
                # "When he refused ..., he said": the one person who is a subject before it
                subj_cls = {
                    cl for i, cl in token_cluster.items()
                    if i < tok.i and cl in uniq and tok.doc[i].dep_ in _SUBJ_DEPS
                }
                if len(subj_cls) == 1:
                    return next(iter(subj_cls))
            if uniq or tok.dep_ not in _OBJ_DEPS:
                return None
            # "Bill Clinton endorsed her": no one here fits an object pronoun; look back
        if tok.dep_ in _SUBJ_DEPS and self._unnamed_speaker_before(tok):
            return None
        # nothing before it in this sentence: the latest earlier sentence naming a person
        for sent in reversed(sentences[-4:-1]):
            cands = [(t, cls[0]) for _s, t, cls, q in sent
                     if len(cls) == 1 and not q and not self._modifier(t)]
            persons = [(t, cl) for t, cl in cands if self._could_be_person(cl)]
            if not persons:
                continue
            uniq = {cl for _t, cl in persons if ok(cl)} - excluded
            if not uniq:
                continue  # no one there fits ("she" after a sentence about a man): look further
            if len(uniq) == 1:
                return next(iter(uniq))
            if tok.dep_ in _OBJ_DEPS and before:
                # an object no one in its own sentence fits: the one the article is about
                return self._salient(sorted(uniq))
            if tok.dep_ in _SUBJ_DEPS:
                subj_cls = {
                    cl for t, cl in persons
                    if t.dep_ in _SUBJ_DEPS and t.head.dep_ == "ROOT" and cl in uniq
                }
                if len(subj_cls) == 1:
                    return next(iter(subj_cls))
                if not subj_cls:
                    # "His comments came as Bush said ...": the one subject, of any clause
                    subj_cls = {cl for t, cl in persons if t.dep_ in _SUBJ_DEPS and cl in uniq}
                    if len(subj_cls) == 1:
                        return next(iter(subj_cls))
                # several fit: the person the article is about, if one of them
                main = self._main_actor()
                if main is not None and main in uniq:
                    return main
            return None
        return None

    def _unnamed_speaker_before(self, tok: Token) -> bool:
        """"..., said a spokesman. But he played down ...": the sentence before ends with an
        unnamed speaker, the likelier antecedent of a subject pronoun opening the next one."""
        first = tok.sent.start
        if first == 0 or any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in tok.doc[first : tok.i]):
            return False
        seg = self._seg_of(tok)
        prev = tok.doc[first - 1].sent
        return any(
            t.lemma_.lower() in self.cues.reporting and t.pos_ == "VERB"
            and any(
                s.pos_ == "NOUN" and (seg, s.i) not in self.covered for s in self._subjects(t)
            )
            for t in prev
        )

    def _reported_subject(self, tok: Token, token_cluster: Mapping[int, int]) -> int | None:
        """"A met B, his office said" / "..., she said": a pronoun in the subject of a
        reporting verb after its reported clause is that clause's subject."""
        subj = tok.head if tok.dep_ == "poss" else tok
        if subj.dep_ not in _SUBJ_DEPS:
            return None
        verb = subj.head
        if verb.lemma_.lower() not in self.cues.reporting:
            return None
        for clause in verb.children:
            if clause.dep_ == "ccomp" and clause.i < subj.i:
                seg = self._seg_of(tok)
                if any(
                    t.pos_ == "PROPN" and t.is_alpha and (seg, t.i) not in self.covered
                    and t.ent_type_ in ("", "PERSON") and not self._title_of_name(seg, t)
                    for t in clause.subtree
                ):
                    return None  # a name the resolver left out may be whom it means
                if any(
                    (raw := self.raw_at.get((seg, s.i))) is not None and raw.label is None
                    for s in self._subjects(clause)
                ):
                    return None  # a name spaCy did not tag: no guess
                found = {token_cluster[s.i] for s in self._subjects(clause)
                         if s.i in token_cluster and self._person(token_cluster[s.i])}
                if not found:
                    # "There is no truth in reports that A met B, her aide said", "Reports that
                    # she met B are false, ...": the clause judges a report; the one person who
                    # is a subject inside it, of the content clause ("that A met B"), is meant
                    inner: set[int] = set()
                    for v in clause.subtree:
                        for s in self._subjects(v) if v.i != clause.i else ():
                            for t in (s, *s.conjuncts):
                                cl = token_cluster.get(t.i)
                                if cl is not None and self._person(cl):
                                    found.add(cl)
                                    if v.dep_ in ("ccomp", "acl"):
                                        inner.add(cl)
                    if found != inner:
                        return None  # "The report, which A wrote, ...": another subject
                return next(iter(found)) if len(found) == 1 else None
        return None

    def _modifier(self, t: Token) -> bool:
        """A name used as a modifier of a following common noun ("the Attlee government")."""
        return (
            t.dep_ in ("compound", "amod", "nmod") and t.head.i > t.i
            and (self._seg_of(t), t.head.i) not in self.covered
        )

    def _main_actor(self) -> int | None:
        """The person the article is about: named as a subject at least three times and at
        least twice as often as anyone else; ``None`` when no one stands out."""
        if self._main != -1:
            return self._main
        counts: Counter[int] = Counter()
        for r in self.raws:
            if r.kind == "role" or not self._person(r.cluster):
                continue
            if self.docs[r.seg][r.end - 1].dep_ in _SUBJ_DEPS:
                counts[r.cluster] += 1
        ranked = counts.most_common(2)
        main: int | None = None
        if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            main = ranked[0][0]
        self._main = main
        return main

    def _unknown_names_before(self, tok: Token) -> bool:
        """A proper noun before the pronoun that no mention covers: a name spaCy missed."""
        seg = self._seg_of(tok)
        return any(
            t.pos_ == "PROPN" and t.text[:1].isupper() and t.is_alpha and not t.ent_type_
            and (seg, t.i) not in self.covered
            # "Mr Chirac", "Prime Minister X": a title on a name is no unknown name
            and not self._title_of_name(seg, t)
            for t in tok.sent
            if t.i < tok.i
        )

    def _title_of_name(self, seg: int, t: Token) -> bool:
        """A compound chain ending on a name mention ("Prime" -> "Minister" -> "Varga")."""
        for _ in range(4):
            if t.dep_ != "compound" or t.head.i <= t.i:
                return False
            t = t.head
            if (seg, t.i) in self.covered:
                return True
        return False

    def _seg_of(self, tok: Token) -> int:
        return self.seg_index.get(id(tok.doc), -1)

    def _it_pronoun(
        self, tok: Token, sentences: list[list[tuple[int, Token, tuple[int, ...], bool]]]
    ) -> int | None:
        """it/its: only the organisation or country subject of a clause governing the pronoun."""
        cur = sentences[-1]
        token_cluster = {
            t.i: cls[0] for _s, t, cls, q in cur if len(cls) == 1 and not q and t.doc is tok.doc
        }
        anc = tok.head
        for _ in range(20):
            for subj in self._subjects(anc):
                if subj.i >= tok.i:
                    continue
                cl = token_cluster.get(subj.i)
                if cl is not None:
                    ent = self.clusters[cl].entity
                    if ent is not None and ent.type in ("Organization", "GeopoliticalEntity"):
                        return cl
                    return None
            if anc.head.i == anc.i:
                break
            anc = anc.head
        return None

    def _subjects(self, verb: Token) -> list[Token]:
        """Subjects of a verb; a relative pronoun stands for the noun its clause modifies."""
        out: list[Token] = []
        for c in verb.children:
            if c.dep_ in _SUBJ_DEPS:
                if c.lower_ in self.data.relative_pronouns and verb.dep_ == "relcl":
                    out.append(verb.head)
                else:
                    out.append(c)
        return out

    def _learn_gender(self, cl: int, gender: Gender) -> None:
        c = self.clusters[cl]
        if c.gender is None:
            c.gender = gender

    def retype(self) -> None:
        """Re-decide types now that pronouns tell which names are people ("Kolar ... she")."""
        for c in self.clusters:
            if c.entity is not None and c.pronoun_votes and not c.canon:
                c.entity = replace(c.entity, type=self._make_entity(c).type)


# --------------------------------------------------------------------------------------------


def resolve_entities(
    parsed: ParsedArticle, *, base: str = iris.DEFAULT_BASE, data: AliasData | None = None
) -> ResolvedEntities:
    """Resolve every entity mention of one parsed article (deterministic; never raises on text)."""
    r = _Resolver(parsed, data or load_alias_data(), base)
    r.collect_names()
    r.cluster()
    r.known_names()
    r.finalise()
    mentions = r.references()
    r.retype()
    # he/she/him/her never stands for an organisation or a place
    types = {c.entity.id: c.entity.type for c in r.clusters if c.entity is not None}
    mentions = [
        m for m in mentions
        if not (
            m.kind == "pronoun" and m.text.lower() in r.data.pronouns
            and types[m.entity_id] != "Person"
        )
    ]
    # entities in order of first mention; drop clusters that ended with no mention
    first: dict[str, tuple[int, int]] = {}
    for m in mentions:
        first.setdefault(m.entity_id, (m.segment, m.start))
    ents: dict[str, Entity] = {}
    for c in r.clusters:
        if c.entity is not None and c.entity.id in first:
            prev = ents.get(c.entity.id)
            ents[c.entity.id] = c.entity if prev is None else _merge(prev, c.entity)
    for short, full in _acronyms(ents.values()).items():
        # "the World Trade Organisation (WTO)" ... "WTO talks": one organisation
        ents[full] = _merge(ents[full], ents.pop(short))
        mentions = [replace(m, entity_id=full) if m.entity_id == short else m for m in mentions]
        first[full] = min(first[full], first[short])
    entities = tuple(sorted(ents.values(), key=lambda e: first[e.id]))
    mentions.sort(key=lambda m: (m.segment, m.start, m.end, first[m.entity_id]))
    return ResolvedEntities(entities, tuple(mentions))


@lru_cache(maxsize=1)
def _compiled_cues() -> Compiled:
    """The lexicon's cues (reporting verbs) that pronoun resolution reads."""
    return compile_lexicon(load_lexicon())


def _acronyms(entities: Iterable[Entity]) -> dict[str, str]:
    """Organisations named by an acronym ("WTO") and by the words it abbreviates ("World Trade
    Organisation": the initials of its capitalised words): acronym id -> full name's id, when
    exactly one full name fits."""
    orgs = [e for e in entities if e.type == "Organization"]
    out: dict[str, str] = {}
    for e in orgs:
        if not (2 <= len(e.label) <= 6 and e.label.isalpha() and e.label.isupper()):
            continue
        fits = [f.id for f in orgs if f.id != e.id and e.label in _initials(f.label)]
        if len(fits) == 1:
            out[e.id] = fits[0]
    return out


def _initials(name: str) -> set[str]:
    """ "World Trade Organisation" -> {"WTO"}; "British Petroleum Co plc" -> {"BPC", "BP"} (a
    short last word is a company form, "Co", "Inc", which acronyms often leave out)."""
    words = [w for w in name.split() if w[:1].isupper()]
    out = {"".join(w[0] for w in words)}
    if len(words) > 2 and len(words[-1].rstrip(".")) <= 4:
        out.add("".join(w[0] for w in words[:-1]))
    return out


def _merge(a: Entity, b: Entity) -> Entity:
    """Two clusters that ended with the same label (and so the same IRI) become one entity."""
    aliases = list(a.aliases)
    for s in (b.label, *b.aliases):
        if s != a.label and s not in aliases:
            aliases.append(s)
    return Entity(a.id, a.label, a.type, tuple(aliases))


__all__ = [
    "ALIASES_PATH",
    "AliasData",
    "Mention",
    "MentionKind",
    "ResolvedEntities",
    "load_alias_data",
    "parse_alias_data",
    "resolve_entities",
]

"""spaCy's rule components run as table lookups, with exactly the stock components' output.

The English model's ``attribute_ruler`` maps each fine-grained tag to its part of speech and
morphology with about 180 one-token ``Matcher`` patterns; our ``kg_repairs`` ruler is built
the same way. spaCy's ``Matcher`` walks every pattern over every token, which made the
model's ruler cost as much as its parser (about a sixth of the whole parse). Almost all
these patterns test one token's own attributes, so :class:`TableRuler` decides them once per
distinct combination of those attributes and remembers the merged result; the few patterns
that span several tokens (or use operators the table does not read) still go through a
``Matcher`` of their own. The semantics are the stock ruler's: every pattern is matched
against the tokens as the model left them, then the matched rules' attributes are set in
rule order, a later rule overwriting an earlier one. The rule lemmatizer, a Python loop over
every token, is tabled the same way (:class:`TableLemmatizer`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import numpy
from spacy.language import Language

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: the token attributes a one-token pattern may test for the table to decide it
_TABLE_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE", "ORTH", "POS", "LEMMA", "NORM")
#: the predicates a pattern's value may use for the table (anything else goes to the Matcher)
_TABLE_PREDICATES = {"IN", "NOT_IN", "REGEX"}
#: columns holding a flag, not a string: a REGEX on them is left to the Matcher
_FLAG_ATTRS = {"IS_SPACE"}

_Test = Callable[[tuple[int, ...]], bool]
_Rule = tuple[int, Mapping[Any, Any]]
_Plan = tuple[Any, ...]
#: a plan's (column, value) pairs that set something (its None entries left out)
_Sets = tuple[tuple[int, Any], ...]
#: entries a table keeps before it starts again (bounded memory on any input)
_TABLE_LIMIT = 1 << 20


def _value_id(value: Any, strings: Any) -> int:
    """A pattern value as the integer ``Doc.to_array`` gives for it (a string's hash)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    return int(strings.add(str(value)))


def _token_test(spec: Mapping[str, Any], columns: dict[str, int], strings: Any) -> _Test | None:
    """A test of one token's attribute values (a row of the table's columns) equal to the
    Matcher's for the one-token pattern ``spec``; None when the table cannot decide it."""
    sets: list[tuple[int, bool, frozenset[int]]] = []  # column, wanted inside, values
    regexes: list[tuple[int, re.Pattern[str]]] = []
    for key, value in spec.items():
        attr = key.upper()
        if attr not in columns:
            return None
        col = columns[attr]
        if not isinstance(value, dict):
            sets.append((col, True, frozenset((_value_id(value, strings),))))
            continue
        if not value or set(value) - _TABLE_PREDICATES:
            return None
        for op, arg in value.items():
            if op == "REGEX":
                if attr in _FLAG_ATTRS:
                    return None
                regexes.append((col, re.compile(arg)))
            else:
                sets.append((col, op == "IN", frozenset(_value_id(v, strings) for v in arg)))

    def test(row: tuple[int, ...]) -> bool:
        return all((row[col] in values) == inside for col, inside, values in sets) and all(
            rx.search(strings[row[col]]) is not None for col, rx in regexes
        )

    return test


def _needed_values(
    pattern: list[dict[str, Any]], columns: dict[str, int], strings: Any
) -> tuple[tuple[int, frozenset[int]], ...]:
    """Columns and the values one of which a doc must hold in each for ``pattern`` to match
    there: per token test without an operator (it matches exactly one token), its fewest
    values of an equality or an ``IN`` on a column ("ai" rather than "any VBZ or VBP" for
    "ain't"); empty if no test has one."""
    needs: list[tuple[int, frozenset[int]]] = []
    for spec in pattern:
        if "OP" in spec:
            continue
        best: tuple[int, frozenset[int]] | None = None
        for key, value in spec.items():
            attr = key.upper()
            if attr not in columns:
                continue
            if not isinstance(value, dict):
                need = columns[attr], frozenset((_value_id(value, strings),))
            elif set(value) == {"IN"}:
                need = columns[attr], frozenset(_value_id(v, strings) for v in value["IN"])
            else:
                continue
            if best is None or len(need[1]) < len(best[1]):
                best = need
        if best is not None:
            needs.append(best)
    return tuple(needs)


def _uint64(rows: Any) -> Any:
    """Rows as the uint64 array ``Doc.from_array`` takes."""
    return numpy.array(rows, dtype="uint64")


class _PerDoc:
    """A component that handles one doc at a time: ``pipe`` is ``__call__`` per doc."""

    def __call__(self, doc: Doc) -> Doc:
        raise NotImplementedError

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


class TableRuler(_PerDoc):
    """An ``AttributeRuler``'s rules applied by table lookup (same attributes set).

    Made empty by the ``kg_table_ruler`` factory, then given a ruler's rules with
    :meth:`take_rules`."""

    def __init__(self, vocab: Any) -> None:
        from spacy.attrs import IDS
        from spacy.matcher import Matcher

        self.vocab = vocab
        self._attr_ids: list[Any] = [IDS[a] for a in _TABLE_ATTRS]
        #: (ordinal, tests, attributes) of the rules the table decides, in rule order
        self._table_rules: list[tuple[int, list[_Test], Mapping[Any, Any]]] = []
        #: match key -> (ordinal, attributes, index) of the rules left to the Matcher
        self._matcher_rules: dict[int, tuple[int, Mapping[Any, Any], int]] = {}
        self._matcher = Matcher(vocab)
        #: (column, values) pairs per Matcher pattern: it can only match a doc that has, for
        #: each pair, a token whose column holds one of the values (the Matcher is skipped
        #: for other docs)
        self._matcher_needs: list[tuple[tuple[int, frozenset[int]], ...]] = []
        self._matcher_always = False
        #: the attributes the rules set, as ids (``Doc.from_array`` columns)
        self._set_ids: list[Any] = []
        self._rows: dict[tuple[int, ...], tuple[tuple[_Rule, ...], _Plan, _Sets]] = {}
        #: (column, value) -> positions in ``_table_rules`` of the rules a token can only
        #: match with that value there; ``_unindexed``: the rules with a test lacking one
        self._rule_index: dict[tuple[int, int], list[int]] = {}
        self._unindexed: list[int] = []
        self._index_columns: list[int] = []

    def take_rules(self, ruler: Any) -> None:
        """Take the rules of the spaCy ``AttributeRuler`` ``ruler`` (its normalised
        attributes, its indices and its Matcher patterns, in its rule order)."""
        columns = {a: i for i, a in enumerate(_TABLE_ATTRS)}
        for ordinal, attrs in enumerate(ruler.attrs):
            patterns = ruler.matcher.get(str(ordinal))[1]
            index = ruler.indices[ordinal]
            tests = [
                _token_test(p[0], columns, self.vocab.strings)
                if len(p) == 1 and index in (0, -1) else None
                for p in patterns
            ]
            if all(t is not None for t in tests):
                self._index_rule(len(self._table_rules), patterns, columns)
                self._table_rules.append((ordinal, [t for t in tests if t], attrs))
            else:
                key = self.vocab.strings.add(f"kg_table_ruler_{len(self._matcher_rules)}")
                self._matcher.add(key, patterns)
                self._matcher_rules[key] = (ordinal, attrs, index)
                for pattern in patterns:
                    needs = _needed_values(pattern, columns, self.vocab.strings)
                    if not needs:
                        self._matcher_always = True
                    else:
                        self._matcher_needs.append(needs)
        self._set_ids = sorted({a for attrs in ruler.attrs for a in attrs})
        self._index_columns = sorted({col for col, _ in self._rule_index})
        self._rows.clear()

    def _index_rule(
        self, position: int, patterns: list[list[dict[str, Any]]], columns: dict[str, int]
    ) -> None:
        """File a table rule under the values its one-token patterns need (each pattern's
        most selective equality or ``IN``), so a new row tests only the rules it can match."""
        needs = [_needed_values(p, columns, self.vocab.strings) for p in patterns]
        if not all(needs):
            self._unindexed.append(position)
            return
        for need in needs:
            col, values = need[0]
            for value in values:
                self._rule_index.setdefault((col, value), []).append(position)

    def _rules_for(self, row: tuple[int, ...]) -> tuple[tuple[_Rule, ...], _Plan, _Sets]:
        """The table rules a token with these attribute values matches, the value each
        attribute the ruler sets takes from them (None: left as it is), and the plan's
        (column, value) pairs that set one."""
        found = self._rows.get(row)
        if found is None:
            if len(self._rows) >= _TABLE_LIMIT:
                self._rows.clear()
            candidates = set(self._unindexed)
            for col in self._index_columns:
                candidates.update(self._rule_index.get((col, row[col]), ()))
            table_rules = self._table_rules
            rules = tuple(
                (o, attrs)
                for o, tests, attrs in (table_rules[k] for k in sorted(candidates))
                if any(t(row) for t in tests)
            )
            merged: dict[Any, Any] = {}
            for _, attrs in rules:
                merged.update(attrs)
            plan = tuple(merged.get(a) for a in self._set_ids)
            sets = tuple((col, value) for col, value in enumerate(plan) if value is not None)
            found = self._rows[row] = (rules, plan, sets)
        return found

    def _may_match(self, rows: Any) -> bool:
        """Whether some Matcher pattern finds every value it needs in the doc's ``rows``."""
        held: dict[int, set[int]] = {}

        def holds(col: int, values: frozenset[int]) -> bool:
            column = held.get(col)
            if column is None:
                column = held[col] = set(rows[:, col].tolist())
            return not values.isdisjoint(column)

        return any(all(holds(col, values) for col, values in needs)
                   for needs in self._matcher_needs)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not self._set_ids:
            return doc
        rows = doc.to_array(self._attr_ids)
        extra: dict[int, list[_Rule]] = {}
        if self._matcher_rules and (self._matcher_always or self._may_match(rows)):
            for key, start, end in self._matcher(doc, allow_missing=True):
                ordinal, attrs, index = self._matcher_rules[key]
                target = range(start, end)[index]
                extra.setdefault(target, []).append((ordinal, attrs))
        current = doc.to_array(self._set_ids).reshape(len(doc), -1).tolist()
        changed = False
        table = self._rows
        for i, row in enumerate(map(tuple, rows.tolist())):
            found = table.get(row)  # the table's hit inlined: this loop runs per token
            rules, _, sets = found if found is not None else self._rules_for(row)
            if i in extra:
                merged: dict[Any, Any] = {}
                for _, attrs in sorted((*rules, *extra[i]), key=lambda r: r[0]):
                    merged.update(attrs)
                plan = tuple(merged.get(a) for a in self._set_ids)
                sets = tuple((col, value) for col, value in enumerate(plan) if value is not None)
            old = current[i]
            for col, value in sets:
                if value != old[col]:
                    old[col] = value
                    changed = True
        if changed:
            doc.from_array(self._set_ids, _uint64(current))
        return doc


class TableLemmatizer(_PerDoc):
    """spaCy's rule (or lookup) lemmatizer with its answers remembered per token kind.

    The rule lemmatizer's lemma is a function of the token's form, part of speech and
    morphology (its own cache is keyed on exactly these), so the lemma of each such triple is
    asked of the wrapped lemmatizer once and then read from a table for the whole doc; as in
    spaCy, a token that already has a lemma keeps it unless the lemmatizer overwrites."""

    def __init__(self, vocab: Any) -> None:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        self.vocab = vocab
        self._columns = [ORTH, POS, MORPH, LEMMA]
        self._lemma_ids = [LEMMA]
        self._lemmatizer: Any = None
        self._overwrite = False
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def take_lemmatizer(self, lemmatizer: Any) -> None:
        """Answer for ``lemmatizer`` (a spaCy ``Lemmatizer`` in rule or lookup mode)."""
        self._lemmatizer = lemmatizer
        self._overwrite = bool(lemmatizer.overwrite)
        self._lemmas.clear()

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array(self._columns).tolist()
        lemmas = [row[3] for row in rows]
        table = self._lemmas
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not self._overwrite:
                continue
            found = table.get((orth, pos, morph))
            if found is None:
                if len(table) >= _TABLE_LIMIT:
                    table.clear()
                text = self._lemmatizer.lemmatize(doc[i])[0]
                found = table[(orth, pos, morph)] = int(self.vocab.strings.add(text))
            lemmas[i] = found
        doc.from_array(self._lemma_ids, _uint64([[h] for h in lemmas]))
        return doc


@Language.factory("kg_table_ruler")
def make_table_ruler(nlp: Language, name: str) -> TableRuler:
    """The empty :class:`TableRuler` that :func:`tabulate_components` fills."""
    return TableRuler(nlp.vocab)


@Language.factory("kg_table_lemmatizer")
def make_table_lemmatizer(nlp: Language, name: str) -> TableLemmatizer:
    """The empty :class:`TableLemmatizer` that :func:`tabulate_components` fills."""
    return TableLemmatizer(nlp.vocab)


def tabulate_components(nlp: Language) -> Language:
    """Run every ``AttributeRuler`` of ``nlp`` as a :class:`TableRuler` and its rule or
    lookup lemmatizers as a :class:`TableLemmatizer` (same output, a fraction of the time)."""
    from spacy.pipeline import AttributeRuler, Lemmatizer

    for name, component in list(nlp.pipeline):
        if isinstance(component, AttributeRuler):
            ruler = cast(TableRuler, nlp.replace_pipe(name, "kg_table_ruler"))
            ruler.take_rules(component)
        elif isinstance(component, Lemmatizer) and component.mode in ("rule", "lookup"):
            lemmatizer = cast(TableLemmatizer, nlp.replace_pipe(name, "kg_table_lemmatizer"))
            lemmatizer.take_lemmatizer(component)
    return nlp


__all__ = ["TableLemmatizer", "TableRuler", "make_table_lemmatizer", "make_table_ruler",
           "tabulate_components"]

"""Concept lexicons: a YAML file of concepts, their terms and their exclusions.

File format
===========

.. code-block:: yaml

    name: adult-social-care          # optional (default: the file's stem)
    version: 1                        # optional integer (default 1)
    description: ...                  # optional
    concepts:
      - id: co-production             # required: letters, digits, '-', '_'
        label: Co-production          # optional (default: the id)
        family: transformation        # optional (default: "default")
        description: ...              # optional
        terms:                        # required, at least one
          - co-production             # a phrase
          - lemma: co-produce         # every inflection of every word
          - co-produc*                # a wildcard over the last word
          - phrase: SDS               # the long form of a term ...
            match_case: true          # ... case-sensitive
          - phrase: partnership
            context: "MATCH {0,2} (with|between)"   # only where this holds
            unless: "civil MATCH"                  # never where this holds
        exclude:                      # optional
          - pattern: "(film|radio) {0,3} MATCH"
            reason: arts or media co-production    # optional
            scope: sentence           # optional: sentence (default) | text
        sources: ["..."]              # optional list of strings
        codebook:                     # optional: the coding rules labels follow
          definition: ...             # required in a codebook
          include: ["note: \"quoted example\" (corpus)"]
          exclude: ["..."]
        precision:                    # optional: what it was validated on
          sample: validation/x.csv    # relative to the lexicon file
          n: 160
          yes: 140
          estimate: 0.875             # yes/n
          interval: [0.815, 0.918]    # Wilson 95%
          note: "..."
        filter: filters/x.json        # optional: a trained filter (discourse filter train)

Unknown keys anywhere are errors (a misspelt ``exlude`` must not silently
switch exclusions off). ``family`` groups concepts that compete for share of
voice; a concept without one is in the family ``default``, so in a lexicon
without families every concept competes with every other.

Terms
=====

A term is a phrase of one or more words. Matching is case-insensitive (unless
``match_case: true``) and compares the lower-cased written form of each token.

* **Joins.** Between two words of a term, the document may have a hyphen
  (hyphen-minus, U+2010, U+2011, U+2012, en dash; not an em dash), a space,
  whitespace tokens (line breaks) or nothing at all, whatever the term itself
  uses. ``co-production`` therefore matches "co-production", "Co-Production",
  "co production", "co- production", "co-\\nproduction", "co–production" and
  "coproduction", and ``personal budget`` matches "personal\\nbudget" and
  "personal-budget". A term written closed up (``coproduction``) matches only
  the closed form: write terms with their hyphen or space.
* **Inflection.** A plain phrase matches its words as written (so list plurals,
  or use ``lemma:``). ``lemma: work in partnership`` matches every form that
  the English lookup table (the one ingest lemmatises with) maps to the same
  lemma, for every word: "working in partnership", "works in partnerships"...
  Matching does not read the document's LEMMA attribute, so results do not
  depend on the pipeline that tokenised the document.
* **Wildcard.** A ``*`` at the end of the last word matches any token that
  starts with what precedes it: ``co-produc*`` matches "co-producers",
  "coproductive", "co-\\nproducing" (the prefix must have 3+ characters).
* **Alternation.** ``(personal|individual) budgets`` is shorthand for two
  terms; an alternative may have several words (``(the big|big) society``)
  or none, which makes a word optional: ``capacity of (the|) community``.
* **Context.** ``context:`` (a pattern or a list of patterns, see below) keeps
  a term only where at least one pattern holds around it; ``unless:`` drops
  it where any of its patterns holds. Either way a dropped term simply does
  not match (nothing is reported, unlike a concept's ``exclude``). Use them
  to narrow broad words.

Overlaps: all terms of all concepts are matched at every position; a match
whose ``context`` fails or whose ``unless`` holds is dropped; then the
longest match (in characters) wins, ties going to the concept listed first
in the lexicon (then its first term); a match overlapping a winner is
dropped. So "personal budget" counted
under one concept is never also a hit for a concept whose term is "budget".

Context and exclude patterns
============================

Used by a term's ``context`` and a concept's ``exclude``. A pattern is a
sequence of space-separated elements with exactly one ``MATCH``::

    MATCH           the matched term; MATCH:cap requires its first letter
                    to be upper-case ("Partnership", not "partnership")
    word            a word, case-insensitive; hyphenated words are read as
                    several words ("public-private" = "public private")
    word*           any word starting with "word"
    lemma:word      any inflection of "word" (same lookup table as terms)
    CAP             any word written with an upper-case first letter
    (a|b c|d*)      alternation; each alternative is one or more words;
                    an empty alternative makes the group optional: (the|)
    {n} / {m,n}     a gap of exactly n / from m to n words (n <= 50)

Elements left of ``MATCH`` must occur in order and end right before the match
(a gap is how to say "within N words"); elements right of it must start right
after it. Examples::

    (film|radio|bbc) {0,3} MATCH     one of these within 3 words before
    MATCH {0,3} (film|festival)      ... within 3 words after
    MATCH:cap {0,2} (nhs|trust)      a capitalised match before "NHS"/"Trust"
    CAP MATCH:cap                    a capitalised match after a capitalised
                                     word (inside a proper name)
    civil MATCH                      right before

Distances count *words*: tokens that are neither punctuation nor whitespace,
so "BBC, co-production" has "bbc" right before the match. A pattern looks
only inside the sentence that contains the match, the same window reported
as the mention's sentence (at most 60 tokens either side). Written as a
mapping, an exclude (or a context) can take ``scope: text`` to look across
sentence boundaries, still at most 60 tokens either side::

    exclude:
      - pattern: "(farm*|agricultur*) {0,15} MATCH"
        scope: text            # "... the EU's Common Agricultural Policy.
        reason: farm payments  #  Direct payments provide stability ..."

    terms:
      - phrase: partnership
        context:
          - "MATCH {0,2} (with|between)"          # a plain pattern
          - {pattern: "working {0,3} MATCH", scope: text}

Exclusions are applied after overlaps are resolved; an excluded mention is
still reported with ``excluded=True`` and the ``reason`` of the first
exclusion (in file order) that holds (an exclusion without a ``reason``
reports its pattern). Patterns may cover at most 50-word gaps and never
look further than 60 tokens from the match.

Content hash
============

``Lexicon.content_hash`` is the SHA-256 of the canonical JSON (sorted keys,
no insignificant whitespace, UTF-8) of the YAML data as parsed. Comments,
indentation, key order and quoting do not change it; any change to a value
does. Results stored with one hash are stale under another. ``codebook`` and
``precision`` are documentation and are left out; a ``filter`` enters as its
path and the SHA-256 of the filter file, so retraining a filter re-matches.
A lexicon without these keys hashes as it did before they existed.

Modules
=======

:mod:`.model` holds the loaded data (:class:`Lexicon`, :class:`Concept`,
:class:`Term`, :class:`Exclude`); :mod:`.terms` splits, inflects and expands
terms; :mod:`.patterns` compiles and tests context/exclude patterns;
:mod:`.loader` reads and validates the YAML file. Everything is imported
from here.
"""

from __future__ import annotations

from ..chars import JOINERS
from .codebook import CODEBOOK_KEYS, PRECISION_KEYS
from .forms import expansion_warnings
from .loader import (
    CONCEPT_KEYS,
    CONTEXT_KEYS,
    DEFAULT_LEXICON,
    DEFAULT_LEXICON_DIR,
    EXCLUDE_KEYS,
    TERM_KEYS,
    TOP_KEYS,
    check_lexicon,
    load_lexicon,
)
from .model import DEFAULT_FAMILY, Codebook, Concept, Exclude, Lexicon, Precision, Term
from .patterns import MAX_GAP, SCOPES, Alt, Gap, Pattern, WordTest, compile_pattern, pattern_holds
from .show import describe_concept
from .terms import (
    MAX_VARIANTS,
    MIN_PREFIX,
    compile_term,
    expand_alternation,
    expand_variants,
    inflections,
    norm_key,
    split_words,
)

__all__ = [
    "CODEBOOK_KEYS",
    "CONCEPT_KEYS",
    "CONTEXT_KEYS",
    "DEFAULT_FAMILY",
    "DEFAULT_LEXICON",
    "DEFAULT_LEXICON_DIR",
    "EXCLUDE_KEYS",
    "JOINERS",
    "MAX_GAP",
    "MAX_VARIANTS",
    "MIN_PREFIX",
    "PRECISION_KEYS",
    "SCOPES",
    "TERM_KEYS",
    "TOP_KEYS",
    "Alt",
    "Codebook",
    "Concept",
    "Exclude",
    "Gap",
    "Lexicon",
    "Pattern",
    "Precision",
    "Term",
    "WordTest",
    "check_lexicon",
    "compile_pattern",
    "compile_term",
    "describe_concept",
    "expand_alternation",
    "expand_variants",
    "expansion_warnings",
    "inflections",
    "load_lexicon",
    "norm_key",
    "pattern_holds",
    "split_words",
]

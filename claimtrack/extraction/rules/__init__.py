"""The rules backend: attributed claims and pending commitments found by patterns, offline.

Deterministic and pure: the same text always gives the same items, with no model and no I/O. It is
the default backend and the baseline every prompt has to beat.

How an article is read:

1. **Structure.** The text is cut into lines (paragraphs), quotations are paired within each line
   (curly, straight and ``''`` marks; a quotation left open runs to the end of its line), and lines
   are cut into sentences at ``.``/``?``/``!`` followed by a capital, never inside a quotation and
   never after an abbreviation (``Mr.``, ``U.S.``, an initial).
2. **Cues.** Every reporting word outside quotations is a cue: the forms of the lexicon
   ``cues.toml`` (``said``, ``warns``, ``has argued``, ``also noted``, ``called for``) and
   ``according to``; and a noun of the lexicon's ``noun_forms`` after a possessive
   (``Obama's claim that``, ``her attacks on``), whose possessor is the source.
3. **Attributions.** For each cue, the source is found by the rules of
   ``attributions.SOURCE_RULES``, in order, and each item records the id of its rule
   (``extra["rule"]``). The source is the noun phrase before it (``Keir Starmer said``), or,
   after a quotation, the one after it (``"...," said Keir Starmer``); a cue with no subject of
   its own after ``and``/``but``/a comma shares the previous cue's source (``Starmer said ... but
   warned ...``). The content is what follows the cue (``said (that) ...``, ``said: "..."``) up
   to the next coordinated clause, or, when the source and cue close the sentence, what comes
   before them (``"...," he said`` and ``..., officials said``). ``According to X, ...`` and
   ``..., according to X`` are read the same way. A sentence that is only a quotation and
   follows an attribution continues it (same source and cue). A line opening with a name and a colon
   (``JAKE TAPPER: Why not debate?``) and a quotation signed with a dash (``"..." ― Jane Doe``)
   are attributions too. A cue without a source ("the report", "after saying") gives nothing:
   the publication is never made the speaker of unattributed text. An attribution inside the
   content another cue introduces is part of that content, not a claim of its own ("Ruiz said
   she expects ..." is Ruiz's claim only); one inside a content before its cue ("..., an
   official said") or after "according to" is kept.
4. **Speakers.** Sources are resolved within the article by
   :mod:`claimtrack.extraction.speakers` (role words split off, surnames to full names, ``he``/
   ``she`` to the most recent named speaker).
5. **Commitments.** Sentences with a commitment cue (``will``, ``plans to``, ``pledged``, ``agreed
   to``, ``still needs to be finalized``, ...) whose subject can act become commitments, with their
   condition (``once ...``, ``if ...``), deadline (:mod:`claimtrack.extraction.deadlines`), stage
   and, when they sit inside an attribution, who reported them.

Every span is cut from the text, so ``item.quote == text[item.span.start:item.span.end]``, and the
same holds for ``speaker``/``speaker_span`` and ``cue``/``cue_span``. Spans follow PolNeAR's
conventions, which the rules were tuned on (``../shared/datasets/polnear``, dev and train; see
``tests/benchmarks/bench_rules.py``): content keeps a leading "that" and the quotation marks of a
direct quote, and drops the sentence's final period; the cue keeps its auxiliaries and adverbs
("has repeatedly said"); the source keeps titles and appositives ("Jane Doe, a spokeswoman,").

Each claim's ``text`` is a standalone sentence: "Keir Starmer said, as reported on 7 January 2026,
that ...". The date is the article's, and "as reported on" claims no more than that.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from claimtrack.extraction.rules.extract import RULE_IDS, extract_with_rules
from claimtrack.extraction.rules.sentences import headline_spans, split_sentences

__all__ = ["RULES_VERSION", "RULE_IDS", "extract_with_rules", "headline_spans", "split_sentences"]


def _rules_version() -> str:
    """A short hash of the rule modules' source and the cue lexicon: it changes whenever a rule
    does, so results stored under ``rules@<version>`` are recomputed after any change (and only
    then)."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for module in sorted([*package.glob("*.py"), *package.glob("*.toml")]):
        digest.update(module.read_bytes())
    for name in ("speakers.py", "deadlines.py"):
        digest.update(package.parent.joinpath(name).read_bytes())
    return digest.hexdigest()[:12]


RULES_VERSION = _rules_version()

"""Event factuality: does a sentence report its event as having happened?

A later article is evidence that a commitment was finalised or fulfilled, or that a condition was
met, only when it reports the event as done. "A declaration of intent ... in the event a peace
deal is reached" does not say a peace deal was reached. ``assess(sentence, event)`` answers for
one event mention (a character span of its word or words), or for the sentence's predicates.

Two parts, each explainable:

- **Cues** (rules, in the event's verb group and clause) give the ``label`` and the ``cue`` the
  reviewer sees. Checked in this order, the first found wins:

  ``conditional``  if, once, unless, in the event, provided (that), as long as, in case,
                   clause-initial "should" ("should peace be established"), and when / as soon
                   as / after / before / until with a present-tense event ("when the
                   proceedings are finalized");
  ``demanded``     urged / asked / pressed / ordered ... to, called / pushed / appealed for,
                   demanded, insisted that;
  ``negated``      not, n't, never, no, without in the verb group or just before the event;
                   failed / refused / declined to; denied;
  ``reported``     reportedly, allegedly, purportedly, supposedly, rumoured;
  ``possible``     may, might, could, can; possibly, perhaps, maybe, probably, likely; whether,
                   "asked if";
  ``planned``      will, 'll, shall, would, should, must; going to, is to, set to, due to, plans /
                   expected / aims / intends / wants / hopes / agreed / promised ... to, any other
                   infinitive ("GM to cut 10,000 jobs"); a future time after a non-past event
                   ("signs the deal next week");
  ``ongoing``      present progressive ("are negotiating"): begun, not finished.

  Without a cue the label is ``happened`` when ``p_happened`` ≥ 0.5, else ``unknown``.

- **p_happened** is a logistic regression over binary features (the cues above, finer cue
  words, the event word's morphology: -ed, irregular past or participle, -ing, -s, a nominal
  suffix, a determiner or preposition before it; the verb group's auxiliaries: past, present,
  perfect, passive; the nearest tense to the left (the governing verb); a reporting verb before
  it; quotes; a headline without final punctuation; time words). Its weights are fitted on
  MEANTIME (certain + positive + non-future = happened) by ``evals/factuality/fit.py`` and stored
  in ``factuality-v1.json`` beside this module; nothing is learned at run time and no other
  library is needed.

``Factuality.happened()`` is true only for ``happened``: an ``ongoing`` event has begun but is
not done, so it cannot finalise or fulfil anything (MEANTIME counts ongoing events as certain,
positive and non-future, so the cross-validation scores ``happened`` and ``ongoing`` together;
see ``reports_as_factual``).

Without an event span, the predicates are every verb-group head (the word after an auxiliary,
modal, "to" or negation; a word with past morphology that no determiner precedes; an auxiliary
with no verb after it), reporting verbs left out when anything else is found ("officials said
the deal was signed" judges "signed"). Each is judged and the **least factual** one is returned,
so a sentence whose clause is conditional, planned or denied is never called happened as a
whole: "France signed a declaration ... in the event a peace deal is reached" is conditional.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

Label = Literal[
    "happened", "ongoing", "planned", "possible", "conditional", "negated", "demanded",
    "reported", "unknown",
]  # fmt: skip

MODEL_FILE = Path(__file__).with_name("factuality-v1.json")
FEATURE_SET = 1  # bump when the features change; the model file must be fitted again

# A word, the "did" of "didn't" and its "n't", a clitic ('s, 'll), or one other character.
_TOKEN = re.compile(r"\w+(?=n't\b)|n't\b|'(?:s|ll|re|ve|d|m)\b|\w+(?:[-.]\w+)*|\S", re.IGNORECASE)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"', "`": "'"})
_CLITICS = {"'ll": "will", "'d": "would", "'re": "are", "'ve": "have", "'m": "am"}
_NEGATED_STEMS = {"wo": "will", "ca": "can", "sha": "shall"}

MODALS_FUTURE = frozenset({"will", "shall"})
MODALS_POSSIBLE = frozenset({"may", "might", "could", "can"})
MODALS_OBLIGATION = frozenset({"should", "must", "ought"})
MODALS = MODALS_FUTURE | MODALS_POSSIBLE | MODALS_OBLIGATION | {"would"}
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
GROUP_NEGATIONS = frozenset({"not", "n't", "never"})
AUX_PAST = frozenset({"was", "were", "had", "did"})
AUX_PRESENT = frozenset({"is", "are", "am", "has", "have", "does", "do", "'s"})
AUX_BE = frozenset({"be", "been", "being"})
AUXILIARIES = AUX_PAST | AUX_PRESENT | AUX_BE | MODALS | {"to", "get", "got", "gets"}
GROUP_ADVERBS = frozenset({
    "also", "already", "still", "just", "now", "yet", "then", "soon", "even", "ever", "again",
    "finally", "officially", "formally", "reportedly", "allegedly", "probably", "possibly",
    "likely", "recently", "later", "first", "once", "previously", "successfully", "eventually",
    "quickly", "all", "both", "effectively", "supposedly", "purportedly",
    "perhaps", "maybe", "certainly", "definitely", "immediately", "subsequently",
})  # fmt: skip
DETERMINERS = frozenset({
    "the", "a", "an", "its", "their", "his", "her", "our", "your", "my", "this", "that", "these",
    "those", "'s", "any", "some", "each", "every", "such", "another", "further", "new", "first",
})  # fmt: skip
PREPOSITIONS = frozenset({
    "of", "for", "in", "on", "with", "by", "from", "about", "over", "against", "during", "amid",
    "into", "under", "at", "following", "despite", "ahead", "toward", "towards",
})  # fmt: skip
REPORTING = frozenset({
    "said", "says", "say", "saying", "told", "tells", "stated", "states", "announced", "announces",
    "reported", "reports", "added", "adds", "confirmed", "confirms", "explained", "noted",
    "according", "claimed", "claims", "wrote", "writes", "declared", "argued", "insisted",
})  # fmt: skip
IRREGULAR_PAST = frozenset({
    "said", "told", "made", "took", "went", "came", "gave", "got", "sold", "bought", "paid",
    "left", "led", "held", "kept", "met", "won", "lost", "rose", "fell", "began", "became",
    "brought", "built", "spent", "sent", "thought", "found", "saw", "knew", "grew", "drew",
    "threw", "wrote", "spoke", "broke", "chose", "fought", "caught", "taught", "struck",
    "stood", "understood", "ran", "sat", "felt", "heard", "meant", "fled", "sought", "sank",
    "shrank", "swore", "tore", "wore", "bore", "drove", "rode", "hid", "shook", "forgot",
    "froze", "withdrew", "overtook", "undertook", "did", "had", "was", "were", "dealt", "lent",
    "slid", "swung", "sprang", "stole", "woke", "wound", "laid", "lay", "lit", "dug", "hung",
    "ate", "flew", "forecast", "oversaw", "outsold", "rebuilt", "sped", "shed",
})  # fmt: skip
PARTICIPLES = frozenset({
    "taken", "given", "gone", "done", "seen", "known", "grown", "drawn", "thrown", "written",
    "spoken", "broken", "chosen", "shown", "been", "begun", "driven", "risen", "fallen",
    "stolen", "frozen", "forgotten", "forgiven", "withdrawn", "overtaken", "undertaken", "sworn",
    "torn", "worn", "borne", "born", "hidden", "bitten", "shaken", "eaten", "flown", "overseen",
    "outgrown", "proven", "woken", "arisen", "blown", "sewn", "shrunk", "sunk",
})  # fmt: skip
AMBIGUOUS_PAST = frozenset({
    "cut", "set", "put", "hit", "let", "shut", "quit", "cost", "spread", "read", "hurt", "bid",
    "beat", "come", "become", "run", "upset", "split", "broadcast", "won", "led", "met",
})  # fmt: skip
NOMINAL_SUFFIXES = ("tion", "sion", "ment", "ance", "ence", "ure", "ity", "ness", "ship", "age",
                    "al", "ery", "cy")  # fmt: skip
CONDITIONAL_WORDS = frozenset({"if", "unless", "once", "provided", "providing", "assuming"})
CONDITIONAL_PHRASES = (
    ("in", "the", "event"), ("as", "long", "as"), ("so", "long", "as"), ("in", "case"),
    ("on", "condition"), ("on", "the", "condition"),
)  # fmt: skip
NOT_CONDITIONAL_ONCE = frozenset({"again", "more", "and", "before", "only"})
TIME_UNITS = frozenset({"day", "week", "month", "year", "decade", "while"})  # "once a week"
TEMPORAL_WORDS = frozenset({"when", "whenever", "after", "before", "until", "till"})
TEMPORAL_PHRASES = (("as", "soon", "as"),)
PHRASE_STARTS = frozenset(phrase[0] for phrase in CONDITIONAL_PHRASES + TEMPORAL_PHRASES)
QUESTION_VERBS = frozenset({
    "asked", "asks", "ask", "wonder", "wondered", "know", "knows", "see", "decide", "decides",
    "determine", "unclear", "unknown", "unsure", "clear", "check", "whether",
})  # fmt: skip
DEMAND_TO = frozenset({
    "urged", "urges", "urge", "urging", "asked", "asks", "ask", "asking", "pressed", "presses",
    "pressing", "ordered", "orders", "order", "told", "tells", "demanded", "demands", "called",
    "calls", "call", "calling", "appealed", "appeals", "directed", "instructed", "requested",
    "requests", "invited", "invites", "encouraged", "encourages",
})  # fmt: skip
DEMAND_FOR = frozenset({
    "called", "calls", "call", "calling", "pushed", "pushes", "pushing", "appealed", "appeals",
    "pressed", "presses", "pressing", "lobbied", "lobbying", "campaigned", "clamoured",
})  # fmt: skip
DEMAND_THAT = frozenset({
    "demanded", "demands", "demand", "insisted", "insists", "insist", "urged", "urges", "asked",
    "requested", "required", "ordered",
})  # fmt: skip
NEGATING_GOVERNORS = frozenset({
    "failed", "fail", "fails", "failing", "refused", "refuse", "refuses", "refusing", "declined",
    "decline", "declines", "declining", "neglected", "unable", "ceased", "stopped", "avoided",
})  # fmt: skip
DENIALS = frozenset({"denied", "denies", "deny", "denying", "rejected", "rejects", "dismissed"})
PLANNING_GOVERNORS = frozenset({
    "plan", "plans", "planned", "planning", "expected", "expects", "expect", "expecting", "aim",
    "aims", "aimed", "aiming", "intend", "intends", "intended", "intending", "want", "wants",
    "wanted", "wanting", "hope", "hopes", "hoped", "hoping", "agreed", "agree", "agrees",
    "promised", "promise", "promises", "pledged", "pledge", "pledges", "vowed", "vow", "vows",
    "proposed", "proposes", "propose", "offered", "offers", "decided", "decides", "prepared",
    "preparing", "prepares", "scheduled", "set", "due", "poised", "about", "going", "seeks",
    "seek", "sought", "seeking", "try", "tries", "tried", "trying", "attempt", "attempts",
    "attempted", "need", "needs", "needed", "has", "have", "had", "is", "are", "was", "were",
    "am", "ready", "willing", "committed", "determined", "threatened", "threatens", "designed",
    "looking", "looks", "wish", "wishes", "would", "like", "effort", "bid", "move",
})  # fmt: skip
POSSIBLE_GOVERNORS = frozenset({"likely", "unlikely", "able", "could", "may", "might", "possible"})
CONTEMPLATING = frozenset({
    "considering", "considers", "consider", "considered", "contemplating", "contemplates",
    "mulling", "weighing", "eyeing", "exploring", "on",  # "plans on reviving"
})  # fmt: skip
IMPLICATIVE_GOVERNORS = frozenset({
    "managed", "manages", "proceeded", "proceeds", "continued", "continues", "continue", "began",
    "begun", "begin", "begins", "started", "starting", "start", "starts",
})  # fmt: skip
FUTURE_ADJECTIVES = frozenset({
    "upcoming", "planned", "proposed", "future", "expected", "potential", "possible",
    "prospective", "next", "coming",
})  # fmt: skip
ELLIPTICAL_IF = frozenset({"necessary", "needed", "possible", "any", "so", "ever", "anything",
                           "only", "at", "in", "not", "required", "appropriate"})  # fmt: skip
HEDGES_REPORTED = frozenset({
    "reportedly", "allegedly", "purportedly", "supposedly", "rumored", "rumoured", "rumor",
    "rumour", "rumors", "rumours", "unconfirmed", "alleged",
})  # fmt: skip
HEDGES_POSSIBLE = frozenset({"possibly", "perhaps", "maybe", "probably", "likely", "unlikely",
                             "potentially", "whether", "conceivably"})  # fmt: skip
FUTURE_TIME = frozenset({"tomorrow", "next", "upcoming", "coming", "later", "soon", "eventually"})
FUTURE_DATES = frozenset({"tomorrow", "next", "upcoming", "coming"})  # "later" also looks back
PAST_TIME = frozenset({"yesterday", "ago", "last", "earlier", "previously", "already"})
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                      "sunday", "today"})  # fmt: skip
BOUNDARIES = frozenset({";", ":", "--", "—", "–", "(", ")"})
CONDITION_BOUNDARIES = BOUNDARIES | {'"', "-"}  # a conditional clause reaches over commas only
SENTENCE_END = frozenset({".", "!", "?"})


@dataclass(frozen=True)
class Factuality:
    """What a sentence says about one event: its label, the model's probability, the cue."""

    label: Label
    p_happened: float  # the fitted model's probability: certain, positive and non-future
    cue: str | None  # the words that decided the label ("in the event", "will", "not")
    model_version: str

    def happened(self) -> bool:
        """Reported as done: neither ongoing nor planned, possible, conditional, denied, ..."""
        return self.label == "happened"

    def reports_as_factual(self) -> bool:
        """Certain, positive and non-future as MEANTIME counts it: done or under way."""
        return self.label in ("happened", "ongoing")


@dataclass(frozen=True)
class Tokens:
    words: list[str]  # lowercased, curly quotes straightened, clitics spelt out ("'ll" → "will")
    spans: list[tuple[int, int]]  # character offsets into the sentence
    raw: list[str]


@dataclass(frozen=True)
class Cue:
    label: Label
    words: str


@dataclass(frozen=True)
class FactualityModel:
    version: str
    intercept: float
    weights: dict[str, float]
    threshold: float = 0.5  # p_happened at or above which an event without a cue happened

    def probability(self, features: Sequence[str]) -> float:
        score = self.intercept + sum(self.weights.get(name, 0.0) for name in features)
        return 1.0 / (1.0 + math.exp(-score))


def tokenize(sentence: str) -> Tokens:
    """Words and punctuation with their offsets; "didn't" is "did" + "n't"."""
    text = sentence.translate(_QUOTES)
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): offsets would move
        lowered = text
    spans = [match.span() for match in _TOKEN.finditer(lowered)]
    raw = [sentence[start:end] for start, end in spans]
    words = [lowered[start:end].lower() for start, end in spans]
    for index, word in enumerate(words):
        if word in _CLITICS:
            words[index] = _CLITICS[word]
        elif word in _NEGATED_STEMS and index + 1 < len(words) and words[index + 1] == "n't":
            words[index] = _NEGATED_STEMS[word]
    return Tokens(words, spans, raw)


@cache
def load_model(path: Path = MODEL_FILE) -> FactualityModel:
    """The fitted weights; refuses a file fitted for other features."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if data.get("feature_set") != FEATURE_SET:
        raise ValueError(
            f"{path.name} was fitted for feature set {data.get('feature_set')}, "
            f"this code computes set {FEATURE_SET}: run evals/factuality/fit.py"
        )
    weights = {
        name: float(value)
        for name, value in zip(data["features"], data["coefficients"], strict=True)
    }
    return FactualityModel(
        str(data["version"]), float(data["intercept"]), weights, float(data["threshold"])
    )


@lru_cache(maxsize=4096)  # the judge asks about one evidence sentence for many items
def assess(sentence: str, event: tuple[int, int] | None = None) -> Factuality:
    """Judge the event at ``event`` (character offsets), else the least factual predicate."""
    tokens = tokenize(sentence)
    model = load_model()
    if not tokens.words:
        return Factuality("unknown", 0.0, None, model.version)
    heads = [_head_at(tokens, event)] if event is not None else predicate_heads(tokens)
    judgements = [_judge(tokens, head, model) for head in heads]
    return min(judgements, key=_factual_rank)


def _factual_rank(judgement: Factuality) -> tuple[bool, float]:
    return (judgement.happened(), judgement.p_happened)


def _judge(tokens: Tokens, head: int, model: FactualityModel) -> Factuality:
    cue = find_cue(tokens, head)
    probability = model.probability(features(tokens, head, cue))
    if cue is not None:
        return Factuality(cue.label, probability, cue.words, model.version)
    label: Label = "happened" if probability >= model.threshold else "unknown"
    return Factuality(label, probability, None, model.version)


def _head_at(tokens: Tokens, event: tuple[int, int]) -> int:
    """The first word token inside the span (or the nearest one after it)."""
    start, end = event
    for index, (token_start, token_end) in enumerate(tokens.spans):
        if (
            token_end > start
            and token_start < max(end, start + 1)
            and tokens.raw[index][0].isalnum()
        ):
            return index
    later = [index for index, (token_start, _) in enumerate(tokens.spans) if token_start >= start]
    return later[0] if later else len(tokens.words) - 1


# -- the event's surroundings ------------------------------------------------------------------


def verb_group(words: Sequence[str], head: int) -> list[int]:
    """Indices of the auxiliaries, modals, "to", negations and adverbs just before the head."""
    group: list[int] = []
    index = head - 1
    while index >= 0:
        word = words[index]
        if not (word in AUXILIARIES or word in GROUP_NEGATIONS or _is_adverb(word)):
            break
        group.append(index)
        index -= 1
    group.reverse()
    return group


def _is_adverb(word: str) -> bool:
    return word in GROUP_ADVERBS or (word.endswith("ly") and len(word) > 4)


def _clause_start(words: Sequence[str], head: int) -> int:
    """Where the event's clause begins: after the last comma, semicolon, colon or dash."""
    for index in range(head - 1, -1, -1):
        if words[index] in BOUNDARIES or words[index] == ",":
            return index + 1
    return 0


def _sentence_part_start(words: Sequence[str], head: int) -> int:
    """After the last semicolon, colon, dash or quote mark: a condition reaches over commas."""
    for index in range(head - 1, -1, -1):
        if words[index] in CONDITION_BOUNDARIES:
            return index + 1
    return 0


def _phrase_at(words: Sequence[str], index: int, phrases: Sequence[tuple[str, ...]]) -> str | None:
    if words[index] not in PHRASE_STARTS:
        return None
    for phrase in phrases:
        if tuple(words[index : index + len(phrase)]) == phrase:
            return " ".join(phrase)
    return None


def _is_past(word: str) -> bool:
    return (word.endswith("ed") and len(word) > 3) or word in IRREGULAR_PAST or word in PARTICIPLES


def _group_is_present(words: Sequence[str], group: Sequence[int]) -> bool:
    """The verb group is finite and present ("are finalized", "has signed")."""
    group_words = {words[index] for index in group}
    return bool(group_words & AUX_PRESENT) and not group_words & (AUX_PAST | MODALS | {"to"})


def _conditional_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    start = _sentence_part_start(words, head)
    clause_start = _clause_start(words, head)
    first = group[0] if group else head
    for index in range(first - 1, start - 1, -1):
        word = words[index]
        phrase = _phrase_at(words, index, CONDITIONAL_PHRASES)
        if phrase:
            return Cue("conditional", phrase)
        if word == "if" and index > 0 and words[index - 1] in QUESTION_VERBS:
            return Cue("possible", f"{words[index - 1]} if")
        if word == "if" and index > 0 and words[index - 1] == "as":
            continue
        if (
            word == "if"
            and index + 1 < first
            and (words[index + 1] in ELLIPTICAL_IF or _is_past(words[index + 1]))
        ):
            continue  # "if necessary", "if compared to": no clause of its own
        if word == "once" and not _conditional_once(words, index):
            continue
        if word in CONDITIONAL_WORDS:
            return Cue("conditional", word)
        if word == "should" and (index == 0 or words[index - 1] in BOUNDARIES | {",", '"'}):
            return Cue("conditional", "should")
        temporal = _phrase_at(words, index, TEMPORAL_PHRASES) or (
            word if word in TEMPORAL_WORDS else None
        )
        if temporal and index >= clause_start and _group_is_present(words, group):
            return Cue("conditional", temporal)
    return None


def _conditional_once(words: Sequence[str], index: int) -> bool:
    """A condition ("once a ceasefire is reached"), not "once again", "at once", "once a week"."""
    after = words[index + 1 : index + 3]
    if index > 0 and words[index - 1] in {"at", "than", "all", "more"}:
        return False
    if after[:1] and after[0] in NOT_CONDITIONAL_ONCE:
        return False
    return not (len(after) == 2 and after[0] == "a" and after[1] in TIME_UNITS)


def _governor_before_to(words: Sequence[str], group: Sequence[int]) -> int | None:
    """The word that governs the infinitive: "plans" in "plans to sign"."""
    to_positions = [index for index in group if words[index] == "to"]
    if not to_positions:
        return None
    index = to_positions[0] - 1
    while index >= 0 and words[index] in GROUP_NEGATIONS:
        index -= 1
    return index if index >= 0 else None


def _demand_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    group_words = {words[index] for index in group}
    start = max(_clause_start(words, head), head - 8)
    for index in range(head - 1, start - 1, -1):
        word = words[index]
        between = set(words[index + 1 : head])
        if word in DEMAND_FOR and index + 1 < len(words) and words[index + 1] == "for":
            return Cue("demanded", f"{word} for")
        if word in DEMAND_TO and "to" in group_words and index < (group[0] if group else head):
            return Cue("demanded", f"{word} ... to" if index + 1 < group[0] else f"{word} to")
        if word in DEMAND_THAT and "that" in between and not group_words & (AUX_PAST | MODALS):
            return Cue("demanded", f"{word} that")
    return None


def _negation_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    for index in group:
        if words[index] in GROUP_NEGATIONS:
            return Cue("negated", _negation_words(tokens, index))
    before = words[head - 1] if head > 0 else ""
    if before in {"no", "without", "nor", "neither"}:
        return Cue("negated", before)
    governor = _governor_before_to(words, group)
    if governor is not None and words[governor] in NEGATING_GOVERNORS:
        return Cue("negated", f"{words[governor]} to")
    for index in range(max(_clause_start(words, head), head - 6), head):
        if words[index] in DENIALS:
            return Cue("negated", words[index])
    return None


def _negation_words(tokens: Tokens, index: int) -> str:
    """ "did not", "didn't", "won't", "never": the negation with its auxiliary, as written."""
    negation = tokens.raw[index]
    if index == 0 or tokens.words[index - 1] not in AUXILIARIES - {"to"}:
        return negation
    auxiliary = tokens.raw[index - 1]
    return f"{auxiliary}{negation}" if tokens.words[index] == "n't" else f"{auxiliary} {negation}"


def _hedge_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    for index in range(max(_clause_start(words, head), head - 6), head):
        if words[index] in HEDGES_REPORTED:
            return Cue("reported", words[index])
    for index in group:
        word = words[index]
        if word in MODALS_POSSIBLE:
            return Cue("possible", word)
    for index in range(max(_clause_start(words, head), head - 6), head):
        if words[index] in HEDGES_POSSIBLE:
            return Cue("possible", words[index])
    governor = _governor_before_to(words, group)
    if governor is not None and words[governor] in POSSIBLE_GOVERNORS:
        return Cue("possible", f"{words[governor]} to")
    return None


def _planning_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    for index in group:
        word = words[index]
        if word in MODALS_FUTURE or word in MODALS_OBLIGATION or word == "would":
            return Cue("planned", word)
    governor = _governor_before_to(words, group)
    if governor is not None and words[governor] in PLANNING_GOVERNORS:
        return Cue("planned", f"{words[governor]} to")
    if governor is not None and tokens.raw[governor][:1].isupper():
        return Cue("planned", f"{tokens.raw[governor]} to")  # the headline "GM to cut jobs"
    if words[head].endswith("ing") and head > 0 and words[head - 1] in CONTEMPLATING:
        return Cue("planned", f"{words[head - 1]} {words[head]}")
    before = words[head - 1] if head > 0 else ""
    verb_like = bool(group) or (before not in DETERMINERS and before not in PREPOSITIONS)
    if verb_like and not _is_past(words[head]) and not {words[i] for i in group} & AUX_PAST:
        for index in range(head + 1, min(head + 9, len(words))):
            if words[index] in SENTENCE_END or words[index] in BOUNDARIES:
                break
            if words[index] in FUTURE_DATES:
                return Cue("planned", " ".join(words[index : index + 2]))
    return None


def _ongoing_cue(tokens: Tokens, head: int, group: Sequence[int]) -> Cue | None:
    words = tokens.words
    group_words = {words[index] for index in group}
    if words[head].endswith("ing") and group_words & {"is", "are", "am", "'s"}:
        return Cue("ongoing", f"{words[group[-1]]} {words[head]}")
    return None


CUE_FINDERS = (_conditional_cue, _demand_cue, _negation_cue, _hedge_cue, _planning_cue,
               _ongoing_cue)  # fmt: skip


def find_cue(tokens: Tokens, head: int) -> Cue | None:
    """The first cue (in the order of ``CUE_FINDERS``) saying the event is not reported done."""
    group = verb_group(tokens.words, head)
    for finder in CUE_FINDERS:
        cue = finder(tokens, head, group)
        if cue is not None:
            return cue
    return None


# -- features for the fitted model -------------------------------------------------------------


def features(tokens: Tokens, head: int, cue: Cue | None) -> list[str]:
    """The binary features of the event at ``head`` (names as stored in the model file)."""
    words = tokens.words
    group = verb_group(words, head)
    found = ["bias_cue:none"] if cue is None else [f"cue:{cue.label}", f"cue_words:{cue.words}"]
    found += _word_features(tokens, head)
    found += _group_features(words, head, group)
    found += _context_features(tokens, head, group)
    return found


def _word_features(tokens: Tokens, head: int) -> list[str]:
    word = tokens.words[head]
    before = tokens.words[head - 1] if head > 0 else "<s>"
    found: list[str] = []
    if word.endswith("ed") and len(word) > 3:
        found.append("word:ed")
    if word in IRREGULAR_PAST:
        found.append("word:irregular_past")
    if word in PARTICIPLES:
        found.append("word:participle")
    if word in AMBIGUOUS_PAST:
        found.append("word:ambiguous_past")
    if word.endswith("ing"):
        found.append("word:ing")
    if word.endswith("s") and not word.endswith("ss"):
        found.append("word:s")
    if word.endswith(NOMINAL_SUFFIXES):
        found.append("word:nominal_suffix")
    if word in REPORTING:
        found.append("word:reporting")
    if word in AUXILIARIES:
        found.append("word:auxiliary")
    if tokens.raw[head][:1].isupper() and head > 0:
        found.append("word:capitalised")
    if before in DETERMINERS:
        found.append("before:determiner")
    elif before in PREPOSITIONS:
        found.append("before:preposition")
    elif before == "<s>":
        found.append("before:start")
    if before.endswith("'s") or before == "'s":
        found.append("before:possessive")
    if before in {"for", "to"}:
        found.append(f"before:{before}")
    if before in FUTURE_ADJECTIVES:
        found.append("before:future_adjective")
    found.append(f"word={word}")
    after = tokens.words[head + 1] if head + 1 < len(tokens.words) else "</s>"
    if after in {"of", "to"}:
        found.append(f"after:{after}")
    if after in DETERMINERS or after in {"him", "her", "them", "it", "us"}:
        found.append("after:object")
    if after in SENTENCE_END or after == "</s>":
        found.append("after:end")
    return found


def _group_features(words: Sequence[str], head: int, group: Sequence[int]) -> list[str]:
    group_words = [words[index] for index in group]
    word = words[head]
    found = [f"group:{group_word}" for group_word in group_words if group_word in AUXILIARIES]
    if not group_words:
        found.append("group:empty")
    has_past, has_present = bool(AUX_PAST & set(group_words)), bool(AUX_PRESENT & set(group_words))
    participle = _is_past(word)
    if has_past and participle:
        found.append("group:past_aux+participle")
    if has_present and participle:
        found.append("group:present_aux+participle")
    if "been" in group_words:
        found.append("group:perfect_be")
    if has_present and word.endswith("ing"):
        found.append("group:present_progressive")
    if has_past and word.endswith("ing"):
        found.append("group:past_progressive")
    if not group_words and participle:
        found.append("group:bare_past")
    if group_words and group_words[-1] == "to":
        found.append("group:infinitive")
    return found


def _context_features(tokens: Tokens, head: int, group: Sequence[int]) -> list[str]:
    words = tokens.words
    found: list[str] = []
    first = group[0] if group else head
    found.append(f"left_tense:{_left_tense(words, first)}")
    if any(word in REPORTING for word in words[:first]):
        found.append("left:reporting_verb")
    if words[:head].count('"') % 2 == 1:
        found.append("in_quotes")
    if words[-1] not in SENTENCE_END and words[-1] != '"':
        found.append("headline")
    right = words[head + 1 : head + 9]
    if any(word in FUTURE_TIME for word in right):
        found.append("right:future_time")
    if any(word in PAST_TIME for word in words):
        found.append("sentence:past_time")
    if any(word in WEEKDAYS for word in right):
        found.append("right:day")
    if any(word in CONDITIONAL_WORDS | TEMPORAL_WORDS for word in words[:first]):
        found.append("left:subordinator")
    if any(word in MODALS for word in words[:first]):
        found.append("left:modal")
    if "that" in words[max(0, first - 4) : first]:
        found.append("left:that")
    found += _governing_verb_features(words, head)
    near = words[max(0, first - 4) : first]
    if "to" in near[:-1]:
        found.append("left:infinitive_near")
    if any(word in MODALS for word in near):
        found.append("left:modal_near")
    for word in words[head + 1 : head + 7]:
        if word in SENTENCE_END or word in BOUNDARIES or word == ",":
            break
        if word in MODALS:
            found.append("right:modal")
            break
    return found


def _governing_verb_features(words: Sequence[str], head: int) -> list[str]:
    """For a noun event, the verb whose object it is ("to evade [bankruptcy]")."""
    for index in range(head - 1, max(_clause_start(words, head), head - 5) - 1, -1):
        word = words[index]
        if word in AUXILIARIES or word in NEGATIONS:
            return []
        group = [words[member] for member in verb_group(words, index)]
        if group or _is_past(word) or word in REPORTING:
            found = [f"governor_group:{member}" for member in group if member in AUXILIARIES]
            if _is_past(word):
                found.append("governor:past")
            if word in PLANNING_GOVERNORS or word in CONTEMPLATING:
                found.append("governor:planning")
            return found or ["governor:bare"]
    return []


def _left_tense(words: Sequence[str], first: int) -> str:
    """The tense of the nearest finite verb before the event: its governing verb, roughly."""
    for index in range(first - 1, -1, -1):
        word = words[index]
        if word in MODALS:
            return "modal"
        if word in AUX_PAST or word in IRREGULAR_PAST:
            return "past"
        if word in AUX_PRESENT or word in {"says", "tells", "states"}:
            return "present"
        if (
            word.endswith("ed")
            and len(word) > 3
            and (index == 0 or words[index - 1] not in DETERMINERS)
        ):
            return "past"
    return "none"


# -- predicates when no span is given ----------------------------------------------------------


def predicate_heads(tokens: Tokens) -> list[int]:
    """Verb-group heads of the sentence; reporting verbs only when nothing else is found."""
    words = tokens.words
    heads: list[int] = []
    for index, word in enumerate(words):
        if not tokens.raw[index][:1].isalpha() or word in NEGATIONS:
            continue
        if _is_predicate(words, index):
            heads.append(index)
    content = [index for index in heads if words[index] not in REPORTING]
    if content:
        return content
    if heads:
        return heads
    return [next((i for i, raw in enumerate(tokens.raw) if raw[:1].isalpha()), 0)]


def _is_predicate(words: Sequence[str], index: int) -> bool:
    word = words[index]
    before = words[index - 1] if index > 0 else "<s>"
    if word in DETERMINERS or word in PREPOSITIONS or word in GROUP_ADVERBS:
        return False
    if word in AUXILIARIES:
        # a copula or auxiliary is the predicate only when no verb follows it
        return word not in {"to", "get", "got", "gets"} and not _starts_verb(words, index + 1)
    group = {words[member] for member in verb_group(words, index)}
    if group & (AUXILIARIES | GROUP_NEGATIONS):
        return True
    return _is_past(word) and before not in DETERMINERS and before not in PREPOSITIONS


def _starts_verb(words: Sequence[str], index: int) -> bool:
    """A verb follows (after adverbs and negation) an auxiliary at ``index - 1``."""
    while index < len(words) and (words[index] in GROUP_ADVERBS or words[index] in NEGATIONS):
        index += 1
    if index >= len(words):
        return False
    word = words[index]
    if word in AUXILIARIES:
        return True
    return _is_past(word) or word.endswith("ing") or (word.isalpha() and word not in DETERMINERS)

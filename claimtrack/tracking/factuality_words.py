"""The words event factuality reads, and how a sentence is cut into them.

Plain data and a tokenizer for :mod:`claimtrack.tracking.factuality`: modal verbs, auxiliaries,
negations, conditional and temporal words, the verbs that govern a demand, a plan or a denial,
hedges and time words. Each list is what the cue rules of ``factuality.py`` look for; add a word
to the list its cue reads, with an invented sentence in ``tests/test_factuality.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Label = Literal[
    "happened", "ongoing", "planned", "possible", "conditional", "negated", "demanded",
    "reported", "unknown",
]  # fmt: skip

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
    "looking", "looks", "wish", "wishes", "would", "like", "effort", "bid", "move", "yet",
})  # fmt: skip
# "awaited signature", "only needs the governor's approval": not yet done
WAITING_GOVERNORS = frozenset({
    "await", "awaits", "awaited", "awaiting", "need", "needs", "needed", "require", "requires",
    "required", "pending",
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
class Tokens:
    words: list[str]  # lowercased, curly quotes straightened, clitics spelt out ("'ll" → "will")
    spans: list[tuple[int, int]]  # character offsets into the sentence
    raw: list[str]


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


@dataclass(frozen=True)
class Cue:
    label: Label
    words: str


def verb_group(words: Sequence[str], head: int) -> list[int]:
    """Indices of the auxiliaries, modals, "to", negations and adverbs just before the head."""
    group: list[int] = []
    index = head - 1
    while index >= 0:
        word = words[index]
        if not (word in AUXILIARIES or word in GROUP_NEGATIONS or is_adverb(word)):
            break
        group.append(index)
        index -= 1
    group.reverse()
    return group


def is_adverb(word: str) -> bool:
    return word in GROUP_ADVERBS or (word.endswith("ly") and len(word) > 4)


def clause_start(words: Sequence[str], head: int) -> int:
    """Where the event's clause begins: after the last comma, semicolon, colon or dash."""
    for index in range(head - 1, -1, -1):
        if words[index] in BOUNDARIES or words[index] == ",":
            return index + 1
    return 0


def sentence_part_start(words: Sequence[str], head: int) -> int:
    """After the last semicolon, colon, dash or quote mark: a condition reaches over commas."""
    for index in range(head - 1, -1, -1):
        if words[index] in CONDITION_BOUNDARIES:
            return index + 1
    return 0


def phrase_at(words: Sequence[str], index: int, phrases: Sequence[tuple[str, ...]]) -> str | None:
    if words[index] not in PHRASE_STARTS:
        return None
    for phrase in phrases:
        if tuple(words[index : index + len(phrase)]) == phrase:
            return " ".join(phrase)
    return None


def is_past(word: str) -> bool:
    return (word.endswith("ed") and len(word) > 3) or word in IRREGULAR_PAST or word in PARTICIPLES


def group_is_present(words: Sequence[str], group: Sequence[int]) -> bool:
    """The verb group is finite and present ("are finalized", "has signed")."""
    group_words = {words[index] for index in group}
    return bool(group_words & AUX_PRESENT) and not group_words & (AUX_PAST | MODALS | {"to"})

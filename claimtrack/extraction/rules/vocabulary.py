"""The rules' word lists: reporting verbs and their forms (the cue table) and the words around
them. The commitment cues are in :mod:`.commitment_cues`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, as a set (for the word lists below)."""
    return frozenset(text.split())


# The cue lexicon: every reporting form and its lemma, from ``cues.toml`` (one entry per lemma
# with its forms, its class and an example sentence).
CUE_FILE = Path(__file__).with_name("cues.toml")
CUE_CLASSES = frozenset({"verb", "phrase", "adjective"})


@dataclass(frozen=True, slots=True)
class CueEntry:
    """One lemma of the cue lexicon, as ``cues.toml`` writes it."""

    lemma: str
    cue_class: str  # "verb", "phrase" or "adjective" (a stance after "be")
    forms: tuple[str, ...]
    stance_forms: tuple[str, ...]  # forms that also read as a stance adjective after "be"
    example: str
    noun_forms: tuple[str, ...] = ()  # nouns that report after a possessive ("Obama's claim")
    noun_example: str = ""  # a sentence in which a noun form reports


def load_cue_lexicon(path: Path = CUE_FILE) -> tuple[CueEntry, ...]:
    """The entries of the cue lexicon; raises ``ValueError`` on a repeated lemma or form, an
    unknown class, a stance form that is not one of the entry's forms, or a noun form that is
    another entry's form or has no example."""
    entries = tuple(
        CueEntry(
            lemma=raw["lemma"],
            cue_class=raw["class"],
            forms=tuple(raw["forms"]),
            stance_forms=tuple(raw.get("stance_forms", ())),
            example=raw["example"],
            noun_forms=tuple(raw.get("noun_forms", ())),
            noun_example=raw.get("noun_example", ""),
        )
        for raw in tomllib.loads(path.read_text(encoding="utf-8"))["cue"]
    )
    lemmas: set[str] = set()
    forms: set[str] = set()
    nouns: set[str] = set()
    every_form = {form for entry in entries for form in entry.forms}
    for entry in entries:
        problem = _lexicon_problem(entry, lemmas, forms) or _noun_problem(entry, every_form, nouns)
        if problem is not None:
            raise ValueError(f"{path.name}: {entry.lemma!r}: {problem}")
        lemmas.add(entry.lemma)
        forms.update(entry.forms)
        nouns.update(entry.noun_forms)
    return entries


def _lexicon_problem(entry: CueEntry, lemmas: set[str], forms: set[str]) -> str | None:
    """What is wrong with ``entry`` given the lemmas and forms listed before it, else None."""
    if entry.lemma in lemmas:
        return "the lemma is listed twice"
    if entry.cue_class not in CUE_CLASSES:
        return f"unknown class {entry.cue_class!r}"
    if len(set(entry.forms)) < len(entry.forms) or forms & set(entry.forms):
        return "a form listed twice"
    if not set(entry.stance_forms) <= set(entry.forms):
        return "a stance form that is not one of its forms"
    return None


def _noun_problem(entry: CueEntry, forms: set[str], nouns: set[str]) -> str | None:
    """What is wrong with ``entry``'s noun forms given every verb form of the lexicon and the
    noun forms listed before it, else None: a noun form may be one of the entry's own forms
    ("claims") but no other entry's, and noun forms need an example."""
    own = set(entry.noun_forms)
    if len(own) < len(entry.noun_forms) or own & nouns or (own - set(entry.forms)) & forms:
        return "a noun form listed twice"
    if own and not entry.noun_example.strip():
        return "noun forms without a noun example"
    return None


CUE_LEXICON = load_cue_lexicon()
CUE_VERBS: dict[str, str] = {
    form: entry.lemma for entry in CUE_LEXICON for form in entry.forms
}  # every cue form -> its lemma
# Nouns that report after a possessive: "Obama's claim that ...", "her criticism of ...". Each
# maps to its entry's lemma, so that claims read "Obama claimed that ...".
NOUN_CUES: dict[str, str] = {
    form: entry.lemma for entry in CUE_LEXICON for form in entry.noun_forms
}
# Adjectives that report a stance after a form of "be": "is confident that", "was skeptical of",
# "are worried about". Without "be" before them they describe ("an eager crowd").
ADJECTIVE_CUES = frozenset(
    form
    for entry in CUE_LEXICON
    for form in (entry.forms if entry.cue_class == "adjective" else entry.stance_forms)
)
_LINKING_BE = _words("is are was were be been being am 's ’s remain remains remained")


def adjective_after_be(last_word: str, prefix: list[str]) -> bool:
    """Whether an adjective cue follows a form of "be" (``last_word`` before the cue, or a word
    of its ``prefix``, lower case): then it reports a stance."""
    return last_word in _LINKING_BE or any(word in _LINKING_BE for word in prefix)


# Cues that report only quotations ('"...," he continued'); elsewhere they are ordinary verbs.
_QUOTE_ONLY_CUES = frozenset({"continue"})
# Cues whose source may follow them after a quotation: '"...," said Starmer'.
INVERTIBLE = _words(
    """
    say add ask write continue explain note recall reply respond observe insist argue warn
    declare joke quip counter retort conclude tell state suggest acknowledge admit remark
    muse boast complain tweet report confirm claim
    """
)
# Cues whose source after a comma beats the phrase before them ("..., said Jane Smith")
_PREFER_INVERTED = frozenset(
    {"say", "add", "ask", "write", "continue", "explain", "note", "recall", "report"}
)
# Cues that may take a listener before the content: "told reporters that ...".
RECIPIENT_CUES = frozenset(
    {"tell", "ask", "assure", "inform", "remind", "warn", "promise", "testify", "concede", "admit"}
)
_PREDICTION_CUES = frozenset({"predict", "expect", "warn", "estimate", "fear", "forecast", "hope"})
_POSITION_CUES = frozenset(
    {"urge", "demand", "call for", "call on", "propose", "oppose", "endorse", "want", "wish"}
)
_EVALUATION_CUES = frozenset(
    {"praise", "criticize", "criticise", "blame", "attack", "blast", "slam", "mock", "call",
     "describe", "decry", "condemn", "denounce", "welcome", "lament", "dismiss"}
)  # fmt: skip

# Auxiliaries and adverbs that belong to the cue: "has said", "also noted", "has repeatedly
# pledged", "is telling". A form of "be" before a past participle is a passive, not a cue.
_CUE_PREFIX = (
    r"(?:(?:has|have|had|would|will|could|might|may|did|does|do|is|are|was|were|been|"
    r"also|now|both|all|each|in\s+fact|nevertheless|nonetheless|in\s+particular|"
    r"still|later|again|often|once|twice|first|further|then|long|never|ever|even|only|just|"
    r"already|yet|since|"
    r"[a-z]+ly|['’]s|['’]d|['’]ve|continues\s+to|continued\s+to|continue\s+to|went\s+on\s+to|"
    r"goes\s+on\s+to|not|(?:several|many|multiple|numerous|two|three|four|five)\s+times|(?:is|are|was|were|has|have|had|do|does|did|would|could|should|wo|ca)"
    r"n['’]t)\s+){0,3}"
)
_BE = frozenset(
    {"is", "are", "was", "were", "'s", "’s", "'re", "’re", "'m", "’m", "be", "been", "being",
     "isn't", "isn’t", "wasn't",
     "wasn’t", "aren't", "aren’t", "weren't", "weren’t"}
)  # fmt: skip

_DOUBLED = frozenset(
    {"admit", "slam", "quip", "plan", "regret", "commit", "refer", "prefer", "brag", "fret",
     "rebut"}
)  # fmt: skip

# Words that cannot be in a source noun phrase (they make it a clause).
_CLAUSE_WORDS = _words(
    """
    is are was were be been being am has have had having do does did will would shall should
    can could may might must not n't that which because if whether when while although
    though since unless until than so there here where why how what says said tells told won
    lost made took gave got went came saw knew became began ran met paid sent brought held
    kept heard meant led spent built felt fell wants needs thinks believes says called it's
    that's bought sold wrote drew drove grew threw shot struck stood sat broke chose spoke
    rose fought caught taught sought won't can't isn't wasn't aren't weren't doesn't didn't
    hasn't haven't hadn't wouldn't couldn't shouldn't there's he's she's what's who's here's
    it’s that’s there’s he’s she’s what’s who’s
    """
)
_FUNCTION_WORDS = _words(
    """
    to of in on at for with by from as than about into over after before and or but nor yet
    so then there here also just only even not never very too more less again still now
    however meanwhile instead later earlier since while when if because although though that
    this these those its his her their our my your the a an despite amid during under among
    against without within through across behind beyond like unlike following including
    amidst amongst upon toward towards via throughout
    """
)
_DETERMINERS = _words(
    """
    the a an his her their its our my your this that these those some many most several few
    all both each every any no other another one two three four five six seven eight nine
    ten dozens hundreds thousands millions
    """
)
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you", "it"})
_RELATIVE_SUBJECTS = _PRONOUNS | {"who", "which", "that"}
_LEAD_INS = re.compile(
    r"^(?:(?:but|and|so|yet|still|now|meanwhile|however|instead|later|earlier|separately|also|even|"
    r"rather|(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"\d{4}(?=\s+[A-Z])|"
    r"(?:last|this|earlier\s+this)\s+(?:week|month|year)|"
    r"while|whereas|as|when|although|though|because|since|once|if|unless|until|after|before|"
    r"indeed|in\s+fact|moreover|furthermore|additionally|then|again|similarly|likewise|"
    r"nonetheless|nevertheless|overall|finally|thus|hence|therefore|specifically|ultimately|"
    r"previously|recently|today|yesterday|tonight|in\s+addition|in\s+turn|in\s+response|"
    r"in\s+contrast|by\s+contrast|after\s+all|at\s+the\s+same\s+time|for\s+(?:his|her|their|its)"
    r"\s+part|of\s+course|for\s+example|for\s+instance|in\s+short|on\s+the\s+other\s+hand)\b(?!['’])"
    r",?\s*)+",
    re.IGNORECASE,
)
# A first comma-separated piece that is an adverbial, not part of the subject: "On Tuesday, ...".
_ADVERBIAL_START = re.compile(
    r"^(?:on|in|at|during|after|before|since|with|without|for|from|by|under|over|amid|despite|"
    r"following|asked|speaking|responding|writing|pressed|when|while|as|if|although|though|"
    r"because|unlike|like|to|once|last|this|earlier|later|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|yesterday|today|meanwhile|however|still|now|instead|indeed|but|and|"
    r"so|then|also|separately|moreover|in\s+fact|what's\s+more|beyond|amid|among|across|"
    r"throughout|within|outside|inside|against|toward|towards|through|upon|according|given|back|"
    r"due\s+to|thanks\s+to|because\s+of|as\s+part\s+of|part\s+of|"
    r"[A-Za-z]+ly\s+(?:after|before|afterward|since|into|in|on|at))\b",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z.'’ -]+(?:,\s*[A-Z][\w.]*\.?(?:\s+\d+)?)*\s*(?:\([^)]*\)\s*)?"
    r"|(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+)?\([A-Z][\w ]{1,20}\)\s*)(?:-|--|—|–|―)\s*"
)  # "WASHINGTON (AP) - ", "Dec 29 (Reuters) - "
_PARTICIPLE_START = re.compile(r"[A-Za-z][a-z]+(?:ing|ed)\s+[a-z]|[A-Za-z][a-z]{5,}ly\Z")
_AGO = re.compile(r"\b(?:later|earlier|ago|afterwards?)\Z")


def _adverbial(piece: str) -> bool:
    """Whether a piece before the subject is an adverbial: "On Tuesday", "Asked about it"."""
    piece = piece.strip()
    return bool(
        _ADVERBIAL_START.match(piece) or _PARTICIPLE_START.match(piece) or _AGO.search(piece)
    )


_DISCOURSE_ADVERBS = frozenset(
    {"meanwhile", "however", "too", "though", "in contrast", "by contrast", "for example",
     "for instance", "moreover", "also", "then", "still", "instead", "indeed", "of course",
     "in turn", "in response", "for his part", "for her part", "for their part", "in fact",
     "at the time", "at the same time", "in an interview", "in a statement", "likewise",
     "similarly", "in particular", "for one", "for its part", "again", "once again"}
)  # fmt: skip
# What may follow a cue before its content, and is neither: "said on Tuesday that ...".
_ADJUNCT = re.compile(
    r"""\s*(?:
        (?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)
            (?:\s+(?:night|morning|afternoon|evening))?
      | (?:yesterday|today|tonight|earlier|later|recently|previously|again|repeatedly|publicly|
           privately|flatly|bluntly|simply|also|then|too|afterward|afterwards|once|bluntly|
           sarcastically|angrily|firmly|quickly|separately|frequently|emphatically|
           in\s+(?:recent\s+)?(?:days|weeks|months|years))
      | (?:last|this|earlier\s+this|late\s+last|early\s+this)\s+(?:week|month|year|night|
           morning|afternoon|evening|spring|summer|fall|autumn|winter)
      | in\s+(?:a|an|his|her|their|its|the|one)\s+(?:[\w-]+\s+){0,3}?(?:statement|interview|
           speech|release|post|tweet|email|e-mail|letter|memo|op-ed|video|message|call|
           appearance|briefing|conference|address|editorial|remarks|testimony|hearing|filing|
           report|note|column|essay|book|announcement|debate|podcast|broadcast|session)s?
           (?:\s+(?:on|with|to|at|for|released|issued|posted|published|obtained)\s+
              (?:the\s+)?(?-i:[A-Z])[\w.'’&-]*(?:\s+(?-i:[A-Z])[\w.'’&-]*)*)?
      | at\s+(?:a|an|the|his|her)\s+(?:[\w-]+\s+){0,3}?(?:rally|conference|event|hall|hearing|
           meeting|briefing|debate|summit|forum|speech|dinner|luncheon|convention|ceremony|
           gathering|stop|session|fundraiser|breakfast|lunch|roundtable)
           (?:\s+(?:in|on|at)\s+(?-i:[A-Z])[\w.'’&-]*(?:,?\s+(?-i:[A-Z])[\w.'’&-]*)*)?
      | on\s+(?:twitter|facebook|instagram|cnn|msnbc|fox|tv|television|radio|air|camera|
           nbc|cbs|abc|npr|the\s+(?:phone|record|senate\s+floor|house\s+floor|floor|show|
           program|campaign\s+trail|trail|call))(?:\s+news|'s\s+[\w\s]+?(?=\s+that\b|,|:))?
      | to\s+(?:reporters|journalists|the\s+press|supporters|the\s+crowd|the\s+audience|
           a\s+crowd|an\s+audience|cnn|fox\s+news|msnbc|nbc|abc|cbs|npr)
      | (?:via|through)\s+(?:a\s+)?(?:spokesman|spokeswoman|spokesperson|statement|twitter|
           email|aide)
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_RECIPIENT = re.compile(
    r"""\s*(?:
        (?:him|her|them|me|us|you|it|reporters|journalists|supporters|voters|members|lawmakers|
           senators|congress|parliament|legislators|delegates|investors|analysts|shareholders|
           employees|workers|staff|aides|allies|diplomats|officials|colleagues|
           the\s+(?:parliament|commons|crowd|audience|court|committee|panel|newspaper|paper|
           magazine|network|station|station|program|show|group|jury|judge|senate|house|
           council|board|press|public|nation|country|world|president|host|interviewer)|
           (?:an?\s+)?(?:crowd|audience|group|gathering)\s+of\s+[\w\s]+?(?=\s+that\b|,|:))
      | (?:the\s+|The\s+)?[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|of|the|and|&|for))*
           (?:['’]s\s+(?:[A-Z][\w.'’&-]*\s*)+)?
    )""",
    re.VERBOSE,
)
# (one literal per branch: re then searches for the marks' first characters, twice as fast as
# "''|``|[\"“”«»]", the same marks)
_QUOTE_MARK = re.compile(r"\"|“|”|«|»|''|``")
_OPENING_MARKS = frozenset({"“", "«", "``"})
_CLOSING_MARKS = frozenset({"”", "»"})
# A sentence end: the punctuation, any closing marks (in tokenised text, after a space: 'the
# dispute . " Some'), then a capital, maybe after opening marks ('. " We love', tokenised too).
_BOUNDARY = re.compile(r"[.!?]+(?P<marks>\s?['\"”’)\]]+)?(?=\s+(?:['\"“”‘(\[]*\s?[A-Z0-9]|[—–-]))")
_ABBREVIATIONS = _words(
    """
    mr mrs ms dr sen rep gov gen lt col sgt capt cmdr adm st jr sr inc co corp ltd no vs etc
    jan feb mar apr jun jul aug sep sept oct nov dec prof rev ft mt pres atty dept est
    approx fig vol sen reps sens govs gens maj messrs mme mlle
    """
)
_WORD = re.compile(r"[\w’'-]+(?:\.(?=\w))?[\w’'-]*\.?|[^\w\s]")
# Where a subject can start: after these (a bare "and"/"but" only if the wider subject fails,
# so that "Cruz and Fiorina said" keeps both names).
_STRONG_BOUNDARY = re.compile(
    r"(?:[;:—–―]|\s--\s|,\s+(?:and|but|yet)\s|,?\s+(?:while|whereas|because|although|though|since|"
    r"so|as|when|after|before|if|unless|until|that|which|whom|where|how|why|what|whether|even\s+as|"
    r"even\s+though|"
    r"(?:in|during|under|by|for|with|to|from|of|on|at)\s+(?:which|whom))\s)",
    re.IGNORECASE,
)
_HARD_BOUNDARY = re.compile(r"\s(?:and|but)\s", re.IGNORECASE)
# A parenthetical between the subject and the cue: "Zimmerman, who lives in Florida, told".
_PARENTHETICAL = re.compile(
    r",\s+(?=(?:who|whose|which|while|when|clad|"
    r"after|before|in|on|at|during|for|with|from|like|unlike|also|"
    r"meanwhile|however|though|too|later|earlier|now|still|once|again|speaking|then|"
    r"(?!including)[a-z]+ing|"
    r"[a-z]{4,}ly|[a-z]+ed|sent|made|held|written|given|taken|seen|known|led|told|built|paid|"
    r"brought|bought|won|lost|kept|left|put|set|run|chosen|struck|caught|shaken|stung|torn|"
    r"drawn|grown|shown|spoken|found|heard|fought|taught|sought|thrown|driven|if|as|long|"
    r"himself|herself|themselves|itself|it\s+(?:turned\s+out|seems|seemed|appears))\b)"
)
_COORDINATOR_GAP = re.compile(
    r"(?:,|;|—|--|,?\s+(?:and|but|while|whereas|yet|or))\s*$", re.IGNORECASE
)
_CONJUNCTION_GAP = re.compile(r"(?:^|,|;|\s)(?:and|but|or|yet)\s*$", re.IGNORECASE)
_RELATIVE = re.compile(r",?\s+(?:who|whose|which)\b.*$", re.DOTALL)


def _inflect(verb: str) -> tuple[str, ...]:
    """``verb`` with its -s, -ed and -ing forms ("note": note, notes, noted, noting)."""
    if verb in _DOUBLED:
        stem = verb + verb[-1]
        return (verb, verb + "s", stem + "ed", stem + "ing")
    if verb.endswith("e"):
        return (verb, verb + "s", verb + "d", verb[:-1] + "ing")
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return (verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing")
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return (verb, verb + "es", verb + "ed", verb + "ing")
    return (verb, verb + "s", verb + "ed", verb + "ing")


# The letter before the look-behind: a pattern that opens with a character class is searched for
# that class first, which is several times faster than trying the look-behind everywhere.
_ACCORDING_TO = re.compile(r"[Aa](?<![\w'’-][Aa])ccording\s+to(?![\w'’-])")
# "In a Gallup poll released Monday, ...", "..., but in the latest CNN survey, ...": a poll
# reports what follows as "according to" does (the literal first, for speed).
_IN_POLL = re.compile(
    r"[Ii]n(?:(?<=[,;] in)|(?<=[,;] but in)|(?<=[,;] and in)|(?<=In)(?<![\w'’-]In))"
    r"(?=\s+(?:an?|the|this|that|its|their|his|her|our|every|each|several|many|some|two|three|"
    r"four|recent|new|national|separate|latest|[A-Z][a-z]+['’]s)\s+"
    r"(?:(?!(?:as|when|while|after|before|where)\s)[\w'’./&-]+\s+){0,7}?"
    r"(?:[Pp]olls?|[Ss]urveys?)\b[^,.;:!?\n]{0,60},)"
)
# "... in the latest CNN/ORC poll released Wednesday.": a poll closing its sentence reports the
# clause before it.
_FINAL_IN_POLL = re.compile(
    r"in(?<=[\w%),’”\"]\sin)(?=\s+(?:(?:an?|the|this|that|its|their|our|every|each|several|most|"
    r"two|three|one|another)\s+)?(?:(?:[A-Z][\w'’./&-]*|latest|new|recent|same|most\s+recent|"
    r"national|statewide|state|exit|[\w]+-[a-z]+|average\s+of)\s+){1,7}"
    r"(?:[Pp]olls?|[Ss]urveys?)(?:\s+(?:released|conducted|taken|published|this|last|earlier|on|of|"
    r"from)\b[^,.;:!?\n\"“”]{0,50})?(?:[.;!?](?=\s|$)|$|,\s+(?:a|an|his|her|its|up|down|surpassing)\s))"
)
_LOWERCASE_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
_PREFIX_BEFORE = re.compile(r"(?<![\w'’-])" + _CUE_PREFIX.replace("{0,3}", "{1,3}") + r"\Z")
# The last word of each unit of :data:`_CUE_PREFIX` (a word, "[a-z]+ly", the second word of "in
# fact" or "continue to", "times"), and what may follow an apostrophe ("’s", "’ve", "wasn’t").
_PREFIX_LAST_WORDS = _words(
    """
    has have had would will could might may did does do is are was were been also now both all
    each fact nevertheless nonetheless particular still later again often once twice first
    further then long never ever even only just already yet since to times not
    """
)
_AFTER_APOSTROPHE = frozenset({"s", "d", "ve", "t"})
_LOWERCASE_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _may_end_cue_prefix(text: str, position: int) -> bool:
    """Whether the word before ``position`` could end a :data:`_PREFIX_BEFORE` match: blanks
    before ``position``, and before them one of the prefix's last words. Most cues follow a name
    ("Obama said"); this test is a few string operations, the search it saves tries every start
    in the 80 characters before the cue."""
    before = text[max(0, position - 80) : position]
    stripped = before.rstrip()
    if len(stripped) == len(before):
        return False  # "\s+" ends the prefix
    rest = stripped.rstrip(_LOWERCASE_LETTERS)
    last = stripped[len(rest) :]
    if last in _PREFIX_LAST_WORDS or last.endswith("ly"):
        return True
    return rest.endswith(("'", "’")) and last in _AFTER_APOSTROPHE


# A pronoun's contraction joins it: "He’s predicting" (cue "’s predicting", source "He"),
# "They’re saying", "I’ve said", "We’ll argue"; a name's "’s" is a possessive as often
# ("Ruiz’s showing").
_CONTRACTION_BEFORE = re.compile(
    r"(?<![\w'’-])(?:[Hh]e|[Ss]he|I|[Ww]e|[Tt]hey|[Yy]ou)"
    r"(?P<contraction>['’](?:[sdm]|re|ve|ll)\s+)\Z"
)


def _forms_by_first_word(lexicon: dict[str, str] = CUE_VERBS) -> dict[str, re.Pattern[str]]:
    """For each first word of a cue form, a pattern matching its longest form at a position."""
    grouped: dict[str, list[str]] = {}
    for form in lexicon:
        if form != "according to":
            grouped.setdefault(form.split()[0], []).append(form)
    return {
        first: re.compile(
            "(?:"
            + "|".join(
                re.escape(form).replace(r"\ ", r"\s+")
                for form in sorted(forms, key=len, reverse=True)
            )
            + r")(?![\w'’-])"
        )
        for first, forms in grouped.items()
    }


_FORMS_BY_FIRST_WORD = _forms_by_first_word()
_NOUN_FORMS_BY_FIRST_WORD = _forms_by_first_word(NOUN_CUES)
_CUE_FIRST_WORDS = frozenset(_FORMS_BY_FIRST_WORD) | frozenset(_NOUN_FORMS_BY_FIRST_WORD)


@dataclass(frozen=True, slots=True)
class _CueHit:
    """A cue form in the text: ``text[start:end]``, its verb from ``verb_start``; ``noun``
    when it is a noun after a possessive ("Obama's claim that")."""

    start: int
    verb_start: int
    end: int
    lemma: str
    noun: bool = False


# A possessive right before a noun cue, with up to two modifiers between ("Trump's
# controversial proposal", "his stern warning"); the modifiers belong to the cue.
_POSSESSIVE_THEN_MODIFIERS = re.compile(
    r"(?:(?<![\w'’-])(?:[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)|\w['’]s|s['’])\s+"
    r"(?P<modifiers>(?:(?!(?:and|or|but|the|a|an|to|of|in|on|for|that|is|was|are|were|has|had|"
    r"have|will|would|not)\s)[a-z][\w-]*\s+){0,2})\Z"
)
# What a noun cue introduces: a preposition that belongs to the cue ("criticism of", "attacks
# on", "opposition to the war"), or a clause ("that ...", "to ban ...") or a quotation.
_PREPOSITION_AFTER_NOUN = re.compile(
    r"\s+(?:of|on|for|about|against|toward|towards|over|with|to(?=\s+(?:the|a|an|his|her|their|"
    r"its|our|my|any|all|[A-Z$]|\d)))(?![\w'’-])"
)
_CLAUSE_AFTER_NOUN = re.compile(r"\s+(?:that|to)\s|\s*[:,]?\s*[\"“]|\s*:")


def _noun_cue(text: str, scanned: str, word: re.Match[str]) -> _CueHit | None:
    """A noun of the lexicon after a possessive that introduces something: "Obama's claim that
    ...", "her criticism of ...", "his promise to ..." (not "his plan", "Obama's claims.")."""
    pattern = _NOUN_FORMS_BY_FIRST_WORD.get(word.group())
    form = pattern.match(scanned, word.start()) if pattern is not None else None
    if form is None:
        return None
    possessive = _POSSESSIVE_THEN_MODIFIERS.search(text, max(0, word.start() - 60), word.start())
    if possessive is None:
        return None
    preposition = _PREPOSITION_AFTER_NOUN.match(text, form.end())
    if preposition is None and not _CLAUSE_AFTER_NOUN.match(text, form.end()):
        return None
    end = preposition.end() if preposition is not None else form.end()
    lemma = NOUN_CUES[" ".join(form.group().split())]
    return _CueHit(possessive.start("modifiers"), word.start(), end, lemma, noun=True)


# A character outside ASCII other than the caseless marks news text is full of (curly quotes,
# dashes, an ellipsis, a no-break space). In text without one, a pattern with no capitals is
# matched case-blind exactly where, case-sensitive, it matches the lower-cased text: each ASCII
# letter lowers to the one IGNORECASE equates it with, and nothing else has a case. ("ı", "ſ"
# and "K" match "i", "s" and "k" case-blind; "İ" lowers to two characters.)
_CASED_BEYOND_ASCII = re.compile(r"[^\x00-\x7f‘’“”—–…\u00a0]")
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]{3,}")


def _headlines_lowered(text: str) -> str:
    """``text`` with its headlines in lower case, so that their cues are found: "Mayor Ruiz Says
    Bridge Will Close" (a line of 3 to 30 words whose longer words are all capitalised)."""
    pieces: list[str] = []
    last = 0
    for line in re.finditer(r"[^\n]+", text):
        if not 3 <= len(line.group().split(None, 30)) <= 30:  # (31 pieces: more than 30 words)
            continue  # most lines are paragraphs: their words are never looked at
        words = _TITLE_WORD.findall(line.group())
        if len(words) < 2:
            continue
        if sum(word[0].isupper() for word in words) < 0.9 * len(words):
            continue
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in line.group())
        pieces += [text[last : line.start()], lowered]
        last = line.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


# Verbs of issuing a document that then says something: "published a report saying ...",
# "issued a statement calling ...", where the cue is the whole stretch up to the participle (found
# from the participle). "release" and "file" are not cues at all (acts, not statements: on the
# sample articles they made "filed for bankruptcy" and "released a list of dealerships" claims).
_VEHICLE_LEMMAS = frozenset({"publish", "issue"})
_VEHICLE_THEN_PARTICIPLE = re.compile(
    r"\s+(?:a|an|the|its|his|her|their)\s+(?:[\w'’$-]+\s+){0,4}?(?:statement|email|letter|memo|"
    r"lawsuit|suit|complaint|report|ad|video|message|note|release|brief|motion|petition|op-ed|"
    r"column|editorial|response|document|order|appeal)s?(?:\s+[A-Z]?[a-z]+day)?,?\s+[a-z]+ing\b"
)
# A phrase ending in a document: "A Ledger poll", "the court filing".
_DOCUMENT_END = re.compile(
    r"\s(?:poll|polls|survey|surveys|report|reports|study|studies|analysis|audit|review|memo|"
    r"ad|letter|statement|filing|ruling|index|tally|count)\Z",
    re.IGNORECASE,
)


def _cue_hits(text: str) -> list[_CueHit]:
    """Every cue form in ``text`` with the auxiliaries and adverbs before it, in text order.

    Words are scanned and looked up rather than matched with one alternation of every form,
    which is several times faster.
    """
    hits: list[_CueHit] = []
    scanned = _headlines_lowered(text)
    for word in _LOWERCASE_WORD.finditer(scanned):
        if word.group() not in _CUE_FIRST_WORDS:
            continue  # most words begin no cue: one set lookup instead of two calls
        noun = _noun_cue(text, scanned, word)
        if noun is not None:
            hits.append(noun)
            continue
        pattern = _FORMS_BY_FIRST_WORD.get(word.group())
        form = pattern.match(scanned, word.start()) if pattern is not None else None
        if form is None:
            continue
        prefix = (
            _PREFIX_BEFORE.search(text, max(0, word.start() - 80), word.start())
            if _may_end_cue_prefix(text, word.start())
            else None
        )
        start = prefix.start() if prefix else word.start()
        if text[start - 2 : start - 1] in ("s", "d", "m", "e", "l"):
            contraction = _CONTRACTION_BEFORE.search(text, max(0, start - 12), start)
            if contraction is not None:
                start = contraction.start("contraction")
        lemma = CUE_VERBS[" ".join(form.group().split())]
        if lemma in _VEHICLE_LEMMAS:
            if _VEHICLE_THEN_PARTICIPLE.match(text, form.end()):
                continue  # "published a report saying ...": the participle is the cue
            before = len(text[: word.start()].rstrip())
            if word.group().endswith("ed") and _DOCUMENT_END.search(
                text, max(0, before - 20), before
            ):
                continue  # "A report published Sunday found ...": it describes the report
        hits.append(_CueHit(start, word.start(), form.end(), lemma))
    for match in _ACCORDING_TO.finditer(text):
        hits.append(_CueHit(match.start(), match.start(), match.end(), "according to"))
    for match in _IN_POLL.finditer(text):  # "In a Gallup poll released Monday, 52 percent ..."
        hits.append(_CueHit(match.start(), match.start(), match.end(), "according to"))
    for match in _FINAL_IN_POLL.finditer(text):
        hits.append(_CueHit(match.start(), match.start(), match.end(), "according to"))
    return sorted(hits, key=lambda hit: hit.start)

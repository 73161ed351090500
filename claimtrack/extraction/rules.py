"""The rules backend: attributed claims and pending commitments found by patterns, offline.

Deterministic and pure: the same text always gives the same items, with no model and no I/O. It is
the default backend and the baseline every prompt has to beat.

How an article is read:

1. **Structure.** The text is cut into lines (paragraphs), quotations are paired within each line
   (curly, straight and ``''`` marks; a quotation left open runs to the end of its line), and lines
   are cut into sentences at ``.``/``?``/``!`` followed by a capital, never inside a quotation and
   never after an abbreviation (``Mr.``, ``U.S.``, an initial).
2. **Cues.** Every reporting word outside quotations is a cue: the verbs of :data:`CUE_VERBS` in
   all their forms (``said``, ``warns``, ``has argued``, ``also noted``, ``called for``) and
   ``according to``.
3. **Attributions.** For each cue, the source is the noun phrase before it (``Keir Starmer
   said``), or, after a quotation, the one after it (``"...," said Keir Starmer``); a cue with no
   subject of its own after ``and``/``but``/a comma shares the previous cue's source (``Starmer said
   ... but warned ...``). The content is what follows the cue (``said (that) ...``, ``said: "..."``)
   up to the next coordinated clause, or, when the source and cue close the sentence, what comes
   before them (``"...," he said`` and ``..., officials said``). ``According to X, ...`` and
   ``..., according to X`` are read the same way. A sentence that is only a quotation and follows
   an attribution continues it (same source and cue). A line opening with a name and a colon
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

import bisect
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from claimtrack.extraction.deadlines import find_deadline
from claimtrack.extraction.grounding import Span
from claimtrack.extraction.models import ClaimType, Item, Stage
from claimtrack.extraction.speakers import resolve_speakers


def _rules_version() -> str:
    """A short hash of the rule modules' source: it changes whenever a rule does, so results
    stored under ``rules@<version>`` are recomputed after any change (and only then)."""
    digest = hashlib.sha256()
    for module in ("rules.py", "speakers.py", "deadlines.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()[:12]


RULES_VERSION = _rules_version()


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``, as a set (for the word lists below)."""
    return frozenset(text.split())


# -- vocabulary -----------------------------------------------------------------------------------

# Reporting verbs, by lemma. Regular verbs are inflected by :func:`_inflect`; the rest list their
# forms. A lemma with a space is a phrasal cue ("point out").
_REGULAR_CUE_VERBS = """
    add state claim warn note insist announce explain tweet ask reply respond acknowledge admit
    concede deny confirm reveal report declare stress emphasize emphasise reiterate repeat recall
    suggest predict estimate allege contend assert observe complain charge counter retort
    joke quip boast agree promise pledge vow threaten propose urge demand accuse criticize
    criticise praise endorse describe defend blame attack blast slam mock dismiss reject oppose
    believe hope fear expect want plan intend argue conclude caution remark muse
    lament recount indicate testify acknowledge hint assure inform remind complain concur question
    decry condemn denounce urge vow clarify specify stipulate pledge decline refuse offer cite
    support discuss express recommend advocate prefer characterize label dub brand applaud
    hail tout highlight echo rebut refute challenge consider decide continue mention wonder imply
    thank shout chant yell portray quote invoke retweet worry disagree dispute doubt signal
    lecture scold chide rebuke lambaste ridicule insult belittle frame reassure affirm proclaim
    grumble gripe scoff plead implore suspect realize realise recognize recognise assume regret
    welcome acknowledge bemoan assail speculate voice balk interject reference liken
    allude remember credit comment champion answer opine vouch contradict elaborate acquiesce
    brag envision envisage trumpet mull post order laud commend castigate excoriate berate
    chastise admonish reprimand upbraid deplore protest object downplay theorize
    posit reckon surmise gush marvel fume bristle sneer taunt exhort inquire
    enquire query insinuate reaffirm forecast anticipate lobby disclose request imagine
    contrast apologize apologise illustrate deride articulate outline float
    congratulate disavow repudiate renounce backtrack sidestep deflect minimize lampoon
    bash reason confess divulge publicize notify testify crow gloat enthuse
    fret mourn rebuff snub spurn disparage demonize vilify ridicule chide scold hector lecture
    caricature lionize extol glorify eulogize commiserate sympathize empathize reminisce
    speculate conjecture hypothesize predict prophesy caution remark interject retort"""
_IRREGULAR_CUE_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "writing", "written"),
    "think": ("think", "thinks", "thought"),
    "show": ("show", "shows", "showed", "showing", "shown"),
    "find": ("finds", "found"),
    "call": ("called", "calls", "calling"),
    "call for": ("call for", "calls for", "called for", "calling for"),
    "call on": ("call on", "calls on", "called on", "calling on"),
    "point out": ("point out", "points out", "pointed out", "pointing out"),
    "point to": ("points to", "pointed to", "pointing to"),
    "according to": ("according to",),
    "back": ("backs", "backed"),
    "seek": ("seeks", "sought", "seeking"),
    "see": ("sees", "saw"),
    "talk about": ("talk about", "talks about", "talked about", "talking about"),
    "speak about": ("speaks about", "spoke about", "speaking about", "spoke of", "speaks of"),
    "refer to": ("refers to", "referred to", "referring to"),
    "push for": ("push for", "pushes for", "pushed for", "pushing for"),
    "ask for": ("asks for", "asked for", "asking for"),
    "argue for": ("argues for", "argued for", "arguing for"),
    "rail against": ("rails against", "railed against", "railing against"),
    "lash out": ("lashes out at", "lashed out at", "lashing out at"),
    "warn of": (
        "warns of",
        "warned of",
        "warning of",
        "warned about",
        "warns about",
        "warned against",
        "warns against",
    ),
    "go on to say": ("went on to say", "goes on to say"),
    "put it": ("put it", "puts it"),
    "know": ("know", "knows", "knew"),
    "read": ("reads",),
    "email": ("emailed",),
    "understand": ("understands", "understood"),
    "make clear": (
        "made clear",
        "made it clear",
        "makes clear",
        "makes it clear",
        "make clear",
        "make it clear",
        "making clear",
        "making it clear",
    ),
    "focus on": ("focus on", "focuses on", "focused on", "focusing on"),
    "vote for": (
        "voted for",
        "votes for",
        "voting for",
        "vote for",
        "voted against",
        "votes against",
        "voting against",
        "vote against",
    ),
    "weigh in": ("weighed in", "weighs in", "weighing in"),
    "shoot back": ("shot back", "shoots back", "shooting back"),
    "speak out": ("spoke out", "speaks out", "speaking out"),
    "open up about": ("opened up about", "opens up about", "opening up about"),
    "swear": ("swore", "sworn", "swears"),
    "foresee": ("foresee", "foresees", "foresaw", "foreseen"),
    "lay out": ("lay out", "lays out", "laid out", "laying out"),
    "side with": ("side with", "sides with", "sided with", "siding with"),
    "take issue with": (
        "take issue with",
        "takes issue with",
        "took issue with",
        "taking issue with",
    ),
    "take aim at": ("take aim at", "takes aim at", "took aim at", "taking aim at"),
    "go after": ("go after", "goes after", "went after", "going after"),
    "call out": ("call out", "calls out", "called out", "calling out"),
    "hit out at": ("hit out at", "hits out at", "hitting out at"),
    "single out": ("single out", "singles out", "singled out", "singling out"),
    "shrug off": ("shrug off", "shrugs off", "shrugged off", "shrugging off"),
    "brush off": ("brush off", "brushes off", "brushed off", "brushing off", "brushed aside"),
    "play down": ("play down", "plays down", "played down", "playing down"),
    "rule out": ("rule out", "rules out", "ruled out", "ruling out"),
    "talk": ("talked",),
    "raise": (
        "raised questions",
        "raises questions",
        "raising questions",
        "raised doubts",
        "raised the question",
    ),
    "sound": (
        "sounded the alarm",
        "sounded a note",
        "sounded an alarm",
        "sounded a warning",
        "sounding the alarm",
        "sounds the alarm",
    ),
    "spar": ("sparred with", "sparring with", "spars with"),
    "walk back": ("walked back", "walks back", "walking back"),
    "cast doubt": ("cast doubt", "casts doubt", "casting doubt"),
    "distance": (
        "distanced himself from",
        "distanced herself from",
        "distanced themselves from",
        "distancing himself from",
        "distancing herself from",
        "distances himself from",
        "distances herself from",
    ),
    "apologize for": ("apologized for", "apologizes for", "apologizing for"),
}
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
    r"(?:(?:has|have|had|would|will|could|might|may|did|does|do|is|are|was|were|"
    r"also|now|both|all|each|in\s+fact|nevertheless|nonetheless|in\s+particular|"
    r"still|later|again|often|once|first|further|then|long|never|ever|even|only|just|already|since|"
    r"[a-z]+ly|['’]s|['’]d|['’]ve|continues\s+to|continued\s+to|continue\s+to|went\s+on\s+to|"
    r"goes\s+on\s+to|not|(?:is|are|was|were|has|have|had|do|does|did|would|could|should|wo|ca)"
    r"n['’]t)\s+){0,3}"
)
_BE = frozenset(
    {"is", "are", "was", "were", "'s", "’s", "be", "been", "being", "isn't", "isn’t", "wasn't",
     "wasn’t", "aren't", "aren’t", "weren't", "weren’t"}
)  # fmt: skip

_DOUBLED = frozenset({"admit", "slam", "quip", "plan", "regret", "commit", "refer", "prefer"})

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
           senators|congress|the\s+(?:crowd|audience|court|committee|panel|newspaper|paper|
           magazine|network|station|station|program|show|group|jury|judge|senate|house|
           council|board|press|public|nation|country|world|president|host|interviewer)|
           (?:an?\s+)?(?:crowd|audience|group|gathering)\s+of\s+[\w\s]+?(?=\s+that\b|,|:))
      | (?:the\s+|The\s+)?[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|of|the|and|&|for))*
           (?:['’]s\s+(?:[A-Z][\w.'’&-]*\s*)+)?
    )""",
    re.VERBOSE,
)
_QUOTE_MARK = re.compile(r"''|``|[\"“”«»]")
_OPENING_MARKS = frozenset({"“", "«", "``"})
_CLOSING_MARKS = frozenset({"”", "»"})
_BOUNDARY = re.compile(r"[.!?]+(?:['\"”’)\]]+)?(?=\s+(?:['\"“‘(\[]*[A-Z0-9]|[—–-]))")
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
    r"(?:[;:—–―]|\s--\s|,\s+(?:and|but)\s|,?\s+(?:while|whereas|because|although|though|since|"
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
    r"brought|bought|won|lost|kept|left|put|set|run|chosen)\b)"
)
_COORDINATOR_GAP = re.compile(
    r"(?:,|;|—|--|,?\s+(?:and|but|while|whereas|yet|or))\s*$", re.IGNORECASE
)
_CONJUNCTION_GAP = re.compile(r"(?:^|,|;|\s)(?:and|but|or|yet)\s*$", re.IGNORECASE)
_RELATIVE = re.compile(r",?\s+(?:who|whose|which)\b.*$", re.DOTALL)

# Commitment cues, by the stage they signal; the "action" group is where the action starts.
_COMMITMENT_PATTERNS: tuple[tuple[str, Stage, str], ...] = (
    (
        "needs_finalising",  # "still needs to be finalized", "has yet to be ratified"
        "pending_approval",
        r"\b(?:still\s+)?(?:needs?|has\s+yet|have\s+yet|must(?:\s+still)?)\s+to\s+"
        r"(?P<action>(?:be\s+)?(?:finali[sz]ed?|approved?|ratif(?:y|ied)|signed|sign|agreed|"
        r"endorsed|confirmed|voted\s+on|passed))\b",
    ),
    (
        "requires_approval",  # "requires approval from all countries"
        "pending_approval",
        r"\b(?P<action>(?:requires?|required|requiring|awaits?|awaiting|subject\s+to|pending)\s+"
        r"(?:the\s+)?(?:final\s+|formal\s+)?(?:approval|ratification|sign-off|a\s+vote|"
        r"parliamentary\s+approval|congressional\s+approval))\b",
    ),
    (
        "agreed_to",  # "agreed to continue providing", "agreed in principle to"
        "agreed_in_principle",
        r"\b(?:agreed|agree|agrees|signed\s+up)\s+(?:in\s+principle\s+)?to\s+(?P<action>\w)",
    ),
    (
        "intention",  # "plans to", "pledged to", "is expected to", "vowed to"
        "proposed",
        r"\b(?:plans?|planned|planning|intends?|intended|pledged?|pledges|promised?|promises|"
        r"vowed?|vows|committed|commits?|aims?|aimed|is\s+set|are\s+set|is\s+expected|"
        r"are\s+expected|is\s+going|are\s+going|decided|is\s+to|are\s+to|offered|proposed)"
        r"\s+to\s+(?!be\s+(?:seen|determined)\b)(?P<action>\w)",
    ),
    (
        "will",  # "will establish", "would provide" (when reported)
        "proposed",
        r"\b(?:will|would|shall|['’]ll)\s+(?:also\s+|soon\s+|now\s+|still\s+|then\s+)?+"
        r"(?!(?:be|have|remain|become|mean|need|include|involve|require|cost|last|take|depend|"
        r"likely|probably|not|never|see|seem|appear|happen|get|make\s+sense)\b)"
        r"(?P<action>[a-z]\w+)",
    ),
)
COMMITMENT_CUES: tuple[tuple[str, Stage, re.Pattern[str]], ...] = tuple(
    (name, stage, re.compile(pattern, re.IGNORECASE))
    for name, stage, pattern in _COMMITMENT_PATTERNS
)
_COMMITMENT_TRIGGER = re.compile(
    r"\b(?:will|would|shall|plan|intend|pledge|promis|vow|commit|aim|set\s+to|expected|going\s+to|"
    r"decided|is\s+to|are\s+to|offered|proposed|agree|need|yet\s+to|must|requir|await|"
    r"subject\s+to|pending|signed\s+up)|['’]ll\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(?:once|if|when|whenever|as\s+soon\s+as|provided\s+that|providing\s+that|"
    r"on\s+condition\s+that|"
    r"in\s+the\s+event\s+(?:that|of)|unless|should\s+(?:any|a|the)\s)",
    re.IGNORECASE,
)
_CONDITION_END = re.compile(r"[,;]|\s[—–]\s|[.!?](?=\s|$)|\s(?:which|who)\s")
_CLAUSE_OPENER = re.compile(
    r"(?:\bthat\s+|;\s*|:\s*|,\s+(?:and|but|while|although|though|because|as)\s+|"
    r"\b(?:said|says|say|told|stated|states|announced|added|noted|insisted|argued|warned|"
    r"claimed|believes?|believed|thinks?|thought)\s+(?!that\b)|"
    r"\s(?:although|though|because|while|whereas)\s+)",
    re.IGNORECASE,
)
# Subjects that cannot commit to anything.
_NON_AGENTS = _words(
    """
    it this that there which what who these those prices price market markets oil weather
    situation outcome result results economy future effect impact picture details report
    analysis trend trends rate rates growth inflation headline risk risks framework plan
    plans talks meeting
    """
)
_AGENT_NOUNS = _words(
    """
    government ally leader company official administration ministry country coalition
    party state council committee board union lawmaker congress parliament president
    minister army force military bank firm group city agency department court authority
    team campaign member nation partner senate house
    """
)


# -- cue table ------------------------------------------------------------------------------------


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


# Forms that are far more often nouns than reporting verbs.
_NOT_CUE_FORMS = frozenset({"state", "states", "charge", "charges", "question", "questions",
                            "counter", "counters", "remark", "remarks", "welcome", "report",
                            "plan", "demand", "attack", "attacks", "promise", "pledge", "tweet",
                            "tweets", "offer", "offers", "support", "supports", "echo", "echoes",
                            "challenge", "challenges", "label", "labels", "brand", "brands",
                            "highlight", "highlights", "continue", "continues", "continuing",
                            "discuss", "express", "decline", "declines", "refuse", "consider",
                            "decide", "cite", "favor", "prefer", "hail", "tout", "dub", "advocate",
                            "advocates", "fear", "fears", "voice", "voices", "reference",
                            "references", "credit", "credits", "comment", "comments", "champion",
                            "champions", "answer", "answers", "post", "posts", "order", "orders",
                            "protest", "protests", "object", "objects", "query", "queries",
                            "forecast", "forecasts", "lobby", "trumpet", "trumpets",
                            "remember", "marvel", "marvels",
                            "taunt", "taunts", "sneer", "sneers", "posting", "ordering",
                            "voicing", "answering", "intended", "request", "requests",
                            "contrast", "contrasts", "outline", "outlines", "float", "floats",
                            "beam", "beams", "crow", "crows", "reason", "reasons", "leak",
                            "compare", "maintain", "maintains", "maintaining", "lecture",
                            "lectures", "caricature", "caricatures", "bash", "mourn",
                            "lecturing", "reasoning", "imagine"})  # fmt: skip


def _cue_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for verb in _REGULAR_CUE_VERBS.split():
        for form in _inflect(verb):
            if form not in _NOT_CUE_FORMS:
                forms.setdefault(form, verb)
    for lemma, inflected in _IRREGULAR_CUE_VERBS.items():
        for form in inflected:
            forms[form] = lemma
    return forms


CUE_VERBS: dict[str, str] = _cue_forms()  # every cue form -> its lemma
_ACCORDING_TO = re.compile(r"(?<![\w'’-])[Aa]ccording\s+to(?![\w'’-])")
# "In a Gallup poll released Monday, ...", "... in the latest CNN survey": a poll reports what
# follows (or what came before) as "according to" does.
_IN_POLL = re.compile(
    r"(?<![\w'’-])In(?=\s+(?:an?|the|this|that|its|their|his|her|our|every|each|several|"
    r"many|some|two|three|four|recent|new|national|separate|latest)\s+(?:[\w'’./&-]+\s+){0,7}?"
    r"(?:poll|polls|survey|surveys)\b[^,.;:!?\n]{0,60},)"
)
_LOWERCASE_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
_PREFIX_BEFORE = re.compile(r"(?<![\w'’-])" + _CUE_PREFIX.replace("{0,3}", "{1,3}") + r"\Z")


def _forms_by_first_word() -> dict[str, re.Pattern[str]]:
    """For each first word of a cue form, a pattern matching its longest form at a position."""
    grouped: dict[str, list[str]] = {}
    for form in CUE_VERBS:
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


@dataclass(frozen=True, slots=True)
class _CueHit:
    """A cue form in the text: ``text[start:end]``, its verb from ``verb_start``."""

    start: int
    verb_start: int
    end: int
    lemma: str


_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]{3,}")


def _headlines_lowered(text: str) -> str:
    """``text`` with its headlines in lower case, so that their cues are found: "Mayor Ruiz Says
    Bridge Will Close" (a line of 3 to 30 words whose longer words are all capitalised)."""
    pieces: list[str] = []
    last = 0
    for line in re.finditer(r"[^\n]+", text):
        words = _TITLE_WORD.findall(line.group())
        if not 3 <= len(line.group().split()) <= 30 or len(words) < 2:
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


def _cue_hits(text: str) -> list[_CueHit]:
    """Every cue form in ``text`` with the auxiliaries and adverbs before it, in text order.

    Words are scanned and looked up rather than matched with one alternation of every form,
    which is several times faster.
    """
    hits: list[_CueHit] = []
    scanned = _headlines_lowered(text)
    for word in _LOWERCASE_WORD.finditer(scanned):
        pattern = _FORMS_BY_FIRST_WORD.get(word.group())
        form = pattern.match(scanned, word.start()) if pattern is not None else None
        if form is None:
            continue
        prefix = _PREFIX_BEFORE.search(text, max(0, word.start() - 80), word.start())
        start = prefix.start() if prefix else word.start()
        lemma = CUE_VERBS[" ".join(form.group().split())]
        hits.append(_CueHit(start, word.start(), form.end(), lemma))
    for match in _ACCORDING_TO.finditer(text):
        hits.append(_CueHit(match.start(), match.start(), match.end(), "according to"))
    for match in _IN_POLL.finditer(text):  # "In a Gallup poll released Monday, 52 percent ..."
        hits.append(_CueHit(match.start(), match.start(), match.end(), "according to"))
    return sorted(hits, key=lambda hit: hit.start)


# -- text structure -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    quotes: tuple[Span, ...]


def _quotations(text: str, start: int, end: int) -> list[Span]:
    """Quotations in ``text[start:end]`` (one line), marks included; an open one runs to the end."""
    spans: list[Span] = []
    opened: int | None = None
    for match in _QUOTE_MARK.finditer(text, start, end):
        mark = match.group()
        if mark in _OPENING_MARKS and opened is not None and _closes_here(text, match, end):
            spans.append(Span(opened, match.end()))  # a typo: '“It's unusual,“ said Larry Noble'
            opened = None
        elif mark in _OPENING_MARKS:
            if opened is not None:
                spans.append(Span(opened, _rstrip(text, opened, match.start())))
            opened = match.start()
        elif mark in _CLOSING_MARKS:
            if opened is not None:
                spans.append(Span(opened, match.end()))
                opened = None
        elif opened is None:
            if (
                (match.end() < end and not text[match.end()].isspace())
                or match.start() == start
                or _free_standing(text, match, end)  # tokenised text: 'said " We love ... "'
            ):
                opened = match.start()
        else:
            spans.append(Span(opened, match.end()))
            opened = None
    if opened is not None:
        spans.append(Span(opened, _rstrip(text, opened, end)))
    return spans


def _free_standing(text: str, match: re.Match[str], end: int) -> bool:
    """A straight mark with a space on both sides (text tokenised word by word, as in corpora):
    it opens when nothing is open, and the next such mark closes it."""
    before = text[match.start() - 1] if match.start() > 0 else " "
    after = text[match.end()] if match.end() < end else " "
    return before.isspace() and after.isspace() and match.end() < end


def _closes_here(text: str, match: re.Match[str], end: int) -> bool:
    after = text[match.end()] if match.end() < end else " "
    before = text[match.start() - 1] if match.start() > 0 else " "
    return after.isspace() or after in ",.;:" or before in ",.?!"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, quotations kept whole."""
    return [(sentence.start, sentence.end) for sentence in _sentences(text)]


def _sentences(text: str) -> list[_Sentence]:
    sentences: list[_Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        quotes = _quotations(text, line.start(), line.end())
        starts = [quote.start for quote in quotes]
        cut = line.start()
        for boundary in _BOUNDARY.finditer(text, line.start(), line.end()):
            position = boundary.end()
            index = bisect.bisect_left(starts, position) - 1
            if index >= 0 and quotes[index].start < position < quotes[index].end:
                continue
            if _abbreviation_before(text, boundary.start()) and not (
                _OPENER.match(text, position) and _ACRONYM_BEFORE.search(text, 0, boundary.start())
            ):
                continue  # but "... in the U.S. He said ..." ends a sentence ("Mr. He" does not)
            if _attribution_follows(text, boundary, line.end()):
                continue  # '"Is it?" Jane Smith asked.' is one sentence
            _add_sentence(sentences, text, cut, position, quotes)
            cut = position
        _add_sentence(sentences, text, cut, line.end(), quotes)
    return sentences


# Words that open a sentence, never continue a name: after "U.S." or "p.m." they start anew.
_ACRONYM_BEFORE = re.compile(r"(?<![\w.])(?:[A-Za-z]\.)+[A-Za-z]\Z")
_OPENER = re.compile(r"\s+(?:He|She|They|We|It|But|The|This|His|Her|Their|There)\s")


def _attribution_follows(text: str, boundary: re.Match[str], end: int) -> bool:
    """Whether a quotation closing with ?/! is followed by a short "Name said." of its own."""
    mark = boundary.group()
    if mark[:1] not in "?!" or mark[-1:] not in "\"”'":
        return False
    after = text[boundary.end() : min(end, boundary.end() + 120)]
    short = re.match(
        r"\s*((?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|St|Jr|Sr|Prof|Rev)\.|[^.!?\"“”])*?[.!?])"
        r"(?:\s|$)",
        after,
    )
    if short is None or len(short.group(1).split()) > 10:
        return False
    return any(
        word.group() in _FORMS_BY_FIRST_WORD for word in _LOWERCASE_WORD.finditer(short.group(1))
    )


def _abbreviation_before(text: str, period: int) -> bool:
    if text[period] != ".":
        return False
    match = re.search(r"([\w.]+)\Z", text[max(0, period - 20) : period])
    if not match:
        return False
    word = match.group(1)
    return (
        word.casefold() in _ABBREVIATIONS
        or (len(word) == 1 and word.isupper())
        or bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word))
    )


def _add_sentence(
    sentences: list[_Sentence], text: str, start: int, end: int, quotes: list[Span]
) -> None:
    while start < end and text[start].isspace():
        start += 1
    end = _rstrip(text, start, end)
    if start < end:
        inside = tuple(quote for quote in quotes if start <= quote.start and quote.end <= end)
        sentences.append(_Sentence(start, end, inside))


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _inside(spans: Sequence[Span], position: int) -> bool:
    return any(span.start < position < span.end for span in spans)


# -- attributions ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cue:
    span: Span
    lemma: str
    verb: Span


@dataclass(slots=True)
class _Attribution:
    cue: _Cue
    source: Span | None
    contents: list[Span]
    sentence: _Sentence
    continued: bool = False


@dataclass(slots=True)
class _Clause:
    """Where a cue's clause starts, and how it is joined to the clause before."""

    cue: _Cue
    source: Span | None
    start: int  # the clause's first character (source, or the connector before a bare cue)
    coordinated: bool  # joined by and/but/a comma: ends the previous cue's content
    trailing_content: Span | None  # content before the source: '"...," he said'
    inverted: bool = False
    region_start: int = 0  # where the search for its source began


def _cues(text: str, sentence: _Sentence, hits: Sequence[_CueHit]) -> list[_Cue]:
    """The cues of one sentence, outside its quotations, that report something."""
    found: list[_Cue] = []
    first = bisect.bisect_left(hits, sentence.start, key=lambda hit: hit.verb_start)
    for hit in hits[first:]:
        if hit.end > sentence.end:
            break
        if _inside(sentence.quotes, hit.verb_start) or _not_a_cue(text, hit):
            continue
        start = max(_cue_start(text, hit), sentence.start)
        found.append(_Cue(Span(start, hit.end), hit.lemma, Span(hit.verb_start, hit.end)))
    return found


def _cue_start(text: str, hit: _CueHit) -> int:
    """The cue without prefix words that are really the subject's ("the family said")."""
    start = hit.start
    words = text[start : hit.verb_start].split()
    while words and words[0].casefold() in _NOT_CUE_PREFIX:
        start = _lstrip(text, text.index(words[0], start) + len(words[0]), hit.verb_start)
        words = words[1:]
    return start


_NOUN_BEFORE = re.compile(
    r"(?:^|[^\w'’])(?:the|a|an|his|her|their|its|our|my|your|this|that|for|of|in|with|from|"
    r"about|by|without|over|into|amid|no|any|such|new|public|private|political|worst|best|"
    r"biggest|greatest|own|many|these|those|other|more|most|some|all|determined|strong|"
    r"vocal|fierce|staunch|outspoken|early|longtime|former)\s+$"
)
_NOT_CUE_PREFIX = frozenset({"only", "even", "just", "family", "early", "daily", "weekly", "ally"})
_POSSESSIVE_BEFORE = re.compile(r"\w['’]s?\s+$")
_BY_AFTER = re.compile(r"\s+by\b")
_PARTICIPLE_USE = re.compile(
    r"(?<=ed)\s+(?:at|in|on|by|during|under|for|with|from|since|last|this)\b"
)
_NOUN_END = re.compile(r"(?<![\w'’-])(?!(?:he|she|they|we|it|also|who|that|which)\b)[a-z]{3,}\s+\Z")
_SPEECH_CUES = _words(
    "say tell add write note argue ask explain insist warn claim state declare reply respond tweet"
)


_QUANTIFIER_BEFORE = re.compile(r"(?:^|[^\w'’])(?:some|many|most|all|others|several|few|both)\s+$")


def _quantifier_subject(before: str, verb: str) -> bool:
    """ "Some said", "Many argued": a quantifier standing alone before a verb in the past is its
    subject, not the determiner of a noun ("some claims")."""
    past = verb.endswith("ed") or verb in ("said", "told", "wrote", "thought")
    return past and bool(_QUANTIFIER_BEFORE.search(before))


def _not_a_cue(text: str, hit: _CueHit) -> bool:
    """Uses of cue words that report nothing: "a claim", "Russia's demands", "was accused"."""
    before = text[max(0, hit.start - 12) : hit.start].casefold()
    prefix = text[hit.start : hit.verb_start].casefold().split()
    verb = text[hit.verb_start : hit.end].casefold()
    gerund = verb.endswith("ing") and _PREPOSITION_BEFORE.search(before.rstrip())
    if (
        _NOUN_BEFORE.search(before) and not gerund and not _quantifier_subject(before, verb)
    ) or _POSSESSIVE_BEFORE.search(before):
        return True  # a noun: "the report", "a claim", "his plans", "Russia's demands"
    if (
        hit.lemma not in _SPEECH_CUES
        and _PARTICIPLE_USE.match(text, hit.end)
        and _NOUN_END.search(text, max(0, hit.start - 30), hit.start)
    ):
        return True  # "the plans discussed at the meeting": a participle after a noun
    if verb.endswith(("ed", "en")) and _BY_AFTER.match(text, hit.end):
        return True  # a passive participle: "the declaration endorsed by the allies"
    last_aux = before.split()[-1] if before.split() else ""
    if (last_aux in _BE or any(word in _BE for word in prefix)) and not verb.endswith("ing"):
        return True  # a passive: "was accused", "were found"
    if last_aux in ("been", "be", "being") and not verb.endswith("ing"):
        return True
    if verb in ("show", "shows", "call", "calls") and _COMPOUND_BEFORE.search(before):
        return True  # a noun: "a radio show", "his TV show", "a wake-up call"
    if verb == "thanks" and _THANKS_TO.match(text, hit.end):
        return True  # "thanks to a big win"
    return verb == "founded" or _noun_or_naming(text, hit, verb)


def _noun_or_naming(text: str, hit: _CueHit, verb: str) -> bool:
    """Cue forms that name or count rather than report: "tax plans" (no "to" after them), "200
    pledged delegates", "a group called Common Ground"."""
    if verb == "plans":
        return not _TO_AFTER.match(text, hit.end)
    if verb == "pledged":
        return bool(_DELEGATES_AFTER.match(text, hit.end))
    if verb in ("called", "focused on") and hit.start == hit.verb_start:
        return bool(_INDEFINITE_BEFORE.search(text, max(0, hit.start - 50), hit.start))
    if verb == "think":
        return bool(_TANK_AFTER.match(text, hit.end))  # "a think tank"
    if verb == "reports" and hit.start == hit.verb_start:
        return bool(_REPORTS_MODIFIER.search(text, max(0, hit.start - 20), hit.start))
    return False


_TO_AFTER = re.compile(r"\s+to\b")
_TANK_AFTER = re.compile(r"[\s-]+tanks?\b")
# Words that make "reports" a noun: "news reports", "police reports", "user reports".
_REPORTS_MODIFIER = re.compile(
    r"(?<![\w'’-])(?:news|media|press|police|user|investigative|false|fake|multiple|several|"
    r"recent|earlier|published|conflicting|initial|local|unconfirmed|violence|abuse|financial|"
    r"annual|quarterly|credit|intelligence|internal|newspaper|television|tv|wire|other|two|"
    r"three|four|numerous|those|these)\s+\Z"
)
_DELEGATES_AFTER = re.compile(r"\s+(?:and\s+\w+\s+)?delegates?\b", re.IGNORECASE)
# An indefinite noun phrase right before "called": "a new group called", "another called".
_INDEFINITE_BEFORE = re.compile(r"(?<![\w'’-])(?:[Aa]|[Aa]n|[Aa]nother)\s+(?:[\w'’-]+\s+){0,3}\Z")


_THANKS_TO = re.compile(r"\s+to\b")
_COMPOUND_BEFORE = re.compile(
    r"(?:^|[^\w'’-])(?:radio|tv|television|talk|news|game|reality|cable|morning|late-night|"
    r"comedy|cooking|road|trade|air|auto|roll|phone|conference|wake-up|close|judgment|"
    r"curtain|casting|campaign|daily)\s+$"
)


def _attributions_in(text: str, sentence: _Sentence, cues: list[_Cue]) -> list[_Attribution]:
    """The attributions of one sentence, one per cue that has content."""
    clauses: list[_Clause] = []
    region_start = sentence.start
    for cue in cues:
        clause = _clause(text, sentence, cue, region_start, clauses[-1] if clauses else None)
        if clause.source is None:
            continue  # "the report", "after saying": no attribution, and the region goes on
        if cue.lemma != "according to" and (
            _ACCORDING_TO_AFTER.match(text, cue.span.end)
            or _FINAL_ACCORDING_TO.search(text, cue.span.end, sentence.end)
        ):
            continue  # "Ruiz told aides he would run, according to the AP": the AP reports it all
        if _inside_final_report(text, sentence, cue):
            continue  # "Ruiz plans to run, his aide said": the aide reports it all
        if (
            clause.trailing_content is None
            and not clause.inverted
            and re.match(r"\s*,", text[cue.span.end : sentence.end])
            and _clause_final_after(text, sentence, cue)
        ):
            continue  # "The plan is worrying, Jones said": an adjective, the region goes on
        clauses.append(clause)
        region_start = cue.span.end
    found: list[_Attribution] = []
    for index, clause in enumerate(clauses):
        end = sentence.end
        leading = _leading_according_to(clause)
        for later in clauses[index + 1 :]:
            if leading is not None and (
                later.trailing_content is None or later.trailing_content.end <= leading.end + 1
            ):
                continue  # "According to the AP, Ruiz said ...": the AP reports all that follows
            if later.coordinated or later.trailing_content is not None:
                end = later.start
                break
        contents = _contents(text, sentence, clause, end) or _next_line(text, sentence, clause)
        if not contents:
            continue
        if clause.cue.lemma in _QUOTE_ONLY_CUES and not any(
            text[piece.start] in "\"“'`" for piece in contents
        ):
            continue  # "continued" reports only a quotation: '"...," he continued.'
        found.append(
            _Attribution(
                clause.cue,
                clause.source,
                contents,
                sentence,
            )
        )
    return found


_ACCORDING_TO_AFTER = re.compile(r",\s+according\s+to\b")
_FINAL_ACCORDING_TO = re.compile(r",\s+according\s+to\b[^,;]*\Z")


def _leading_according_to(clause: _Clause) -> Span | None:
    """The source of "According to X, ..." opening its clause, else None."""
    source = clause.source
    if clause.cue.lemma != "according to" or clause.trailing_content is not None:
        return None
    return source if source is not None and source.start >= clause.cue.span.end else None


def _clause_final_after(text: str, sentence: _Sentence, cue: _Cue) -> bool:
    """Whether a later cue of the sentence closes it with its source: "..., Jones said." """
    rest = text[cue.span.end : sentence.end]
    return bool(_FINAL_SOURCE_CUE.search(rest))


def _inside_final_report(text: str, sentence: _Sentence, cue: _Cue) -> bool:
    """Whether the sentence, with no quotation after ``cue``, ends with "..., Jones said.": what
    comes before is Jones's report, not an attribution of its own."""
    if cue.lemma == "according to" or not _FINAL_SOURCE_CUE.search(
        text, cue.span.end, sentence.end
    ):
        return False
    return not _QUOTE_MARK.search(text, cue.span.end, sentence.end)


_FINAL_SOURCE_CUE = re.compile(
    r",\s+[^,;:\"“”]{1,60}?\s(?:said|says|added|told\s+\S+|wrote|noted)\W*\Z"
)


def _next_line(text: str, sentence: _Sentence, clause: _Clause) -> list[Span]:
    """'The governor added:' at the end of a line introduces the next line."""
    if not text[clause.cue.span.end : sentence.end].strip().startswith(":"):
        return []
    if text[clause.cue.span.end : sentence.end].strip() != ":":
        return []
    line = re.compile(r"\n\s*([^\n]+)").match(text, sentence.end)
    if line is None:
        return []
    end = _trim_end(text, line.start(1), line.end(1))
    return [Span(line.start(1), end)] if end > line.start(1) else []


def _clause(
    text: str, sentence: _Sentence, cue: _Cue, region_start: int, previous: _Clause | None
) -> _Clause:
    """Find the source of ``cue`` and how its clause joins the text before it.

    A source and cue closing the sentence report all of it, attributions inside included:
    "Washington did not complain when ..., a Chinese official said" (but not a clause that has
    its own closing source: '"A," he said, "B," she added').
    """
    clause = _find_clause(text, sentence, cue, region_start, previous)
    before = clause.trailing_content
    if (
        before is not None
        and previous is not None
        and previous.trailing_content is None
        and clause.source is not None
        and before.start > sentence.start
        and _clause_final(text, sentence, clause.cue)
    ):
        wider = _trailing_content(text, sentence, sentence.start, before.end)
        if wider is not None:
            clause.trailing_content = wider
    return clause


def _find_clause(
    text: str, sentence: _Sentence, cue: _Cue, region_start: int, previous: _Clause | None
) -> _Clause:
    if cue.lemma == "according to":
        return _according_to_clause(text, sentence, cue, region_start)
    gap_start = _lstrip(text, region_start, cue.span.start)
    gap = text[gap_start : cue.span.start]
    participle = _is_participle(text, cue)
    subject = None if participle else _subject_before(text, sentence, region_start, cue)
    if (
        not participle
        and previous is not None
        and previous.source is not None
        and text[previous.source.start : previous.source.end] in ("who", "which")
        and (
            (subject is None and gap.rstrip().rstrip("\"”'’").endswith(","))
            or (
                subject is not None
                and text[subject[0].start : subject[0].end].casefold() not in _RELATIVE_SUBJECTS
                and not re.search(r"[,;:—–]", text[previous.cue.span.end : subject[0].start])
            )
        )
    ):  # "Mr. Leenders, who estimated that ..., said", "People who back Ms. Ruiz say": the
        # antecedent speaks, not the relative clause's object
        antecedent = _subject_before(text, sentence, previous.region_start, cue)
        if antecedent is None and subject is None:  # a quotation in the relative clause
            relative = previous.source.start
            at_relative = _Cue(Span(relative, relative), cue.lemma, cue.verb)
            found = _subject_before(text, sentence, previous.region_start, at_relative)
            if found is not None:  # "Humphrey, who calls Trump a "sociopath," said"
                antecedent = found[0], found[0].start, None
        subject = antecedent if antecedent is not None else subject
    if (
        subject is not None
        and cue.lemma in _PREFER_INVERTED
        and text[: cue.span.start].rstrip().endswith(",")
    ):
        inverted = _subject_after(text, sentence, cue)
        if inverted is not None and _name_like(text, inverted):
            # "Any interpretation of his actions, said Michael Kofman, would ..."
            before = _trailing_content(text, sentence, region_start, cue.span.start)
            return _Clause(cue, inverted, cue.span.start, False, before, inverted=True)
    if subject is not None:
        source, clause_start, trailing = subject
        coordinated = previous is not None and bool(
            _COORDINATOR_GAP.search(text[region_start : source.start])
        )
        if coordinated and previous is not None:
            clause_start = _connector_start(text, region_start, source.start)
        return _Clause(cue, source, clause_start, coordinated, trailing, region_start=region_start)
    bare_gap = gap.rstrip().rstrip("\"”'’")
    joined = not gap.strip() or bool(
        (_COORDINATOR_GAP if participle else _CONJUNCTION_GAP).search(bare_gap)
    )
    if previous is not None and joined:
        start = _connector_start(text, region_start, cue.span.start)
        return _Clause(cue, previous.source, start, True, None)
    infinitive = None if participle else _INFINITIVE_BEFORE.search(text, gap_start, cue.span.start)
    if infinitive is not None and previous is None and cue.lemma not in _TOPIC_CUES:
        controlled = _infinitive_clause(text, sentence, cue, gap_start, infinitive.start())
        if controlled is not None:
            return controlled
    if previous is None and (
        re.search(r"\b(?:and|but)\s*$", gap)
        or (participle and bare_gap.endswith((",", "—", "–", " -", "--")))
        or (participle and _PREPOSITION_BEFORE.search(bare_gap))
    ):
        leading = _leading_subject(text, sentence, cue.span.start)
        if leading is not None and leading.end < cue.span.start:
            return _Clause(cue, leading, leading.start, False, None)
    with_phrase = _WITH_SUBJECT.search(text, gap_start, cue.span.start) if participle else None
    if with_phrase is not None:  # "..., with three in 10 saying ...": the phrase after "with"
        phrase = _trim_subject(text, with_phrase.start("phrase"), cue.span.start, lead_ins=False)
        if phrase is not None and _is_source(text, phrase, appositive_ok=True):
            start = _connector_start(text, region_start, with_phrase.start())
            return _Clause(cue, phrase, start, previous is not None, None)
    vehicle = _VEHICLE.search(text, gap_start, cue.span.start) if participle else None
    if previous is None and vehicle is not None:  # "X released a statement saying ..."
        leading = _leading_subject(text, sentence, vehicle.start() + 1)
        if leading is not None and leading.end <= vehicle.start():
            cue = _Cue(Span(vehicle.start(), cue.span.end), cue.lemma, cue.verb)
            return _Clause(cue, leading, leading.start, False, None)
    if cue.lemma in INVERTIBLE and _ends_with_quote_or_comma(text, sentence, cue.span.start):
        after = _subject_after(text, sentence, cue)
        if after is not None:
            before = _trailing_content(text, sentence, region_start, cue.span.start)
            return _Clause(cue, after, cue.span.start, False, before, inverted=True)
    reduced = _reduced_relative(text, gap_start, cue) if participle else None
    if reduced is not None:  # "groups supporting the bill", "a lawsuit alleging that ..."
        return _Clause(cue, reduced, reduced.start, False, None)
    return _Clause(cue, None, cue.span.start, False, None)


# The head of a noun phrase that a participle describes: a plural, a name, or a document.
_REDUCED_HEAD = re.compile(
    r"(?:[a-z]{3,}(?<!ss)(?<!ous)(?<!is)(?<!us)s|[A-Z][\w'’.-]+|lawsuit|suit|letter|ad|statement|"
    r"report|petition|resolution|memo|complaint|email|tweet|post|video|editorial|motion|"
    r"measure|study|survey|poll|analysis|campaign|group|committee|coalition|organization|"
    r"everyone|anyone|someone|those|others)\Z"
)
# Cues whose -ing form more often means something else unless "that" follows.
_REDUCED_NEEDS_THAT = frozenset({"charge", "show", "find", "see", "post", "order", "note", "call"})
_THAT_AFTER = re.compile(r"\s+that\b")
_REDUCED_WORD = re.compile(r"[\w'’.-]+\Z")
_REDUCED_STOP = _words(
    "is are was were be been being has have had do does did will would can could should may "
    "might must not no and or but that which who whom whose to for from with by on in at as "
    "after before about into over than then there here it he she they we i you him her them "
    "us me this these its his their our my your when while if because since although though"
)


def _reduced_relative(text: str, gap_start: int, cue: _Cue) -> Span | None:
    """The noun phrase right before a participle cue that describes it: "pastors supporting
    Mr. Cruz", "a federal lawsuit alleging that ..." (no comma between them)."""
    end = cue.span.start
    if end <= gap_start or not text[end - 1].isspace():
        return None
    if cue.lemma in _REDUCED_NEEDS_THAT and not _THAT_AFTER.match(text, cue.span.end):
        return None  # "a firm charging customers more", "photos showing the crowd"
    last = _rstrip(text, gap_start, end)
    words: list[tuple[int, str]] = []
    position = last
    while position > gap_start and len(words) < 6:
        match = _REDUCED_WORD.search(text, gap_start, position)
        if match is None:
            break
        word = match.group()
        if word.casefold() in _REDUCED_STOP:
            break
        words.append((match.start(), word))
        if word.casefold() in _DETERMINERS:
            break
        position = _rstrip(text, gap_start, match.start())
        if position < match.start() and not text[position : match.start()].isspace():
            break
    if not words or not _REDUCED_HEAD.fullmatch(words[0][1]):
        return None
    span = Span(words[-1][0], last)
    return span if _is_source(text, span, appositive_ok=False) else None


_WITH_SUBJECT = re.compile(
    r"(?<![\w'’-])[Ww]ith\s+(?P<phrase>[^,;:()\"“”—–]{1,80}?)\s*(?:also\s+|even\s+)?\Z"
)
# Cues that name a topic, not a claim: after "to" they are the plan, not the report ("moved on
# to talk about the budget").
_TOPIC_CUES = frozenset({"talk about", "speak about", "focus on", "talk", "refer to"})
_INFINITIVE_BEFORE = re.compile(r"(?<![\w'’-])to\s+\Z")
# Verbs whose object is the subject of the infinitive after it: "led many experts to suspect".
_OBJECT_CONTROL = re.compile(
    r"(?<![\w'’-])(?:lead|leads|led|leading|prompt(?:s|ed|ing)?|sen[dt]s?|sending|forc(?:e|es|ed|ing)|"
    r"allow(?:s|ed|ing)?|caus(?:e|es|ed|ing)|encourag(?:e|es|ed|ing)|invit(?:e|es|ed|ing)|"
    r"inspir(?:e|es|ed|ing)|push(?:es|ed|ing)?|press(?:es|ed|ing)?|got|gets|getting)\s+"
    r"(?P<phrase>[^,;:()\"“”—–]{1,80}?)\s*\Z"
)


# The verb after a subject that takes an infinitive: "were quick to", "seemed to", "went ... to".
_CHAIN_VERB = re.compile(
    r"\s+(?:(?:also|still|then|now|just|only|even|never|again|already|[a-z]+ly)\s+)*"
    r"(?:is|are|was|were|be|been|has|have|had|do|does|did|will|would|could|can|may|might|must|"
    r"should|seems?|seemed|appears?|appeared|tends?|tended|wants?|wanted|needs?|needed|hopes?|"
    r"hoped|tries|tried|try|refuses?|refused|declines?|declined|fails?|failed|agrees?|agreed|"
    r"continues?|continued|begins?|began|starts?|started|goes|went|uses?|used|takes?|took|"
    r"comes?|came|rushe[sd]|moves?|moved|gets?|got|stepped|stood|sought|seeks?|intends?|"
    r"intended|plans?|planned|vowed|promised|pledged|threatened|chose|chooses|decided|decides|"
    r"managed|struggled|struggles|gathered|appeared|rose|stands?|returned|returns|showed|"
    r"traveled|travelled|flew|headed|turned|paused|stopped|[a-z]+ed)\b"
)


def _infinitive_clause(
    text: str, sentence: _Sentence, cue: _Cue, start: int, to: int
) -> _Clause | None:
    """The source of a cue after "to": the object of "led", "prompted", ... ("led many experts
    to suspect"), else the subject of the clause, with the verbs between in the cue ("Readers
    were quick to condemn", "The senator went out of her way to say"), else a headline's subject
    ("Union to endorse Ruiz")."""
    control = _OBJECT_CONTROL.search(text, start, to)
    if control is not None:
        phrase = _trim_subject(text, control.start("phrase"), to, lead_ins=False)
        if phrase is not None and _is_source(text, phrase, appositive_ok=True):
            return _Clause(_Cue(Span(to, cue.span.end), cue.lemma, cue.verb), phrase, phrase.start,
                           False, None)  # fmt: skip
    leading = _leading_subject(text, sentence, to)
    if (
        leading is not None
        and leading.end < to
        and _CHAIN_VERB.match(text, leading.end, to)
        and text[leading.start : leading.end].casefold() not in ("it", "this", "that", "there")
    ):  # but not "It is too soon to say"
        chain = text[leading.end : to]
        cue_start = to
        if len(chain.split()) <= 8 and not re.search(r"[,;:\"“”()—–]", chain):
            cue_start = _lstrip(text, leading.end, to)  # "were quick to condemn"
        return _Clause(_Cue(Span(cue_start, cue.span.end), cue.lemma, cue.verb), leading,
                       leading.start, False, None)  # fmt: skip
    whole = _trim_subject(text, start, to)
    if (
        whole is not None
        and whole.start == _skip_lead_ins(text, sentence.start, to)
        and _is_source(text, whole, appositive_ok=False, max_words=6)
    ):
        return _Clause(_Cue(Span(to, cue.span.end), cue.lemma, cue.verb), whole, whole.start,
                       False, None)  # fmt: skip
    return None


# A gerund after a preposition has the clause's subject: "landed in trouble by saying".
_PREPOSITION_BEFORE = re.compile(r"\s(?:by|after|before|while|without|upon|since)\Z", re.IGNORECASE)

_LEADING_SUBJECT = re.compile(
    r"(?:The|the)\s+(?:[A-Z][\w.'’-]*\s+)*[a-z]+(?=\s+(?:[a-z]+ed|has|had|was|is)\b)"
    r"|(?!(?:The|A|An|This|That|These|Those|It|In|On|At|But|And|When|While|If|As|After)\b)"
    r"(?:(?:[A-Z][\w.'’-]*|of|de|van|von|al)\s+)*[A-Z][\w.'’-]*(?:,\s[^,;:\"“”]{3,80},)?(?=\s+[a-z])"
    r"|(?:He|She|They|We|I)(?=\s|['’])"
)


def _leading_subject(text: str, sentence: _Sentence, limit: int) -> Span | None:
    """The subject at the start of a sentence, before ``limit`` ("Mr. Trump" in "Mr. Trump was
    forced ... and said"; "The Arizona Republican" in "The Arizona Republican survived ... and
    says")."""
    first = _skip_lead_ins(text, sentence.start, limit)
    starts = [first]
    for comma in re.finditer(r",\s+", text[first : min(limit, first + 80)]):
        starts.append(first + comma.end())  # past an adverbial the lead-ins do not know
        if len(starts) == 3:
            break
    for start in starts:
        scanned = _noun_phrase_before_verb(text, start, limit)
        if scanned is not None:
            return scanned
        found = _LEADING_SUBJECT.match(text, start, limit)
        if found is not None:
            span = Span(found.start(), found.end())
            if _is_source(text, span, appositive_ok=True):
                return span
    return None


# A lowercase word that may be the verb after a subject, maybe after adverbs: "also doubled".
_VERB_AFTER_SUBJECT = re.compile(
    r"\s+(?:(?:also|later|then|now|still|just|only|even|never|again|already|[a-z]+ly)\s+)*"
    r"(?P<verb>[a-z][a-z'’-]*)(?![\w'’-])"
)


def _noun_phrase_before_verb(text: str, start: int, limit: int) -> Span | None:
    """The longest phrase from ``start`` (at most 14 words) that reads as a source and is followed
    by a lowercase word that is not a preposition or conjunction: the subject of the clause."""
    best: Span | None = None
    for count, word in enumerate(re.finditer(r"\S+(?=\s)", text[start:limit])):
        if count >= 14:
            break
        if count and _PAST_VERB.fullmatch(word.group()) and word.group() not in _NOUN_PARTICIPLES:
            break  # "Sanders stepped up his emphasis on ...": the subject ended before the verb
        end = start + word.end()
        verb = _VERB_AFTER_SUBJECT.match(text, end)
        if verb is None or verb.group("verb") in _FUNCTION_WORDS or verb.start("verb") >= limit:
            continue  # the subject's verb comes before the cue
        if word.group().endswith(",") and "," not in text[start : end - 1]:
            continue  # "A spokesman withdrew the remarks, saying": a clause, not an appositive
        last = word.group().casefold()
        if (
            last.endswith(("'s", "’s", "s'", "s’"))
            or last in _FUNCTION_WORDS
            or last.endswith("ly")
        ):
            continue  # "Trump's campaign", "The campaign also": the phrase goes on
        span = _trim_subject(text, start, end, lead_ins=False)
        if span is not None and _is_source(text, span, appositive_ok=True):
            best = span
    return best


_PAST_VERB = re.compile(r"[a-z]+ed,?")

# What a subject issues that then says something: "released a statement saying".
_VEHICLE = re.compile(
    r"(?<![\w'’-])(?:released|issued|sent|sends|posted|published|filed|tweeted|aired|launched|"
    r"unveiled|circulated|put\s+out|wrote|releases|issues|files|posts|has\s+released|"
    r"has\s+issued|has\s+filed|has\s+sent)\s+(?:a|an|the|its|his|her|their)\s+"
    r"(?:[\w'’$-]+\s+){0,4}?(?:statement|email|e-mail|letter|memo|lawsuit|suit|complaint|tweet|"
    r"post|report|ad|advertisement|video|message|note|release|brief|motion|petition|op-ed|"
    r"column|editorial|response|document|order|fundraising\s+appeal|appeal)s?"
    r"(?:\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|"
    r"yesterday|late|early|night|morning|afternoon|evening))*,?\s*\Z",
    re.IGNORECASE,
)


def _name_like(text: str, span: Span) -> bool:
    """A name, maybe with a title: "Michael Kofman", "Sen. Ted Cruz" (not "the turmoil ...")."""
    head = text[span.start : span.end].split(",")[0].split()
    return 0 < len(head) <= 6 and all(word[:1].isupper() for word in head)


def _is_participle(text: str, cue: _Cue) -> bool:
    """A bare -ing cue ("..., saying"), which has no subject of its own ("is saying" has)."""
    verb = text[cue.verb.start : cue.verb.end].split()[0]
    prefix = text[cue.span.start : cue.verb.start].casefold().split()
    return verb.endswith("ing") and not (prefix and prefix[-1] in _BE)


def _connector_start(text: str, start: int, end: int) -> int:
    """The start of the "and"/"but"/comma that joins a clause, within ``text[start:end]``."""
    match = _COORDINATOR_GAP.search(text, start, end) if end > start else None
    if match is None:
        piece = text[start:end]
        found = re.search(r"(?:,|;|\b(?:and|but|while|yet|or)\b)\s*\Z", piece, re.IGNORECASE)
        return start + found.start() if found else end
    return match.start()


def _ends_with_quote_or_comma(text: str, sentence: _Sentence, position: int) -> bool:
    before = text[sentence.start : position].rstrip()
    return before.endswith((",", "”", '"', "''", "?", "!", "—", "–", ":")) or any(
        quote.end == len(before) + sentence.start for quote in sentence.quotes
    )


def _subject_before(
    text: str, sentence: _Sentence, region_start: int, cue: _Cue
) -> tuple[Span, int, Span | None] | None:
    """The source just before ``cue``, where its clause starts, and any content before it."""
    start = region_start
    for quote in sentence.quotes:  # never look back into a quotation (but for a title)
        if quote.end <= cue.span.start and quote.end > start and not _title(text, quote):
            start = quote.end
    piece = text[start : cue.span.start]
    if not piece.strip():
        return None
    relative = _RELATIVE_BEFORE.search(text[start : cue.span.start])
    if relative:  # "voters who said": the relative pronoun is the source
        pronoun = start + relative.start()
        word = pronoun + len(relative.group().split()[0])
        return Span(pronoun, word), pronoun, None
    comma = _last_comma(text, start, cue.span.start)
    if comma >= 0 and (_clause_final(text, sentence, cue) or _parenthetical_cue(text, cue)):
        # "..., Sabato said.": the source is the short phrase after the last comma
        candidate = _trim_subject(text, comma + 1, cue.span.start, lead_ins=False)
        trailing = _trailing_content(text, sentence, region_start, comma + 1)
        if (
            candidate is not None
            and trailing is not None
            and _is_source(text, candidate, appositive_ok=False)
        ):
            return candidate, candidate.start, trailing
    end = _before_parenthetical(text, start, cue.span.start)
    last = start
    for boundaries in (None, _STRONG_BOUNDARY, _HARD_BOUNDARY):
        for match in boundaries.finditer(text, last, end) if boundaries else ():
            last = match.end()
        candidate = _trim_subject(text, last, end)
        if candidate is not None:
            candidate = _final_pronoun(text, candidate)
        if candidate is not None and _is_source(text, candidate, appositive_ok=True):
            named = _after_fronted(text, _last_name(text, candidate))
            trimmed = named.start != candidate.start  # what went before is not content either
            candidate = _with_relative(text, named, end, cue.span.start)
            trailing = None
            if (
                not trimmed
                and candidate.start > sentence.start
                and _ends_with_quote_or_comma(text, sentence, candidate.start)
            ):
                trailing = _trailing_content(text, sentence, region_start, candidate.start)
            return candidate, candidate.start, trailing
    # a short source after the last comma: "..., the official said"
    if comma >= 0:
        candidate = _trim_subject(text, comma + 1, cue.span.start, lead_ins=False)
        if candidate is not None and _is_source(text, candidate, appositive_ok=False):
            trailing = _trailing_content(text, sentence, region_start, comma + 1)
            return candidate, candidate.start, trailing
    personal = _PRONOUN_BEFORE.search(text, start, cue.span.start)
    if personal is not None:  # "a step they believe", "but late Saturday he announced"
        return Span(personal.start(), personal.end()), personal.start(), None
    return None


# A comma that separates, not the one in a number ("1,409 teachers").
_COMMA = re.compile(r"(?<!\d),|,(?!\d{3}(?!\d))")


def _last_comma(text: str, start: int, end: int) -> int:
    """The position of the last separating comma in ``text[start:end]``, or -1."""
    comma = text.rfind(",", start, end)
    while comma > start and not _COMMA.match(text, comma):
        comma = text.rfind(",", start, comma)
    return comma


# "voters who said", "Lee, who in the past has argued": the relative pronoun is the source.
_RELATIVE_BEFORE = re.compile(
    r"(?<![\w'’])(?:(?:who|which|that)|who\s+(?:in|over|during|at|for|on|since|like)\s"
    r"[^,;:\"“”]{1,30}?)\s+\Z"
)
_FRONTED_WORD = re.compile(
    r"[A-Z][a-z]+ly|Regardless|Meanwhile|However|Instead|Still|Now|Today|Yesterday|Later|"
    r"Earlier|Indeed|Nevertheless|Nonetheless|Offstage|Afterward|Afterwards|Overall|Similarly|"
    r"Likewise|Elsewhere|Again|Also|Then|Here|There|Yet|Thus|Otherwise|Besides|Moreover"
)


def _after_fronted(text: str, source: Span) -> Span:
    """``source`` without a fronted word or two and its comma ("Offstage, the actors",
    "Regardless, the department"); an appositive closes with a comma ("Lee, the mayor,") and a
    list joins with "and" ("Lee, Diaz and Cho"), so neither is cut."""
    piece = text[source.start : source.end]
    comma = piece.rfind(", ")
    fronted = piece[: piece.find(",")].split() if comma >= 0 else []
    if not fronted or piece.endswith(",") or len(fronted) > 2:
        return source
    if not (
        all(word.islower() for word in fronted)
        or (len(fronted) == 1 and _FRONTED_WORD.fullmatch(fronted[0]))
    ):
        return source  # "Lee, a former governor": a name and its appositive
    rest = Span(_lstrip(text, source.start + comma + 1, source.end), source.end)
    words = text[rest.start : rest.end].split()
    if not words or {"and", "or", "&"} & set(words) or words[0][:1].isdigit():
        return source
    return rest if _is_source(text, rest, appositive_ok=False) else source


# A personal pronoun right before a cue is its subject, whatever comes before it.
_PRONOUN_BEFORE = re.compile(r"(?<![\w'’-])(?:he|she|they|we|I|He|She|They|We)(?=\s*\Z)")


def _title(text: str, quote: Span) -> bool:
    """A quoted title inside a phrase, not a quotation: 'the host of "Morning Report,"'."""
    if quote.start == 0 or not re.search(
        r"\w[\s,]*\Z", text[max(0, quote.start - 20) : quote.start]
    ):
        return False
    words = _QUOTE_MARKS.sub(" ", text[quote.start : quote.end]).strip(" ,.").split()
    return 0 < len(words) <= 6 and all(
        word[:1].isupper() or word[:1].isdigit() or word in _TITLE_SMALL_WORDS for word in words
    )


_TITLE_SMALL_WORDS = _words("of the and a an for in on to at with from by or")


_LAST_SEPARATOR = re.compile(r".*(?:,|\s(?:-|--|—|–))\s+", re.DOTALL)


def _last_name(text: str, source: Span) -> Span:
    """The name after the last comma or dash of ``source`` when what comes before it is not part
    of the subject: "Two hours after his tweet, Trump", "A self-professed independent, Cuban";
    not "Jane Doe, a spokeswoman," or "Cruz, Kasich and Rubio"."""
    piece = text[source.start : source.end]
    if piece.endswith(",") or re.search(r"\s(?:and|or|&)\s", piece):
        return source
    separator = _LAST_SEPARATOR.match(piece)
    if separator is None:
        return source
    last = Span(source.start + separator.end(), source.end)
    if not (_name_like(text, last) or re.match(r"the\s", piece[separator.end() :], re.I)):
        return source
    if not _name_like(text, last) and _name_like(text, source):
        return source  # "Senator Richard Shelby, the Alabama Republican": an appositive
    return last if _is_source(text, last, appositive_ok=False) else source


_RELATIVE_AFTER = re.compile(r",\s+(?:who|whose|which)\b")


def _with_relative(text: str, source: Span, end: int, cue_start: int) -> Span:
    """``source`` with the relative clause set off between it and the cue, as PolNeAR marks it:
    "Walker, who ran for the nomination, said" has the source "Walker, who ran for the
    nomination," (comma included)."""
    restrictive = _RESTRICTIVE_AFTER.match(text, source.end, cue_start)
    if restrictive is not None:
        return Span(source.start, _rstrip(text, source.end, cue_start))  # "Voters who voted said"
    if source.end != _rstrip(text, source.start, end) or end >= cue_start:
        return source
    relative = _RELATIVE_AFTER.match(text, end, cue_start)
    if not relative or _reports(text, relative.end(), cue_start):
        return source
    return Span(source.start, _rstrip(text, end, cue_start))


def _reports(text: str, start: int, end: int) -> bool:
    """Whether the clause at ``start`` opens with a reporting verb ("who said ...", "who has
    long argued that ..."): an attribution of its own, not part of the source's name."""
    words = _LOWERCASE_WORD.findall(text, start, min(end, start + 40))[:3]
    return any(CUE_VERBS.get(word) is not None for word in words)


# A relative clause without commas that runs from the source to the cue: it is the source's.
_RESTRICTIVE_AFTER = re.compile(
    r"\s+(?:who|whom|whose)\s(?:(?!\s(?:and|but|or)\s)[^,;:\"“”()—–]){3,120}?"
    r"(?<!\sto)(?<!\scan)(?<!\scould)(?<!\swould)(?<!\swill)(?<!\sshould)(?<!\smust)(?<!\smay)"
    r"(?<!\sbegins)(?<!\sbegan)(?<!\snot)(?<!n't)(?<!n’t),?\s+\Z"
)


_AFTER_FINAL_CUE = re.compile(
    r"(?:at|in|on|to|during|after|before|while|as|from|of|about|when|outside|inside|with|via|"
    r"through|last|this|earlier|later|in|by|told|adding|noting|saying|because)\b",
    re.IGNORECASE,
)


def _parenthetical_cue(text: str, cue: _Cue) -> bool:
    """'The latest test, North Korea said, was its biggest': source and cue set off by commas."""
    return text.startswith(",", cue.span.end)


def _clause_final(text: str, sentence: _Sentence, cue: _Cue) -> bool:
    """Whether nothing that could be content follows ``cue`` ('..., she said at a rally.')."""
    position = cue.span.end
    for _ in range(3):
        match = _ADJUNCT.match(text, position, sentence.end)
        if match is None or match.end() == position:
            break
        position = match.end()
    if cue.lemma in RECIPIENT_CUES:
        listener = _RECIPIENT.match(text, position, sentence.end)
        if listener is not None:
            position = listener.end()
    rest = text[position : sentence.end].strip(" ,.!?;:\"”’'")
    if not rest or re.match(r"(?:adding|noting|saying|explaining|arguing)\b", rest):
        return True
    if rest[:1] in '"“' or re.search(r"\bthat\b|[\"“]", rest):
        return False
    return bool(_AFTER_FINAL_CUE.match(rest))


def _final_pronoun(text: str, span: Span) -> Span:
    """``..., she`` at the end of a subject is the subject: "Asked whether ..., she replied"."""
    match = re.search(r",\s*(he|she|they|we|I)\Z", text[span.start : span.end])
    return Span(span.start + match.start(1), span.end) if match else span


def _before_parenthetical(text: str, start: int, end: int) -> int:
    """``end``, or where a parenthetical closing right before ``end`` starts: "Zimmerman, who
    lives in Florida, told", "Trump - who said so before - said"."""
    piece = text[start:end].rstrip()
    dash = re.search(r"\s(?:-|--|—|–)\s[^—–]*?\s(?:-|--|—|–)\Z", piece)
    if dash:
        return start + dash.start()
    if not piece.endswith(","):
        return end
    for match in _PARENTHETICAL.finditer(text, start, end):
        if match.start() > start:
            return match.start()
    return end


_TIME = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight)"
    r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:last|this|earlier\s+this|late\s+last)\s+(?:week|month|year|night|morning|spring|summer|"
    r"fall|winter)"
    # "less than two weeks ago", "a year ago" (but "a poll in March" keeps its date)
    r"|(?:(?:less|more)\s+than\s+|about\s+|nearly\s+|just\s+|only\s+)?(?:a|an|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|several|a\s+few|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago"
)
_SUBJECT_ADJUNCT = re.compile(
    r"\s+(?:(?:on\s+)?(?:" + _TIME + r")|in\s+(?:a|an|his|her|their|its)\s+(?:statement|"
    r"interview|speech|letter|tweet|post|email))\s*,?\s*\Z",
    re.IGNORECASE,
)
_TRAILING_ADVERBS = _words(
    """
    however meanwhile though too also now then still later earlier instead previously
    initially first once again often recently finally even here
    """
)


_TRAILING_ADVERB = re.compile(r"\s(?:" + "|".join(sorted(_TRAILING_ADVERBS)) + r")\Z")


_SUBORDINATE = re.compile(
    r"(?:while|whereas|although|though|because|since|if|when|whenever|after|before|unless|until|"
    r"once|as)\s+[^,;:\"“”()]*?\s[^,;:\"“”()]*?\s[^,;:\"“”()]{1,200}?,\s*",
    re.IGNORECASE,
)


def _has_verb(clause: str) -> bool:
    """Whether a clause has a finite verb: a word of :data:`_CLAUSE_WORDS` or a lowercase -ed."""
    words = [word.casefold() for word in re.findall(r"[\w'’]+", clause)[1:]]
    return any(
        word in _CLAUSE_WORDS or re.fullmatch(r"[a-z]{3,}ed|\w+n['’]t", word) for word in words
    )


def _skip_lead_ins(text: str, start: int, end: int) -> int:
    """Past a dateline, discourse words and adverbials: "WASHINGTON (AP) - But on Tuesday, "."""
    dateline = _DATELINE.match(text, start, end)
    if dateline:
        start = _lstrip(text, dateline.end(), end)
    while True:
        piece = text[start:end]
        clause = _SUBORDINATE.match(piece)
        if clause is not None and _has_verb(clause.group()):
            # "While Brookover did not say how, Rep. Chris Collins says" (not "As the chief, X,")
            start = _lstrip(text, start + clause.end(), end)
            continue
        match = _LEAD_INS.match(piece)
        if match and match.end() > 0:
            start = _lstrip(text, start + match.end(), end)
            continue
        separator = _COMMA.search(piece)
        comma = separator.start() if separator else -1
        if comma > 0 and _adverbial(piece[:comma]):
            start = _lstrip(text, start + comma + 1, end)
            continue
        return start


def _trim_subject(text: str, start: int, end: int, *, lead_ins: bool = True) -> Span | None:
    """The subject in ``text[start:end]`` without lead-ins ("But", "On Tuesday,") or adverbs."""
    start = _lstrip(text, start, end)
    end = _rstrip(text, start, end)
    while start < end and text[start] in "'\"“”‘’(-–—~*•":
        start = _lstrip(text, start + 1, end)
    if lead_ins:
        start = _skip_lead_ins(text, start, end)
    piece = text[start:end]
    relative = _RELATIVE.search(piece)
    if relative:
        end = _rstrip(text, start, start + relative.start())
        piece = text[start:end]
    # a parenthetical adverb between the subject and the cue: "Hunter, meanwhile, told"
    match = re.search(r",\s*([\w\s]+?)\s*,?\s*\Z", piece)
    if match and match.group(1).strip().casefold() in _DISCOURSE_ADVERBS:
        end = _rstrip(text, start, start + match.start())
    adjunct = _SUBJECT_ADJUNCT.search(text, start, end)
    if adjunct and adjunct.group().rstrip(" ,").endswith("ago") and "," in text[start:end]:
        adjunct = None  # "X, whom Trump fired a few weeks ago,": the appositive's own time
    if adjunct:  # "Hillary Clinton on Tuesday said"
        end = _rstrip(text, start, adjunct.start())
    trailing_adverb = _TRAILING_ADVERB.search(text, start, end)
    if trailing_adverb:  # "Carter however said"
        end = _rstrip(text, start, trailing_adverb.start())
    if start >= end:
        return None
    if text[end - 1] == "," and "," not in text[start : end - 1]:
        end -= 1  # "Smith, said" is not an appositive
    return Span(start, end)


def _is_source(
    text: str, span: Span, *, appositive_ok: bool, max_words: int = 12, lowercase_ok: bool = False
) -> bool:
    """Whether ``text[span]`` reads as a noun phrase that can speak.

    A relative clause at its end ("Podesta, who is now ...") is not judged.
    """
    piece = re.sub(r"\([^)]*\)", "", text[span.start : span.end])
    relative = re.search(r",?\s+(?:who|whose|which)\b", piece)
    if relative and relative.start() > 0:
        piece = piece[: relative.start()]
    comma = "," in piece and _COMMA.search(piece) is not None  # not the one in "1,409"
    if relative and relative.start() > 0 and len(piece.split()) > (12 if comma else 8):
        return False
    segments = [segment.strip() for segment in _COMMA.split(piece) if segment.strip()]
    listed = len(segments) > 1 and bool(re.match(r"(?:and|or)\s", segments[-1]))
    if listed:  # "President Obama, Ms. Diaz, and other Democrats": a list, not appositives
        segments = [*segments[:-1], segments[-1].split(None, 1)[-1]]
    if any(_APPOSITIVE_STOP.match(segment) for segment in segments[1:]):
        return False  # "other sources, in an effort to ...": not an appositive
    if len(segments) > 1 and len(segments[0].split()) > 8:
        return False  # an appositive follows a short name, not a clause
    if any(mark in piece for mark in ";:") or not _titles_quoted_only(segments):
        return False
    if not appositive_ok and comma:
        return False
    words = [word for word in _WORD.findall(piece) if word[:1].isalnum()]
    if not words or len(words) > (max(25, max_words) if comma else max_words):
        return False
    folded = [word.casefold().rstrip(".").replace("’", "'") for word in words]
    quantifier = _QUANTIFIER.match(piece.lstrip())
    if quantifier and len(words) > quantifier.group().count(" ") + 1:
        drop = len(quantifier.group().split())  # "Only 24 percent", "More than half of voters"
        words, folded = words[drop:], folded[drop:]
    if len(words) == 1 and (folded[0] in _PRONOUNS or folded[0] in _QUANTIFIER_PRONOUNS):
        return True  # "he", "Several said", "Both want"
    if any(
        (word in _CLAUSE_WORDS and not _name_word(words, index)) or word.endswith("n't")
        for index, word in enumerate(folded)
    ):
        return False  # a verb makes it a clause; a name is not one ("Prime Minister May")
    if (folded[0] in _FUNCTION_WORDS - _DETERMINERS and not _MORE_OF.match(piece.lstrip())) or (
        folded[0] in _NOT_SUBJECTS and len(words) == 1
    ):
        return False
    if folded[0] in _NOT_SUBJECTS - _DETERMINERS or not piece.lstrip()[:1].isalnum():
        return False
    if words[-1][:1].islower() and folded[-1] in _FUNCTION_WORDS:
        return False
    if folded[0] in _MONTHS_AND_DAYS:
        return False  # "June 1", "Tuesday"
    capitalised = any(word[:1].isupper() for word in words)
    lowercase_start = words[0][:1].islower() and folded[0] not in _DETERMINERS
    if (
        lowercase_start
        and not capitalised
        and len(words) > 4
        and not lowercase_ok
        and not (len(words) <= 9 and _GROUP_HEAD.fullmatch(folded[0]) and folded[1] in _GROUP_LINKS)
    ):  # a lowercase start is a bare plural ("officials") or a short phrase, but for a group
        # described after its noun ("people familiar with her thinking", "half of voters in ...")
        return False
    if any(
        (word in _PRONOUNS - {"it"} or word.split("'")[0] in _PRONOUNS)
        and original[-1:] != "."
        and original != "IT"  # "an IT professional": the acronym, not the pronoun
        for word, original in zip(folded[1:], words[1:], strict=True)
    ):
        return False  # "a document he drew up": a clause (but "F.B.I." has no pronoun)
    if (folded[0] in _PRONOUNS and folded[1:2] != ["and"]) or (
        "'" in folded[0] and folded[0].split("'")[0] in _PRONOUNS
    ):
        return False  # "He touted his victories", "you'll" (but "She and her aides")
    if (
        len(segments) > 1
        and not listed
        and not any(word[:1].isupper() for word in words[1:])
        and not any(_NUMBER_SEGMENT.fullmatch(segment) for segment in segments[1:])
        and not _named_with_appositives(segments)
    ):
        return False  # an appositive names someone ("Get serious about it, the generation")
    return not any(_verb_like(words, index) for index in range(len(words)))


_NUMBER_SEGMENT = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent|per\s+cent)?")
_DESCRIPTION = re.compile(
    r"(?:(?:now|then|also|formerly|once)\s+)?(?:(?:a|an|the|his|her|their|its|one|another)\s+[a-z]|"
    r"\d+\Z)"
)


def _named_with_appositives(segments: list[str]) -> bool:
    """A capitalised name followed by descriptions: "Jones, a spokesman,", "Lee, the aide,"."""
    name = segments[0].split()
    return (
        0 < len(name) <= 4
        and all(word[:1].isupper() for word in name)
        and all(_DESCRIPTION.match(segment) for segment in segments[1:])
    )


_QUOTE_MARKS = re.compile(r"''|[\"“”«»]")


def _titles_quoted_only(segments: list[str]) -> bool:
    """No quotation marks in a source, but for a quoted title in an appositive: "Jane Doe, host of
    "The Five,"" (the marks paired, none in the name itself)."""
    if not segments or _QUOTE_MARKS.search(segments[0]):
        return False
    marks = [mark.group() for mark in _QUOTE_MARKS.finditer(",".join(segments[1:]))]
    if not marks:
        return True
    straight = sum(mark in ('"', "''") for mark in marks)
    return straight % 2 == 0 and marks.count("“") == marks.count("”") and len(marks) <= 4


def _name_word(words: list[str], index: int) -> bool:
    """A capitalised word inside a name ("Theresa May", "George Will"), or a first name that is
    also a verb ("Will Hurd"), not a verb."""
    word = words[index]
    if not word[:1].isupper():
        return False
    if index:
        return True
    return word.casefold() in _NAME_VERBS and len(words) > 1 and words[1][:1].isupper()


_NAME_VERBS = frozenset({"will", "may"})


def _verb_like(words: list[str], index: int) -> bool:
    """A past-tense verb taking an object ("the committee raised $57 million", "Clinton visited
    Ohio"), not an adjective ("one unaligned strategist") or a participle in a noun phrase ("the
    statement issued after the meeting")."""
    word = words[index]
    if not (word.endswith("ed") and word[:1].islower()) or "-" in word:
        return False
    if word.casefold() in _NOUN_PARTICIPLES:
        return False
    before = words[index - 1].casefold() if index else ""
    if before in _DETERMINERS or before.endswith("ly"):
        return False
    after = words[index + 1] if index + 1 < len(words) else ""
    return (
        not after
        or after[:1].isupper()
        or after[:1].isdigit()
        or after[:1] == "$"
        or (after.casefold() in _DETERMINERS or after.casefold() in _OBJECT_PRONOUNS)
    )


# Words before a number that start a subject: "Only 7 percent said", "About four in 10 voters".
_QUANTIFIER = re.compile(
    r"(?:only|about|nearly|almost|just|roughly|approximately|around|some|over|under|"
    r"(?:more|fewer|less)\s+than|at\s+least|at\s+most|up\s+to)\s+"
    r"(?=\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|a\s+third|a\s+quarter|half|"
    r"a\s+dozen|a\s+majority|a\s+handful)\b)",
    re.IGNORECASE,
)
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "me", "us", "it", "you"})
_GROUP_HEAD = re.compile(r"[a-z]{3,}s|half|most|many|some|none|all|people|staff|clergy")
_GROUP_LINKS = _words("of familiar close in at from with on for across around inside outside")
_MORE_OF = re.compile(
    r"(?:more|fewer|less)\s+(?![a-z]+ly\b)[a-z]", re.IGNORECASE
)  # "More voters said"
_QUANTIFIER_PRONOUNS = _words("several few both many most some others")


_APPOSITIVE_STOP = re.compile(
    r"(?:in|on|at|to|for|with|by|as|during|after|before|while|when|if|because|that|which|though|"
    r"although|and|but|or|so|then|since|until|unless|where|how|why|what)\b|(?!including\b)[a-z]+ing\b",
)
_NOT_SUBJECTS = _words(
    """
    there it this what here that which who him them me us please some many most all both
    each several few any one
    """
)


_NOUN_PARTICIPLES = _words(
    """
    issued released published based backed funded elected appointed named affiliated
    associated allied aligned tied linked connected involved assigned tasked concerned
    interested polled surveyed questioned interviewed asked contacted reached quoted cited
    detained accused arrested employed retired registered unaffiliated undecided dedicated
    devoted trained educated born armed elderly red bed need united used signed led self-
    described so-called embattled embarrassed beleaguered respected renowned noted
    celebrated
    """
)
_MONTHS_AND_DAYS = _words(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday
    """
)


def _trailing_content(text: str, sentence: _Sentence, start: int, end: int) -> Span | None:
    """The content before a closing source and cue: '"...," he said' and '..., he said'."""
    end = _rstrip(text, start, end)
    if end > start and text[end - 1] in ",—–:":
        end = _rstrip(text, start, end - 1)
    start = _lstrip(text, start, end)
    piece = text[start:end]
    match = _LEAD_INS.match(piece)
    if match and match.end() and piece[: match.end()].rstrip().endswith(","):
        start = _lstrip(text, start + match.end(), end)
    if len(_WORD.findall(text[start:end])) < 2:
        return None
    return Span(start, end)


_INVERTED_RELATIVE = re.compile(r",\s+who\b")
# Where a source after its cue ends: '"...," said Jane Smith, adding ...', "said Smith in an".
# A party and state after a name: "(D-Va.)", "(R)", "(R-Texas)".
_PARTY = r"[DRI](?:[-–]\s?[A-Z][A-Za-z.]{1,12})?"
_INVERTED_SOURCE_END = re.compile(
    r",\s+(?:adding|noting|saying|according|but|and|though|although|because|[a-z]+ed|[a-z]+ing|"
    r"would|will|is|are|was|were|has|have|had|can|could|should|may|might|must|does|did|at|in|"
    r"on|during|after|before|as|when|while)\s|[.;:!?](?=\s|$)|,\s*[\"“]|\s\((?!" + _PARTY + r"\))|"
    r"\s+(?:in\s+an?\s+|at\s+an?\s+|on\s+(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|during\s+|after\s+|before\s+|as\s+|when\s+|while\s+)",
    re.IGNORECASE,
)


def _subject_after(text: str, sentence: _Sentence, cue: _Cue) -> Span | None:
    """The source after an inverted cue: '"...," said Jane Smith, a spokeswoman.'"""
    start = _lstrip(text, cue.span.end, sentence.end)
    end = sentence.end
    relative = _INVERTED_RELATIVE.search(text, start, end)
    for match in _INVERTED_SOURCE_END.finditer(text, start, end):
        if match.group() == "." and _abbreviation_before(text, match.start()):
            continue  # "said Ms. Leon"
        described = (relative and relative.start() < match.start()) or "," in text[
            start : match.start()
        ]
        if described and match.group()[:1] not in ".;:!?,":
            continue  # "said Victor Cha, who served as Asia director", "said Ann Lee, an aide
            # during the Bush years": the clause or appositive is theirs
        end = match.start()
        break
    if relative and relative.start() < end and _reports(text, relative.end(), end):
        end = relative.start()  # "said Lee, who added that ...": the clause reports, Lee speaks
    end = _rstrip(text, start, end)
    while end > start and text[end - 1] in ",." and not _INITIAL_BEFORE.search(text, start, end):
        end = _rstrip(text, start, end - 1)  # but "of Trenton, N.J." keeps its period
    if start >= end:
        return None
    span = Span(start, end)
    if _is_source(text, span, appositive_ok=True):
        return span
    # A long description after the name: keep what reads as a source, the name at least
    # ('said Jane Doe, a professor of law at ... and a former adviser who ...').
    for shorter in (_INVERTED_CUT_RELATIVE, _INVERTED_CUT_COMMA):
        cut = shorter.search(text, start, end)
        if cut is None or cut.start() <= start:
            continue
        candidate = Span(start, _rstrip(text, start, cut.start()))
        if _name_like(text, candidate) and _is_source(text, candidate, appositive_ok=True):
            return candidate
    return None


_INITIAL_BEFORE = re.compile(r"(?<![\w'’])(?:[A-Z]\.)+\Z|(?<![\w'’])(?:Jr|Sr|Inc|Co|Corp|Ltd)\.\Z")
_INVERTED_CUT_RELATIVE = re.compile(r",?\s+(?:who|whose|which)\b")
_INVERTED_CUT_COMMA = re.compile(r",")


_ACCORDING_TO_END = re.compile(r"[,;:]|\s[—–-]\s|\s--\s|[.!?](?=\s|$|[\"”])")


def _according_to_clause(text: str, sentence: _Sentence, cue: _Cue, region_start: int) -> _Clause:
    """``According to X, ...`` and ``..., according to X``."""
    after = _lstrip(text, cue.span.end, sentence.end)
    match = None
    for match in _ACCORDING_TO_END.finditer(text, after, sentence.end):
        if not _abbreviation_before(text, match.start()) and not _inside(
            sentence.quotes, match.start()
        ):
            break  # "according to U.S. Census data", "by John F. Hackett": not the end
    else:
        match = None
    source_end = _rstrip(text, after, match.start() if match else sentence.end)
    source = Span(after, source_end) if source_end > after else None
    if source is not None and not _is_source(
        text, source, appositive_ok=False, max_words=20, lowercase_ok=True
    ):
        source = _loose_according_to_source(text, source)
    if (
        source is not None
        and match is not None
        and text[match.start()] == ","
        and text.startswith("according", cue.span.start)
        and _trailing_content(text, sentence, sentence.start, cue.span.start) is not None
        and not _has_verb(_RELATIVE.sub("", text[match.start() : sentence.end]))
        and len(_RELATIVE.sub("", text[match.end() : sentence.end]).split()) <= 12
    ):
        # "according to Lee Epstein, a law professor at Yale." closing the sentence: all of it
        tail = _trim_end(text, source.end, sentence.end)
        wider = Span(source.start, tail)
        if (
            _APPOSITIVE_START.match(text, _lstrip(text, match.end(), tail))
            and not _inside(sentence.quotes, match.end())
            and _is_source(text, wider, appositive_ok=True, max_words=25, lowercase_ok=True)
        ):
            source = wider
    # "..., Sanders said, according to CNN": what CNN reports is the whole clause before it
    before = _trailing_content(text, sentence, sentence.start, cue.span.start)
    if before is not None and region_start > sentence.start and not _final(text, sentence, source):
        before = _trailing_content(text, sentence, region_start, cue.span.start)
    leading = before is None
    return _Clause(cue, source, cue.span.start, not leading, before, inverted=not leading)


_APPOSITIVE_START = re.compile(r"(?:a|an|the|who|whose|which|its|his|her|their)\s|[A-Z]")


def _loose_according_to_source(text: str, source: Span) -> Span | None:
    """What follows "according to" is its source even when it does not read as a plain noun
    phrase: "according to an account she gave to the Gazette", "according to the officer in
    charge of the base that night", "according to a memo previously kept secret" (at most 25
    words: a longer stretch is a clause the boundaries missed)."""
    return source if len(_WORD.findall(text[source.start : source.end])) <= 25 else None


def _final(text: str, sentence: _Sentence, span: Span | None) -> bool:
    """Whether ``span`` closes its sentence (but for punctuation)."""
    return span is not None and not text[span.end : sentence.end].strip(" .,;:!?\"”’')")


def _contents(text: str, sentence: _Sentence, clause: _Clause, end: int) -> list[Span]:
    """The content pieces of one clause, in text order.

    With content both before the source and after the cue, the one before wins when it ends
    with a quotation or the text after the cue is not clearly content ("said in Paris"); the one
    after wins when it starts with "that", a colon or a quotation, or when the one before is only
    an adverbial ("In the interview, Obama said ...").
    """
    start = clause.cue.span.end
    if clause.source is not None and (clause.inverted or clause.cue.lemma == "according to"):
        start = max(start, clause.source.end)
    before = clause.trailing_content
    if before is None:
        right = _content_after(text, clause, start, end, after_content=False)
        return [right] if right is not None else []
    second = _content_after(text, clause, start, end, after_content=True)
    right = _content_after(text, clause, start, end, after_content=False)
    if _ends_with_quotation(text, sentence, before) or right is None:
        return [before, second] if second is not None else [before]
    if text[start : right.start].strip() == "," and not _adverbial(text[before.start : before.end]):
        return [before, right]  # "And that, Mr. Manafort said, was in the works."
    opener = text[right.start : right.start + 5].casefold()
    if opener.startswith(("that ", '"', "“", "''")) or text[start : right.start].strip() == ":":
        return [right]
    if _adverbial(text[before.start : before.end]) or not _has_verb(
        text[before.start : before.end]
    ):
        return [right]  # "Two hours after his tweet, the senator said ...": no clause before
    return [before]


def _ends_with_quotation(text: str, sentence: _Sentence, span: Span) -> bool:
    return any(
        span.start <= quote.start and abs(quote.end - span.end) <= 1 for quote in sentence.quotes
    )


def _content_after(
    text: str, clause: _Clause, start: int, end: int, *, after_content: bool
) -> Span | None:
    """What the cue introduces: 'said (on Tuesday) (that) ...', 'told reporters: "..."'."""
    end = _rstrip(text, start, end)
    position = start
    for _ in range(4):  # adjuncts and a listener, in any order
        moved = False
        match = _ADJUNCT.match(text, position, end)
        if match and match.end() > position and _boundary_after(text, match.end(), end):
            position, moved = match.end(), True
        if clause.cue.lemma in RECIPIENT_CUES and not after_content:
            listener = _RECIPIENT.match(text, position, end)
            if (
                listener
                and listener.end() > position
                and _boundary_after(text, listener.end(), end)
            ):
                position, moved = listener.end(), True
        if not moved:
            break
    position = _lstrip(text, position, end)
    lead = re.compile(r"[,:]\s*|[—–]\s*").match(text, position, end)
    if lead:
        position = _lstrip(text, lead.end(), end)
    if after_content and not text.startswith(tuple("\"“'`"), position):
        return None  # '"...," he said at a rally.': no second piece
    end = _trim_end(text, position, end)
    if end <= position or len(_WORD.findall(text[position:end])) < 1:
        return None
    if not re.search(r"\w", text[position:end]):
        return None
    return Span(position, end)


def _boundary_after(text: str, position: int, end: int) -> bool:
    """Whether content can start after ``position``: a space, comma, colon, quotation, the end."""
    return position >= end or text[position] in " ,:\"“'\u00a0—–"


def _trim_end(text: str, start: int, end: int) -> int:
    """Drop the sentence's final period and dangling punctuation or connectors."""
    while end > start:
        end = _rstrip(text, start, end)
        last = text[end - 1]
        if last in ".,;:—–-(" and not _closes_quotation(text, start, end):
            end -= 1
            continue
        if last == ")" and "(" not in text[start:end]:
            end -= 1  # the end of a parenthesis the content sits in: "(He denied it.)"
            continue
        tail = re.search(r"(?:\s|^)(?:and|but|or|while|yet)\Z", text[start:end], re.IGNORECASE)
        if tail:
            end = start + tail.start()
            continue
        break
    return end


def _closes_quotation(text: str, start: int, end: int) -> bool:
    return end - 1 > start and text[end - 2] in "\"”'"


def _continuation(
    text: str, sentence: _Sentence, previous: _Attribution, cues: list[_Cue]
) -> _Attribution | None:
    """A sentence that is only a quotation, right after an attribution, continues it."""
    if cues or not sentence.quotes:
        return None
    first = sentence.quotes[0]
    if first.start != sentence.start:
        return None
    covered = sum(quote.end - quote.start for quote in sentence.quotes)
    if covered < 0.8 * (sentence.end - sentence.start):
        return None
    end = _trim_end(text, sentence.start, sentence.end)
    return _Attribution(
        previous.cue, previous.source, [Span(sentence.start, end)], sentence, continued=True
    )


_SPEAKER_LABEL = re.compile(
    r"(?P<source>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|of|the|al)){0,5})"
    r"(?P<cue>:)\s+(?=\S)"
)
_NOT_SPEAKERS = _words(
    """
    update updated editor note photo photos source sources read related watch video click
    follow advertisement warning disclaimer transcript subscribe contact email tags topics
    posted by correction clarification image credit caption listen more live breaking
    exclusive analysis opinion commentary editorial report reporting map chart graphic audio
    full text question answer note notes ps p.s warning latest contributing revealed wow look
    twitter bombshell leaked paid notice byline
    """
)
_FIGURES = re.compile(r"[\d\s,.%$-]+")
_ROSTER = re.compile(
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:,\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}){3,}\.?"
)


def _tally_or_roster(text: str, start: int, end: int) -> bool:
    """Whether a labelled line holds only figures or a list of names."""
    return bool(_FIGURES.fullmatch(text, start, end) or _ROSTER.fullmatch(text, start, end))


_SIGNATURE = re.compile(
    r"\s*(?P<cue>[―—–]|--)\s*(?P<source>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von)){0,4})"
    r"\s*(?=$|[.,\n\"“])"
)


def _signed_quotations(text: str, sentence: _Sentence) -> list[_Attribution]:
    """A quotation signed with a dash: '"Maybe we can build a wall around him." ― Steve Quinlan'."""
    found: list[_Attribution] = []
    for quote in sentence.quotes:
        match = _SIGNATURE.match(text, quote.end, len(text))
        if match is None or "\n" in text[quote.end : match.start("source")]:
            continue
        cue = Span(match.start("cue"), match.end("cue"))
        source_end = match.end("source")
        if text[source_end - 1] == "." and not re.search(r"\b[A-Z]\.\Z", text[:source_end]):
            source_end -= 1
        found.append(
            _Attribution(
                _Cue(cue, "sign", cue),
                Span(match.start("source"), source_end),
                [quote],
                sentence,
            )
        )
    return found


_INITIAL_PARTICIPLE = re.compile(
    r"(?:(?:But|And|Yet|Still|Instead|Even|Also|Later|Then),?\s+)?(?P<cue>[A-Z][a-z]+ing)\b"
)


def _initial_participle(
    text: str, sentence: _Sentence, found: list[_Attribution]
) -> list[_Attribution]:
    """A sentence opening with a participle, whose subject is the main clause's: "Warning that
    the bridge was unsafe, the mayor's spokeswoman said ..." (source "the mayor's spokeswoman",
    cue "Warning", content "that the bridge was unsafe")."""
    match = _INITIAL_PARTICIPLE.match(text, sentence.start, sentence.end)
    if match is None:
        return []
    start = match.start("cue")
    pattern = _FORMS_BY_FIRST_WORD.get(match.group("cue").lower())
    lowered = text[start : min(sentence.end, start + 60)].lower()
    form = pattern.match(lowered) if pattern is not None else None
    if form is None or CUE_VERBS[" ".join(form.group().split())] in ("cite", "quote"):
        return []  # "Citing people familiar with it, the paper said": a source, not a claim
    end = start + form.end()
    if any(start < other.cue.span.end and other.cue.span.start < end for other in found):
        return []
    for count, comma in enumerate(re.finditer(r",\s+", text[end : sentence.end])):
        if count == 4:
            break
        subject = _noun_phrase_before_verb(text, end + comma.end(), sentence.end)
        if subject is None or _inside(sentence.quotes, subject.start):
            continue
        content_end = _trim_end(text, end, end + comma.start())
        content_start = _lstrip(text, end, content_end)
        if content_end <= content_start:
            return []
        cue = _Cue(Span(start, end), CUE_VERBS[" ".join(form.group().split())], Span(start, end))
        return [_Attribution(cue, subject, [Span(content_start, content_end)], sentence)]
    return []


_TITLE_WORDS = _words("Over For Of The In On At To And With Is Are A An By From Not But Vs")


def _speaker_labels(text: str) -> list[_Attribution]:
    """Lines that start with a speaker's name and a colon: 'JAKE TAPPER: Why not debate?'."""
    found: list[_Attribution] = []
    for line in re.finditer(r"[^\n]+", text):
        start = _lstrip(text, line.start(), line.end())
        match = _SPEAKER_LABEL.match(text, start, line.end())
        if match is None:
            continue
        source = match.group("source")
        words = source.casefold().replace("’", "'").split()
        if not words or words[0].rstrip("'s") in _NOT_SPEAKERS or words[-1] in _NOT_SPEAKERS:
            continue
        if len(source) == 1:
            continue  # "Q:" and "A:" in an interview name no one
        if any(word in _TITLE_WORDS for word in source.split()[1:]):
            continue  # a headline ("Stealth Over Health: ..."), not a name
        content_start = match.end()
        content_end = _trim_end(text, content_start, line.end())
        if content_end <= content_start or _tally_or_roster(text, content_start, content_end):
            continue  # "Ruiz: 1,204." and "Ohio: Ann Lee, Bo Park, Cy Ruiz" are no one's words
        quotes = tuple(_quotations(text, line.start(), line.end()))
        cue = _Cue(
            Span(match.start("cue"), match.end("cue")),
            ":",
            Span(match.start("cue"), match.end("cue")),
        )
        found.append(
            _Attribution(
                cue,
                Span(match.start("source"), match.end("source")),
                [Span(content_start, content_end)],
                _Sentence(line.start(), line.end(), quotes),
            )
        )
    return found


# -- claims ---------------------------------------------------------------------------------------


def _direct(text: str, span: Span, sentence: _Sentence) -> bool:
    """A direct quotation: quotations cover most of the content — all of it, or words in marks
    within a paraphrase ('called podcasting "Wayne's World for radio"', 'said that "..."')."""
    quoted = sum(
        min(quote.end, span.end) - max(quote.start, span.start)
        for quote in sentence.quotes
        if quote.start < span.end and span.start < quote.end
    )
    return quoted >= 0.5 * (span.end - span.start)


_PREDICTION_WORDS = re.compile(
    r"\b(?:will|won't|would|going\s+to|is\s+likely|are\s+likely|expects?|expected|could|might|"
    r"may|soon|next\s+(?:week|month|year)|in\s+the\s+coming)\b",
    re.IGNORECASE,
)
_POSITION_WORDS = re.compile(
    r"\b(?:should|must|ought\s+to|need\s+to|needs\s+to|has\s+to|have\s+to|we\s+want|"
    r"it\s+is\s+time|let's)\b",
    re.IGNORECASE,
)
_EVALUATION_WORDS = re.compile(
    r"\b(?:good|bad|great|terrible|important|significant|progress|success(?:ful)?|failure|"
    r"wrong|right|best|worst|toughest|hardest|milestone|historic|disaster|shameful|ridiculous|"
    r"outrageous|excellent|strong|weak|dangerous|unacceptable|disgraceful|proud|fantastic|"
    r"tremendous|incredible|horrible|unfair|fair|crucial|vital|key|step|mistake|absurd|"
    r"disgusting|wonderful|amazing|pathetic|dishonest|honest|brave|irresponsible|reckless)\b",
    re.IGNORECASE,
)


def _claim_type(quote: str, lemma: str) -> ClaimType:
    if lemma in _POSITION_CUES or _POSITION_WORDS.search(quote):
        return "position"
    if lemma in _PREDICTION_CUES or _PREDICTION_WORDS.search(quote):
        return "prediction"
    if lemma in _EVALUATION_CUES or _EVALUATION_WORDS.search(quote):
        return "evaluation"
    return "factual"


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _claim_statement(
    who: str | None, lemma: str, quote: str, direct: bool, published: date | None
) -> str:
    """'Keir Starmer said, as reported on 7 January 2026, that the meeting had made progress'.

    The date is the article's (the statement may be older; "as reported on" says no more).
    """
    what = quote.strip().rstrip(" ,;:")
    if not direct:
        what = _lower_first(re.sub(r"^(?:that|,|:)\s+", "", what, flags=re.IGNORECASE))
    if what[-2:] in (',"', ",”"):
        what = what[:-2] + what[-1]  # '"the toughest phase is still ahead,"'
    when = f", as reported on {_day(published)}," if published else ""
    speaker = (who or "An unnamed source").strip(" ,")
    if lemma == "according to":
        return f"According to {speaker}{when} {what}".replace(",,", ",")
    verb = _past_tense(lemma)
    if direct:
        return f"{speaker} {verb}{when or ','} {what}"
    takes_object = lemma in _OBJECT_CUES or (" " in lemma and lemma not in _CLAUSE_PHRASES)
    joiner = " " if takes_object or what.startswith(("to ", "of ", "about ")) else " that "
    return f"{speaker} {verb}{when}{joiner}{what}"


# Cues that take an object rather than a "that" clause ("called the plan a disaster"); phrasal
# cues such as "called for" and "talked about" do too.
_OBJECT_CUES = _words(
    """
    call describe praise criticize criticise blame attack blast slam mock dismiss reject
    oppose endorse defend accuse urge condemn denounce decry question want plan intend
    promise pledge vow threaten propose demand agree hail tout cite back support discuss
    express recommend advocate characterize label dub brand applaud highlight echo rebut
    refute challenge consider decide decline refuse offer seek see lament
    """
)


_IRREGULAR_PAST = {
    "say": "said", "tell": "told", "write": "wrote", "think": "thought", "show": "showed",
    "find": "found", "seek": "sought", "see": "saw", "call": "called", "back": "backed",
    "put it": "put it", "go on to say": "went on to say", "sign": "said", ":": "said",
}  # fmt: skip


_CLAUSE_PHRASES = frozenset({"point out", "go on to say", "put it", "according to"})


def _past_tense(lemma: str) -> str:
    """The simple past of a cue lemma: "say" -> "said", "call for" -> "called for"."""
    if lemma in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[lemma]
    first, _, rest = lemma.partition(" ")
    past = _IRREGULAR_PAST.get(first) or _inflect(first)[2]
    return f"{past} {rest}" if rest else past


_SENTENCE_STARTERS = _words(
    """
    The A An It This That These Those There We They He She In On At If When As But And Our
    Their His Her Its Some Many Most No Not What Why How
    """
)


def _lower_first(value: str) -> str:
    """``value`` with a sentence-initial common word lowercased ("The plan" -> "the plan")."""
    first, _, rest = value.partition(" ")
    return f"{first.lower()} {rest}" if first in _SENTENCE_STARTERS and rest else value


# -- commitments ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Commitment:
    span: Span
    cue: str
    stage: Stage
    subject: str  # as written ("Britain and France", "they", "" when there is none)
    action: str
    condition: str | None


def _commitments_in(text: str, sentence: _Sentence) -> list[_Commitment]:
    """The commitments of one sentence, in text order; a cue inside one found already (the
    "will" of "finalize commitments that say how they will support") is part of it."""
    matches = sorted(
        (
            (match.start(), name, stage, match)
            for name, stage, pattern in COMMITMENT_CUES
            for match in pattern.finditer(text, sentence.start, sentence.end)
        ),
        key=lambda found: found[0],
    )
    found: list[_Commitment] = []
    for start, name, stage, match in matches:
        if any(commitment.span.start <= start < commitment.span.end for commitment in found):
            continue
        if name == "will" and not _commitment_will(text, sentence, match):
            continue
        commitment = _commitment(text, sentence, name, stage, match)
        if commitment is not None:
            found.append(commitment)
    return found


def _commitment_will(text: str, sentence: _Sentence, match: re.Match[str]) -> bool:
    """ "will" outside quotations (or opening one: 'France "will establish'); "would" only where
    it reports ("said they would provide")."""
    position = match.start()
    quoted = _inside(sentence.quotes, position)
    if quoted and not any(quote.start <= position <= quote.start + 2 for quote in sentence.quotes):
        return False
    if match.group().casefold().startswith("would"):
        return bool(_CLAUSE_OPENER.search(text, sentence.start, position))
    return True


def _commitment(
    text: str, sentence: _Sentence, name: str, stage: Stage, match: re.Match[str]
) -> _Commitment | None:
    clause_start = sentence.start
    for opener in _CLAUSE_OPENER.finditer(text, sentence.start, match.start()):
        clause_start = opener.end()
    condition = _condition(text, sentence, clause_start, match.start())
    subject_start = condition.end if condition is not None else clause_start
    subject_span = _commitment_subject(text, subject_start, match.start())
    subject = text[subject_span.start : subject_span.end] if subject_span else ""
    if name in ("will", "intention", "agreed_to") and not _can_commit(subject):
        return None
    if condition is None:
        condition = _condition(text, sentence, match.end(), _clause_end(text, sentence, match))
    start = subject_span.start if subject_span is not None else clause_start
    if condition is not None:
        start = min(start, condition.start)
    start = _lstrip(text, start, sentence.end)
    while start < sentence.end and text[start] in "\"“”'":
        start += 1
    end = _trim_end(text, start, _clause_end(text, sentence, match))
    if end <= start:
        return None
    action = _action(text, match.start("action"), end)
    condition_text = text[condition.start : condition.end] if condition is not None else None
    return _Commitment(
        Span(start, end),
        " ".join(text[match.start() : match.start("action")].split()) or match.group(),
        "conditional" if condition_text else stage,
        subject,
        action,
        condition_text,
    )


def _commitment_subject(text: str, start: int, end: int) -> Span | None:
    """Who commits: the widest noun phrase that ends right before the cue, read as sources are
    ("The Ford Motor Company, the second-largest car maker,"; "the allies also": "the allies")."""
    end = _rstrip(text, start, end)
    while end > start and text[end - 1] in "\"“”',":
        end = _rstrip(text, start, end - 1)
    starts = [start] + [match.end() for match in _SUBJECT_START.finditer(text, start, end)]
    for position in starts:
        span = _trim_subject(text, position, end)
        if span is not None and _is_source(text, span, appositive_ok=True, max_words=15):
            return span
    return None


_SUBJECT_START = re.compile(r",\s*|" + _STRONG_BOUNDARY.pattern, re.IGNORECASE)


def _can_commit(subject: str) -> bool:
    """Whether a subject can act: a person, a body, "we"/"they" (not "prices", "this")."""
    words = subject.split()
    if not words or len(words) > 25:
        return False
    if words[-1].casefold() in _NON_AGENTS or words[0].casefold() in _NON_AGENTS:
        return False
    if any(word.casefold() in _CLAUSE_WORDS - {"that"} for word in words):
        return False
    if words[-1].casefold() in ("we", "they", "i", "he", "she", "you"):
        return True
    names = [word for word in words[1:] if word[:1].isupper()]
    if words[0][:1].isupper() and words[0].casefold() not in _DETERMINERS:
        names.append(words[0])
    return bool(names) or any(_singular(word.casefold()) in _AGENT_NOUNS for word in words)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _clause_end(text: str, sentence: _Sentence, match: re.Match[str]) -> int:
    """Where the clause after a commitment cue ends: before ", which", ", who" or the end."""
    relative = re.compile(r",?\s+(?:which|who)\s").search(text, match.end(), sentence.end)
    return relative.start() if relative else sentence.end


def _condition(text: str, sentence: _Sentence, start: int, end: int) -> Span | None:
    """A condition ("once a ceasefire is reached") in ``text[start:end]``, up to its comma."""
    match = _CONDITION.search(text, start, end)
    if match is None:
        return None
    stop = _CONDITION_END.search(text, match.end(), sentence.end)
    condition_end = stop.start() if stop else sentence.end
    condition_end = _trim_end(text, match.start(), min(condition_end, max(end, condition_end)))
    while condition_end > match.start() and text[condition_end - 1] in "\"”'":
        condition_end = _trim_end(text, match.start(), condition_end - 1)
    if len(text[match.end() : condition_end].split()) < 2:
        return None
    return Span(match.start(), condition_end)


def _actors(subject: str, reporter: Item | None) -> list[str]:
    """Who is committed: the subject as written, split at "and" when it joins two names; "they"
    or "we" is the speaker who reported the commitment."""
    cleaned = re.sub(r"\s+", " ", subject).strip(' ,"“”')
    if not cleaned:
        return []
    if cleaned.casefold() in ("they", "we", "he", "she", "i") and reporter is not None:
        who = _who(reporter)
        return [who] if who else [cleaned]
    if len(cleaned.split()) <= 6 and re.search(r"\s(?:and|&)\s", cleaned) and "," not in cleaned:
        return [part.strip() for part in re.split(r"\s(?:and|&)\s", cleaned) if part.strip()]
    return [cleaned]


def _who(item: Item) -> str | None:
    """The canonical speaker of ``item``, else the speaker as written (without commas)."""
    who = item.speaker_canonical or item.speaker
    return who.strip(" ,") if who else None


def _action(text: str, start: int, end: int) -> str:
    """The action in a few words: up to the first clause break, at most 15 words."""
    stop = re.compile(r",\s|;|\s(?:which|who)\s").search(text, start, end)
    words = re.sub(r"[\"“”]", "", text[start : stop.start() if stop else end]).split()
    return " ".join(words[:15]).rstrip(",;:")


# -- items ----------------------------------------------------------------------------------------


def extract_with_rules(
    text: str, *, published: date | None = None, publication: str | None = None
) -> list[Item]:
    """Attributed claims and pending commitments in ``text``, sorted by span start.

    ``published`` dates the claim statements and resolves deadlines; ``publication`` names the
    outlet, so that a source naming it ("the Post") gets it as its canonical speaker.
    """
    attributions: list[_Attribution] = []
    commitments: list[_Commitment] = []
    previous: _Attribution | None = None
    triggers = [match.start() for match in _COMMITMENT_TRIGGER.finditer(text)]
    hits = _cue_hits(text)
    for sentence in _sentences(text):
        cues = _cues(text, sentence, hits)
        found = _attributions_in(text, sentence, cues) or _signed_quotations(text, sentence)
        found = _initial_participle(text, sentence, found) + found
        if not found and previous is not None:
            continued = _continuation(text, sentence, previous, cues)
            found = [continued] if continued else []
        attributions.extend(found)
        previous = found[-1] if found else None
        first = bisect.bisect_left(triggers, sentence.start)
        if first < len(triggers) and triggers[first] < sentence.end:
            commitments.extend(_commitments_in(text, sentence))
    attributions = _outermost(
        sorted(attributions + _speaker_labels(text), key=lambda found: found.cue.span.start)
    )
    items = _claim_items(text, attributions, published, publication)
    items += _commitment_items(text, commitments, items, published)
    unique: dict[tuple[str, int, int], Item] = {}
    for item in items:
        unique.setdefault((item.kind, item.span.start, item.span.end), item)
    return sorted(unique.values(), key=lambda item: (item.span.start, item.span.end, item.kind))


def _outermost(attributions: list[_Attribution]) -> list[_Attribution]:
    """Without the attributions reported inside another one's content: in "Ruiz said she expects
    the plant to close", "she expects" is part of what Ruiz said, not a claim of its own. A
    content before its cue ("..., an official said") or after "according to" keeps the
    attributions inside it: each is reported."""
    reported = [
        piece
        for found in attributions
        if found.source is not None and found.cue.lemma != "according to"
        for piece in found.contents
        if piece.start >= found.cue.span.end
    ]
    if not reported:
        return attributions
    starts = [piece.start for piece in reported]
    kept = []
    for found in attributions:
        first = found.source.start if found.source is not None else found.cue.span.start
        first = min(first, found.cue.span.start)
        last = max(found.cue.span.end, found.source.end if found.source is not None else 0)
        index = bisect.bisect_right(starts, first)
        if any(piece.end >= last for piece in reported[:index] if piece.start <= first):
            continue
        kept.append(found)
    return kept


def _claim_items(
    text: str,
    attributions: list[_Attribution],
    published: date | None,
    publication: str | None,
) -> list[Item]:
    sources = [text[a.source.start : a.source.end] for a in attributions if a.source is not None]
    resolved = iter(resolve_speakers(sources, text))
    items: list[Item] = []
    for attribution in attributions:
        speaker = canonical = role = None
        if attribution.source is not None:
            name = next(resolved)
            speaker, canonical, role = name.written, name.canonical, name.role
            if publication and speaker.strip().casefold() in (
                publication.casefold(),
                f"the {publication.casefold()}",
            ):
                canonical = publication
        cue = text[attribution.cue.span.start : attribution.cue.span.end]
        for content in attribution.contents:
            quote = text[content.start : content.end]
            direct = _direct(text, content, attribution.sentence)
            lemma = attribution.cue.lemma
            items.append(
                Item(
                    kind="claim",
                    span=content,
                    quote=quote,
                    text=_claim_statement(canonical or speaker, lemma, quote, direct, published),
                    speaker=speaker,
                    speaker_canonical=canonical,
                    speaker_role=role,
                    speaker_span=attribution.source,
                    cue=cue,
                    cue_span=attribution.cue.span,
                    direct=direct,
                    claim_type=_claim_type(quote, lemma),
                    extra={"continued": True} if attribution.continued else {},
                )
            )
    return items


def _commitment_items(
    text: str,
    commitments: list[_Commitment],
    claims: list[Item],
    published: date | None,
) -> list[Item]:
    items: list[Item] = []
    for commitment in commitments:
        span = commitment.span
        reporter = _reporting_claim(span, claims)
        deadline = find_deadline(text[span.start : span.end], published)
        items.append(
            Item(
                kind="commitment",
                span=span,
                quote=text[span.start : span.end],
                text=_commitment_statement(
                    text, commitment, reporter, deadline.date if deadline else None, published
                ),
                speaker=reporter.speaker if reporter else None,
                speaker_canonical=reporter.speaker_canonical if reporter else None,
                speaker_role=reporter.speaker_role if reporter else None,
                speaker_span=reporter.speaker_span if reporter else None,
                cue=reporter.cue if reporter else None,
                cue_span=reporter.cue_span if reporter else None,
                actors=_actors(commitment.subject, reporter),
                action=commitment.action,
                condition=commitment.condition,
                deadline_text=deadline.text if deadline else None,
                deadline=deadline.date if deadline else None,
                stage=commitment.stage,
                extra={"commitment_cue": commitment.cue},
            )
        )
    return items


def _reporting_claim(span: Span, claims: Iterable[Item]) -> Item | None:
    """The claim whose content holds ``span`` (the narrowest), i.e. who reported a commitment."""
    holding = [
        claim
        for claim in claims
        if claim.span.start <= span.start and span.end <= claim.span.end + 2
    ]
    return min(holding, key=lambda claim: claim.span.end - claim.span.start) if holding else None


def _commitment_statement(
    text: str,
    commitment: _Commitment,
    reporter: Item | None,
    deadline: date | None,
    published: date | None,
) -> str:
    """The commitment as one sentence: the clause, its deadline, who reported it and when."""
    clause = re.sub(r"\s+", " ", text[commitment.span.start : commitment.span.end])
    clause = re.sub(r"[\"“”]", "", clause).strip()
    parts = [clause[:1].upper() + clause[1:]]
    if deadline is not None:
        parts.append(f"(deadline {_day(deadline)})")
    who = _who(reporter) if reporter else None
    if who:
        parts.append(
            f"(according to {who}" + (f", reported on {_day(published)})" if published else ")")
        )
    elif published:
        parts.append(f"(reported on {_day(published)})")
    return " ".join(parts)

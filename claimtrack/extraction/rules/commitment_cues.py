"""The commitment cues: the patterns that find a commitment, the words that may start one, and
the words around them (conditions, subjects that can act, actions too vague to check).

Each pattern of :data:`COMMITMENT_CUES` is ``(name, stage, pattern)``; its name becomes the rule id
``commitment.<name>`` that every item it makes records. The ``action`` group is where the action
starts. Patterns named in :data:`SENTENCE_INITIAL` only count at the start of a sentence (after a
bullet or a number): a manifesto's "Set up a National e-Library." is the publication's own
commitment, with no speaker and no actor named.
"""

from __future__ import annotations

import re
from functools import lru_cache

from claimtrack.extraction.models import Stage
from claimtrack.extraction.rules.vocabulary import _words

# Verbs of actions a reader can check were done ("set up", "launch", "double"); what a bare
# manifesto line or a passive with no one named must be about to count as a commitment.
_CONCRETE_VERBS = (
    r"set\s+up|setup|establish|launch|introduce|enact|create|build|construct|open|start|"
    r"initiate|implement|double|increase|raise|extend|amend|repeal|abolish|revive|earmark|"
    r"allocate|appoint|complete|moderni[sz]e|computeri[sz]e|digiti[sz]e|connect|electrify|"
    r"constitute|institute|restructure|reduce|cut|deploy|provide|ratify|sign|hold|pay|"
    r"devise|mandate|unveil|universali[sz]e|activate|mobili[sz]e|fulfil|fulfill|formulate|"
    r"legislate|reserve|exempt|waive|withdraw|close|sell|scrap|merge|hire|recruit|train|"
    r"frame|draft|table|bring\s+in|roll\s+out|phase\s+out|step\s+up|lay\s+down"
)
_CONCRETE_PARTICIPLES = (
    r"built|launched|set\s+up|setup|set|established|introduced|completed|opened|created|"
    r"constructed|enacted|passed|signed|finali[sz]ed|delivered|deployed|allocated|started|"
    r"granted|abolished|scrapped|repealed|moderni[sz]ed|rolled\s+out|amended|ratified|"
    r"brought\s+in|electrified|computeri[sz]ed|digiti[sz]ed|privati[sz]ed|doubled|increased|"
    r"reduced|closed|shut\s+down|sold|cut|phased\s+out|eliminated|withdrawn|held|paid|repaid|"
    r"hired|transferred|handed\s+over|revived|raised|earmarked|devised|proposed|instituted|"
    r"mandated|unveiled|universali[sz]ed|activated|mobili[sz]ed|fulfilled|stepped\s+up|"
    r"constituted|initiated|appointed|formulated|legislated|framed|drafted|tabled|provided|"
    r"released|reserved|exempted|waived|merged|recruited|converted|restructured|replaced|"
    r"put\s+to\s+(?:a\s+)?(?:vote|referendum|ballot)"  # "any deployment would be put to a vote"
)
# Processes a reader can see finished later, in "is being <participle>" ("the sedan, which is
# being phased out"): not "held" or "raised" ("two men are being held", "questions are being
# raised"), which say nothing anyone will complete.
_UNDER_WAY_PARTICIPLES = (
    r"phased\s+out|closed|shut\s+down|wound\s+down|built|rebuilt|constructed|dismantled|"
    r"demolished|sold(?:\s+off)?|spun\s+off|cut|eliminated|scrapped|discontinued|laid\s+off|"
    r"restructured|moderni[sz]ed|upgraded|expanded|replaced|merged|privati[sz]ed|set\s+up|"
    r"established|introduced|rolled\s+out|implemented|installed|converted|developed|drafted|"
    r"finali[sz]ed|negotiated|prepared|relocated|transferred|handed\s+over|reduced|withdrawn"
)
# Aims rather than actions: "will strive to", "will promote", "will work for" say what someone
# wants, not what they will do (manifesto pledges are "specific and testable"; these are not).
_ASPIRATIONS = (
    r"strive|endeavou?r|pursue|focus|foster|nurture|evolve|engage|embark|accord|promote|"
    r"encourage|facilitate|enable|maintain|safeguard|work|look|continue|try|seek|explore|aspire"
)
# Verbs that name a direction rather than a deed ("strengthen", "ensure"): with the aims above,
# the "vague" class of :func:`verb_class`.
_VAGUE_VERBS = (
    _ASPIRATIONS + r"|strengthen|ensure|improve|enhance|support|accelerate|consider|emphasi[sz]e|"
    r"prioriti[sz]e|address|tackle|revamp|reform|boost|deepen|widen|empower|protect|uphold|"
    r"recogni[sz]e|believe|commit|give|make|take|bring|place|adopt|strive|remain"
)
_CONCRETE_LEMMA = re.compile(_CONCRETE_VERBS)
_VAGUE_LEMMA = re.compile(_VAGUE_VERBS)


@lru_cache(maxsize=50_000)
def verb_class(lemma: str) -> str:
    """ "concrete" for an action one can check was done ("establish"), "vague" for an aim
    ("strengthen", "strive"), "other" for any other word. Remembered (two constant patterns
    decide it): the specificity features ask it of every word of a sentence."""
    if _CONCRETE_LEMMA.fullmatch(lemma):
        return "concrete"
    return "vague" if _VAGUE_LEMMA.fullmatch(lemma) else "other"


_BULLET = re.compile(r"(?:[-–—•*·▪►]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s*|[\"“']")

_COMMITMENT_PATTERNS: tuple[tuple[str, Stage, str], ...] = (
    (
        "needs_finalising",  # "still needs to be finalized", "has yet to be ratified"
        "pending_approval",
        r"\b(?:still\s+)?(?:needs?|has\s+yet|have\s+yet|must(?:\s+still)?)\s+to\s+"
        r"(?P<action>(?:be\s+)?(?:finali[sz]ed?|approved?|ratif(?:y|ied)|signed|sign|agreed|"
        r"endorsed|confirmed|voted\s+on|passed))\b",
    ),
    (
        "must_approve",  # "Parliament must approve the deal", "has to ratify it first"
        "pending_approval",
        r"\b(?:must|has\s+to|have\s+to)\s+(?:still\s+|first\s+|also\s+|now\s+)?"
        r"(?P<action>(?:approve|ratify|endorse|sign\s+off\s+on|vote\s+on|pass|confirm)\b)",
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
        "plan_includes",  # "the plan also envisions establishing", "its plan must include a sale"
        "proposed",
        r"\b(?:(?:will|must|should|shall|would|(?:has|have|is|are)\s+to)\s+(?:also\s+|still\s+)?"
        r"include|includes|included|(?:also\s+)?envisions?|envisaged?|"
        r"envisages|foresees|foresaw|provides\s+for|provided\s+for|calls\s+for|called\s+for)\s+"
        r"(?:having\s+)?(?P<action>[a-z]+ing\b|(?:an?|the)\s+(?:new\s+)?\w+)",
    ),
    (
        "intention",  # "plans to", "pledged to", "is expected to", "vowed to"
        "proposed",
        # (the look-ahead holds the words' first letters: most positions fail it at once)
        r"\b(?=[pivtcahdo])(?:plans?|planned|planning|intends?|intended|pledged?|pledges|"
        r"promised?|promises|"
        r"vowed?|vows|threaten(?:s|ed)?|committed|commits?|aims?|aimed|is\s+set|are\s+set|"
        r"is\s+expected|"
        r"ha(?:s|ve)\s+plans|"
        r"are\s+expected|is\s+going|are\s+going|decided|is\s+to|are\s+to|offered|proposed)"
        r"\s+to\s+(?!be\s+(?:seen|determined)\b)(?P<action>\w)",
    ),
    (
        "scheduled",  # "the trial is set to begin on Monday", "the vote is due to take place"
        "proposed",
        r"\b(?:(?:is|are|was|were)\s+(?:now\s+|also\s+)?(?:set|scheduled|slated)|(?:is|are)\s+due)\s+to\s+"
        r"(?P<action>[a-z]\w+)",
    ),
    (
        "noun_to",  # "its plan to buy", "a deal to build", "in talks with the city to lease"
        "proposed",
        r"\b(?P<noun>plans?|deal|agreement|offer|bid|proposal|pledge|promise|commitment|"
        r"negotiations|talks)\s+(?:with\s+(?:[\w'’.-]+\s+){1,4}?)?to\s+"
        r"(?!be\s+(?:seen|determined)\b)(?P<action>[a-z]\w+)",
    ),
    (
        "noun_that",  # "the ministry's announcement that it would buy", "its pledge that it will"
        "proposed",
        r"\b(?P<noun>announcement|pledge|promise|commitment|vow|assurances?|guarantee|decision|"
        r"threat|confirmation)\s+that\s+(?:it|they|he|she)\s+"
        r"(?:would|will|shall|['’]ll|(?:is|are|was|were)\s+to)\s+"
        r"(?:(?:also|soon|now|then|eventually|immediately|jointly|formally)\s+)?"
        r"(?!(?:be(?!\s+[a-z]+ing\b)|have|remain|become|not|never|try|seek|look|consider)\b)"
        r"(?P<action>[a-z]\w+)",
    ),
    (
        "required_to",  # "the court ordered the firm to pay", "the firms are required to submit"
        "proposed",
        r"\b(?:(?:requires?|required|orders?|ordered|obliges|obliged|obligates|obligated|"
        r"compels|compelled|directs|directed|instructs|instructed|mandates|mandated)\s+"
        r"(?P<who>them|it|him|her|(?:the|its|their|all|both|each|every)\s+"
        r"(?:[\w'’-]+\s+){0,3}?[\w'’-]+|(?-i:[A-Z][\w'’.&-]*)(?:\s+(?:(?-i:[A-Z][\w'’.&-]*)|"
        r"and|of|&)){0,5})"
        r"|(?:is|are|was|were|has\s+been|have\s+been|will\s+be)\s+(?:also\s+|now\s+|still\s+)?"
        r"(?:required|ordered|obliged|obligated|compelled|directed|instructed))"
        r"\s+to\s+(?!be\s+(?:seen|determined)\b)(?P<action>[a-z]\w+)",
    ),
    (
        "attempting",  # "the company is trying to sell", "which is seeking to cut 3,000 jobs"
        "proposed",
        r"\b(?:(?:is|are|has\s+been|have\s+been)\s+(?:also\s+|now\s+|still\s+|currently\s+)?"
        r"(?:attempting|trying|seeking|looking|working)|seeks|tries)\s+to\s+"
        r"(?!(?:be|have|understand|find|figure|determine|learn|see|know|assess|gauge|"
        + _VAGUE_VERBS
        + r")\b)(?P<action>[a-z]\w+)",
    ),
    (
        "under_way",  # "the sedan, which is being phased out", "two plants are being closed"
        "proposed",
        r"\b(?:is|are)\s+(?:now\s+|currently\s+|already\s+|gradually\s+|also\s+)?"
        r"(?P<action>being\s+(?:" + _UNDER_WAY_PARTICIPLES + r"))\b",
    ),
    (
        "conditional_right",  # "the lender can take the plant once the loan is in default"
        "conditional",
        r"\b(?:can|may|(?:has|have|will\s+have|gets?|would\s+have)\s+(?:the|an)\s+"
        r"(?:right|option)\s+to)\s+(?:(?:also|then|only|eventually|still)\s+)?"
        r"(?!(?:be|have|not|never|see|seem|appear|look|sound|feel|happen|get|also|well|still|"
        r"only|help|hurt|affect|cause|lead|mean|include|expect)\b)(?P<action>[a-z]\w+)",
    ),
    (
        "will_passive",  # "five new colleges will be established by 2027": no one named
        "proposed",
        # (the look-ahead holds the first characters of the three branches, as for "intention")
        r"(?=[wsia,\s])(?:\b(?:will|shall|would)\s+(?:also\s+|soon\s+|now\s+|then\s+|further\s+)?"
        r"|\b(?:is|are)\s+to\s+|(?<=\w),?\s+to\s+)"
        r"(?P<action>be\s+(?:\w+ly\s+)?(?:" + _CONCRETE_PARTICIPLES + r"|made\s+available))\b",
    ),
    (
        "headline_to",  # a headline's "Harbour Lines to sell two ferries", "Pier to be rebuilt"
        "proposed",
        r"(?-i:(?P<who>[A-Z][\w'’.&-]*(?:\s+(?:[A-Z0-9][\w'’.&-]*|of|and|&)){0,5}))\s+"
        r"to\s+(?P<action>(?:be\s+)?(?-i:[a-z])\w+)",
    ),
    (
        "will",  # "will establish", "would provide" (when reported)
        "proposed",
        r"\b(?:will|would|shall|['’]ll)\s+"
        r"(?:(?:also|soon|now|still|then|actually|immediately|eventually|formally|finally|fully|"
        r"jointly|officially|gradually|quickly|swiftly|initially|first)\s+)?+"
        r"(?!(?:be(?!\s+[a-z]+ing\b|\s+able\s+to\b)|have|remain|become|mean|need|include|involve|require|cost|last|take|depend|"
        r"likely|probably|not|never|see|seem|appear|look|sound|feel|happen|get|make\s+sense|"
        + _ASPIRATIONS
        + r")\b)(?P<action>[a-z]\w+)",
    ),
    (
        "bare_action",  # "Set up a National e-Library.", "Launching a mission for ..."
        "proposed",
        r"(?P<action>(?:" + _CONCRETE_VERBS + r")\b|(?:setting\s+up|establishing|launching|"
        r"introducing|enacting|creating|constituting|instituting)\s+(?!\w+ing\b)[a-z])",
    ),
    (
        "stated_will",  # "We will endeavour to set up", "Delays will be removed": any "will"
        "proposed",
        r"\b(?:will|shall)\s+(?:also\s+|further\s+|now\s+|then\s+|\w+ly\s+)?"
        r"(?P<action>[a-z]\w+)",
    ),
    (
        "stated_line",  # "Expand the network of hostels.", "Upgrading housing", "Completion of"
        "proposed",
        r"(?!(?:while|when|whenever|if|although|though|as|because|since|once|unless|until)\b)"
        r"(?P<action>[A-Za-z]+)\b(?P<of>\s+of\s)?",
    ),
)
COMMITMENT_CUES: tuple[tuple[str, Stage, re.Pattern[str]], ...] = tuple(
    (name, stage, re.compile(pattern, re.IGNORECASE))
    for name, stage, pattern in _COMMITMENT_PATTERNS
)
SENTENCE_INITIAL = frozenset({"bare_action", "stated_line", "headline_to"})
# Patterns tried only in a sentence no one is reported to have said, whose candidates are kept
# only when :func:`claimtrack.extraction.rules.specificity.is_specific` finds the sentence
# specific; "stated_line" only where the line opens with a verb (lemminflect knows its form) or
# with an action's noun and "of" ("Electrification of ...").
STATED_ONLY = frozenset({"stated_will", "stated_line"})
# Words (lower case) one of which a sentence must hold for a pattern to be tried in it: a
# substring test per pattern is far cheaper than a case-blind search that finds nothing.
NEEDLES: dict[str, tuple[str, ...]] = {
    "needs_finalising": ("need", "yet", "must"),
    "must_approve": ("must", "has to", "have to"),
    "requires_approval": ("requir", "await", "subject to", "pending"),
    "agreed_to": ("agree", "signed up"),
    "plan_includes": ("includ", "envis", "foresee", "foresaw", "provide", "call"),
    "intention": (
        "plan", "intend", "pledge", "promis", "vow", "threat", "commit", "aim", "set", "expected",
        "going", "decided", "to", "offered", "proposed",
    ),
    "scheduled": ("set", "due", "schedul", "slated"),
    "noun_to": ("plan", "deal", "agreement", "offer", "bid", "propos", "pledge", "promise",
                "commitment", "negotiations", "talks"),
    "noun_that": ("announcement", "pledge", "promise", "commitment", "vow", "assuranc",
                  "guarantee", "decision", "threat", "confirmation"),
    "required_to": ("requir", "order", "oblig", "compel", "directed", "directs", "instruct",
                    "mandat"),
    "attempting": ("attempting", "trying", "seek", "looking to", "working to", "tries"),
    "under_way": ("being",),
    "conditional_right": ("upon", "once", "after", "as soon as", "provided", "providing",
                          "on condition", "in the event"),
    "will_passive": ("will", "shall", "would", "to be"),
    "will": ("will", "would", "shall", "'ll", "’ll"),
    "stated_will": ("will", "shall"),
}  # fmt: skip
# Words that may start a commitment; a sentence without one is not read for commitments. All in
# lower case and matched against the lower-cased text: three times faster than IGNORECASE.
_TRIGGER_WORDS = (
    r"will|would|shall|plan|intend|pledge|promis|vow|threaten|commit|aim|set\s+to|expected|"
    r"going\s+to|"
    r"decided|is\s+to|are\s+to|offered|proposed|agree|need|yet\s+to|must|has\s+to|have\s+to|"
    r"requir|await|subject\s+to|pending|signed\s+up|includ|envisi|envisag|foresee|foresaw|"
    r"provides\s+for|provided\s+for|calls\s+for|called\s+for|schedul|due\s+to|slated|deal|offer|"
    r"bid|talks|negotiations|to\s+be|announcement|assuranc|guarantee|decision|confirmation|"
    r"order|oblig|compel|directed\s|directs\s|instruct|mandat|attempt|trying|seek|looking\s+to|"
    r"working\s+to|tries|being|upon|once|"
    r"as\s+soon\s+as|providing|on\s+condition|in\s+the\s+event"
)


def _by_first_letter(words: str) -> str:
    """``\\b(?:words)`` written as one branch per first letter that checks the word boundary
    after its letter ("w(?<=\\bw)(?:ill|ould)|..."): the same matches, but a pattern whose
    branches all open with a letter is searched for those letters first, not tried everywhere.
    The words keep their order within each letter (only words of one letter compete)."""
    grouped: dict[str, list[str]] = {}
    for word in words.split("|"):
        grouped.setdefault(word[0], []).append(word[1:])
    return "|".join(
        f"{letter}(?<=\\b{letter})(?:{'|'.join(rests)})" for letter, rests in grouped.items()
    )


_COMMITMENT_TRIGGER = re.compile(_by_first_letter(_TRIGGER_WORDS) + r"|'ll\b|’ll\b")


def commitment_triggers(text: str) -> list[int]:
    """Where the words that may start a commitment are in ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters grow when lowered ("İ"): offsets would move
        pattern = re.compile(_COMMITMENT_TRIGGER.pattern, re.IGNORECASE)
        return [match.start() for match in pattern.finditer(text)]
    return [match.start() for match in _COMMITMENT_TRIGGER.finditer(lowered)]


def sentence_opening(text: str, start: int, end: int) -> int:
    """Where a sentence's words start, after a bullet, a list number or an opening quote."""
    position = start
    while position < end:
        if text[position].isspace():
            position += 1
            continue
        bullet = _BULLET.match(text, position, end)
        if bullet is None:
            break
        position = bullet.end()
    return position


_CONDITION = re.compile(
    r"\b(?:once(?!\s+(?:again|more|before|and\s+for\s+all)\b)|if|when|whenever|as\s+soon\s+as|"
    r"provided\s+that|providing\s+that|"
    r"on\s+condition\s+that|in\s+the\s+event\s+(?:that|of)|unless|should\s+(?:any|a|the)\s|"
    r"upon\s+(?=(?:(?:the|its|their|full)\s+)?\w+(?:ion|ment|al|ure|ance|ence|ery)\s+of\b)|"
    r"after\s+(?=(?:(?:a|an|the|any|its|their)\s+)?(?:\w+\s+){1,3}(?:is|are|has|have)\s))",
    re.IGNORECASE,
)
_CONDITION_END = re.compile(r"[,;]|\s[—–]\s|[.!?](?=\s|$)|\s(?:which|who)\s")
_CLAUSE_OPENER = re.compile(
    r"(?:\bthat\s+|;\s*|:(?!\d)\s*|,\s+(?:and|but|while|although|though|because|as)\s+|"
    r"\b(?:said|says|say|told|stated|(?-i:states)|announced|added|noted|insisted|argued|warned|"
    r"claimed|believes?|believed|thinks?|thought|threatened|vowed|signall?ed|indicated)"
    r"(?:\s+(?:on\s+)?[A-Z][a-z]+day|\s+in\s+an?\s+(?:statement|letter|interview|post))?"
    r"\s+(?!that\b)|"
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
    team campaign member nation partner senate house navy police
    airline carrier automaker carmaker manufacturer maker lender insurer retailer operator
    producer supplier regulator employer investor buyer corporation business cabinet
    governor mayor chancellor premier executive chairman organisation organization
    association federation commission assembly municipality province region university
    """
)
# What a "plan_includes" commitment must be about: the subject names a plan.
_PLAN_NOUNS = re.compile(
    r"\b(?:plans?|framework|proposals?|agreement|deal|declaration|package|strategy|roadmap|"
    r"blueprint|programme|program|scheme|budget|bill|accord|treaty|initiative)\b",
    re.IGNORECASE,
)

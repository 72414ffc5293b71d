"""Opt-out keywords (exact, acted on at once) and opt-out wording (suspected, for an agent).

The CTIA keyword set is matched exactly: the whole message is the keyword, nothing else, once
folded (`fold`): compatibility forms unified (NFKC: full-width "ＳＴＯＰ", ligatures, odd spaces),
accents dropped ("Arrêt" is ARRET), invisible format characters dropped (a zero-width space a
keyboard slipped in), case ignored, surrounding whitespace ignored. A person who types STOP in
any of those forms means STOP; missing it keeps texting someone who opted out. Folding never
turns a longer word into a keyword ("Stopped", "Arrêtez", "Weekend" stay what they are), and
letters that only *look* alike in other scripts (Cyrillic "ЅТОР", dotless "ınfo") are not
folded. Since 2025 US rules also require honouring any reasonable opt-out wording; such
wording cannot be decided by a machine without false positives ("stop by at 5"), so it is only
*suspected* here and an agent confirms it in one click.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from enum import StrEnum


class Keyword(StrEnum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


OPT_OUT_KEYWORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "ARRET"}
)
OPT_IN_KEYWORDS = frozenset({"START", "UNSTOP", "YES"})
HELP_KEYWORDS = frozenset({"HELP", "INFO"})

DEFAULT_OPT_OUT_REPLY = (
    "You have been unsubscribed and will receive no more messages from this number. "
    "Reply START to resubscribe."
)
DEFAULT_OPT_IN_REPLY = (
    "You have been resubscribed and may receive messages from this number again. "
    "Reply STOP to unsubscribe."
)
DEFAULT_HELP_REPLY = (
    "Agent Console messaging: reply STOP to unsubscribe, START to resubscribe. "
    "Msg & data rates may apply."
)


# Dropped when folding: combining marks (accents, once decomposed) and format characters
# (zero-width spaces and joiners, direction marks, the BOM), none of which a reader sees.
_INVISIBLE_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


def fold(text: str) -> str:
    """`text` as keywords are compared: compatibility-decomposed (NFKD, which also splits off
    accents), without invisible marks, case-folded, composed again."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in _INVISIBLE_CATEGORIES)
    return unicodedata.normalize("NFC", kept.casefold())


_KEYWORDS = {
    **{fold(word): Keyword.OPT_OUT for word in OPT_OUT_KEYWORDS},
    **{fold(word): Keyword.OPT_IN for word in OPT_IN_KEYWORDS},
    **{fold(word): Keyword.HELP for word in HELP_KEYWORDS},
}
# Longer than any keyword even with invisible marks in it: not worth folding (a whole essay,
# say). Measured after stripping surrounding whitespace, which any amount of may pad a keyword.
_MAX_KEYWORD_MESSAGE = 64


def classify_keyword(body: str) -> Keyword | None:
    """The keyword the whole message is, if it is exactly one once folded; None otherwise."""
    body = body.strip()
    if len(body) > _MAX_KEYWORD_MESSAGE:
        return None
    return _KEYWORDS.get(fold(body).strip())


# --- suspected opt-out wording -------------------------------------------------------------
#
# Patterns run on a normalised text: lower case, straight apostrophes, words separated by one
# space, punctuation other than apostrophes turned into spaces. Each names who is messaged
# ("me", "us", "this number") or the messages themselves, which is what separates an opt-out
# ("stop texting me") from ordinary talk ("stop by at 5", "can't stop smiling").

_CONTACT = (
    r"(?:text|txt|texting|txting|message|messaging|msg|msging|sms|contact|contacting|send|"
    r"sending|call|calling|bother|bothering|spam|spamming|email|emailing)"
)
_MESSAGES = (
    r"(?:texts?|txts?|messages?|msgs?|sms|smses|notifications?|alerts?|promotions?|marketing|"
    r"spam|updates)"
)
_ME = r"(?:me|us|this number|my number|my phone|this phone)"
# Fixed-width look-behinds, one per negation: "don't stop texting me" asks for the opposite.
_NEGATED = "".join(
    f"(?<!{word} )"
    for word in ("don't", "dont", "do not", "never", "can't", "cant", "cannot", "won't", "wont",
                 "not", "didn't", "didnt")
)
_FILLER = (
    r"(?: (?:please|pls|plz|now|anymore|any more|again|ever|at all|thanks|thank you|thx|"
    r"immediately|asap|ok|okay|already|for good|forever|all|it|stop))*"
)

# A sentence that is only an opt-out word, with politeness around it: "Stop!", "STOP please",
# "Unsubscribe me.", "stop stop". (The exact keywords never get here: they are acted on.)
_BARE = re.compile(
    r"^(?:please |pls |plz |just )?(?:stop|stop all|unsubscribe|unsubscribe me|unsub|cancel|end|"
    r"quit|revoke|opt ?out|opt me out|remove me|stop it)" + _FILLER + "$"
)
_PHRASES = [
    # "stop texting me", "please quit calling us", "stop messaging" (at the end)
    _NEGATED + r"\b(?:stop|quit|cease) " + _CONTACT + r" " + _ME + r"\b",
    _NEGATED + r"\b(?:stop|quit|cease) " + _CONTACT + _FILLER + "$",
    # "stop these texts", "stop all the messages"
    _NEGATED + r"\bstop (?:all )?(?:these |the |your |those |this |all )?" + _MESSAGES + r"\b",
    # "don't text me anymore", "do not contact me again", "never message me"
    r"\b(?:don't|dont|do not|never) " + _CONTACT + r" " + _ME + _FILLER + "$",
    r"\b(?:don't|dont|do not|never) " + _CONTACT + r" " + _ME
    + r" (?:anymore|any more|again|ever)\b",
    # "take me off your list", "remove me from this list", "remove my number"
    r"\b(?:take|remove|delete|drop|erase) (?:me|my number|my phone|my phone number|this number)"
    r" (?:off|from)\b",
    r"\b(?:remove|delete|erase) (?:me|my number|my phone number|this number)" + _FILLER + "$",
    r"\btake me off\b",
    # "unsubscribe me", "how do I unsubscribe", "opt me out", "I want to opt out"
    _NEGATED + r"\bunsubscribe\b",
    _NEGATED + r"\bopt (?:me )?out\b",
    r"\boptout\b",
    # "no more texts", "I don't want these messages", "I do not want any more texts"
    r"\bno more " + _MESSAGES + r"\b",
    r"\b(?:don't|dont|do not) (?:want|need) (?:any more |anymore |any |these |your |more |"
    r"the |those |this )?" + _MESSAGES + r"\b",
    r"\b(?:stop|quit) (?:contacting|bothering|harassing|spamming) (?:me|us)\b",
    r"\bleave me alone\b",
]
_PHRASE = re.compile("|".join(f"(?:{p})" for p in _PHRASES))
_SENTENCE_BREAK = re.compile(r"[.!?;:\n\r]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_NOT_WORD = re.compile(r"[^a-z0-9']+")
MAX_CHECKED_CHARS = 2000


def normalize_wording(body: str) -> str:
    text = fold(body.translate(_APOSTROPHES))
    return " ".join(_NOT_WORD.sub(" ", text).split())


def looks_like_opt_out(body: str) -> bool:
    """True when the wording reads like a request to stop messaging (but is not a keyword)."""
    if classify_keyword(body) is not None or len(body) > MAX_CHECKED_CHARS:
        return False
    if _PHRASE.search(normalize_wording(body)):
        return True
    return any(_BARE.match(normalize_wording(part)) for part in _SENTENCE_BREAK.split(body))


class FlagAge(StrEnum):
    """How long a suspected opt-out has waited for an agent, as the console shows it (a tone):
    an unanswered one keeps texting someone who may have opted out, so it grows louder."""

    FRESH = "fresh"  # under a day
    AGING = "aging"  # one to three days
    OVERDUE = "overdue"  # over three days

    @classmethod
    def of(cls, flagged_at: datetime, now: datetime) -> FlagAge:
        """The age of a flag raised at `flagged_at`, seen at `now` (both aware). Pure."""
        waited = now - flagged_at
        if waited < AGING_AFTER:
            return cls.FRESH
        if waited <= OVERDUE_AFTER:
            return cls.AGING
        return cls.OVERDUE


AGING_AFTER = timedelta(days=1)
OVERDUE_AFTER = timedelta(days=3)

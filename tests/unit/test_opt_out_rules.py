"""Opt-out keywords (exact) and suspected opt-out wording: tables and properties."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from console.domain.opt_out import (
    HELP_KEYWORDS,
    OPT_IN_KEYWORDS,
    OPT_OUT_KEYWORDS,
    Keyword,
    classify_keyword,
    fold,
    looks_like_opt_out,
)

KEYWORDS = {
    **{word: Keyword.OPT_OUT for word in OPT_OUT_KEYWORDS},
    **{word: Keyword.OPT_IN for word in OPT_IN_KEYWORDS},
    **{word: Keyword.HELP for word in HELP_KEYWORDS},
}
SPACE = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=4)


def test_the_keyword_sets_are_exactly_the_listed_ones() -> None:
    assert {
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "ARRET",
    } == OPT_OUT_KEYWORDS
    assert {"START", "UNSTOP", "YES"} == OPT_IN_KEYWORDS
    assert {"HELP", "INFO"} == HELP_KEYWORDS


@given(
    word=st.sampled_from(sorted(KEYWORDS)),
    case=st.lists(st.booleans(), min_size=11, max_size=11),
    before=SPACE,
    after=SPACE,
)
def test_keywords_in_any_case_with_spaces_around(
    word: str, case: list[bool], before: str, after: str
) -> None:
    cased = "".join(c.lower() if flip else c for c, flip in zip(word, case, strict=False))
    assert classify_keyword(before + cased + after) is KEYWORDS[word]
    assert not looks_like_opt_out(before + cased + after)  # acted on, never only suspected


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
@example("STOP.")
@example("S TOP")
@example("stop please")
@example("STOP STOP")
def test_plain_text_is_a_keyword_only_when_it_is_exactly_one(text: str) -> None:
    assert classify_keyword(text) is KEYWORDS.get(text.strip().upper())


@pytest.mark.parametrize(
    "text",
    ["STOP" + " " * 70, "STOP\n" + "\n" * 61, " " * 100 + "stop" + "\t" * 100,
     "\r\n" * 40 + "Unsubscribe" + "\r\n" * 40],
    ids=repr,
)
def test_a_keyword_padded_past_the_length_cap_is_still_one(text: str) -> None:
    """Padding is whitespace, stripped before the length cap is applied (a padded STOP was
    missed once the cap came first)."""
    assert classify_keyword(text) is Keyword.OPT_OUT


def test_a_long_message_is_still_no_keyword() -> None:
    assert classify_keyword("STOP " + "x" * 100) is None


OTHER_FORMS = [
    ("\uff33\uff34\uff2f\uff30", Keyword.OPT_OUT),  # full-width ＳＴＯＰ
    ("\uff53\uff54\uff4f\uff50", Keyword.OPT_OUT),  # full-width ｓｔｏｐ
    ("Arr\u00eat", Keyword.OPT_OUT),  # Arrêt, precomposed
    ("ARRE\u0302T", Keyword.OPT_OUT),  # ARRÊT, with a combining circumflex
    ("\u00a0Arr\u00eat\u2003", Keyword.OPT_OUT),  # odd spaces around
    ("\u200bSTOP", Keyword.OPT_OUT),  # a zero-width space before
    ("ST\u200dOP", Keyword.OPT_OUT),  # a zero-width joiner inside
    ("\u017ftop", Keyword.OPT_OUT),  # long s: NFKC makes it an s
    ("Unsubscr\u00efbe", Keyword.OPT_OUT),
    ("\uff33\uff34\uff21\uff32\uff34", Keyword.OPT_IN),  # ＳＴＡＲＴ
    ("\uff55\uff4e\uff53\uff54\uff4f\uff50", Keyword.OPT_IN),  # ｕｎｓｔｏｐ
    ("Y\u00c9S", Keyword.OPT_IN),
    ("\uff28\uff25\uff2c\uff30", Keyword.HELP),  # ＨＥＬＰ
    # Words that only contain a keyword, or look like one in another script: not keywords.
    ("\uff33\uff34\uff2f\uff30\uff30\uff25\uff24", None),  # ＳＴＯＰＰＥＤ
    ("Arr\u00eatez", None),
    ("Stopped", None),
    ("Weekend", None),
    ("Startup", None),
    ("STOP.", None),
    ("S TOP", None),
    ("\u0131nfo", None),  # dotless i: another letter, not INFO
    ("\u0405\u0422\u041e\u0420", None),  # Cyrillic look-alikes of STOP
    ("STOP" * 100, None),
]


@pytest.mark.parametrize(("text", "expected"), OTHER_FORMS)
def test_keywords_in_other_forms(text: str, expected: Keyword | None) -> None:
    assert classify_keyword(text) is expected
    if expected is not None:
        assert not looks_like_opt_out(text)  # acted on, never only suspected


@given(
    word=st.sampled_from(sorted(KEYWORDS)),
    extra=st.characters(categories=["Lu", "Ll", "Lo", "Nd"]),
    before=st.booleans(),
)
def test_a_keyword_with_one_more_letter_is_no_keyword(word: str, extra: str, before: bool) -> None:
    text = extra + word if before else word + extra
    assert classify_keyword(text) is None or not fold(extra).strip()


def test_opt_out_wording_in_full_width_is_suspected_too() -> None:
    assert looks_like_opt_out("\uff50\uff4c\uff45\uff41\uff53\uff45 stop texting me")


SUSPECTED = [
    "please stop texting me",
    "Please stop texting me.",
    "take me off your list",
    "Take me off your list please",
    "unsubscribe me",
    "don't text me anymore",
    "Don\u2019t text me anymore!!",
    "do not contact me again",
    "Stop!",
    "STOP please",
    "stop stop",
    "Stop. I'm not selling.",
    "Please remove me from this list",
    "Remove my number",
    "No more texts please",
    "I don't want these messages",
    "leave me alone",
    "How do I unsubscribe?",
    "opt me out",
    "I want to opt out",
    "Stop sending me messages",
    "stop texting",
    "Quit calling me",
    "stop all these texts",
    "Wrong person, please stop messaging this number",
    "I asked you to stop contacting me",
    "Cancel!",
    "End.",
    "never text me again",
]

ORDINARY = [
    "stop by at 5",
    "can't stop smiling",
    "Stop by the office at 5 and pick up the keys",
    "I can't stop smiling, we got the house!",
    "Don't stop now, we're so close",
    "The bus stop is right outside",
    "Please don't text me before 9am",
    "Don't call me, text me",
    "Can we end the lease early?",
    "Cancel my appointment on Friday",
    "Is there parking nearby?",
    "Yes",
    "Thursday works",
    "I'll text you when I'm there",
    "Send me the listing",
    "Please stop sending the paperwork to my old address",
    "Can you remove the old fence from the listing photos?",
    "Take the listing off the MLS",
    "Great, do I need to sign in person?",
    "Hmm, I was hoping for closer to 1.3.",
    "All dry now. Thanks for the quick fix!",
    "We should stop at the bank first",
    "The end of the month works",
    "Text me the code",
    "Message me when you arrive",
    "I'll quit my job if the commute is that long",
    "Can you send me more messages about new listings?",
    "please keep texting me updates",
    "don't stop texting me updates",
]


@pytest.mark.parametrize("text", SUSPECTED)
def test_reasonable_opt_out_wording_is_suspected(text: str) -> None:
    assert classify_keyword(text) is None
    assert looks_like_opt_out(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_are_not(text: str) -> None:
    assert not looks_like_opt_out(text)


POLITE_BEFORE = st.sampled_from(["", "Hi. ", "Hello, ", "Sorry but ", "Look, ", "OK. "])
POLITE_AFTER = st.sampled_from(["", " Thanks.", " thank you", "!", ".", " -Tom", " Bye."])
CORE = st.sampled_from([
    "please stop texting me", "take me off your list", "unsubscribe me",
    "don't text me anymore", "stop messaging me", "remove me from your list",
    "no more messages", "I don't want any more texts",
])


@given(before=POLITE_BEFORE, core=CORE, after=POLITE_AFTER, upper=st.booleans())
def test_opt_out_wording_is_found_inside_a_longer_message(
    before: str, core: str, after: str, upper: bool
) -> None:
    text = before + core + after
    assert looks_like_opt_out(text.upper() if upper else text)


# Real-estate small talk that uses the opt-out verbs in their ordinary senses: any mix of it,
# in any order and punctuation, is never suspected.
CHUNKS = [
    "stop by at 5", "we can't stop smiling", "the bus stop is outside", "end of the month",
    "cancel my appointment", "I'll text you when I'm there", "send me the listing",
    "I might quit my job", "great", "see you Friday", "keys are at the office",
    "please call me later", "don't stop now", "stop at the bank first", "text me the code",
    "the lease can end early", "message me when you arrive", "thanks",
]


@given(
    st.lists(st.sampled_from(CHUNKS), min_size=1, max_size=6),
    st.sampled_from([", ", ". ", " and ", "! ", "; ", " - "]),
    st.booleans(),
)
def test_small_talk_is_never_suspected(chunks: list[str], joiner: str, upper: bool) -> None:
    text = joiner.join(chunks)
    assert not looks_like_opt_out(text.upper() if upper else text)

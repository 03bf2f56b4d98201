"""What kind of fact a question asks for, and whether a text holds one. Pure functions.

"How much ...?" wants a number, "When ...?" a date, "Who ...?" a person, "Where ...?" a place.
A sentence that shares the question's words but holds no fact of that kind ("The Zika virus is
spreading ...") does not answer it; the sentence beside it with "$1.9 billion" does. This is
the classic answer-type check of question answering, read from the question's own wording
(ordinary English interrogatives), never from a corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from embeddings.bm25 import STOPWORDS, stem, tokenize
from embeddings.dates import MONTH_PATTERN, full_dates
from qa.constraints import ROLE_WORDS

NUMBER, DATE, PERSON, PLACE = "number", "date", "person", "place"

# Nouns that stand for a person in "Which senator ...?", "What official ...?" (ordinary English).
_PERSON_NOUNS = (
    r"(?:person|people|official|leader|member|congress(?:man|woman|men|women)|senator|representative|lawmaker|sponsor|"
    r"author|writer|speaker|minister|president|secretary|judge|justice|governor|mayor|ambassador|general|commander|officer|"
    r"director|chief|deputy|expert|specialist|owner|founder|spokes(?:man|woman|person)|candidate|nominee|victim|suspect|"
    r"defendant|employee|soldier|husband|spouse)s?|(?:gentle)?(?:man|men)|wom[ae]n|wi(?:fe|ves)"
)
_IS_PERSON_NOUN = re.compile(rf"{_PERSON_NOUNS}", re.I)
#: A question names what it asks for in at most this many words ("the name of the Islamic
#: Movement of Uzbekistan deputy shadow governor").
ASKED_NOUN_REACH = 7

_KINDS = (
    (
        NUMBER,
        re.compile(
            r"^\s*(?:how (?:much|many|long|large|big|old|often|far|high|low)|what (?:percentage|percent|share|amount|number|sum|fraction)|by how much)\b",
            re.I,
        ),
    ),
    (DATE, re.compile(r"^\s*(?:when|(?:on )?(?:what|which) (?:day|date|year|month)|in (?:which|what) (?:year|month))\b", re.I)),
    (PERSON, re.compile(rf"^\s*(?:who|whom|whose|(?:which|what) {_PERSON_NOUNS})\b", re.I)),
    (PLACE, re.compile(r"^\s*(?:where|in (?:which|what) (?:city|country|province|state|town|district|place))\b", re.I)),
)
# An amount: money, a percentage, a count; a bare year ("in 2016") is a date, not an amount.
_NUMBER = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:%|percent|per cent|million|billion|trillion|thousand|hundred)\b|"
    r"\b(?!(?:1[5-9]|20)\d\d\b)\d[\d,.]*\b|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand|million|billion|dozen|half|twice|double|triple)\b",
    re.I,
)
_YEAR_OR_MONTH = re.compile(
    r"\b(?:1[5-9]|20)\d\d\b|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|"
    r"\b(?:yesterday|today|tomorrow|last (?:week|month|year)|next (?:week|month|year))\b"
)
# Two or more capitalised words in a row: a person's or place's name, unless they open a
# sentence (its first word is capitalised whatever it is). A short abbreviation's full stop ends
# no sentence: "(Rep. Marcus J. Molinaro, R-NY)".
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:[A-Z]\.|[A-Z][a-z]+))+")
_ENDS_SENTENCE = re.compile(r"[.!?]\s$")
_ABBREVIATED = re.compile(r"\b[A-Z][a-z]{0,3}\.\s$")


# The words a question may open with: an interrogative, an auxiliary ("Did ...", "Is ..."), or a
# preposition before one ("In which year ...", "By how much ..."), or a request ("Summarize ...").
_ASKING_START = re.compile(
    r"(?:(?:in|on|at|by|for|from|to|under|with)\s+)?(?:how|what|which|who|whom|whose|when|where|why|"
    r"is|are|was|were|did|does|do|has|have|had|can|could|will|would|should|may|might|"
    r"summari[sz]e|describe|outline|list|explain|tell|give|please)\b",
    re.I,
)


def asking_clause(question: str) -> str:
    """The question from its asking words on: a phrase that sets the scene first ("In December
    2010, how many buildings ...", "According to the White House, how many ...") is left out,
    so it is read as the question it is.

    Example:
        >>> asking_clause("In December 2010, how many buildings did they clear?")
        'how many buildings did they clear?'
        >>> asking_clause("In which year did it start?")
        'In which year did it start?'
        >>> asking_clause("When Hamilton rejected the rule, which assemblies did he name?")
        'which assemblies did he name?'
    """
    # "When" before a subject, not an auxiliary, sets the scene ("When Hamilton rejected the
    # rule, which assemblies did he name?"): the question is what follows the comma.
    scene = re.match(rf"\s*when\s+(?!{_AUXILIARY}\b)", question, re.I)
    if _ASKING_START.match(question.lstrip()) and not scene:
        return question
    for comma in re.finditer(r",\s+", question):
        rest = question[comma.end() :]
        if _ASKING_START.match(rest):
            return rest
    return question


def expected_kind(question: str) -> str | None:
    """The kind of fact a question asks for, or None for open questions.

    Example:
        >>> expected_kind("How much emergency money did the White House seek in 2016?")
        'number'
        >>> expected_kind("What did NATO say about North Korea?") is None
        True
    """
    asked = asking_clause(question)
    for kind, pattern in _KINDS:
        if pattern.search(asked):
            return kind
    return None


# A request in the imperative ("Summarize ...", "Tell me about ...") asks as "What ...?" does.
_REQUEST = re.compile(
    r"^\s*(?:please\s+)?(?:(?:can|could|would) you\s+)?(?:please\s+)?"
    r"(?:summari[sz]e|describe|outline|list|explain|tell me(?:\s+about)?|give (?:me\s+)?(?:an?\s+)?(?:overview|summary|rundown)(?:\s+of)?)\b",
    re.I,
)


def is_request(question: str) -> bool:
    """Whether a question is a request in the imperative ("Summarize ...", "Tell me about ...")."""
    return bool(_REQUEST.match(question))


def asking_words(question: str) -> str:
    """The words that only ask ("How much", "In which year", "Summarize"): not part of the subject.

    Example:
        >>> asking_words("How much did it cost?"), asking_words("Please summarize the 2023 joint statement.")
        ('How much', 'Please summarize')
    """
    asked = asking_clause(question)
    for _, pattern in _KINDS:
        match = pattern.search(asked)
        if match:
            return match.group()
    match = _REQUEST.search(asked)
    return match.group() if match else ""


# "How did X change between A and B?", "What changed since 2019?": a verb of change that ends
# the question or opens its time span frames it (what is asked is how X was said at each time);
# X is the subject. Without a span of time ("How does NATO view climate change?") it is a word
# of the subject.
_CHANGE = re.compile(
    r"^\s*(?:how|in what ways?)\b.*\b(chang(?:e|ed|es)|evolv(?:e|ed|es)|differ(?:ed|s)?|shift(?:ed|s)?|develop(?:ed|s)?)"
    r"(?=\s*[?.]?\s*$|\s+(?:between|from|over|since|across|after|during|compared|in (?:\d|the (?:years|period|course))))|"
    r"^\s*what\s+(changed|evolved|differed|shifted)\b",
    re.I,
)
_SPAN = re.compile(r"\b(?:between|since|over time|over the years|across)\b|\bfrom\b.*\bto\b|\b\d{4}\b.*\b\d{4}\b", re.I)


def change_word(question: str) -> str:
    """The verb that asks how something changed over a span of time, or "".

    Example:
        >>> change_word("How did the outlook on climate change shift between 2009 and 2026?")
        'shift'
        >>> change_word("How does NATO view climate change?")
        ''
    """
    asked = asking_clause(question)
    match = _CHANGE.search(asked)
    if match is None or not _SPAN.search(question):
        return ""
    if match.group(2):
        return match.group(2)
    if not re.search(r"\b(?:did|does|do|has|have|had)\b", asked[: match.start(1)], re.I):
        return ""  # "How much climate change ..." asks about the change itself
    return match.group(1)


# "How many additional U.S. troops would ...": what is counted is the last word before the verb
# or preposition that follows the counted phrase (a few words at most).
# The verbs that end the phrase a "how many" or "how much" question asks about.
_AUXILIARY = r"(?:did|do|does|were|was|are|is|will|would|could|can|has|have|had|should|might|must)"
#: "How many" is followed by at most this many words before what it counts.
COUNTED_REACH = 3
_HOW_MANY = r"^\s*how many\s+"
_COUNTED_PHRASE = rf"{_HOW_MANY}(?:[\w.'’-]+\s+){{0,{COUNTED_REACH}}}?([A-Za-z]+)"
_COUNTED = re.compile(rf"{_COUNTED_PHRASE}(?=\s+(?:{_AUXILIARY}|of|in|at|on|for|from|under|during)\b)", re.I)
# Or the phrase ends the question ("How many troops?").
_COUNTED_LAST = re.compile(rf"{_COUNTED_PHRASE}(?=\s*\?)", re.I)
# Words that may stand between a count and what it counts ("3,500 more U.S. troops"); other
# stop words end the counted phrase ("$1.2 billion to support increased troop levels").
_BREAKS = STOPWORDS - {"more", "most", "other", "few", "same", "own", "such", "very", "only"}
#: A count stands at most this many words before what it counts ("1,000 open domestic terrorism investigations").
COUNT_REACH = 4


#: "How much ...?" asks for an amount (a sum, a share, a quantity with its unit), not any number.
AMOUNT = f"{NUMBER}:amount"
#: "How long ...?" and "What prison sentence did he receive?" ask for a span of time with its
#: unit ("22.5 years", "30 minutes"), not any number.
DURATION = f"{NUMBER}:duration"
#: ...a prison term: a span of time told as one ("37.5 years in prison", "sentenced to 450
#: months"), not a five-day trial.
SENTENCE = f"{DURATION}:sentence"
_SENTENCING = re.compile(r"\b(?:prison|jail|sentenc\w*|imprison\w*|incarcerat\w*|custody|probation|behind bars)\b", re.I)
#: How many characters from a span of time what makes it a sentence may stand.
SENTENCE_REACH = 40
_HOW_LONG = re.compile(r"^\s*(?:for\s+)?how\s+long\b(?!\s+ago\b)", re.I)
_TERM = re.compile(r"^\s*(?:what|which)\s+(?:(?:prison|jail|custodial)\s+)?(?:sentence|term)\b", re.I)
_SPAN_OF_TIME = re.compile(
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|"
    r"ninety|hundred)[\s-]+(?:(?:more|additional|full|consecutive)\s+)?(?:years?|months?|weeks?|days?|hours?|minutes?|decades?)\b|"
    r"\blife\s+(?:in\s+prison|imprisonment|sentence)\b",
    re.I,
)
#: "How much did it pay / cost ...?" asks for a sum of money: "53 million individuals" is none.
MONEY = f"{AMOUNT}:money"
# Verbs of paying (ordinary English): "how much" with one of them asks for a sum.
_PAYING = re.compile(
    r"\b(?:pa(?:y|ys|id|ying)|refund(?:s|ed)?|costs?|cost(?:ed|ing)|sp[ea]nd(?:s)?|spent|owe[sd]?|fined?|charged?|earn(?:s|ed)?|"
    r"donat(?:e|es|ed)|reimburs(?:e|es|ed)|sav(?:e|es|ed)|rais(?:e|es|ed)|collect(?:s|ed)?)\b",
    re.I,
)
# A sum of money: with its currency's sign or name ("$1.4 million", "two hundred thousand pounds").
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\b(?:dollars?|cents|pounds|shillings|euros|pence|guineas)\b",
    re.I,
)
_HOW_MUCH = re.compile(r"^\s*(?:by\s+)?how\s+much\b", re.I)
# An amount: a sum of money, a share, a number with its scale or unit ("$81 million", "12
# percent", "1,200 acres", "two hundred thousand pounds"); not a phone number, not "the one".
# What a count is of: the word after it, if no small word ("10 of the", "2 and").
_UNIT = r"\s+(?!(?:and|or|to|of|in|on|at|for|by|the|a|an)\b)[a-z]{3,}"
_AMOUNT = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:%|percent\b|per cent\b|million\b|billion\b|trillion\b|thousand\b|hundred\b)|"
    rf"\b(?!(?:1[5-9]|20)\d\d\b)\d[\d,.]*{_UNIT}|"
    r"\b(?:hundred|thousand|million|billion|trillion)\s+(?:dollars|pounds|euros|acres|tons|gallons|barrels)\b|"
    r"\b(?:dollars|pounds|shillings|euros)\b|"
    # Counts and shares in words: "three months", "ten percent", "half", "doubled", "a third".
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozen)"
    rf"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?{_UNIT}|"
    r"\b(?:half|twice|double[ds]?|triple[ds]?|quadrupled|(?:a|one|two)[- ](?:third|quarter|fifth)s?)\b",
    re.I,
)


#: "Which foreign assemblies did he name ...?", "Which stores were set to close?": several
#: things by name, a list of names ("the Roman Tribuneship, the Polish Diet, and the States-
#: General"), not a sentence that only speaks of them.
NAMES = "names"


def _asks_names(asked: str) -> bool:
    """Whether a question asks for several things by name: "which" or "what" with a plural noun
    ("Which Taliban figures were captured?"), not "What did ...?".

    Example:
        >>> _asks_names("Which foreign assemblies did he name?"), _asks_names("What did NATO say?")
        (True, False)
        >>> _asks_names("Which newspaper printed it?"), _asks_names("Which of them has shown it?")
        (False, False)
    """
    words = asked.split()[1 : 1 + COUNTED_REACH + 1]
    for word in words:
        word = word.strip("?,;:")
        if re.fullmatch(_AUXILIARY, word, re.I) or word.lower() in STOPWORDS:
            return False
        if _PLURAL.match(word):
            return True
    return False


def asked_kind(question: str) -> str | None:
    """``expected_kind``; for "how many X" what is counted ("number:troop"), for "how much"
    an amount ("number:amount"), and for "how much X" an amount of it ("number:amount:money").

    Example:
        >>> asked_kind("How many additional U.S. troops would the bill have paid to send?")
        'number:troop'
        >>> asked_kind("How much emergency money did the White House seek?"), asked_kind("How much did it cost?")
        ('number:amount:money', 'number:amount:money')
        >>> asked_kind("How much did the release say?")
        'number:amount'
        >>> asked_kind("How long did the call last?"), asked_kind("What prison sentence did he receive?")
        ('number:duration', 'number:duration:sentence')
    """
    kind = expected_kind(question)
    asked = asking_clause(question)
    if kind is None and _TERM.search(asked):
        return SENTENCE
    if _HOW_LONG.search(asked):
        return DURATION
    if kind == NUMBER and _HOW_MUCH.search(asked):
        measured = _MEASURED.search(asked)
        if measured:
            return f"{AMOUNT}:{stem(measured.group(1).lower())}"
        return MONEY if _PAYING.search(asked) else AMOUNT
    if kind is None and _asks_names(asked):
        return NAMES
    counted = _counted(asked) if kind == NUMBER else None
    return f"{NUMBER}:{stem(counted[1].lower())}" if counted else kind


# "How much explosive was ...", "how much federal student debt was ...": what the amount is of,
# the last word of the phrase before the verb (none in "How much did it cost?").
_MEASURED = re.compile(
    rf"^\s*(?:by\s+)?how much\s+(?!(?:of|{_AUXILIARY})\b)(?:[\w.'’-]+\s+){{0,3}}?([A-Za-z]+)(?=\s+{_AUXILIARY}\b)",
    re.I,
)
_SCALES = frozenset(stem(w) for w in ("hundred", "thousand", "million", "billion", "trillion"))
#: An amount is of what stands this many words after it ("400 pounds of explosives", "$14
#: million in relief") or before it ("relief of $14 million").
MEASURE_AFTER, MEASURE_BEFORE = 5, 3


def _measures(text: str, measured: str) -> bool:
    """Whether a text gives an amount of what is measured (stemmed): "400 pounds of explosives".
    A text that never names it may give its amount in other words ("$1.9 billion" for "how
    much money"): any amount then."""
    words = [(m.start(), stem(m.group().lower())) for m in re.finditer(r"[A-Za-z]+", text)]
    if all(w != measured for _, w in words):
        return carries(AMOUNT, text)
    for m in _amounts(_AMOUNT, text):
        before = [w for at, w in words if at < m.start()][-MEASURE_BEFORE:]
        after = [w for at, w in words if at >= m.end() and w not in _SCALES][:MEASURE_AFTER]
        if measured in before or measured in after:
            return True
    return False


# Without a verb or preposition to end it ("How many Minnesota donors gave money ..."), what is
# counted is the first plural noun of the phrase: a word in -s (not "-ss", "-us", "-is") or an
# irregular plural, alone or closing a compound ("schoolchildren", "policemen").
_PLURAL = re.compile(r"^(?:[A-Za-z]+(?<![su]s)(?<!is)s|[A-Za-z]*(?:people|men|children))$", re.I)


def _counted(asked: str) -> tuple[str, str] | None:
    """What a "how many" question counts: the phrase as written and its last word, or None.

    A verb may close the phrase before a preposition ("How many schoolchildren came on the first
    day"): what is counted is then the plural noun just before it. A rate after the noun ("How
    many people a day were") is what the number is given in.

    Example:
        >>> _counted("How many schoolchildren came on the first day?")
        ('schoolchildren', 'schoolchildren')
        >>> _counted("How many people a day were trying to cross?")
        ('people a day', 'day')
    """
    match = _COUNTED.search(asked)
    if match:
        words = match.group(0).split()[2:]
        if len(words) >= 2 and not _PLURAL.match(words[-1]) and _PLURAL.match(words[-2].strip(".,")):
            return " ".join(words[:-1]), words[-2].strip(".,")
        return " ".join(words), match.group(1)
    opening = re.match(_HOW_MANY, asked, re.I)
    if opening is None:
        return None
    words = [w.strip("?,;:") for w in asked[opening.end() :].split()[: 1 + COUNTED_REACH]]
    for i, word in enumerate(words):
        if _PLURAL.match(word.rstrip(".")):
            return " ".join(words[: i + 1]).rstrip("."), word.rstrip(".")
    match = _COUNTED_LAST.search(asked)
    return (" ".join(match.group(0).split()[2:]), match.group(1)) if match else None


def counted_words(question: str) -> str:
    """What a "how many" question counts, as written ("additional U.S. troops"), or "".

    Example:
        >>> counted_words("How many Minnesota donors gave money to it?")
        'Minnesota donors'
    """
    counted = _counted(asking_clause(question))
    return counted[0] if counted else ""


def _counts(text: str, unit: str) -> bool:
    """Whether a text gives a number of ``unit`` (stemmed): "15 insurgents", "nine States"."""
    words = re.findall(r"[\w$%.,'’-]+", text)
    for i, word in enumerate(words):
        if stem(word.lower().strip(".,'’")) != unit:
            continue
        # The number and what it counts stand together, with nothing but other words of the
        # counted phrase between ("1,000 open domestic terrorism investigations"); "$1.2
        # billion to support increased troop levels" counts no troops.
        for j in range(i - 1, max(-1, i - 1 - COUNT_REACH), -1):
            if _NUMBER.search(words[j]):
                return True
            if words[j].lower().strip(".,'’") in _BREAKS:
                break
    return False


# What stands before or after the day of a date: "June 20", "JULY 7,", "20 June", "2019-06-20".
_MONTH_BEFORE = re.compile(rf"\b{MONTH_PATTERN}\s*$|\d{{4}}-(?:\d\d-)?$", re.I)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_PATTERN}", re.I)


def _amounts(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The numbers of a text that state an amount, in order: not part of a name, and not the
    day of a date ("June 20, 2019 (SAINT PAUL)" gives no number of anything). Lazy, so asking
    whether there is one stops at the first."""
    for m in pattern.finditer(text):
        if names_a_thing(text, m.start(), m.end()):
            continue
        # The number itself ends where its digits do ("20" of the amount match "20 June").
        digits = re.match(r"\D{0,2}\d[\d,.]*", m.group())
        after = m.start() + digits.end() if digits else m.end()
        if _MONTH_BEFORE.search(text[max(0, m.start() - 12) : m.start()]) or _MONTH_AFTER.match(text[after : after + 16]):
            continue
        yield m


def names_a_thing(text: str, start: int, end: int) -> bool:
    """Whether the number at text[start:end] is part of a name ("H.R. 10", "Resolution 2375")
    or a list mark ("(1)"), not an amount; a capitalised word that opens a sentence ("Some
    3,000") is no name.

    Example:
        >>> names_a_thing("It amends H.R. 10 to save $5 billion.", 15, 17), names_a_thing("Some 3,000 left.", 5, 10)
        (True, False)
        >>> names_a_thing("H.R. 10 would pass.", 5, 7), names_a_thing("the latest Resolution\\n2375", 22, 26)
        (True, True)
    """
    before, after = text[:start], text[end:]
    if before.endswith("(") and after.startswith(")"):
        return True
    if re.search(r"(?:^|[.!?]\s+)[A-Z]\w*\s*$", before):
        return False
    return bool(re.search(r"\S\s+[A-Z][\w.]*\s*$|^\s*[A-Z]\w*\.[\w.]*\s*$", before))


def carries(kind: str | None, text: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether a text holds a fact of the kind (always True when no kind is expected); for a
    count ("number:troop"), a number of what is counted.

    A name answers "who" or "where" only if the question does not already name it: ``known``
    holds the question's tokens, and a name whose last word is one of them ("Attorney General
    Keith Ellison" for "Whom did Ellison appoint?") is what is asked about, not the answer.

    Example:
        >>> q = frozenset({"ellison", "appoint", "director"})
        >>> carries(PERSON, "Attorney General Keith Ellison today announced the unit.", q)
        False
        >>> carries(PERSON, "He named Carrie Sperling as its director.", q)
        True
    """
    if kind is None:
        return True
    if kind == AMOUNT:
        return next(_amounts(_AMOUNT, text), None) is not None
    if kind == MONEY:
        return bool(_MONEY.search(text))
    if kind == DURATION:
        return bool(_SPAN_OF_TIME.search(text))
    if kind == SENTENCE:
        return any(
            _SENTENCING.search(text[max(0, m.start() - SENTENCE_REACH) : m.end() + SENTENCE_REACH]) for m in _SPAN_OF_TIME.finditer(text)
        )
    if kind.startswith(f"{AMOUNT}:"):
        return _measures(text, kind.rsplit(":", 1)[1])
    if kind.startswith(f"{NUMBER}:"):
        return _counts(text, kind.split(":", 1)[1])
    if kind == NUMBER:
        return next(_amounts(_NUMBER, text), None) is not None
    if kind == DATE:
        return bool(full_dates(text) or _YEAR_OR_MONTH.search(text))
    if kind == NAMES:
        return any(not set(tokenize(name)) <= known for name in (*_listed_names(text), *_enumerated(text)))
    return any(not set(tokenize(name.split()[-1])) <= known for name in _names(text))


def names_person(text: str, known: frozenset[str] = frozenset()) -> bool:
    """Whether a text names a person, as its wording shows (a title, an initial, a verb of saying
    beside the name), other than one the question names (see ``carries``): the stricter test a
    "who" answer passes first. Not every name is so marked ("He named Carrie Sperling"), so it
    ranks quotes; it does not decline.

    Example:
        >>> names_person("(Rep. Marcus J. Molinaro, R-NY, and six cosponsors)")
        True
        >>> names_person("H.R. 3935 – Securing Growth and Robust Leadership in American Aviation Act")
        False
    """
    return any(not set(tokenize(name.split()[-1])) <= known for name in marked_persons(text))


# "Who was the ...", "Which ...", "the name(s) of the ...": where the noun phrase of what a
# question asks for begins.
_ASKED_PHRASE = re.compile(r"^\s*(?:(?:who|whom)\s+(?:is|was|are|were)\s+(?:the|a|an)|which|what)\s+", re.I)
_NAME_OF = re.compile(r"\bnames?\s+of\s+(?:the\s+|a\s+|an\s+)?", re.I)


def asks_person_name(question: str) -> bool:
    """Whether a question asks for a person by name: what it asks for is one person ("Which
    Japanese defence minister ...", "Who was the gentleman ...") or the names of persons ("What
    was the name of the deputy shadow governor ...?"). A bare "Who sponsored it?" may be
    answered by a body (a committee, "coalition forces"), "What did the senator say?" asks for
    words, "What share of senators ...?" for a share, "Which group's leader ...?" for a group,
    and "Which leaders were arrested?" may be answered by who they were, unnamed.

    Example:
        >>> asks_person_name("What was the name of the Taliban weapons and IED expert captured in Logar?")
        True
        >>> asks_person_name("Which OMB director signed it?"), asks_person_name("What did the senator say?")
        (True, False)
        >>> asks_person_name("Who sponsored H.R. 3935?"), asks_person_name("What was the name of the operation the commander led?")
        (False, False)
        >>> asks_person_name("What share of senators must agree?"), asks_person_name("Which group's leader was tied to it?")
        (False, False)
    """
    asked = _ASKED_PHRASE.match(asking_clause(question))
    if asked is not None:
        for word in asked.string[asked.end() :].split()[:ASKED_NOUN_REACH]:
            possessive = re.search(r"['’]s?$", word)
            word = re.sub(r"['’]s?$", "", word.strip("?,.;:"))
            if word.lower() in STOPWORDS or word.lower().endswith("ed"):
                break  # the phrase ended at a small word or a verb ("what signs suggested ...")
            if _IS_PERSON_NOUN.fullmatch(word):
                return not _PLURAL.match(word)
            if possessive:
                break  # "Which group's leader": the group is asked for
    named = _NAME_OF.search(question)
    if named is not None:
        # The phrase runs to its first small word ("of" and "and" join names: "Islamic
        # Movement of Uzbekistan", "weapons and IED expert").
        for word in named.string[named.end() :].split()[:ASKED_NOUN_REACH]:
            word = word.strip("?,.;:'’")
            if _IS_PERSON_NOUN.fullmatch(word):
                return True
            if word.lower() in STOPWORDS - {"of", "and"}:
                break
    return False


def person_name_words(name: str) -> list[str]:
    """The words of a person's name, less its initials and the titles and roles around it
    ("H.E. Mr" has none).

    Example:
        >>> person_name_words("Rep. Marcus J. Molinaro"), person_name_words("H.E. Mr")
        (['Marcus', 'Molinaro'], [])
    """
    return [w for w in re.sub(rf"\b{_TITLE}(?=\s|$)", " ", name).split() if re.search(r"[^\W\d_]{2}", w)]


# A role before a name ("Secretary General Jens Stoltenberg") is not part of it.
_ROLES = re.compile(rf"^(?:(?:{ROLE_WORDS})\s*)+")


def _names(text: str) -> Iterator[str]:
    """The names a text writes, in order, less the roles before them. A run of capitalised
    words with a small word in it ("Schools Not Shelters Act") is a title, and a role alone
    ("Secretary General") is nobody's name.

    Example:
        >>> list(_names("the Schools Not Shelters Act, backed by Carrie Sperling and the NATO Secretary General"))
        ['Carrie Sperling']
        >>> list(_names("H.R. 3941 (Rep. Marcus J. Molinaro, R-NY). The Administration Opposes It."))
        ['Marcus J. Molinaro']
    """
    for match in _NAME.finditer(text):
        # The few characters before it tell: a sentence's end, or an abbreviation's full stop.
        before = text[max(0, match.start() - 7) : match.start()]
        if (match.start() == 0 or _ENDS_SENTENCE.search(before)) and not _ABBREVIATED.search(before):
            continue
        name = _ROLES.sub("", match.group()).strip()
        if name and not any(w.lower() in STOPWORDS for w in name.split()):
            yield name


# A list of names: two or more capitalised items, commas between them and "and" or "or" before
# the last ("Shawn Grygo, Heather Heim, and Shantal Magadanz", "Ebola and H1N1").
_ITEM = r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’.-]*){0,4}"
_LISTED = re.compile(rf"\b{_ITEM}(?:,\s+{_ITEM})*,?\s+(?:and|or)\s+{_ITEM}")


def _listed_names(text: str) -> Iterator[str]:
    """The items of the lists of names a text writes.

    Example:
        >>> list(_listed_names("the examples of the Roman Tribuneship, the Polish Diet, and the States-General."))
        ['Roman Tribuneship', 'Polish Diet', 'States-General']
        >>> list(_listed_names("a history of impotence, perplexity, and disorder."))
        []
    """
    for match in _LISTED.finditer(text):
        for item in re.split(r",\s+(?:(?:and|or)\s+)?|\s+(?:and|or)\s+", match.group()):
            item = re.sub(r"^the\s+", "", item.strip()).rstrip(".")
            if item:
                yield item


#: An item of a list set out with semicolons has at most this many words ("the introduction of
#: legislative balances and checks"); longer pieces are clauses of a sentence.
ITEM_WORDS = 15


def _enumerated(text: str) -> Iterator[str]:
    """The items of a list a text sets out with semicolons, four or more ("distinct
    departments; legislative balances and checks; courts ...; the representation ..."): the
    pieces between the first and the last, each short enough to be an item, not a clause. Three
    pieces ("It failed; they knew it; it fell.") are as often a sentence's clauses.

    Example:
        >>> list(_enumerated("Its principles: separate powers; checks; courts; representation: all are new."))
        ['checks', 'courts']
        >>> list(_enumerated("It failed; they knew it; it fell."))
        []
    """
    pieces = [p.strip() for p in text.split(";")]
    inner = pieces[1:-1]
    if len(inner) >= 2 and all(len(p.split()) <= ITEM_WORDS for p in inner):
        yield from inner


# What marks a name as a person's: a title or honorific before it ("Rep. Frelinghuysen", "Col.
# Rafael Torres", "Attorney General Keith Ellison"), an initial inside it ("Marcus J. Molinaro",
# "R.J. Peek"), or a verb of saying beside it ("said Sarah Lee", "Tom Reyes said"). A run of
# capitalised words alone is as often an institution, a place or a bill ("Federal Aviation
# Administration", "United States").
_TITLE = (
    rf"(?:{ROLE_WORDS}|(?:Rep|Sen|Gov|Gen|Lt|Col|Maj|Capt|Sgt|Cpl|Spc|Pfc|Adm|Brig|Cmdr|Hon|Rev|Prof|Supt|Insp|Det)\.|"
    r"Representative|Congress(?:man|woman)|Chair(?:man|woman)?|Director|Commissioner|Commander|Colonel|Captain|Sergeant|"
    r"Lieutenant|Admiral|Sheriff|Chief|Deputy|Speaker|Secretary|Professor)"
)
_PERSON_NAME = r"(?:[A-Z]\.\s?){0,3}[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+))*"
_PERSON = re.compile(
    rf"\b{_TITLE}(?:\s+{_TITLE})*\s+(?P<titled>{_PERSON_NAME})|"
    rf"\b(?P<initialled>[A-Z][a-z]+\s+[A-Z]\.\s+[A-Z][\w'’-]+|[A-Z]\.\s?[A-Z]\.\s+[A-Z][\w'’-]+)|"
    rf"\b(?:said|says|stated|added|wrote)\s+(?P<sayer>{_PERSON_NAME})|"
    rf"(?P<speaker>{_PERSON_NAME})\s+(?:said|says|stated|added|wrote)\b"
)


def marked_persons(text: str) -> Iterator[str]:
    """The names of persons a text writes, as far as its wording shows them to be persons.

    Example:
        >>> list(marked_persons("(Rep. Frelinghuysen, R-NJ) and the Federal Aviation Administration"))
        ['Frelinghuysen']
        >>> list(marked_persons("H.R. 3941 (Rep. Marcus J. Molinaro, R-NY) for the United States."))
        ['Marcus J. Molinaro']
        >>> list(marked_persons("“It works,” said Sarah Lee. Story by Sgt. R.J. Peek"))
        ['Sarah Lee', 'R.J. Peek']
    """
    for match in _PERSON.finditer(text):
        name = next(group for group in match.groups() if group)
        name = _ROLES.sub("", name).strip()
        if name and name.split()[0].lower() not in STOPWORDS:
            yield name


# A date or a number asked anywhere in the question ("In which newspaper and on what date ...").
# "When" asks only where a question or one of its parts begins ("Who signed it, and when?"); as
# a conjunction it sets the scene ("What did Cork agree to when it settled?").
_ASKS_DATE = re.compile(
    rf"(?:^\W*when\b(?!\s+(?!{_AUXILIARY}\b)\w+[^,?]*,)|\b(?:and|or)\s+when\b|,\s*when\b)|\b(?:what|which)\s+(?:date|day|year|month)\b|\bhow long ago\b",
    re.IGNORECASE,
)
_ASKS_NUMBER = re.compile(
    r"\bhow\s+(?:many|much|long|often)\b|\b(?:what|which)\s+(?:number|percentage|per cent|share|amount|proportion|figure|sum)\b", re.IGNORECASE
)


def asked_fact(question: str) -> str | None:
    """'date' or 'number' when the question asks for one, else None."""
    if _ASKS_NUMBER.search(question):
        return "number"
    if _ASKS_DATE.search(question):
        return "date"
    return None

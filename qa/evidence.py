"""Decide in code whether the retrieved quotes answer a question, and say what the corpus holds.

Small generators cannot be trusted to decline (see the models guide), so answerability is
decided here from retrieval evidence: how much of the question's distinctive vocabulary the
best quote contains (IDF-weighted coverage) and how close it is in meaning (cosine). Both
must clear their bar. Pure functions over search results and corpus facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from embeddings.bm25 import tokenize
from embeddings.dates import StatementDate
from embeddings.text import normalize
from qa.answer_type import NUMBER, PERSON, asked_fact, asked_kind, counted_words, expected_kind, names_person
from qa.constraints import Constraints, Period
from qa.cutting import ENDS_SENTENCE
from qa.query import name_tokens, topical
from qa.quotes import Quote, SearchResult

#: The best quote must hold at least this IDF-weighted share of the question's subject words...
MIN_COVERAGE = 0.30
#: ...and either be this close in meaning (cosine of MiniLM embeddings)...
MIN_DENSE = 0.30
#: ...or hold this much of the words (short keyword questions embed far from long passages).
STRONG_COVERAGE = 0.60
#: A re-scored quote this close in meaning (EmbeddingGemma cosine) is supported with only...
LEARNED_RELEVANCE = 0.40
#: ...this share of the question's words. (Chosen on the dev halves: +5 answered of 78, no
#: unanswerable question answered; 0.35-0.45 and 0.10 gave the same.)
LEARNED_MIN_COVERAGE = 0.10
#: A re-scored quote that holds none of the question's words itself (its statement's title holds
#: some) answers only when this close in meaning ("For the Independent Journal. Saturday, December 22, 1788" for "In which
#: newspaper and on what date did No. 26 appear?").
WORDLESS_RELEVANCE = 0.60
#: A question naming what the documents never mention is answered only by a re-scored quote
#: this close in meaning... (above every unanswerable dev question's best quote, 0.36-0.51)
UNNAMED_RELEVANCE = 0.55
#: ...holding this share of the question's weighted words, the unknown name counting as missing.
UNNAMED_COVERAGE = 0.60
#: A question's word whose stem has at least this many letters counts as used by a statement
#: that has a word beginning with that stem ("settl" for "settlement").
MIN_SHARED_STEM = 5
#: A quote holding more of the question's names leads over a more relevant one this close.
NAMED_RELEVANCE_GAP = 0.02
#: Further quotes join the answer only if nearly as good as the best one: a small model handed
#: weaker quotes writes about them instead.
FOLLOW_COVERAGE_GAP = 0.10
#: A quote with the asked kind of fact leads if its coverage is at most this far below the best.
TYPED_COVERAGE_GAP = 0.25
#: With a re-scorer: a quote holding the asked kind of fact leads if it is among the first few...
TYPED_LOOKAHEAD = 3
#: ...and further quotes follow when their relevance is at most this far below the leader's.
FOLLOW_RELEVANCE_GAP = 0.10
FOLLOW_DENSE_GAP = 0.10
#: An open question ("What did X say about Y?") is answered with up to this many points: the
#: leading statement's other passages on the subject, then other statements nearly as relevant.
MAX_POINTS = 4
#: A further point of the leading statement holds at least this share of the leading quote's subject words...
POINT_SHARE = 0.5
#: ...or, re-scored, is at most this far below it in relevance: a statement's opening paragraph
#: repeats the question's every word (who, where, the occasion), and the speaker's own words on
#: the subject share fewer of them.
POINT_RELEVANCE_GAP = 0.15


@dataclass(frozen=True)
class Verdict:
    """Whether to answer, with which quotes, and why (for logs and the not-found text)."""

    answerable: bool
    quotes: tuple[Quote, ...]
    reason: str
    # The figure the supporting passages lack ("no number of troops" for "how many troops"):
    # the not-found text names it.
    uncounted: str = ""
    # Names of the question the documents never use, though the quotes answer the rest of it:
    # the answer says so first.
    unmentioned: tuple[str, ...] = ()
    # What the question asks about that the statements searched never name, though others do:
    # why it is declined, which the not-found text says.
    unnamed: tuple[str, ...] = ()


def supported(quote: Quote) -> bool:
    """Whether a quote carries enough of the question's words, and its meaning or most words;
    or, re-scored, is close in meaning to the question by the stronger model and holds some of
    its words (a paraphrase: "the authority everyone consults" for "the oracle who is always
    consulted").

    The quoted words themselves must hold at least one of the question's subject words (a
    heading or an author line that shares only its document's title says nothing), unless the
    re-scorer finds them very close in meaning: a dateline answers "in which newspaper and when".
    Every number the question names must stand in the quote or its title: asked about the
    act "for Fiscal Year 2020", the act "for Fiscal Year 2022" is another one.
    """
    if not quote.numbers_held:
        return False
    if quote.own_coverage <= 0:
        return quote.relevance is not None and quote.relevance >= WORDLESS_RELEVANCE and quote.coverage >= LEARNED_MIN_COVERAGE
    lexical = quote.coverage >= MIN_COVERAGE and (quote.dense >= MIN_DENSE or quote.coverage >= STRONG_COVERAGE)
    learned = quote.relevance is not None and quote.relevance >= LEARNED_RELEVANCE and quote.coverage >= LEARNED_MIN_COVERAGE
    return lexical or learned


def may_be_supported(quote: Quote) -> bool:
    """Whether a quote could be supported once re-scored (worth asking the re-scorer about)."""
    return quote.own_coverage > 0 and quote.numbers_held and quote.coverage >= min(MIN_COVERAGE, LEARNED_MIN_COVERAGE)


def judge(result: SearchResult, limit: int) -> Verdict:
    """Answer only from quotes that carry the question's words and meaning.

    A name of the question that the documents never use ("Iran", "Whiskey Rebellion") is
    usually what it asks about, and then nothing answers it. It declines the question unless
    the re-scorer finds a quote that answers the rest of it as a whole: very close in meaning,
    with most of the question's other words (a name the documents write another way, a
    nickname, a descriptive aside).
    """
    verdict = _judge(result, limit)
    lead = verdict.quotes[0] if verdict.answerable else None
    close = lead is not None and (lead.relevance or 0.0) >= UNNAMED_RELEVANCE and lead.coverage >= UNNAMED_COVERAGE
    if result.unknown_names:
        if close:
            return replace(verdict, reason=f"{verdict.reason}; though the documents never mention {', '.join(result.unknown_names)}", unmentioned=result.unknown_names)
        return Verdict(False, (), f"the documents never mention {', '.join(result.unknown_names)}")
    # The same of a name the statements searched never use, though others do ("Vermont", asked
    # of Madison's papers): unless it only says whom the question asks ("did the White House
    # say"), which the statements need not write.
    missing = tuple(name for name in result.unnamed if topical(result.question, name))
    if missing and verdict.answerable and not close:
        return Verdict(False, (), f"the statements searched never mention {', '.join(missing)}", unnamed=missing)
    return verdict


def _judge(result: SearchResult, limit: int) -> Verdict:
    if not result.quotes:
        reason = "no statement matches the requested period or sources" if result.constraints.any else "no passage matched"
        return Verdict(False, (), reason)
    if all(q.relevance is not None for q in result.quotes):
        return _judge_ranked(result, limit)
    # The supported quote that holds most of the question's words leads; the retriever's
    # order breaks ties.
    best = None
    for q in result.quotes:
        if supported(q) and (best is None or q.coverage > best.coverage):
            best = q
    # A quote that holds the kind of fact asked for (the number for "how much") leads over one
    # that only shares a few more of the question's words.
    typed = [q for q in result.quotes if q.typed and supported(q)]
    if best is not None and not best.typed and typed:
        closest = max(typed, key=lambda q: q.coverage)
        if closest.coverage >= best.coverage - TYPED_COVERAGE_GAP:
            best = closest
    if best is None:
        top = max(result.quotes, key=lambda q: q.coverage + q.dense)
        return Verdict(False, (), f"best quote covers {top.coverage:.2f} of the question's words at cosine {top.dense:.2f}")
    if _asks_number(result.question) and not best.typed:
        closest = max((q for q in typed if _stands_in(q, best, result.question)), key=lambda q: q.coverage, default=None)
        if closest is None:
            return _uncounted(result)
        best = closest
    followers = [
        q
        for q in result.quotes
        if q is not best
        and supported(q)
        and q.coverage >= best.coverage - FOLLOW_COVERAGE_GAP
        and q.dense >= best.dense - FOLLOW_DENSE_GAP
        and _may_follow(q, best, result)
    ]
    return Verdict(True, _with_points(result, best, followers, limit), "supported")


def _judge_ranked(result: SearchResult, limit: int) -> Verdict:
    """Judge quotes a re-scorer has put in order of relevance: the first supported quote leads
    (one holding the asked kind of fact, if one stands right behind it), and the supported
    quotes nearly as relevant follow."""
    ranked = [q for q in result.quotes if supported(q)]
    if not ranked:
        top = max(result.quotes, key=lambda q: q.coverage + q.dense)
        return Verdict(False, (), f"best quote covers {top.coverage:.2f} of the question's words at cosine {top.dense:.2f}")
    if expected_kind(result.question) is None and asked_fact(result.question) is None and any(q.own_coverage > 0 for q in ranked):
        # Asked what was said, a line that shares none of the question's words ("RIVERTON,
        # March 12, 2019") says nothing of it, however close its statement's title is.
        ranked = [q for q in ranked if q.own_coverage > 0]
    best = _naming_most(ranked, result)
    if _asks_number(result.question):
        # Asked how many or how much, only a quote that gives the number answers, and one
        # about the question's subject (nearly as many of its words, and its names).
        best = next((q for q in ranked if q.typed and _stands_in(q, best, result.question)), None)
        if best is None:
            return _uncounted(result)
    elif not best.typed:
        best = next((q for q in ranked[:TYPED_LOOKAHEAD] if q.typed and _stands_in(q, best, result.question)), best)
    if expected_kind(result.question) == PERSON:
        # Asked who, a quote nearly as good that names a person as such leads one whose only
        # names are a bill's or an agency's; so does a line of the leading quote's own statement
        # that is no sentence, its heading or byline: the sponsor line under a bill's name,
        # "(Rep. Marcus J. Molinaro, R-NY)", is who introduced it.
        known = frozenset(tokenize(result.question))
        if not names_person(best.text, known):
            near = list(ranked[:TYPED_LOOKAHEAD]) + [
                q for q in result.quotes if q.ref.doc_id == best.ref.doc_id and q.numbers_held and not ENDS_SENTENCE.search(q.text)
            ]
            best = next((q for q in near if names_person(q.text, known) and _stands_in(q, best, result.question)), best)
    followers = [
        q for q in ranked if q is not best and (q.relevance or 0.0) >= (best.relevance or 0.0) - FOLLOW_RELEVANCE_GAP and _may_follow(q, best, result)
    ]
    return Verdict(True, _with_points(result, best, followers, limit), "supported; ordered by relevance")


def _naming_most(ranked: list[Quote], result: SearchResult) -> Quote:
    """The quote that leads: the most relevant, unless one nearly as relevant holds more of the
    names the question asks about. The re-scorer weighs a statement on another company's data
    breach about as close as the one on "T-Mobile"; the name tells them apart."""
    names = name_tokens(result.question) - _speaker_tokens(result)
    top = ranked[0]
    if not names:
        return top

    def held(quote: Quote) -> int:
        return len(names & quote_words(quote))

    close = [q for q in ranked if (q.relevance or 0.0) >= (top.relevance or 0.0) - NAMED_RELEVANCE_GAP]
    return max(close, key=held) if max(map(held, close)) > held(top) else top


def _stands_in(typed: Quote, best: Quote, question: str) -> bool:
    """Whether a quote with the asked kind of fact may stand in for the best quote: it holds
    nearly as many of the question's words, and every name of the question the best quote
    holds (a sum from another bill's statement is no answer about the "Financial CHOICE Act")."""
    if typed is best:
        return True
    if typed.coverage < best.coverage - TYPED_COVERAGE_GAP:
        return False
    return _holds_names(typed, best, question)


def _holds_names(quote: Quote, best: Quote, question: str, enforced: frozenset[str] = frozenset()) -> bool:
    """Whether a quote holds every name of the question that the best quote holds (less the
    ``enforced`` name tokens a filter already guarantees)."""
    names = name_tokens(question) - enforced
    return quote_words(best) & names <= quote_words(quote)


def quote_words(quote: Quote) -> set[str]:
    """The tokens of a quote and its statement's title: where a name of the question may stand."""
    return set(tokenize(f"{quote.ref.title} {quote.text}"))


def _may_follow(quote: Quote, best: Quote, result: SearchResult) -> bool:
    """Whether a quote nearly as good as the best may join it: one of the best quote's statement
    may; one of another statement must hold the question's names that the best quote holds
    (asked about a loudspeaker "near Sanzar", another village's loudspeaker is no answer). A
    speaker the question names is a filter on statements, not a name their words must repeat."""
    if quote.ref.doc_id == best.ref.doc_id:
        return True
    return _holds_names(quote, best, result.question, _speaker_tokens(result))


def _speaker_tokens(result: SearchResult) -> frozenset[str]:
    """The tokens of the speakers a question filters on: names its quotes need not repeat."""
    return frozenset(t for name in result.constraints.speakers for t in tokenize(name))


def _asks_number(question: str) -> bool:
    return (asked_kind(question) or "").startswith(NUMBER)


def _uncounted(result: SearchResult) -> Verdict:
    what = counted_words(result.question)
    lack = f"no number of {what}" if what else "no figure for it"
    return Verdict(False, (), f"no supported quote gives {lack}", uncounted=lack)


def _with_points(result: SearchResult, best: Quote, followers: list[Quote], limit: int) -> tuple[Quote, ...]:
    """The leading quote and those that follow it, in the search's order.

    A question asking for a particular fact (who, when, how many) gets the fact first, with
    ``limit`` quotes at most. An open question gets the distinct points its leading statement
    makes on the subject too (its other supported passages), up to ``MAX_POINTS``.
    """
    if expected_kind(result.question) is not None:
        return (best, *followers)[:limit]
    points = {id(q) for q in followers}
    # A point of the same statement carries the subject at least half as fully as the leading
    # quote: "STATEMENT OF ADMINISTRATION POLICY" shares a word, not the subject.
    points |= {
        id(q)
        for q in result.quotes
        if q.ref.doc_id == best.ref.doc_id and supported(q) and (q.own_coverage >= POINT_SHARE * best.own_coverage or _nearly_as_relevant(q, best))
    }
    # A line that only says its statement's title again is no point: the sources list names it.
    ordered = [q for q in result.quotes if id(q) in points and q is not best and not is_title(q)]
    return (best, *ordered)[: max(limit, MAX_POINTS)]


def _nearly_as_relevant(quote: Quote, best: Quote) -> bool:
    """Whether the re-scorer puts a quote that shares some of the question's words nearly as
    close to the question as the best one (a dateline shares none: it is no point)."""
    if quote.relevance is None or best.relevance is None or quote.own_coverage <= 0:
        return False
    return quote.relevance >= best.relevance - POINT_RELEVANCE_GAP


def is_title(quote: Quote) -> bool:
    """Whether a quote's words are its statement's title (or part of it), as written there."""
    words = normalize(quote.text)
    return bool(words) and words in normalize(quote.ref.title)


@dataclass(frozen=True)
class CorpusFacts:
    """What the corpus holds, for telling the user what it does cover."""

    n_documents: int
    dates: tuple[StatementDate, ...]
    n_undated: int
    # Everyone the documents name as a speaker, for telling a user whom they can ask about.
    speakers: tuple[str, ...] = ()

    @classmethod
    def of(cls, dates: Iterable[StatementDate | None], speakers: Iterable[str] = ()) -> CorpusFacts:
        all_dates = list(dates)
        known = tuple(sorted((d for d in all_dates if d), key=lambda d: d.first))
        return cls(len(all_dates), known, len(all_dates) - len(known), tuple(sorted(set(speakers))))

    def speakers_phrase(self, most: int = 12) -> str:
        """'A, B and C' (the first ``most``, then how many more)."""
        names = list(self.speakers)
        if len(names) > most:
            return ", ".join(names[:most]) + f" and {len(names) - most} more"
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def span(self) -> str:
        if not self.dates:
            return "none of them dated"
        first, last = human_date(self.dates[0]), human_date(self.dates[-1])
        return f"dated {first}" if first == last else f"dated {first} to {last}"

    def nearest_years(self, period: Period) -> tuple[int | None, int | None]:
        """The closest statement years before and after a period."""
        before = [d.year for d in self.dates if d.last < period.first]
        after = [d.year for d in self.dates if d.first > period.last]
        return (max(before) if before else None, min(after) if after else None)


def human_date(value: StatementDate | str | None) -> str:
    """'31 October 2017', 'December 2010', or 'undated'."""
    if value is None:
        return "undated"
    if isinstance(value, str):
        from embeddings.dates import parse_iso

        value = parse_iso(value)
    if value.first == value.last:
        return f"{value.first.day} {value.first.strftime('%B %Y')}"
    return value.first.strftime("%B %Y")


def _years_phrase(years: Iterable[int]) -> str:
    ordered = sorted(set(years))
    words = [str(y) for y in ordered]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


#: A word of the question said back longer than this is cut ("“aaaa…”"): a pasted run of
#: characters is no word to read back whole.
MAX_SAID_WORD = 40


def shown_word(word: str) -> str:
    """A question's word as a message says it back: whole, or its start and "…".

    Example:
        >>> shown_word("x" * 50)
        'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'
    """
    return word if len(word) <= MAX_SAID_WORD else word[: MAX_SAID_WORD - 1] + "…"


def _quoted(words: Iterable[str]) -> str:
    listed = [f"“{shown_word(w)}”" for w in words]
    return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " or " + listed[-1]


#: A word of the question more frequent in English than this (Zipf scale) is the question's
#: wording ("want", "happened", "money"); a rarer one ("bike", "troops") is what it asks about.
WORDING_ZIPF = 5.0


def unused_words(absent: Iterable[str], said: Iterable[str], texts: Iterable[str]) -> tuple[str, ...]:
    """The words of a question that its answer's statements never use, as it wrote them.

    ``absent`` are the question's words no statement searched uses in its passages; of them,
    those already ``said`` (a name noted first), the question's wording, and any that the
    answer's statements use after all (in a title or a heading) are left out.

    Example:
        >>> unused_words(["bike", "want"], [], ["The work will close two of the bridge's four lanes."])
        ('bike',)
        >>> unused_words(["settled"], [], ["Prior to this settlement, it had refused."])
        ()
    """
    from wordfreq import zipf_frequency

    words = set(tokenize(" ".join(texts)))
    done = {t for name in said for t in tokenize(name)}

    def used(tokens: set[str]) -> bool:
        # A word the statements use in another form counts as used: "settled" for a
        # "settlement" ("settl" begins "settlement"); a stem too short to tell is not stretched.
        return bool(tokens & words) or any(len(t) >= MIN_SHARED_STEM and any(w.startswith(t) for w in words) for t in tokens)

    return tuple(
        w for w in absent if zipf_frequency(w, "en") < WORDING_ZIPF and (tokens := set(tokenize(w))) and not tokens & done and not used(tokens)
    )


def unused_note(words: Sequence[str], n_statements: int) -> str:
    """What an answer says first when its statements never use words of the question.

    Example:
        >>> unused_note(["bike"], 1)
        'The statement quoted never uses the word “bike”; it says this on the rest of the question.'
    """
    several = n_statements > 1
    listed = " or ".join(f"“{word}”" for word in words)
    return (
        f"The statement{'s' * several} quoted never use{'' if several else 's'} the word{'s' * (len(words) > 1)} {listed}; "
        f"{'they say' if several else 'it says'} this on the rest of the question."
    )


def searched_statements(constraints: Constraints) -> str:
    """The statements a question's conditions allow, as a sentence names them: "The statements
    by Lori Swanson dated 2018", "The statements dated 2017"."""
    by = f" by {' or '.join(constraints.speakers)}" if constraints.speakers else ""
    dated = f" dated {constraints.period.label}" if constraints.period else ""
    return f"The statements{by}{dated}" if by or dated else "The statements searched"


def not_found_text(result: SearchResult, facts: CorpusFacts, topic_dates: Iterable[date], verdict: Verdict) -> str:
    """Why nothing is answered, and what the documents do hold instead.

    Every sentence states only what the code established: that no statement is dated in the
    period, that the statements never use a word of the question, or that no passage holds
    enough of the question's words and meaning. It never says the statements "do not
    address" a subject, which no check here can know.

    Args:
        result: the search under the question's constraints.
        facts: the corpus's dates.
        topic_dates: dates of statements that do answer the question when the period is
            ignored (empty when none do).
        verdict: the answerability verdict.
    """
    period = result.constraints.period
    person = result.constraints.person
    # Words are missing from the statements searched: a speaker's, if the question names one.
    by = f" by {' or '.join(result.constraints.speakers)}" if result.constraints.speakers else ""
    lines = []
    if verdict.uncounted:
        where = f" dated {period.label}" if period else ""
        lines.append(f"The passages{where} that speak of this give {verdict.uncounted}.")
    elif verdict.unnamed:
        lines.append(f"{searched_statements(result.constraints)} never mention {_quoted(verdict.unnamed)}.")
        # Years to ask about instead: none the period already touches ("1788" for "May 1788").
        topic_years = sorted({d.year for d in topic_dates if period is not None and not period.first.year <= d.year <= period.last.year})
        if period is not None and topic_years:
            lines.append(f"On this subject the documents hold statements from {_years_phrase(topic_years)}; ask about one of those years.")
    elif person and not result.constraints.speakers and not result.unknown_names:
        where = f" dated {period.label}" if period else ""
        # "the Administration's view" names its speaker with the article; "Madison" without.
        named = f"the {person}" if re.search(rf"\bthe\s+{re.escape(person)}\b", result.question, re.I) else person
        lines.append(f"No statement in the documents is by {named}, and no passage{where} that names {named} answers this.")
        if facts.speakers:
            lines.append(f"The speakers they name are {facts.speakers_phrase()}.")
    elif period is not None:
        in_period = [d for d in facts.dates if period.contains(d.first, d.last)]
        # Years worth asking about instead: those outside the period asked.
        topic_years = sorted({d.year for d in topic_dates if not period.contains(d, d)})
        if not in_period:
            before, after = facts.nearest_years(period)
            nearest = [y for y in (before, after) if y is not None]
            lines.append(f"No statement in the documents is dated {period.label}.")
            if nearest:
                lines.append(f"The nearest are from {_years_phrase(nearest)}.")
        elif result.allowed_passages == 0 and result.constraints.speakers:
            lines.append(f"No statement by {' or '.join(result.constraints.speakers)} is dated {period.label}.")
        elif result.allowed_passages == 0:
            lines.append(f"No statement dated {period.label} matches the other conditions of the question.")
        elif result.absent:
            lines.append(f"The statements{by} dated {period.label} never use the word{'s' * (len(result.absent) > 1)} {_quoted(result.absent)}.")
        else:
            lines.append(f"No passage of the statements dated {period.label} holds enough of the question's words and meaning to answer it.")
        if topic_years:
            lines.append(f"On this subject the documents hold statements from {_years_phrase(topic_years)}; ask about one of those years.")
    elif result.unknown_names:
        names = result.unknown_names
        lines.append(f"The documents never mention {' or '.join(shown_word(n) for n in names)}, so they cannot answer this.")
        if result.constraints.person in names and facts.speakers:
            lines.append(f"The speakers they name are {facts.speakers_phrase()}.")
    elif result.constraints.speakers and not result.quotes:
        lines.append(f"No statement by {' or '.join(result.constraints.speakers)} matches the other conditions of the question.")
    elif result.absent and by:
        lines.append(f"The statements{by} never use the word{'s' * (len(result.absent) > 1)} {_quoted(result.absent)}.")
    elif result.absent:
        lines.append(f"The documents never use the word{'s' * (len(result.absent) > 1)} {_quoted(result.absent)}, so they cannot answer this.")
    else:
        lines.append("No passage of the documents holds enough of the question's words and meaning to answer it.")
    lines.append(f"The documents hold {facts.n_documents} statement{'s' * (facts.n_documents != 1)}, {facts.span()}.")
    return " ".join(lines)


def unmet_part_text(parts: Sequence[str], lead: Quote) -> str:
    """Why a question of several parts is declined: a part asks for a figure no statement
    gives, and an answer to the other parts alone would pass over it. Says which statement
    speaks of the rest.

    Example:
        >>> from qa.quotes import SourceRef
        >>> r = SourceRef("s1", "Officer charged", "2023-07-21", "", "statement", "s1.html", 0, 9)
        >>> unmet_part_text(["What sentence did she get?"], Quote(r, "Charged.", 1.0, 1.0, 1.0, 1.0))
        'No passage gives a figure for one part of the question: “What sentence did she get?” The statement that speaks of the rest is “Officer charged”, 21 July 2023.'
    """
    asked = " ".join(f"“{part}”" for part in parts)
    one = "one part" if len(parts) == 1 else "parts"
    return (
        f"No passage gives a figure for {one} of the question: {asked} "
        f"The statement that speaks of the rest is “{lead.ref.title}”, {human_date(lead.ref.date)}."
    )


def unnamed_person_text(lead: Quote) -> str:
    """Why a question asking for a person by name is declined: the passages that speak of
    what it asks about name no such person. Says which statement comes closest.

    Example:
        >>> from qa.quotes import SourceRef
        >>> r = SourceRef("s1", "Air strike in Takhar", "2010-09-02", "", "statement", "s1.html", 0, 9)
        >>> unnamed_person_text(Quote(r, "Forces targeted a senior member.", 1.0, 1.0, 1.0, 1.0))
        'The passages that speak of this do not name the person asked about. The statement that comes closest is “Air strike in Takhar”, 2 September 2010.'
    """
    return (
        "The passages that speak of this do not name the person asked about. "
        f"The statement that comes closest is “{lead.ref.title}”, {human_date(lead.ref.date)}."
    )

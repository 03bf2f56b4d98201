from datetime import date

import pytest

from qa.constraints import match_names, match_types, parse_period, understand


@pytest.mark.parametrize(
    ("question", "first", "last", "label"),
    [
        ("What did NATO say about North Korea in 2017?", date(2017, 1, 1), date(2017, 12, 31), "2017"),
        ("What happened in Ghazni province in June 2011?", date(2011, 6, 1), date(2011, 6, 30), "June 2011"),
        ("How did the message change between 2013 and 2017?", date(2013, 1, 1), date(2017, 12, 31), "2013–2017"),
        ("What has NATO said since 2020?", date(2020, 1, 1), date(9999, 12, 31), "since 2020"),
        ("What did they agree before 2015?", date(1, 1, 1), date(2014, 12, 31), "before 2015"),
        ("Operations after 2011?", date(2012, 1, 1), date(9999, 12, 31), "after 2011"),
        ("Which raids happened during Sept. 2010?", date(2010, 9, 1), date(2010, 9, 30), "September 2010"),
        ("What did the 2013 declaration say?", date(2013, 1, 1), date(2013, 12, 31), "2013"),
    ],
)
def test_periods(question: str, first: date, last: date, label: str) -> None:
    period = parse_period(question)
    assert period is not None
    assert (period.first, period.last, period.label) == (first, last, label)


def test_years_that_are_not_periods() -> None:
    assert parse_period("What is Japan's defence spending target for 2027?") is None
    assert parse_period("What does Resolution 2375 require?") is None


def test_latest_and_names_are_matched_against_the_corpus() -> None:
    speakers = ["Anders Fogh Rasmussen", "Jens Stoltenberg", "Shinzo Abe"]
    c = understand("What is the most recent thing Stoltenberg said about cyber?", speakers, ["joint statement"])
    assert c.latest and c.speakers == ("Jens Stoltenberg",)
    assert match_names("Is this able to work?", speakers) == ()
    # The speaker asked about is the filter; the one they spoke to is not.
    told = understand("In April 2013, what did Abe tell Rasmussen Japan would do?", speakers, [])
    assert told.speakers == ("Shinzo Abe",) and told.person == "Abe"
    both = understand("What did Stoltenberg and Abe say about North Korea?", speakers, [])
    assert both.speakers == ("Jens Stoltenberg", "Shinzo Abe")
    assert match_types("What does the joint statement say?", ["joint statement", "document"]) == ("joint statement",)


def test_a_type_word_that_is_the_subject_does_not_filter() -> None:
    types = ["courtesy call", "declaration", "joint statement", "press point"]
    # The subject asked about: other kinds of statement speak of the declaration too.
    assert match_types("When was the Joint Political Declaration signed?", types) == ()
    assert match_types("When did NATO and Japan sign their first joint political declaration?", types) == ()
    # A document pointed at as the source.
    assert match_types("What did Abe propose during the courtesy call?", types) == ("courtesy call",)
    assert match_types("Which areas of cooperation did the 2013 declaration highlight?", types) == ("declaration",)
    assert match_types("What did Stoltenberg say in the press point?", types) == ("press point",)


def test_years_named_one_by_one_are_those_years_only() -> None:
    period = parse_period("What did NATO say about North Korea in 2013 and in 2023?")
    assert period is not None and period.years == (2013, 2023) and period.label == "2013 and 2023"
    assert period.contains(date(2013, 4, 15), date(2013, 4, 15)) and period.contains(date(2023, 1, 31), date(2023, 1, 31))
    assert not period.contains(date(2017, 10, 31), date(2017, 10, 31))  # a year between is not asked about
    assert parse_period("Which reports won in 2013, 2017 or 2023?").years == (2013, 2017, 2023)
    assert parse_period("What was said between 2013 and 2017?").years == ()  # a span: every year of it


def test_months_named_by_range_or_one_by_one() -> None:
    summer = parse_period("What happened in Kandahar between June and August 2011?")
    assert summer is not None and (summer.first, summer.last) == (date(2011, 6, 1), date(2011, 8, 31))
    two = parse_period("What did Ellison say in June and July 2019?")
    assert two is not None and two.contains(date(2019, 6, 7), date(2019, 6, 7)) and two.contains(date(2019, 7, 2), date(2019, 7, 2))
    apart = parse_period("What did Ellison say in May and September 2019?")
    assert apart is not None and not apart.contains(date(2019, 7, 2), date(2019, 7, 2))  # a month between is not asked about
    assert apart.years == ()  # months, not whole years
    # Each month with its own place: both are asked about, not the first alone.
    places = parse_period("How did he describe the operations in Nuristan in August 2010 and in the Pech River Valley in November 2010?")
    assert places is not None and places.contains(date(2010, 11, 19), date(2010, 11, 19))
    assert not places.contains(date(2010, 9, 1), date(2010, 9, 1))
    # Asked per year, each year keeps only its part of the period.
    since = parse_period("What has ISAF said since June 2011?")
    assert since is not None and since.within_year(2011).first == date(2011, 6, 1)


def test_a_day_a_short_span_and_a_qualified_year_are_periods() -> None:
    # A day is searched within its month (a release of the 16th tells of the 15th as "yesterday").
    day = parse_period("What did NATO say on April 15, 2013?")
    assert day is not None and (day.first, day.last, day.label) == (date(2013, 4, 1), date(2013, 4, 30), "April 2013")
    assert parse_period("What happened on 15 April 2013?").label == "April 2013"
    assert parse_period("What did they say in 2017-18?").label == "2017–2018"
    assert parse_period("What did they say in early 2017?").label == "2017"  # was no period at all
    assert parse_period("What does Resolution 2375 require?") is None


def test_the_person_asked_about_is_read_past_their_titles() -> None:
    from qa.constraints import asked_person

    assert asked_person("What did Col. Rafael Torres say about the attacks?") == "Rafael Torres"
    assert asked_person("What did former Attorney General Skip Humphrey say about Juul?") == "Skip Humphrey"
    assert asked_person("According to Brig. Gen. Josef Blotz, what happened?") == "Josef Blotz"
    assert asked_person("What did Madison say about factions?") == "Madison"
    assert asked_person("What did the President say?") is None  # an office, not a name


def test_a_report_gives_words_to_a_person_only_with_a_verb_of_saying_beside_the_name() -> None:
    from qa.constraints import speaks

    assert speaks("Torres", '"They care little," said U.S. Army Col. Rafael Torres, the director.')
    assert speaks("Abe", "Prime Minister Abe proposed a new partnership.")
    assert speaks("Administration", "The Administration strongly opposes H.R. 10.")
    # Named, but as the one acted upon: nothing of theirs is said.
    assert not speaks("Humphrey", "Just as this duty led Attorney General Skip Humphrey to take on Big Tobacco three decades ago.")
    assert not speaks("May", "In may the office said nothing.")  # a name is matched as written

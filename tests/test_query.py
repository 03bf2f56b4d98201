"""A question's names the corpus never uses, and the words that only frame a question."""

from embeddings.bm25 import tokenize
from qa.query import prepare_query, unknown_names

VOCABULARY = frozenset(tokenize("The Federalist papers of Hamilton, Madison and Jay; NATO and North Korea"))


def test_names_the_corpus_never_uses_are_found() -> None:
    assert unknown_names("What did NATO say about Brazil?", VOCABULARY) == ("Brazil",)
    assert unknown_names("What did Madison write about factions?", VOCABULARY) == ()


def test_an_abbreviation_is_no_name() -> None:
    # "Nos. 18, 19 and 20" is how one writes several numbers of a series, not a name.
    assert unknown_names("Who is credited as the author of Federalist Nos. 18, 19 and 20?", VOCABULARY) == ()
    assert unknown_names("What did Sen. Hamilton say?", VOCABULARY) == ()


def test_the_verb_of_change_is_no_subject_word() -> None:
    query = prepare_query("How did NATO's message on North Korea change between 2013 and 2023?")
    assert "chang" not in query.subject and {"north", "korea"} <= set(query.subject)
    assert "chang" in prepare_query("What did NATO say about climate change?").subject


def test_a_document_number_is_told_from_a_day() -> None:
    from qa.query import identifier_numbers

    assert identifier_numbers("In which newspaper did Federalist No. 26 first appear?") == {"26"}
    assert identifier_numbers("What happened on 26 December?") == frozenset()


def test_how_many_asks_for_a_number_of_what_it_counts() -> None:
    from qa.answer_type import asked_kind, carries, counted_words

    question = "How many additional U.S. troops would the February 2018 stopgap bill have paid to send to Afghanistan?"
    assert asked_kind(question) == "number:troop" and counted_words(question) == "additional U.S. troops"
    # A sum beside the word is no count of it; a count a few words before it is.
    assert not carries("number:troop", "It includes $1.2 billion to support increased troop levels in Afghanistan.")
    assert carries("number:troop", "The bill would send 3,500 more U.S. troops to Afghanistan.")
    assert carries("number:investig", "The Bureau had about 1,000 open domestic terrorism investigations.")
    # With no verb or preposition after it, what is counted is the phrase's first plural noun.
    question = "How many Minnesota donors gave money to the Breast Cancer Outreach Foundation?"
    assert asked_kind(question) == "number:donor" and counted_words(question) == "Minnesota donors"
    assert asked_kind("How many people attended Ellison's Worthington listening session in July 2019?") == "number:peopl"
    assert asked_kind("How many of the bills passed?") == "number:bill"
    # A verb before the preposition is not what is counted; the plural noun before it is.
    came = "How many schoolchildren came on the first day to the new school?"
    assert asked_kind(came) == "number:schoolchildren" and counted_words(came) == "schoolchildren"
    assert carries("number:schoolchildren", "On its first day, 30 schoolchildren attended.")


def test_which_things_asks_for_a_list_of_their_names() -> None:
    from qa.answer_type import NAMES, asked_kind, carries

    assert asked_kind("Which Taliban figures were captured in the raid?") == NAMES
    # "When" before a subject sets the scene; the question follows the comma.
    assert asked_kind("When Hamilton rejected the rule, which assemblies did he name as examples?") == NAMES
    assert asked_kind("What did NATO say about Japan?") is None
    assert asked_kind("Which senators voted for it?") == "person"
    assert carries(NAMES, "They charged Shawn Grygo, Heather Heim, and Shantal Magadanz with fraud.")
    # Items all named by the question are no answer; a list of common nouns names nothing.
    assert not carries(NAMES, "It met Japan and NATO.", frozenset({"japan", "nato"}))
    assert not carries(NAMES, "It is a history of impotence, perplexity, and disorder.")


def test_a_list_set_out_with_semicolons_names_its_items() -> None:
    from qa.answer_type import NAMES, carries

    listed = (
        "The regular distribution of power into distinct departments; the introduction of legislative balances and checks; "
        "the institution of courts composed of judges; the representation of the people: these are wholly new discoveries."
    )
    assert carries(NAMES, listed)
    # Three pieces are as often one sentence's clauses, and a long piece is a clause, not an item.
    assert not carries(NAMES, "It failed; they knew it; it fell.")
    assert not carries(NAMES, "A; it was said by many of those who wrote to the papers that spring about the plan for union; B; C.")


def test_the_day_of_a_date_is_no_number() -> None:
    from qa.answer_type import AMOUNT, NUMBER, carries

    dateline = "June 20, 2019 (SAINT PAUL) — Attorney General Keith Ellison has filed a proposed court order."
    assert not carries(NUMBER, dateline) and not carries(AMOUNT, dateline)
    assert not carries(NUMBER, "On 20 June the order was filed.")
    assert carries(NUMBER, "On June 20, 2019 the court ordered 344 refunds.")


def test_how_much_was_paid_asks_for_a_sum_of_money() -> None:
    from qa.answer_type import AMOUNT, MONEY, asked_kind, carries

    assert asked_kind("How much did T-Mobile pay Minnesota to settle the investigation?") == MONEY
    assert asked_kind("How much did the court order the company to refund?") == MONEY
    assert asked_kind("How much heroin was found in the cache?") == "number:amount:heroin"
    assert asked_kind("How much did the release say was seized?") == AMOUNT
    # A count of people or a share is an amount, but no sum paid.
    assert not carries(MONEY, "The breach affected more than 53 million individuals, 670,505 of them in Minnesota.")
    assert not carries(MONEY, "It claimed to settle tax debts for 10% of what was owed.")
    assert carries(MONEY, "Inmediata will make a $1.4 million payment to the 32 states.")
    assert carries(MONEY, "a duty of a shilling a gallon would raise two hundred thousand pounds")


def test_how_long_and_what_sentence_ask_for_a_span_of_time() -> None:
    from qa.answer_type import DURATION, SENTENCE, asked_kind, carries

    assert asked_kind("What prison sentence did Remona Brown receive?") == SENTENCE
    assert carries(SENTENCE, "The court sentenced Chop to a total of 37.5 years in prison.")
    assert not carries(SENTENCE, "Following a five-day trial, the jury convicted Brown on 14 counts.")
    for question in (
        "How long was the prison term he received in state court?",
        "For how long would the act have frozen job-training funding?",
        "How long did the courtesy call last?",
    ):
        assert asked_kind(question) == DURATION, question
    assert asked_kind("How long ago did Congress first act?") != DURATION
    assert carries(DURATION, "The court sentenced Chop to a total of 37.5 years in prison.")
    assert carries(DURATION, "It would freeze funding for seven years.") and carries(DURATION, "a five-year term")
    # A conviction and the day of sentencing are no sentence.
    assert not carries(DURATION, "Brown was convicted on 14 counts and will be sentenced on June 24, 2021.")


def test_when_asks_a_date_only_where_a_question_or_its_part_begins() -> None:
    from qa.answer_type import asked_fact

    assert asked_fact("When did NATO and Japan sign their declaration?") == "date"
    assert asked_fact("Who signed the declaration, and when?") == "date"
    assert asked_fact("Where and when was No. 58 printed?") == "date"
    assert asked_fact("What did Cork agree to when it settled with the state in January 2021?") is None


def test_a_phrase_that_sets_the_scene_does_not_hide_what_is_asked() -> None:
    from qa.answer_type import AMOUNT, asked_kind, asking_words, change_word, expected_kind

    question = "In December 2010, how many buildings did the forces clear near Mang Tappeh?"
    assert asked_kind(question) == "number:build" and asking_words(question) == "how many"
    assert asked_kind("According to the White House in 2016, how much was sought?") == AMOUNT
    assert expected_kind("In June 2011, who led the operation?") == "person"
    assert change_word("Between 2013 and 2023, how did the message on North Korea change?") == "change"
    # A question that opens with its asking words is read as written; an open one stays open.
    assert expected_kind("In which year did it start, and who led it?") == "date"
    assert expected_kind("In July 2011, what did the commander say?") is None


def test_how_much_of_something_asks_for_an_amount_of_it() -> None:
    from qa.answer_type import AMOUNT, asked_kind, carries

    kind = asked_kind("How much explosive was in the cache they found?")
    assert kind == f"{AMOUNT}:explos"
    assert carries(kind, "The forces found 1,000 rounds of ammunition, 400 pounds of explosives and two launchers.")
    assert carries(kind, "It restores $11 billion in critical public health funding.")
    # Eight radios beside explosive device materials are no amount of explosives...
    radios = "The forces found eight radios, insurgent propaganda, uniforms, medical supplies and improvised explosive device materials."
    assert not carries(kind, radios)
    # ...but a text that never names what is measured may give its amount in other words.
    assert carries(asked_kind("How much emergency money did the White House seek?"), "It requests $1.9 billion.")
    assert asked_kind("How much was seized?") == AMOUNT


def test_how_much_asks_for_an_amount_not_any_number() -> None:
    from qa.answer_type import AMOUNT, asked_kind, carries

    assert asked_kind("How much was reported seized in the raid?") == AMOUNT
    assert asked_kind("By how much did regulators trim the rate increase?") == AMOUNT
    for amount in (
        "will pay $81 million",
        "a 12 percent increase",
        "protects 1,200 acres",
        "two hundred thousand pounds a year",
        "delayed notice for over three months",
        "prices more than doubled",
        "cut by a third",
    ):
        assert carries(AMOUNT, amount), amount
    # A pronoun and a phone number are numbers of a sort, and no amount; nor is a year.
    for other in ("monopolies like the one Apple maintains", "call (651) 296-3353 (Metro area)"):
        assert not carries(AMOUNT, other) and carries("number", other), other
    assert not carries(AMOUNT, "In 2019 Minnesota sued")


def test_a_count_the_passages_do_not_give_is_declined_and_said_so(extractive_engine) -> None:
    answer = extractive_engine.ask("How many ballistic missiles did North Korea launch in 2017?")
    assert answer.status == "not_found" and "give no number of ballistic missiles" in answer.text


def test_a_bill_s_number_is_no_amount() -> None:
    from qa.answer_type import carries

    assert not carries("number", "The substitute amendment to H.R. 10, the Financial CHOICE Act, reflects its principles.")
    assert carries("number", "In February, the Administration requested $1.9 billion in emergency funding.")
    assert carries("number", "Some 3,000 troops were sent.")


def test_a_sum_from_another_bill_s_statement_does_not_answer() -> None:
    from qa.constraints import Constraints
    from qa.evidence import judge
    from qa.quotes import Quote, SearchResult, SourceRef

    def quote(doc: str, title: str, text: str, relevance: float, coverage: float, typed: bool) -> Quote:
        ref = SourceRef(doc, title, "2017-06-06", "", "statement", f"{doc}.pdf", 0, len(text))
        return Quote(ref, text, 1.0, 0.5, 5.0, coverage, own_coverage=coverage, typed=typed, relevance=relevance)

    question = "How much did the Administration estimate the Financial CHOICE Act would save taxpayers?"
    about = quote("hr10", "H.R. 10 - Financial CHOICE Act", "The Financial CHOICE Act aims to eliminate taxpayer bailouts.", 0.47, 0.55, False)
    other = quote("hr6147", "H.R. 6147 - Appropriations", "In total, these eliminations would save $4.8 billion in FY 2019.", 0.46, 0.34, True)
    verdict = judge(SearchResult(question, Constraints(), (about, other), 10, "hybrid"), 3)
    assert not verdict.answerable and verdict.uncounted == "no figure for it"
    # The same sum in the bill's own statement answers.
    own = quote("hr10", "H.R. 10 - Financial CHOICE Act", "The Financial CHOICE Act would save taxpayers $24 billion.", 0.45, 0.5, True)
    verdict = judge(SearchResult(question, Constraints(), (about, other, own), 10, "hybrid"), 3)
    assert verdict.answerable and verdict.quotes[0] is own


def test_accented_words_are_whole_words() -> None:
    # "¿Qué" opens the question (no name "Qu"); "Zürich" is one unknown name, not "Z" and "rich";
    # "Fernandez" typed without its accent is the "Fernández" of the documents.
    assert unknown_names("¿Qué pasó en Kandahar?", frozenset({"kandahar"})) == ()
    assert unknown_names("What happened in Zürich?", frozenset({"happen"})) == ("Zürich",)
    assert tokenize("Fernandez") == tokenize("Fernández") == ["fernandez"]


def test_a_role_or_a_bill_s_title_is_nobody_s_name() -> None:
    from qa.answer_type import PERSON, carries

    asked = frozenset({"stoltenberg", "abe", "defenc", "minist"})
    meeting = "the meeting between the NATO Secretary General, H.E. Mr Jens Stoltenberg and H.E. Mr Shinzo Abe, Prime Minister of Japan"
    assert not carries(PERSON, meeting, asked)
    assert not carries(PERSON, "It opposes H.R. 3941, the Schools Not Shelters Act of 2023.", frozenset({"congressman"}))
    # A name after a role is still a name.
    assert carries(PERSON, "It was backed by Defence Secretary Carrie Sperling.", frozenset({"congressman"}))


def test_which_day_or_what_year_asks_for_a_date() -> None:
    from qa.answer_type import DATE, expected_kind

    assert expected_kind("Which day did Hamilton propose for holding all federal elections?") == DATE
    assert expected_kind("According to the 2012 statement, in what year did the act first pass?") == DATE
    assert expected_kind("Which state raised troops?") is None

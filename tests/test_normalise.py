"""Tests for discourse.normalise, on real snippets of the policy_pdfs corpus.

Unless a comment says otherwise, a snippet is pdfminer.six output
(discourse.extract.pdf.extract_pdf) of the named file and 1-based page in
/work/shared/corpora/policy_pdfs/pdf (licences: tests/fixtures/pdf/README.md).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from discourse.nlp import english_words
from discourse.normalise import (
    QUALITY_KEYS,
    fold_whitespace,
    map_hyphens,
    mask_digits,
    nfkc,
    normalise_pages,
    remove_dot_leaders,
    remove_running_lines,
    repair_line_hyphens,
    running_line_keys,
    strip_invisible,
)

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
BLOOD_SENTENCE = "These recommendations are accepted in principle by the UK Government"


@pytest.fixture(scope="module")
def words() -> frozenset[str]:
    return english_words()


def _fixture_pages(name: str) -> list[str]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["text"]


def _clean(pages: list[str]) -> list[str]:
    """The per-page character steps of normalise_pages."""
    return [fold_whitespace(remove_dot_leaders(strip_invisible(map_hyphens(nfkc(p))))) for p in pages]


def _page_texts(norm) -> list[str]:
    ends = [*norm.page_starts[1:], len(norm.text) + 2]
    return [norm.text[a : b - 2] for a, b in zip(norm.page_starts, ends, strict=True)]


# --------------------------------------------------------------------------- #
# nfkc
# --------------------------------------------------------------------------- #


def test_nfkc_ligatures():
    # Behaviour-Change-Report-Recomm.pdf p10 (table of interventions)
    snippet = (
        "e.g. time oﬀ \nwork to \nvolunteer  \n"
        "Providing \ninformation in \ne.g. leaﬂets \n"
        "provide caloriﬁc \ninformation on \nmenus \n"
        "e.g. traﬃc \ncalming \nmeasures"
    )
    out = nfkc(snippet)
    for plain in ("time off", "leaflets", "calorific", "traffic"):
        assert plain in out
    assert not any(0xFB00 <= ord(c) <= 0xFB06 for c in out)


def test_nfkc_compatibility_forms_and_kept_accents():
    # TheSpaceEconomyRecomm.pdf p78: superscript two
    assert nfkc("services  for  EU  member  states.  IRIS²  (Infrastructure") == (
        "services  for  EU  member  states.  IRIS2  (Infrastructure"
    )
    # Volume_1-Blood-Inquiry-Recomm.pdf p24: ellipsis; HMRC-RiskTriggersReport361.pdf p4: NBSP
    assert nfkc("contaminated … The most") == "contaminated ... The most"
    assert nfkc("The\xa0majority\xa0of") == "The majority of"
    # Behaviour-Change-Response.pdf p2: U+2017 is the font's opening quote; plain
    # NFKC would make it " \u0333" and split the word.
    s = "finding that ‗nudges‘, used in isolation"
    assert nfkc(s) == s
    assert nfkc("") == ""


# --------------------------------------------------------------------------- #
# map_hyphens
# --------------------------------------------------------------------------- #


def test_map_hyphens_u2010():
    # HMRC-RiskTriggersReport361.pdf p4
    snippet = "the\xa0introduction\xa0of\xa018‐20\xa0HMRC‐\ndefined\xa0“risk\xa0triggers”"
    out = map_hyphens(snippet)
    assert "18-20\xa0HMRC-\ndefined" in out
    assert "\u2010" not in out


def test_map_hyphens_u2011_and_dashes_kept():
    # U+2011 does not occur in policy_pdfs: a real phrase (Covid Module 1 report
    # p115, "evidence-based") with a non-breaking hyphen put in.
    assert map_hyphens("evidence\u2011based decision") == "evidence-based decision"
    # En dash in a real title (MANIFEST.csv, HL Paper 179): not a hyphen.
    assert map_hyphens("Session 2010–12") == "Session 2010–12"


# --------------------------------------------------------------------------- #
# strip_invisible
# --------------------------------------------------------------------------- #


def test_strip_invisible_pua_bullets():
    # HMRC-RiskTriggersReport361.pdf p4: U+F0B7 Symbol-font bullets
    snippet = "study\xa0are:\xa0\xa0\n\n\uf0b7  Agents\xa0reported\n\n\uf0b7  The\xa0entry"
    out = strip_invisible(snippet)
    assert "\uf0b7" not in out
    assert out == "study\xa0are:\xa0\xa0\n\n  Agents\xa0reported\n\n  The\xa0entry"
    # Between two visible characters a PUA glyph becomes a space (no word gluing);
    # supplementary-plane PUA is removed too.
    assert strip_invisible("Agents\uf0b7reported") == "Agents reported"
    assert strip_invisible("a \U000f0001b") == "a b"


def test_strip_invisible_control_chars():
    # pdftotext output of PostOfficeHorizon-I-_Inquiry-Recomm.pdf p12 (pdfminer drops
    # the U+0007 glyph itself)
    snippet = "a. Introduction\n3.1.\t\x07It is almost impossible to ascertain"
    assert strip_invisible(snippet) == "a. Introduction\n3.1.\tIt is almost impossible to ascertain"
    # Form feed (pdftotext page break), CR LF and CR become line breaks.
    assert strip_invisible("Volume 1\fThe Human Impact\r\nline\rnext") == ("Volume 1\nThe Human Impact\nline\nnext")
    # U+FFFD is not invisible: it stays for the quality figures.
    assert strip_invisible("the new Parliament\ufffd") == "the new Parliament\ufffd"


def test_strip_invisible_zero_width():
    # pdftotext output of UK-Covid-19-Inquiry-Module-1-Recomm.pdf p5 and p105
    assert strip_invisible("\ufeff\n\nContents\nIntroduction") == "\n\nContents\nIntroduction"
    assert strip_invisible("its potential side effects, \u200b\n\nincluding") == (
        "its potential side effects, \n\nincluding"
    )


def test_strip_invisible_soft_hyphen():
    # No soft hyphen occurs in policy_pdfs: a real sentence (Blood Inquiry report
    # p48) with soft hyphens put in where a typesetter would.
    snippet = "UK problems in achieving self-suf\u00adfi\u00adciency contributed significantly"
    assert strip_invisible(snippet) == "UK problems in achieving self-sufficiency contributed significantly"


# --------------------------------------------------------------------------- #
# remove_dot_leaders
# --------------------------------------------------------------------------- #


def test_remove_dot_leaders_dots():
    # WASPI-Recomm.pdf p2 and UK-Covid-19_Inquiry_Module_1_Response.pdf p5 (contents)
    waspi = (
        "Contents \n\nSummary ......................................................"
        ".............................................................. 4 \n\n"
        "Background to this document ...................................."
        "................................................. 6 \n"
    )
    assert fold_whitespace(remove_dot_leaders(waspi)) == ("Contents\n\nSummary 4\n\nBackground to this document 6")
    covid = "Ministerial Foreword ..................................................... 5 \n"
    assert fold_whitespace(remove_dot_leaders(covid)) == "Ministerial Foreword 5"


def test_remove_dot_leaders_fffd_runs():
    # Test strings from Conservative-Manifesto-GE2024.pdf p3 (contents) and p8:
    # quoted as short snippets only, the file is not redistributable.
    contents = (
        "Contents\n❱   Foreword " + "\ufffd" * 190 + "3\n"
        "❱   Bold actions to deliver a secure future for our country and for your family " + "\ufffd" * 19 + "4\n"
    )
    out = fold_whitespace(remove_dot_leaders(contents))
    assert out == (
        "Contents\n❱ Foreword 3\n❱ Bold actions to deliver a secure future for our country and for your family 4"
    )
    # An isolated U+FFFD is an unmapped full stop: kept.
    body = "event of the new Parliament\ufffd\n\nBacking business to invest,"
    assert remove_dot_leaders(body) == body


def test_remove_dot_leaders_spaced_and_ellipsis_runs():
    # Spaced and "…" leaders do not occur in policy_pdfs: the WASPI contents line
    # with those leader styles.
    assert fold_whitespace(remove_dot_leaders("Summary . . . . . . . . 4")) == "Summary 4"
    assert fold_whitespace(remove_dot_leaders("Summary …………… 4")) == "Summary 4"
    assert fold_whitespace(remove_dot_leaders("Summary … … … 4")) == "Summary 4"


def test_remove_dot_leaders_keeps_ellipses():
    # Volume_1-Blood-Inquiry-Recomm.pdf p24; Behaviour-Change-Report-Recomm.pdf p14
    for s in (
        "regarded as potentially \ncontaminated … The most important transmissible disease",
        "ions  are \nnot  rational  agents  of  this  kind  …  So  they  do  not",
        "contaminated ... The most important",
        "contaminated.... The most important",
    ):
        assert remove_dot_leaders(s) == s
    # PostOfficeHorizon-I-_Inquiry-Recomm.pdf p109: a five-dot elision in a quotation
    # is taken for a leader (the only one in policy_pdfs; no word is lost).
    assert remove_dot_leaders("“Board members agreed that.....as with the \ngeneral law") == (
        "“Board members agreed that as with the \ngeneral law"
    )
    # A leader run that wraps onto the next line keeps the line break.
    assert remove_dot_leaders("Introduction .....\n..... 7") == "Introduction \n7"
    assert fold_whitespace(remove_dot_leaders("Introduction ...... \n...... 7")) == "Introduction\n7"


# --------------------------------------------------------------------------- #
# fold_whitespace
# --------------------------------------------------------------------------- #


def test_fold_whitespace_tabs_nbsp_blank_lines():
    # PostOfficeHorizon-I-_Inquiry-Recomm.pdf p13: tabs between words
    po = "self-explanatory headings. \n\nb.\tCategories\tof\tpersons\taffected\t\n\n\n\nPersons who died"
    assert fold_whitespace(po) == "self-explanatory headings.\n\nb. Categories of persons affected\n\nPersons who died"
    # HMRC-RiskTriggersReport361.pdf p4: NBSP as the word separator
    hmrc = "The\xa0main\xa0findings\xa0of\xa0the\xa0study\xa0are:\xa0\xa0\n\n  Agents\xa0reported"
    assert fold_whitespace(hmrc) == "The main findings of the study are:\n\nAgents reported"
    # UK-Covid-19-Inquiry-Module-1-Recomm.pdf p71: em space inside a heading
    assert fold_whitespace("Chapter 3: \u2003\nThe assessment of\xa0risk\n") == ("Chapter 3:\nThe assessment of risk")
    assert fold_whitespace("a\fb\r\nc") == "a\nb\nc"
    assert fold_whitespace("") == ""


# --------------------------------------------------------------------------- #
# running headers and footers
# --------------------------------------------------------------------------- #


def test_mask_digits():
    # Running lines of PostOfficeHorizon-I-_Inquiry-Recomm.pdf and the Blood report
    assert mask_digits(" Post Office Horizon IT Inquiry Report:  Volume 1 ") == (
        "post office horizon it inquiry report: volume #"
    )
    assert mask_digits("221") == "#"
    assert mask_digits("Page 12 of 80") == mask_digits("page 3 of 9")


def test_running_lines_blood_response_sentence_survives():
    pages = _clean(_fixture_pages("blood_response_8p.json"))
    assert all(BLOOD_SENTENCE in " ".join(p.split()) for p in pages)
    out, removed = remove_running_lines(pages)
    # The page-number footer (32, 34, ... 63) is the only running line.
    assert running_line_keys(pages) == {"#"}
    assert removed == 8
    for before, after in zip(pages, out, strict=True):
        assert BLOOD_SENTENCE in " ".join(after.split())
        assert before.split("\n")[-1].isdigit()
        assert not after.split("\n")[-1].isdigit()
        assert len(after.split("\n")) == len(before.split("\n")) - 1


def test_running_lines_blood_report_header_removed_body_kept():
    # Volume_1-Blood-Inquiry-Recomm.pdf pp. 4 (contents), 224-226, 229
    pages = _clean(_fixture_pages("blood_report_5p.json"))
    header = "Infected Blood Inquiry | The Report"
    assert "infected blood inquiry | the report" in running_line_keys(pages)
    out, removed = remove_running_lines(pages)
    # p4: the same text is a body line (index 12 of 29) and stays
    assert header in out[0].split("\n")
    for before, after in zip(pages[1:], out[1:], strict=True):
        b, a = before.split("\n"), after.split("\n")
        assert b[0] == header and header not in a
        # Footer block "Recommendations" (section name) / [footnote number] / page
        # number: the section name is exposed once the page number is gone, and is
        # removed in the next pass.
        assert b[-1].isdigit() and not a[-1].isdigit()
        assert "Recommendations" in [x for x in b if x][-4:] and "Recommendations" not in a
    # Body text with the same words stays.
    assert "1.5 Recommendations" in out[0] and "1.5 Recommendations" in out[1]
    assert "SUBS0000063, Recommendations on behalf" in out[3]
    # 4 headers, 4 section footers, 4 page numbers, 2 footnote numbers, and the
    # last two numbers of the contents page (p4)
    assert removed == 16
    # The result is stable.
    assert remove_running_lines(out) == (out, 0)


def test_running_lines_need_four_pages():
    pages = _clean(_fixture_pages("blood_report_5p.json"))[1:4]
    assert remove_running_lines(pages) == (pages, 0)


def test_running_lines_independent_of_page_order():
    pages = _clean(_fixture_pages("blood_response_8p.json") + _fixture_pages("blood_report_5p.json"))
    out, removed = remove_running_lines(pages)
    order = list(range(len(pages)))
    random.Random(7).shuffle(order)
    out2, removed2 = remove_running_lines([pages[i] for i in order])
    assert removed2 == removed
    assert [out2[order.index(i)] for i in range(len(pages))] == out
    assert running_line_keys([pages[i] for i in order]) == running_line_keys(pages)


# --------------------------------------------------------------------------- #
# repair_line_hyphens
# --------------------------------------------------------------------------- #


def test_repair_split_word_attested_in_document(words):
    # PostOfficeHorizon-I-_Inquiry-Recomm.pdf p6: "predeces-\nsor"; p6 also has
    # "Like its predecessor," elsewhere.
    text = (
        "supplied to the Post Office by \nFujitsu. Like its predecessor, Horizon Online was also\n"
        "controlling companies and all its predeces-\nsor companies as the context requires."
    )
    out, joined, kept = repair_line_hyphens(text, words)
    assert "all its predecessor companies as the context requires." in out
    assert (joined, kept) == (1, 0)


def test_repair_split_word_from_dictionary(words):
    # PostOfficeHorizon-I-_Inquiry-Recomm.pdf p158: "con" is a word, "stituent" is not
    text = "whether the phrase should be confined to the con-\nstituent departments of central government"
    out, joined, kept = repair_line_hyphens(text, words)
    assert out == "whether the phrase should be confined to the constituent departments of central government"
    assert (joined, kept) == (1, 0)
    # The brief's example: neither "produc" nor "tion" is a word
    assert repair_line_hyphens("the produc-\ntion of blood products", words)[0] == ("the production of blood products")


def test_repair_keeps_real_compounds(words):
    # UK-Covid-19-Inquiry-Module-1-Recomm.pdf p115
    covid = (
        "Without good data, evidence-based decision-\nmaking becomes much more difficult due to "
        "the uncertainties with which decision-\nmakers"
    )
    out, joined, kept = repair_line_hyphens(covid, words)
    assert "evidence-based decision-making becomes" in out
    assert out.endswith("with which decision-makers")
    assert (joined, kept) == (0, 2)
    # Volume_1-Blood-Inquiry-Recomm.pdf p48
    blood = "to meet UK problems in achieving self-\nsufficiency contributed significantly"
    assert repair_line_hyphens(blood, words)[0] == (
        "to meet UK problems in achieving self-sufficiency contributed significantly"
    )
    # UK-Covid-19_Inquiry_Module_1_Response.pdf p13: "today" is a word, but "to" and
    # "day" are words too, so the hyphen stays.
    resp = "designated government departments with the day-to-\nday  responsibility  for"
    assert repair_line_hyphens(resp, words)[0] == (
        "designated government departments with the day-to-day  responsibility  for"
    )
    # Iriss-style key term: co-production must keep its hyphen
    assert repair_line_hyphens("co-\nproduction of services", words)[0] == "co-production of services"


def test_repair_majority_spelling_in_document(words):
    # Volume_1-Blood-Inquiry-Recomm.pdf p98 "haemo-\nvigilance"; p100 spells it
    # "haemovigilance".
    text = (
        "and ultimately to haemo-\nvigilance); auditing (with comparisons of blood usage)\n"
        "•  SHOT,  or  a  similar  haemovigilance  scheme,  should  have  been"
    )
    assert "ultimately to haemovigilance);" in repair_line_hyphens(text, words)[0]
    # More hyphenated than joined occurrences (the Blood report has 39 "decision-making",
    # 2 "decisionmaking"): the hyphen stays; a tie also keeps it.
    text = "decision-making and decision-making, but decisionmaking; clinical decision-\nmaking"
    assert repair_line_hyphens(text, words)[0].endswith("clinical decision-making")
    text = "decision-making, decisionmaking; clinical decision-\nmaking"
    assert repair_line_hyphens(text, words)[0].endswith("clinical decision-making")
    text = "decisionmaking, decisionmaking, decision-making; clinical decision-\nmaking"
    assert repair_line_hyphens(text, words)[0].endswith("clinical decisionmaking")


def test_repair_ignores_non_letters(words):
    # WASPI-Recomm.pdf: "1950s-\nborn" has a letter before the hyphen, "2010-\n12" not
    assert repair_line_hyphens("Session 2010-\n12", words) == ("Session 2010-\n12", 0, 0)
    assert repair_line_hyphens("no hyphen here", words) == ("no hyphen here", 0, 0)


# --------------------------------------------------------------------------- #
# normalise_pages
# --------------------------------------------------------------------------- #


def test_normalise_pages_blood_response(words):
    pages = _fixture_pages("blood_response_8p.json")
    norm = normalise_pages(pages, words)
    assert set(QUALITY_KEYS) <= set(norm.quality)
    assert norm.page_starts[0] == 0 and len(norm.page_starts) == len(pages)
    texts = _page_texts(norm)
    assert "\n\n".join(texts) == norm.text
    for t in texts:
        assert BLOOD_SENTENCE in " ".join(t.split())
        assert not t.split("\n")[-1].strip().isdigit()
    assert norm.quality["running_lines_removed"] == 8
    assert norm.quality["replacement_chars"] == 0
    # deterministic
    assert normalise_pages(pages, words) == norm
    # the default word list is english_words()
    assert normalise_pages(pages) == norm


def test_normalise_pages_page_starts_with_empty_pages(words):
    # Short real lines: Conservative-Manifesto-GE2024.pdf p2 is an empty page
    # (a picture), p14 only " 12 " (test strings, not redistributed).
    pages = ["The Conservative and Unionist Party \nManifesto 2024\n", "", "   \f", " 12 \n"]
    norm = normalise_pages(pages, words)
    assert norm.text == "The Conservative and Unionist Party\nManifesto 2024\n\n\n\n\n\n12"
    assert norm.page_starts == [0, 52, 54, 56]
    assert norm.quality["empty_pages"] == 2
    assert normalise_pages([], words).text == "" and normalise_pages([], words).page_starts == []


def test_normalise_pages_no_hyphen_repair_across_pages(words):
    # Volume_1-Blood-Inquiry-Recomm.pdf p48 text split over a page boundary
    pages = ["to meet UK problems in achieving produc-", "tion contributed significantly"]
    norm = normalise_pages(pages, words)
    assert norm.text == "to meet UK problems in achieving produc-\n\ntion contributed significantly"
    assert norm.quality["hyphens_joined"] == norm.quality["hyphens_kept"] == 0


def test_normalise_pages_attestation_is_document_wide(words):
    # PostOfficeHorizon-I-_Inquiry-Recomm.pdf: "predeces-\nsor" on p6, "predecessor" on p60
    pages = [
        "and all its predeces-\nsor companies as the context requires.",
        "Government decided to honour the commitment made by its predecessor to introduce",
    ]
    norm = normalise_pages(pages, words)
    assert norm.text.startswith("and all its predecessor companies")
    assert norm.quality["hyphens_joined"] == 1


def test_normalise_pages_counts_each_step(words):
    pages = [
        # HMRC-RiskTriggersReport361.pdf p4 (PUA bullet, U+2010, NBSP)
        "study\xa0are:\xa0\xa0\n\n\uf0b7  Self‐Assessment\xa0(SA)\xa0customers",
        # Behaviour-Change-Report-Recomm.pdf p10 (ligature), soft hyphen put in
        "e.g. leaﬂets \nshowing the car\u00adbon usage",
        # pdftotext, PostOfficeHorizon-I-_Inquiry-Recomm.pdf p12 (control character)
        "3.1.\t\x07It is almost impossible",
        # WASPI-Recomm.pdf p2 (dot leaders); Conservative 2024 p8 (unmapped full stop)
        "Summary ............................ 4 \nevent of the new Parliament\ufffd",
    ]
    norm = normalise_pages(pages, words)
    q = norm.quality
    assert (q["pua_removed"], q["soft_hyphens_removed"], q["control_removed"]) == (1, 1, 1)
    assert (q["dot_leaders_removed"], q["replacement_chars"]) == (1, 1)
    assert norm.text == (
        "study are:\n\nSelf-Assessment (SA) customers\n\n"
        "e.g. leaflets\nshowing the carbon usage\n\n"
        "3.1. It is almost impossible\n\n"
        "Summary 4\nevent of the new Parliament\ufffd"
    )


def test_line_hyphen_repair_is_linear_in_an_unbroken_run_of_letters():
    # A 5 MB "word" with no whitespace (a hostile input of issue 16): both hyphen patterns used to
    # retry from every letter of the run, so 20,000 letters took 45 s. Now a 200,000-letter run
    # (hours before) takes milliseconds; the bound is two orders of magnitude above that.
    import time

    run = "a" * 200_000
    text = f"{run} decision-\nmaking and co-pro-\nduction {run}-\nx"
    t0 = time.perf_counter()
    out, joined, kept = repair_line_hyphens(text, english_words())
    assert time.perf_counter() - t0 < 5
    assert "decision-making" in out and out.endswith(f"{run}-x")
    assert joined + kept == 3

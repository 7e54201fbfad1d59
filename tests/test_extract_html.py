"""HTML extraction: main text only, no tags, headings kept, metadata from <head>."""

from __future__ import annotations

from pathlib import Path

import pytest

from discourse.extract import extract
from discourse.extract.html import flat_text, html_to_text, lxml_clean_text

FIX = Path(__file__).parent / "fixtures" / "text"
PAGE = FIX / "govuk_benefit_cap_page.html"


def test_page_main_text_only():
    e = extract(str(PAGE))
    text = e.pages[0]
    assert e.extractor in ("lxml", "trafilatura") and e.extractor_version
    assert e.encoding == "utf-8"
    assert "<" not in text and ">" not in text
    # main content, headings included
    assert "There is a limit on the total amount of benefit" in text
    assert "Benefits affected by the cap" in text
    assert "Widowed Parent’s Allowance" in text
    # scripts, styles, navigation, banners, footers dropped
    for furniture in (
        "js-enabled",
        "GOVUK",
        "background",
        "analyticsInit",  # script / style
        "Skip to main content",
        "Employing people",
        "Benefits entitlement",  # nav
        "Cookies on GOV.UK",
        "Related content",
        "Privacy",
        "Crown copyright",  # banner / aside / footer
    ):
        assert furniture not in text, furniture


def test_page_embedded_metadata():
    e = extract(str(PAGE))
    assert e.embedded == {"title": "Benefit cap: Benefits affected by the cap - GOV.UK", "date": "2012-09-24"}
    assert e.front_matter == {}


def test_block_elements_do_not_glue_words():
    text = lxml_clean_text("<table><tr><td>Per week</td><td>£423.46</td></tr></table><p>one</p><p>two<br>three</p>")
    assert text.split() == ["Per", "week", "£423.46", "one", "two", "three"]
    assert "one\n" in text


def test_entities_decoded_and_whitespace_collapsed():
    text = lxml_clean_text("<p>Health &amp;\n   Social   Care&nbsp;Act</p>")
    assert text == "Health & Social Care Act"  # (no-break space folded too)


def test_script_style_removed_without_losing_tail():
    text = lxml_clean_text("<body><p>before <script>var x = 1;</script>after</p><style>p{}</style></body>")
    assert text == "before after"


def test_pre_keeps_line_breaks():
    text = lxml_clean_text("<pre>line one\nline two</pre>")
    assert text == "line one\nline two"


def test_trafilatura_used_when_it_removes_furniture():
    # div soup: no semantic tags for lxml-clean to drop; trafilatura finds the article
    links = "".join(f'<div class="menu-item"><a href="/x{i}">Menu link number {i}</a></div>' for i in range(60))
    para = (
        "<p>The benefit cap is a limit on the total amount of benefit you can get. "
        "It applies to most people aged 16 or over who have not reached State Pension age.</p>"
    )
    html = f"<html><body><div class='menu'>{links}</div><div class='article'>{para * 8}</div></body></html>"
    text, extractor, version, _ = html_to_text(html)
    assert extractor == "trafilatura" and version
    assert "Menu link number 7" not in text
    assert "limit on the total amount of benefit" in text


def test_clean_document_keeps_lxml_text_with_headings():
    html = (
        "<h1>Benefit cap</h1>"
        + "<h2>Benefits affected</h2><p>"
        + "Universal Credit and Child Benefit are affected. " * 20
        + "</p>"
    )
    text, extractor, _, _ = html_to_text(html)
    assert extractor == "lxml"
    assert text.startswith("Benefit cap\n") and "Benefits affected" in text


def test_legacy_charset_declared_in_meta(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes(
        '<html><head><meta charset="iso-8859-15"></head><body><p>Fees of 20 € a week</p></body></html>'.encode(
            "iso-8859-15"
        )
    )
    e = extract(str(p))
    assert e.encoding == "iso8859-15"
    assert "20 € a week" in e.pages[0]


# --- parse limits (issue 16): nothing is lost silently --------------------------


@pytest.mark.parametrize("depth", [300, 1500, 3000])
def test_deeply_nested_page_keeps_every_word(depth):
    # libxml2 stops at 256 levels and kept 5,080 of 210,000 words; huge_tree reaches 2,048 levels;
    # past that the parser-free reader takes over.
    page = "<html><body>" + "<div>word " * depth + "</div>" * depth + "<p>co-production</p></body></html>"
    text, extractor, _, _ = html_to_text(page)
    assert text.split().count("word") == depth and text.endswith("co-production")
    assert extractor == ("html-flat" if depth > 2048 else "lxml")


def test_one_line_page_with_a_text_node_over_10_mb_is_read():
    words = 2_200_000  # 11 MB in one text node: libxml2's default limit gave "no text after extraction"
    page = "<html><head><title>Big</title></head><body><p>" + "care " * words + "</p></body></html>"
    text, extractor, _, embedded = html_to_text(page)
    assert len(text.split()) == words and extractor == "lxml" and embedded["title"] == "Big"


def test_flat_text_drops_scripts_and_decodes_entities():
    page = "<p>Co&#8209;production &amp; care</p><script>var x = '<p>no</p>';</script><div>next<br>line</div>"
    assert flat_text(page) == "Co\u2011production & care\nnext\nline"

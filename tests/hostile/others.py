"""Hostile DOCX, HTML, texts, tables and front matter for the bad-input corpus (issue 16)."""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

TEXT = Path(__file__).resolve().parent.parent / "fixtures" / "text"
DOCX = TEXT / "govuk_benefit_cap.docx"
W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_with(document: bytes | None, extra: dict[str, bytes] | None = None) -> bytes:
    """The fixture DOCX with word/document.xml replaced (or removed when ``None``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                if document is not None:
                    dst.writestr(info.filename, document)
            else:
                dst.writestr(info, src.read(info))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def _doc(body: bytes, doctype: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + doctype
        + b"<w:document "
        + W
        + b"><w:body>"
        + body
        + b"</w:body></w:document>"
    )


def _para(text: bytes) -> bytes:
    return b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"


def _laughs(levels: int) -> bytes:
    rows = [b'<!ENTITY l0 "lol">'] + [
        b'<!ENTITY l%d "' % i + b"&l%d;" % (i - 1) * 10 + b'">' for i in range(1, levels + 1)
    ]
    return b"<!DOCTYPE w:document [" + b"".join(rows) + b"]>\n"


def _zip_bomb(mb: int) -> bytes:
    """The fixture with word/document.xml padded by ``mb`` MB of XML whitespace, streamed in."""
    out = io.BytesIO()
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
        with dst.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(_doc(_para(b"Co-production in a bomb."))[: -len(b"</w:body></w:document>")])
            block = b" " * (1024 * 1024)
            for _ in range(mb):
                fh.write(block)
            fh.write(b"</w:body></w:document>")
    return out.getvalue()


def docx() -> Iterator[tuple[str, bytes, str]]:
    yield (
        "xxe-file.docx",
        _docx_with(
            _doc(
                _para(b"Before &xxe; after the entity."),
                b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
            )
        ),
        "external entity (file)",
    )
    yield (
        "xxe-http.docx",
        _docx_with(
            _doc(
                _para(b"Before &xxe; after."), b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">]>\n'
            )
        ),
        "external entity (http)",
    )
    yield (
        "xxe-param.docx",
        _docx_with(
            _doc(
                _para(b"Parameter entity."), b'<!DOCTYPE w:document [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
            )
        ),
        "external parameter entity",
    )
    for levels in (3, 6, 9):
        yield (
            f"laughs-{levels}.docx",
            _docx_with(_doc(_para(b"&l%d;" % levels), _laughs(levels))),
            (f"billion laughs, {levels} levels"),
        )
    yield "entity-undefined.docx", _docx_with(_doc(_para(b"Before &nope; after."))), "undefined entity"
    yield "deep-xml.docx", _docx_with(_doc(b"<w:p>" * 20_000 + b"</w:p>" * 20_000)), "XML nested 20,000 deep"
    yield "not-xml.docx", _docx_with(b"\x00\x01 this is not XML <<<"), "document.xml is not XML"
    yield "no-document.docx", _docx_with(None), "no word/document.xml"
    yield "empty-body.docx", _docx_with(_doc(b"")), "an empty body"
    yield "traversal.docx", _docx_with(None, {"../../evil.txt": b"x", "/abs.txt": b"y"}), "zip names outside"
    for mb in (40, 300):
        yield f"zipbomb-{mb}mb.docx", _zip_bomb(mb), f"document.xml inflating to {mb} MB"
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as z:
        for i in range(20_000):
            z.writestr(f"junk/{i}", b"")
    yield "many-entries.docx", many.getvalue(), "a zip of 20,000 empty entries"
    real = DOCX.read_bytes()
    for frac in (0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
        yield f"trunc-{frac}.docx", real[: int(len(real) * frac)], f"first {frac:.0%} of a DOCX"
    crc = bytearray(_docx_with(_doc(_para(b"CRC will not match."))))
    idx = crc.index(b"word/document.xml") + 40
    crc[idx] ^= 0xFF
    yield "crc-error.docx", bytes(crc), "a corrupted deflate stream"
    yield (
        "pdf-named.docx",
        (
            Path(__file__).resolve().parent.parent / "fixtures" / "pdf" / "behaviour_change_response_p1-2.pdf"
        ).read_bytes(),
        "a PDF named .docx",
    )
    yield "random.docx", random.Random(7).randbytes(5000), "random bytes"
    yield "empty.docx", b"", "zero bytes"


def html() -> Iterator[tuple[str, bytes, str]]:
    for depth in (300, 1000, 3000, 10_000, 100_000):
        words = b"Co-production %d deep inside. " % depth
        body = b"<div>" * depth + words * 20 + b"</div>" * depth
        yield f"deep-{depth}.html", b"<html><body>" + body + b"</body></html>", f"divs nested {depth} deep"
    yield "deep-unclosed.html", b"<html><body>" + b"<b>" * 50_000 + b"Co-production.", "50,000 unclosed tags"
    for kb in (256, 30 * 1024):  # trafilatura reads ~0.1 MB/s of short paragraphs; 30 MB is refused by size
        line = b"<p>personal budgets and co-production for carers</p>" * (kb * 1024 // 50)
        yield f"one-line-{kb}kb.html", b"<html><body>" + line + b"</body></html>", f"a {kb} kB single line"
    yield "nul.html", b"<html><body><p>Co-pro\x00duction \x00 with NULs</p></body></html>", "NUL bytes"
    yield (
        "charset-lie.html",
        (b'<html><head><meta charset="utf-16"></head><body><p>Caf\xc3\xa9 co-production</p></body></html>'),
        "declares UTF-16, is UTF-8",
    )
    yield (
        "charset-bogus.html",
        (b'<html><head><meta charset="x-no-such"></head><body><p>Personal budgets \xff\xfe</p></body></html>'),
        "an unknown charset and bad bytes",
    )
    yield (
        "entity-bomb.html",
        (
            b'<?xml version="1.0"?>'
            + _laughs(9).replace(b"w:document", b"html")
            + b"<html><body><p>&l9;</p></body></html>"
        ),
        "an XHTML billion laughs",
    )
    yield "script-only.html", b"<html><script>" + b"var a=1;" * 10_000 + b"</script></html>", "script only"
    yield (
        "attr-huge.html",
        b'<html><body><p title="' + b"x" * 3_000_000 + b'">Care.</p></body></html>',
        ("a 3 MB attribute"),
    )
    yield "comment-open.html", b"<html><body><p>Care.</p><!-- never closed" + b" x" * 100_000, "open comment"
    yield "empty.html", b"", "zero bytes"


def texts() -> Iterator[tuple[str, bytes, str]]:
    rng = random.Random(42)
    for i in range(4):
        yield f"invalid-utf8-{i}.txt", b"Personal budgets " + rng.randbytes(4000 * (i + 1)), "random bytes"
    yield "nul-middle.txt", b"Co-production\x00with\x00NUL bytes " * 200, "NUL bytes between words"
    yield "nul-only.txt", b"\x00" * 100_000, "only NUL bytes"
    yield "nul-head.md", b"\x00\x00\x00\x00Co-production after NULs.\n", "NULs before the text"
    sample = "Co-production with carers and personal budgets for everyone ({}). " * 40
    yield "utf16le-nobom.txt", sample.replace("{}", "le").encode("utf-16-le"), "UTF-16 LE without BOM"
    yield "utf16be-nobom.txt", sample.replace("{}", "be").encode("utf-16-be"), "UTF-16 BE without BOM"
    yield "utf32.txt", sample.replace("{}", "32").encode("utf-32"), "UTF-32 with BOM"
    yield "utf16-odd.txt", sample.replace("{}", "odd").encode("utf-16")[:-1], "UTF-16 with an odd byte count"
    yield "cesu-surrogate.txt", b"Care \xed\xa0\x80\xed\xb0\x80 surrogates encoded in UTF-8", "encoded surrogates"
    yield "overlong.txt", b"Care \xc0\xaf\xe0\x80\xaf overlong UTF-8", "overlong UTF-8"
    yield "mixed-enc.txt", "Café co-production".encode() + " naïve £5".encode("cp1252"), "UTF-8 and cp1252"
    yield "bom-only.txt", b"\xef\xbb\xbf", "a BOM and nothing else"
    yield "latin1-all.txt", bytes(range(32, 256)) * 50, "every Latin-1 byte"
    png = (TEXT / "image_named.txt").read_bytes()
    for ext in ("txt", "md", "html", "csv", "jsonl"):
        yield f"png-as.{ext}", png, f"a PNG named .{ext}"
    yield "gzip-as.txt", zlib.compress(b"care " * 1000)[:2] + b"\x1f\x8b\x08\x00" + rng.randbytes(3000), "gzip"
    yield "elf-as.txt", b"\x7fELF\x02\x01\x01\x00" + bytes(8) + rng.randbytes(8000), "an executable header"
    for mb in (1, 5):
        yield f"nospace-{mb}mb.txt", b"a" * (mb * 1024 * 1024), f"{mb} MB without whitespace"
    yield "nospace-hyphens.txt", (b"abc-\ndef" * 65_536), "512 kB of letters broken by hyphen+newline"
    yield "nospace-dashes.txt", b"-" * 3_000_000, "3 MB of hyphens"
    yield "nospace-cjk.txt", ("社会福祉" * 250_000).encode(), "3 MB of CJK without spaces"
    yield "newlines-only.txt", b"\n" * 2_000_000, "2 MB of newlines"
    yield "cr-only.txt", b"care\r" * 100_000, "lines ended by CR alone"
    yield "long-line.txt", b"co-production " * 100_000, "one 1.4 MB line"
    yield "big-text-25mb.txt", b"care and support " * (25 * 1024 * 1024 // 17), "25 MB, over --max-file-mb"
    for ext in ("txt", "md", "csv", "jsonl", "pdf"):
        yield f"empty-file.{ext}", b"", "zero bytes"
    yield "spaces-only.txt", b" \t \n" * 1000, "whitespace only"
    yield "control-chars.txt", bytes(range(0, 32)) * 300 + b"Care.", "control characters"


def tables() -> Iterator[tuple[str, bytes, str]]:
    good_row = b'"Co-production in a table row.",Title\n'
    yield "ragged-long.csv", b"text,title\n" + good_row + b"a,b,c,d,e,f\n" + good_row, "a row with 6 fields"
    yield "ragged-short.csv", b"text,title\n" + good_row + b"only\n", "a row with 1 field"
    yield "quote-open.csv", b'text,title\n"never closed,t\n' + good_row * 3, "an unbalanced quote"
    yield "nul.csv", b"text,title\nCo-pro\x00duction,t\n", "a NUL in a cell"
    yield "cell-1mb.csv", b'text,title\n"' + b"care " * 200_000 + b'",t\n', "a 1 MB cell"
    yield "no-text-column.csv", b"body,title\nCare,t\n", "no text column"
    yield "header-only.csv", b"text,title\n", "a header and no rows"
    yield "header-dup.csv", b"text,text,title\nA co-production,B,t\n", "a duplicated header"
    yield "formula.csv", b'text,=cmd|\' /C calc\'!A0\n"=HYPERLINK(""x"")",+1\n', "formula cells and header"
    yield "binary.csv", random.Random(3).randbytes(6000), "random bytes"
    yield "cp1252.csv", "text,title\nCafé £5 co-production,t\n".encode("cp1252"), "cp1252"
    yield "many-rows.csv", b"text\n" + b"".join(b"care row %d\n" % i for i in range(300)), "300 rows"
    ok = b'{"text": "Co-production in a JSON row."}\n'
    yield "bad-json.jsonl", ok + b"{not json\n" + ok, "a line that is not JSON"
    for depth in (1000, 100_000):
        deep = b'{"text": "x", "a": ' + b"[" * depth + b"]" * depth + b"}\n"
        yield f"deep-{depth}.jsonl", deep + ok, f"JSON nested {depth} deep"
    yield "deep-text.jsonl", b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}\n", "a deep text value"
    for i, row in enumerate((b"[1, 2, 3]", b"42", b'"a string"', b"null", b"true")):
        yield f"non-object-{i}.jsonl", row + b"\n" + ok, "a row that is not an object"
    for i, value in enumerate((b"42", b'["a", "b"]', b'{"x": 1}', b"null")):
        yield f"text-not-string-{i}.jsonl", b'{"text": ' + value + b"}\n", "a text value that is not a string"
    yield "int-5000.jsonl", b'{"text": "Care.", "n": ' + b"9" * 5000 + b"}\n", "a 5,000-digit integer"
    yield "nan.jsonl", b'{"text": "Care.", "n": NaN, "m": Infinity}\n', "NaN and Infinity"
    yield "dup-keys.jsonl", b'{"text": "Care one.", "text": "Care two."}\n', "duplicate keys"
    yield "surrogate.jsonl", b'{"text": "Lone \\ud800 surrogate care."}\n', "a lone surrogate escape"
    yield "invalid-utf8.jsonl", b'{"text": "Caf\xe9 care."}\n', "invalid UTF-8 inside JSON"
    yield "blank-lines.jsonl", b"\n\n   \n\n", "blank lines only"
    yield "line-1mb.jsonl", b'{"text": "' + b"care " * 200_000 + b'"}\n', "a 1 MB line"


def _bomb(levels: int) -> bytes:
    rows = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(rows).encode()


def front_matter() -> Iterator[tuple[str, bytes, str, str]]:
    """``(name, bytes, note, expected status)``: front matter is a warning, never the whole file."""

    def fm(head: bytes) -> bytes:
        fm.n += 1  # type: ignore[attr-defined]
        return b"---\n" + head + b"\n---\nCo-production after front matter number %d.\n" % fm.n  # type: ignore

    fm.n = 0  # type: ignore[attr-defined]

    for levels in (5, 9, 12):
        yield f"fm-bomb-{levels}.md", fm(_bomb(levels)), f"an alias bomb of {levels} levels", "ingested"
    for depth in (200, 100_000):
        yield f"fm-deep-{depth}.md", fm(b"x: " + b"[" * depth + b"]" * depth), f"nested {depth}", "ingested"
    for i, d in enumerate((b"2011-02-30", b"99999-01-01", b"0000-00-00", b"1e400", b"[2011, 2012]", b"{a: 1}")):
        yield f"fm-date-{i}.md", fm(b"title: Bad date %d\ndate: " % i + d), f"date: {d.decode()}", "ingested"
    yield "fm-int.md", fm(b"n: " + b"9" * 5000), "a 5,000-digit integer", "ingested"
    yield "fm-python-tag.md", fm(b"x: !!python/object/apply:os.system ['echo pwned']"), "a python tag", "ingested"
    yield "fm-bad-yaml.md", fm(b"title: [unclosed\n  : : :"), "YAML that does not parse", "ingested"
    yield (
        "fm-unclosed.md",
        b"---\ntitle: never closed\nCo-production without an end marker.\n",
        ("front matter never closed", "ingested"),
    )
    yield "fm-only.md", b"---\ntitle: Only front matter\n---\n", "front matter and no body", "failed"
    yield "fm-huge.md", fm(b"x: '" + b"y" * 3_000_000 + b"'"), "3 MB of front matter", "ingested"

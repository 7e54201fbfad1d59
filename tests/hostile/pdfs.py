"""Hostile PDFs for the bad-input corpus (issue 16), written byte by byte.

Every file is small on disk; the costly ones are costly to *read* (a page tree that
references itself, 20,000 pages made of one page object, a content stream that
inflates to 160 MB, form XObjects that draw each other). The real fixtures in
``tests/fixtures/pdf/`` are truncated, cut and bit-flipped at many offsets.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT_OPS = b"BT /F1 12 Tf 72 720 Td (Co-production with carers.) Tj ET"


def stream(data: bytes, extra: bytes = b"", length: bytes | None = None) -> bytes:
    n = str(len(data)).encode() if length is None else length
    return b"<< " + extra + b" /Length " + n + b" >>\nstream\n" + data + b"\nendstream"


def write_pdf(objs: dict[int, bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF with the given numbered objects, a correct xref table and trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num] if num in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R " % (size, root) + trailer_extra + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def page_objs(
    kids: bytes = b"[3 0 R]",
    count: bytes = b"1",
    resources: bytes = b"<< /Font << /F1 4 0 R >> >>",
    contents: bytes = b"5 0 R",
    content: bytes = TEXT_OPS,
    parent: bytes = b"2 0 R",
) -> dict[int, bytes]:
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids " + kids + b" /Count " + count + b" >>",
        3: b"<< /Type /Page /Parent "
        + parent
        + b" /MediaBox [0 0 612 792] /Resources "
        + resources
        + b" /Contents "
        + contents
        + b" >>",
        4: FONT,
        5: stream(content),
    }


def _form(content: bytes, xobjects: bytes) -> bytes:
    res = b"/Resources << /Font << /F1 4 0 R >> /XObject << " + xobjects + b" >> >>"
    return stream(content, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] " + res)


def _deflate_bomb(mb: int, unit: bytes) -> bytes:
    """``unit`` repeated to ``mb`` MB, deflated (a few hundred kB at most)."""
    comp = zlib.compressobj(9)
    block = unit * (1024 * 1024 // len(unit))
    parts = [comp.compress(block) for _ in range(mb)]
    return b"".join(parts) + comp.flush()


def malformed() -> Iterator[tuple[str, bytes, str]]:
    """``(name, bytes, note)`` for hand-built malformed PDFs."""
    yield "kids-self.pdf", write_pdf(page_objs(kids=b"[2 0 R 3 0 R]", count=b"2")), "page tree lists itself"
    objs = page_objs()
    objs[3] = b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"
    yield "kids-cycle.pdf", write_pdf(objs), "two Pages nodes that are each other's kid"
    yield "parent-self.pdf", write_pdf(page_objs(parent=b"3 0 R")), "page whose /Parent is itself"
    objs = page_objs(resources=b"6 0 R", content=TEXT_OPS + b" /X Do")
    objs[6] = b"<< /Font << /F1 4 0 R >> /XObject << /X 6 0 R >> >>"
    yield "resources-self.pdf", write_pdf(objs), "resources dictionary that is its own XObject"
    objs = page_objs(resources=b"6 0 R")
    objs[6] = b"<< /Font << /F1 4 0 R >> /Parent 6 0 R /Res 6 0 R >>"
    yield "resources-self2.pdf", write_pdf(objs), "resources dictionary that refers to itself"
    objs = page_objs(contents=b"6 0 R")
    objs[6] = b"[5 0 R 6 0 R]"
    yield "contents-self.pdf", write_pdf(objs), "contents array that contains itself"
    yield "contents-page.pdf", write_pdf(page_objs(contents=b"[5 0 R 3 0 R]")), "contents that name the page"
    yield "contents-int.pdf", write_pdf(page_objs(contents=b"42")), "contents that are a number"
    objs = page_objs(resources=b"<< /Font << /F1 4 0 R >> /XObject << /X 6 0 R >> >>", content=b"/X Do")
    objs[6] = _form(TEXT_OPS + b" /X Do", b"/X 6 0 R")
    yield "form-self.pdf", write_pdf(objs), "form XObject that draws itself"
    objs[6] = _form(TEXT_OPS + b" /Y Do", b"/Y 7 0 R")
    objs[7] = _form(b"/X Do", b"/X 6 0 R")
    yield "form-pair.pdf", write_pdf(objs), "two form XObjects that draw each other"
    objs = page_objs(resources=b"<< /Font << /F1 4 0 R >> /XObject << /X 6 0 R >> >>", content=b"/X Do")
    for level in range(8):  # each form draws the next ten times: 10^8 draws of the last
        objs[6 + level] = _form(b"/X Do " * 10, b"/X %d 0 R" % (7 + level))
    objs[14] = _form(TEXT_OPS, b"")
    yield "form-fanout.pdf", write_pdf(objs), "form XObjects that fan out 10^8 draws"
    for n in (1000, 5000):  # n page objects sharing one content stream: cheap to write, n pages to read
        objs = page_objs(kids=b"[" + b"".join(b"%d 0 R " % (10 + i) for i in range(n)) + b"]", count=b"%d" % n)
        del objs[3]
        for i in range(n):
            objs[10 + i] = (
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            )
        yield f"pages-{n}.pdf", write_pdf(objs), f"{n} pages with the same text"
    kids = b"[" + b"3 0 R " * 20_000 + b"]"
    yield (
        "pages-repeat-20000.pdf",
        write_pdf(page_objs(kids=kids, count=b"20000")),
        "one page object listed 20,000 times",
    )
    yield "count-huge.pdf", write_pdf(page_objs(count=b"1000000000")), "/Count 10^9 over one page"
    yield "count-negative.pdf", write_pdf(page_objs(count=b"-5")), "negative /Count"
    big = b"9" * 5000
    yield "int-5000-digits.pdf", write_pdf(page_objs(count=big)), "a 5,000-digit integer"
    objs = page_objs()
    objs[6] = b"[" * 100_000 + b"]" * 100_000
    yield "deep-array.pdf", write_pdf(objs), "an array nested 100,000 deep"
    objs[6] = b"<< /A " * 50_000 + b"1" + b" >>" * 50_000
    yield "deep-dict.pdf", write_pdf(objs), "a dictionary nested 50,000 deep"
    objs = page_objs()
    objs[5] = stream(TEXT_OPS, length=b"999999999999")
    yield "length-huge.pdf", write_pdf(objs), "a stream /Length of 10^12"
    objs[5] = stream(TEXT_OPS, b"/Filter /NoSuchDecode")
    yield "filter-unknown.pdf", write_pdf(objs), "an unknown stream filter"
    objs[5] = stream(b"this is not deflate data", b"/Filter /FlateDecode")
    yield "flate-garbage.pdf", write_pdf(objs), "a FlateDecode stream that is not deflate"
    objs = page_objs()
    objs[6] = b"<< /Filter /Bogus /V 9 /R 9 /O (x) /U (y) /P -1 >>"
    yield "encrypt-bogus.pdf", write_pdf(objs, trailer_extra=b"/Encrypt 6 0 R /ID [(a)(a)] "), "unknown encryption"
    yield "no-text.pdf", write_pdf(page_objs(content=b"0 0 m 100 100 l S")), "a page with a line and no text"
    for mb in (16, 64, 128):
        objs = page_objs()
        objs[5] = stream(_deflate_bomb(mb, b" "), b"/Filter /FlateDecode")
        yield f"inflate-{mb}mb.pdf", write_pdf(objs), f"a content stream inflating to {mb} MB of spaces"
    objs = page_objs()
    objs[5] = stream(_deflate_bomb(1, b"BT /F1 9 Tf 9 9 Td (care ) Tj ET\n"), b"/Filter /FlateDecode")
    yield "inflate-text-1mb.pdf", write_pdf(objs), "a content stream inflating to 1 MB of text operators"
    objs = page_objs()
    objs[5] = stream(b"BT /F1 12 Tf (" + b"A" * 300_000 + b") Tj ET")
    yield "string-300kb.pdf", write_pdf(objs), "one 300 kB string drawn"
    body = write_pdf(page_objs())
    yield "no-xref.pdf", body[: body.index(b"xref")], "no xref table or trailer"
    yield "startxref-bad.pdf", body.replace(b"startxref\n", b"startxref\n99999999"), "startxref past the end"
    yield "header-only.pdf", b"%PDF-1.7\n", "a header and nothing else"
    yield "eof-only.pdf", b"%PDF-1.4\n%%EOF\n", "a header and %%EOF"
    rng = random.Random(16)
    for seed in range(3):
        yield f"random-{seed}.pdf", b"%PDF-1.5\n" + rng.randbytes(20_000 + seed), "random bytes after a header"


def cut_fixtures() -> Iterator[tuple[str, bytes, str]]:
    """Truncations, cut heads and bit flips of the real fixture PDFs."""
    small = (FIXTURES / "behaviour_change_response_p1-2.pdf").read_bytes()
    for frac in (0.001, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999):
        yield f"trunc-bc-{frac}.pdf", small[: int(len(small) * frac)], f"first {frac:.1%} of a 2-page PDF"
    blood = (FIXTURES / "blood_response_8p.pdf").read_bytes()
    for frac in (0.02, 0.15, 0.35, 0.55, 0.75, 0.9, 0.98, 0.9995):
        yield f"trunc-blood-{frac}.pdf", blood[: int(len(blood) * frac)], f"first {frac:.2%} of an 8-page PDF"
    for cut in (1, 9, 1000):
        yield f"headless-{cut}.pdf", small[cut:], f"the 2-page PDF without its first {cut} bytes"
    rng = random.Random(1616)
    for i in range(6):
        data = bytearray(small)
        for _ in range(20 * (i + 1)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        yield f"bitflip-{i}.pdf", bytes(data), f"{20 * (i + 1)} flipped bits"
    for name in ("encrypted_password.pdf", "encrypted_empty_user_password.pdf"):
        enc = (FIXTURES / name).read_bytes()
        yield f"enc-{name}", enc, "encrypted (AES-256)"
        yield f"enc-trunc-{name}", enc[: len(enc) // 2], "encrypted, truncated at half"
    yield "empty.pdf", b"", "zero bytes"
    notext = (FIXTURES / "po_horizon_response_p1_notext.pdf").read_bytes()
    yield "scanned-notext.pdf", notext, "glyphs drawn as paths, no text layer"

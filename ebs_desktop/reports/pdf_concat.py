"""Join PDF files written by reportlab into one file, page order kept, without pypdf.

Why: a billing run is rendered in chunks by several processes (one core each), but the print
shop wants one file per run, and pypdf is only a test dependency. The chunk files come from
our own renderer, so their structure is known: a classic cross-reference table, objects
``N 0 obj .. endobj``, one ``/Type /Pages`` tree whose ``/Kids`` lists the pages in order,
and references ``N 0 R`` only in dictionaries (never inside content streams, which name
their resources). Each chunk's objects are copied with their numbers shifted; the chunks'
catalogs, page trees, outlines and info dictionaries are replaced by one of each.

This is not a general PDF merger: files with object streams, cross-reference streams or
incremental updates are refused with a ``ValidationError`` naming the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from ebs_desktop.errors import ValidationError

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_REF = re.compile(rb"(\d+) 0 R\b")
_OBJ_HEAD = re.compile(rb"(\d+) 0 obj\s*")


def _objects(path: Path, data: bytes) -> dict[int, bytes]:
    """Object number -> body (between ``obj`` and ``endobj``), from the xref table."""
    found = _STARTXREF.search(data[-64:])
    if not found:
        raise ValidationError("no startxref at the end of the file", location=str(path))
    pos = int(found.group(1))
    if data[pos:pos + 4] != b"xref":
        raise ValidationError("not a classic cross-reference table", location=str(path))
    lines = data[pos:data.index(b"trailer", pos)].split(b"\n")
    first, count = (int(v) for v in lines[1].split())
    offsets: list[tuple[int, int]] = []
    for i, line in enumerate(lines[2:2 + count]):
        fields = line.split()
        if len(fields) == 3 and fields[2] == b"n":
            offsets.append((int(fields[0]), first + i))
    offsets.sort()
    bodies: dict[int, bytes] = {}
    for offset, number in offsets:
        head = _OBJ_HEAD.match(data, offset)
        if not head or int(head.group(1)) != number:
            raise ValidationError(f"object {number} is not at offset {offset}",
                                  location=str(path))
        end = data.index(b"endobj", head.end())
        # a stream's data may itself contain b"endobj"; its /Length tells where it ends
        stream = data.find(b"stream", head.end(), end)
        if stream >= 0:
            length = re.search(rb"/Length (\d+)", data[head.end():stream])
            if length is None:
                raise ValidationError(f"stream object {number} without a direct /Length",
                                      location=str(path))
            start = stream + len(b"stream") + (2 if data[stream + 6:stream + 8] == b"\r\n" else 1)
            end = data.index(b"endobj", start + int(length.group(1)))
        bodies[number] = data[head.end():end]
    return bodies


def _root_numbers(path: Path, data: bytes, bodies: dict[int, bytes]) -> tuple[int, list[int]]:
    """(object number of the page tree, page object numbers in order)."""
    trailer = data[data.rindex(b"trailer"):]
    root = re.search(rb"/Root (\d+) 0 R", trailer)
    if not root:
        raise ValidationError("trailer has no /Root", location=str(path))
    catalog = bodies[int(root.group(1))]
    pages_ref = re.search(rb"/Pages (\d+) 0 R", catalog)
    if not pages_ref:
        raise ValidationError("catalog has no /Pages", location=str(path))
    pages_no = int(pages_ref.group(1))
    kids = re.search(rb"/Kids \[([^\]]*)\]", bodies[pages_no])
    if not kids:
        raise ValidationError("page tree has no /Kids", location=str(path))
    return pages_no, [int(m.group(1)) for m in _REF.finditer(kids.group(1))]


def _renumber(body: bytes, mapping: dict[int, int]) -> bytes:
    stream = body.find(b"stream")
    head, tail = (body, b"") if stream < 0 else (body[:stream], body[stream:])
    head = _REF.sub(lambda m: b"%d 0 R" % mapping[int(m.group(1))], head)
    return head + tail


def concat_pdfs(parts: Sequence[Path], out: Path | BinaryIO, *, title: str = "Bills") -> int:
    """Write the pages of ``parts`` (in order) into ``out``; returns the page count."""
    chunks: list[bytes] = []
    offsets: list[int] = []
    size = 0
    pages_obj = 1  # object 1: the joined page tree; 2: catalog; 3: info
    next_no = 4
    all_pages: list[int] = []

    def emit(number: int, body: bytes) -> None:
        nonlocal size
        while len(offsets) < number:
            offsets.append(0)
        offsets[number - 1] = size
        piece = b"%d 0 obj\n" % number + body.rstrip() + b"\nendobj\n"
        chunks.append(piece)
        size += len(piece)

    header = b"%PDF-1.4\n%\x93\x8c\x8b\x9e EBS Desktop\n"
    chunks.append(header)
    size = len(header)
    for path in parts:
        data = Path(path).read_bytes()
        bodies = _objects(Path(path), data)
        old_pages, kids = _root_numbers(Path(path), data, bodies)
        keep = [n for n in sorted(bodies) if b"/Type /Catalog" not in bodies[n]
                and b"/Type /Outlines" not in bodies[n] and n != old_pages
                and not re.search(rb"/(Producer|Creator) \(", bodies[n])]
        mapping = {old_pages: pages_obj}
        for n in keep:
            mapping[n] = next_no
            next_no += 1
        for n in keep:
            try:
                emit(mapping[n], _renumber(bodies[n], mapping))
            except KeyError as exc:
                raise ValidationError(f"object {n} refers to object {exc.args[0]}, which is "
                                      "not copied", location=str(path)) from None
        all_pages.extend(mapping[k] for k in kids)
    kids_text = b" ".join(b"%d 0 R" % k for k in all_pages)
    emit(pages_obj, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(all_pages), kids_text))
    emit(2, b"<< /Type /Catalog /Pages 1 0 R >>")
    safe_title = title.replace("\\", "").replace("(", "").replace(")", "").encode("latin-1",
                                                                                  "replace")
    emit(3, b"<< /Creator (EBS Desktop) /Producer (EBS Desktop) /Title (%s) >>" % safe_title)
    xref = [b"xref\n0 %d\n" % (len(offsets) + 1), b"0000000000 65535 f \n"]
    xref += [b"%010d 00000 n \n" % off for off in offsets]
    xref.append(b"trailer\n<< /Info 3 0 R /Root 2 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n"
                % (len(offsets) + 1, size))
    chunks.extend(xref)
    if isinstance(out, Path):
        out.write_bytes(b"".join(chunks))
    else:
        out.write(b"".join(chunks))
    return len(all_pages)

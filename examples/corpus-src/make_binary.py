#!/usr/bin/env python3
"""Builds the binary and legacy-encoded files of the example corpus from their text sources.

The example corpus in ``examples/corpus/`` is committed whole, so nobody needs Python to use it. Some of its files
cannot be edited as text, though: the WARC archives, the gzip-compressed wire archive, and the two files in legacy
encodings. Their sources live here, in ``examples/corpus-src/``, outside the directory that
``parallax analyze examples/corpus`` ingests, so that no article is read twice.

Run from anywhere, with the Python 3 standard library only:

    python3 examples/corpus-src/make_binary.py          # rewrite the generated files
    python3 examples/corpus-src/make_binary.py --check  # exit 1 if a committed file differs from its source

The output is deterministic (fixed gzip timestamps, record ids derived from the URL), so ``--check`` can run in CI.
"""

import base64
import gzip
import hashlib
import io
import sys
import uuid
from pathlib import Path

SRC = Path(__file__).resolve().parent
CORPUS = SRC.parent / "corpus"

# Which source page goes into which archive, under which URL, crawled when (WARC-Date, UTC).
# The Eastmarch Gazette page about the Ravensport fire has neither a date nor a canonical link in its markup (an
# older CMS), so its record's WARC-Date and WARC-Target-URI are the only date and URL a reader can find.
WARC_ARCHIVES = {
    "warc/crawl-2024-spring.warc": [
        ("rundschau-2024-03-25-kordawien-wahl.html",
         "https://www.rheinische-rundschau.example/politik/ausland/kordawien-wahl-opposition-dravic-100.html",
         "2024-03-26T06:12:44Z"),
        ("horizon-2024-03-13-seisme-valmora.html",
         "https://www.lhorizon.example/international/article/2024/03/13/seisme-valmora-bilan",
         "2024-03-13T10:02:19Z"),
        ("gazette-2024-05-03-ravensport-fire.html",
         "https://www.eastmarchgazette.example/news/ravensport/smoke-fills-sky-tarrin-plastics-fire-4470950",
         "2024-05-03T18:22:10Z"),
    ],
    "warc/crawl-2024-06.warc.gz": [
        ("horizon-2024-05-09-treve-varnia.html",
         "https://www.lhorizon.example/international/article/2024/05/09/varnia-treve-geneve",
         "2024-05-09T09:12:05Z"),
        ("ledger-2024-06-07-millbridge-fire.html",
         "https://www.dailyledger.example/uk/2024/06/07/millbridge-delcourt-textiles-factory-fire",
         "2024-06-07T20:01:37Z"),
    ],
}


def http_date(warc_date: str) -> str:
    """The HTTP Date header for a WARC-Date, as a server would have sent it."""
    from datetime import datetime

    moment = datetime.strptime(warc_date, "%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


def sha1_base32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def record_id(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, '|'.join(parts))}>"


def warc_record(headers: list[tuple[str, str]], block: bytes) -> bytes:
    """One WARC/1.0 record: header lines, a blank line, the block and the two CRLFs that end every record."""
    lines = ["WARC/1.0"] + [f"{name}: {value}" for name, value in headers]
    lines.append(f"Content-Length: {len(block)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + block + b"\r\n\r\n"


def warc_archive(name: str, pages: list[tuple[str, str, str]]) -> list[bytes]:
    """The records of one archive: a warcinfo record, then a request and a response record per page."""
    info = (
        "software: parallax-example-crawler/0.1\r\n"
        "format: WARC File Format 1.0\r\n"
        "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/\r\n"
        "description: Example crawl for the Parallax corpus (invented outlets and events)\r\n"
    ).encode("ascii")
    records = [
        warc_record(
            [
                ("WARC-Type", "warcinfo"),
                ("WARC-Record-ID", record_id(name, "warcinfo")),
                ("WARC-Date", pages[0][2]),
                ("WARC-Filename", Path(name).name),
                ("Content-Type", "application/warc-fields"),
            ],
            info,
        )
    ]
    for index, (source, url, date) in enumerate(pages):
        html = (SRC / "warc" / source).read_bytes()
        host = url.split("/")[2]
        path = "/" + url.split("/", 3)[3]
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}\r\n"
            "User-Agent: parallax-example-crawler/0.1\r\nAccept: text/html\r\n\r\n"
        ).encode("ascii")
        response = (
            "HTTP/1.1 200 OK\r\n"
            f"Date: {http_date(date)}\r\n"
            "Server: nginx\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(html)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode("ascii") + html
        response_id = record_id(url, date, "response")
        ip = f"192.0.2.{10 + index}"
        records.append(
            warc_record(
                [
                    ("WARC-Type", "request"),
                    ("WARC-Record-ID", record_id(url, date, "request")),
                    ("WARC-Date", date),
                    ("WARC-Target-URI", url),
                    ("WARC-Concurrent-To", response_id),
                    ("WARC-IP-Address", ip),
                    ("Content-Type", "application/http; msgtype=request"),
                    ("WARC-Block-Digest", sha1_base32(request)),
                ],
                request,
            )
        )
        records.append(
            warc_record(
                [
                    ("WARC-Type", "response"),
                    ("WARC-Record-ID", response_id),
                    ("WARC-Date", date),
                    ("WARC-Target-URI", url),
                    ("WARC-IP-Address", ip),
                    ("Content-Type", "application/http; msgtype=response"),
                    ("WARC-Payload-Digest", sha1_base32(html)),
                    ("WARC-Block-Digest", sha1_base32(response)),
                ],
                response,
            )
        )
    return records


def gzip_member(data: bytes) -> bytes:
    """A gzip member with a fixed timestamp, so the output does not change from one run to the next."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9) as member:
        member.write(data)
    return out.getvalue()


def outputs() -> dict[str, bytes]:
    """Every generated file, by its path under examples/corpus/."""
    files = {}
    # A French regional paper's file as an old Windows newsroom system saves it: Windows-1252, CRLF line ends.
    french = (SRC / "text" / "quotidien-2024-04-05-rocade-annulee.txt").read_text("utf-8")
    files["text/quotidien-2024-04-05-rocade-annulee.txt"] = french.replace("\n", "\r\n").encode("cp1252")
    # A German regional paper's file saved as "Unicode" by a Windows editor: UTF-16 little-endian with a BOM.
    german = (SRC / "text" / "hafenkurier-2024-04-20-streik-beendet.txt").read_text("utf-8")
    files["text/hafenkurier-2024-04-20-streik-beendet.txt"] = b"\xff\xfe" + german.replace("\n", "\r\n").encode(
        "utf-16-le"
    )
    # The wire agency's archive export, gzip-compressed JSON Lines.
    wire = (SRC / "jsonl" / "mpa-wire-archive-2024.jsonl").read_bytes()
    files["jsonl/mpa-wire-archive-2024.jsonl.gz"] = gzip_member(wire)
    # WARC archives: one plain, one compressed record by record (a gzip member per record, as crawlers write them).
    for name, pages in WARC_ARCHIVES.items():
        records = warc_archive(name, pages)
        if name.endswith(".gz"):
            files[name] = b"".join(gzip_member(record) for record in records)
        else:
            files[name] = b"".join(records)
    return files


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for name, data in outputs().items():
        target = CORPUS / name
        if check:
            if not target.exists() or target.read_bytes() != data:
                stale.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"wrote {target.relative_to(SRC.parent.parent)} ({len(data)} bytes)")
    if stale:
        print("out of date (run examples/corpus-src/make_binary.py):", *stale, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

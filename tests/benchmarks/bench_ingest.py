"""Ingest benchmark: generated articles into a fresh database through the real console script.

Not a test (pytest does not collect it: the name starts with ``bench_`` and it defines no
``test_`` functions). Run it with the interpreter of the environment claimtrack is installed in::

    python tests/benchmarks/bench_ingest.py                      # jsonl, 1000 5000 10000 articles
    python tests/benchmarks/bench_ingest.py --format md --articles 1000 10000 --repeat 2
    python tests/benchmarks/bench_ingest.py --format jsonl --articles 10000 --generate-only \\
        --out bench-out                                          # a corpus to profile by hand

For each size it generates N deterministic (seeded) articles of about 5 KB of news-like English,
written as one ``.jsonl`` file or one ``.txt``/``.md``/``.html`` file per article, then times
``claimtrack --db FRESH ingest DIR --json`` in a subprocess. Generation is outside the timed
region. Peak memory is the child's own maximum resident set size, read with ``os.wait4`` (the
per-child form of ``getrusage(RUSAGE_CHILDREN)``, which would otherwise report the largest of all
the runs so far). The JSON summary must say N ingested, 0 duplicates and 0 failed, or the run fails.

Environment variables pass through, so ``CLAIMTRACK_INGEST_BATCH_SIZE=2000`` changes the batch size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from importlib import metadata
from pathlib import Path

SEED = 20261127
DEFAULT_SIZES = (1000, 5000, 10000)
FORMATS = ("jsonl", "txt", "md", "html")
TARGET_BYTES = 5000  # text per article, give or take 10 %

# -- generating articles --------------------------------------------------------------------------

FIRST = [
    "Anna",
    "James",
    "Keir",
    "Emmanuel",
    "Olena",
    "Marco",
    "Priya",
    "Hannah",
    "Tomasz",
    "Ingrid",
    "Rafael",
    "Amara",
    "Lucas",
    "Mei",
    "Omar",
    "Sofia",
    "Daniel",
    "Fatima",
    "Henrik",
    "Chloe",
    "Yusuf",
    "Elena",
    "Patrick",
    "Aiko",
    "Kwame",
    "Laura",
    "Viktor",
    "Nadia",
    "Samuel",
    "Grace",
    "Mateo",
    "Ruth",
]
LAST = [
    "Schmidt",
    "Dubois",
    "Kowalski",
    "Rossi",
    "Okafor",
    "Nakamura",
    "Andersen",
    "Petrenko",
    "Garcia",
    "Novak",
    "Haddad",
    "Lindqvist",
    "Moreau",
    "Fischer",
    "Costa",
    "Brennan",
    "Tanaka",
    "Mensah",
    "Kaur",
    "Silva",
    "Walsh",
    "Ivanova",
    "Becker",
    "Laurent",
    "Adeyemi",
    "Hughes",
    "Romano",
    "Sato",
    "Jansen",
    "Quinn",
]
ROLES = (
    "minister of defence",
    "finance minister",
    "chief executive",
    "spokesperson",
    "senior analyst",
    "foreign minister",
    "union leader",
    "central bank governor",
    "mayor",
    "chief economist",
    "opposition leader",
    "energy commissioner",
)
ORGS = (
    "the European Commission",
    "the Ministry of Finance",
    "Northwind Energy",
    "the port authority",
    "the International Monetary Fund",
    "the transport workers' union",
    "the national grid operator",
    "Helios Motors",
    "the city council",
    "the World Health Organization",
    "the central bank",
    "the coalition government",
    "Atlas Shipping",
    "the regional parliament",
)
CITIES = (
    "Paris",
    "Berlin",
    "Kyiv",
    "Brussels",
    "Warsaw",
    "Rome",
    "Lagos",
    "Tokyo",
    "Madrid",
    "Ottawa",
    "Nairobi",
    "Oslo",
    "Lisbon",
    "Dublin",
)
TOPICS = (
    "the ceasefire agreement",
    "the new budget",
    "fuel prices",
    "the rail strike",
    "the merger",
    "interest rates",
    "the housing plan",
    "the vaccine rollout",
    "the trade deal",
    "grid investment",
    "the pension reform",
    "port congestion",
    "the emissions target",
    "the security guarantees",
)
SUBJECTS = (
    "the government",
    "negotiators",
    "the company",
    "investors",
    "regulators",
    "European leaders",
    "the committee",
    "local officials",
    "the ministry",
    "the board",
    "lawmakers",
    "the allies",
)
VERBS = (
    "would finalize",
    "had delayed",
    "will review",
    "could approve",
    "had rejected",
    "plans to expand",
    "is expected to announce",
    "has promised to cut",
    "would not rule out",
    "agreed to fund",
    "intends to publish",
    "failed to secure",
)
OBJECTS = (
    "a binding commitment on {topic}",
    "the proposal on {topic}",
    "a detailed timetable for {topic}",
    "new spending of {money}",
    "an independent audit of {topic}",
    "a package worth {money}",
    "the final report on {topic}",
    "talks on {topic}",
    "its forecast for {topic}",
    "emergency measures on {topic}",
)
WHEN = (
    "by the end of {month}",
    "before the summer",
    "within {n} weeks",
    "next {weekday}",
    "in the first quarter of {year}",
    "after the elections",
    "once a ceasefire is reached",
    "by {month} {day}",
    "later this year",
    "as early as {weekday}",
)
QUOTES = (
    "We have made good progress, but there is still work to do on {topic}",
    "Nobody should expect a quick fix for {topic}",
    "This is the most serious test we have faced in a decade",
    "We will not sign anything that leaves {topic} unresolved",
    "The numbers speak for themselves",
    "Our position on {topic} has not changed",
    "We are ready to move {when}",
    "It would be irresponsible to promise more than we can deliver",
    "The people of {city} deserve a clear answer",
    "I have asked my officials to report back {when}",
    "There is no plan B for {topic}",
    "We expect the first payments {when}",
)
SENTENCES = (
    '{person}, the {role} at {org}, said "{quote}."',
    '"{quote}," {person} told reporters in {city} on {weekday}.',
    '"{quote}," said {person}, {role} at {org}.',
    "{person} said {subject} {verb} {object} {when}.",
    "According to {org}, {subject} {verb} {object} {when}.",
    "In a statement released on {date}, {org} said {subject} {verb} {object}.",
    "Figures published on {date} showed {metric} {moved} {pct} percent to {money}.",
    "The meeting in {city} on {date} followed weeks of talks between {org} and {org2}.",
    '{person} added: "{quote}."',
    "Critics, including {person} of {org2}, argued that {subject} {verb} {object}.",
    "{subject_cap} {verb} {object} {when}, two people familiar with the talks said.",
    "Asked whether {subject} {verb} {object}, {person} declined to comment.",
    "{person} is due to meet {person2} in {city} on {date} to discuss {topic}.",
    "Analysts at {org} said the outlook for {topic} remained uncertain.",
)
METRICS = (
    "inflation",
    "unemployment",
    "freight volumes",
    "energy imports",
    "retail sales",
    "public debt",
    "industrial output",
    "wholesale gas prices",
)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SOURCES = ("Claimtrack Wire", "Evening Ledger", "Northern Post", "Capital Times", "Harbour News")
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)  # to mid-2026: past dates (htmldate refuses future ones)


@dataclass(frozen=True, slots=True)
class Article:
    number: int
    title: str
    published: str
    source: str
    url: str
    section: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _published(rng: random.Random, moment: datetime) -> str:
    """The published value in one of the forms sources use: ISO (fast path) or news formats."""
    style = rng.randrange(5)
    if style == 0:
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    if style == 1:
        return moment.strftime("%Y-%m-%d")
    if style == 2:
        return moment.isoformat().replace("+00:00", "Z")
    if style == 3:
        return format_datetime(moment, usegmt=True)  # 'Tue, 07 Jan 2026 10:18:14 GMT'
    return f"{MONTHS[moment.month - 1]} {moment.day}, {moment.year}"  # 'January 7, 2026'


class _Writer:
    """Fills the sentence templates from one seeded random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return options[self.rng.randrange(len(options))]

    def person(self) -> str:
        return f"{self.pick(FIRST)} {self.pick(LAST)}"

    def money(self) -> str:
        amount = self.rng.randrange(2, 950)
        unit = self.pick(("million", "billion"))
        return f"{self.pick(('€', '$', '£'))}{amount / 10:.1f} {unit}"

    def date(self, around: datetime) -> str:
        moment = around + timedelta(days=self.rng.randrange(-40, 40))
        return f"{MONTHS[moment.month - 1]} {moment.day}"

    def fill(self, template: str, around: datetime) -> str:
        rng = self.rng
        slots = {
            "topic": self.pick(TOPICS),
            "money": self.money(),
            "month": self.pick(MONTHS),
            "weekday": self.pick(WEEKDAYS),
            "day": str(rng.randrange(1, 29)),
            "year": str(around.year + rng.randrange(2)),
            "n": str(rng.randrange(2, 12)),
            "city": self.pick(CITIES),
        }
        slots["when"] = self.pick(WHEN).format(**slots)
        slots["object"] = self.pick(OBJECTS).format(**slots)
        slots["quote"] = self.pick(QUOTES).format(**slots)
        subject = self.pick(SUBJECTS)
        return template.format(
            **slots,
            person=self.person(),
            person2=self.person(),
            role=self.pick(ROLES),
            org=self.pick(ORGS),
            org2=self.pick(ORGS),
            subject=subject,
            subject_cap=subject[0].upper() + subject[1:],
            verb=self.pick(VERBS),
            metric=self.pick(METRICS),
            moved=self.pick(("rose", "fell", "climbed", "slipped")),
            pct=f"{rng.randrange(1, 90) / 10:.1f}",
            date=self.date(around),
        )


def generate(count: int, seed: int = SEED) -> Iterator[Article]:
    """``count`` distinct articles, the same ones for the same seed."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    for number in range(1, count + 1):
        moment = EPOCH + timedelta(seconds=rng.randrange(910 * 24 * 3600))
        city = writer.pick(CITIES)
        source = writer.pick(SOURCES)
        topic = writer.pick(TOPICS)
        title = f"{writer.person()} says {topic} {writer.pick(('is', 'remains', 'looks'))} in doubt"
        # The dateline carries the article number, so no two texts are the same.
        paragraphs = [
            f"{city.upper()} ({source}, No. {number:06d}) — "
            + writer.fill(writer.pick(SENTENCES), moment)
        ]
        size, target = (
            len(paragraphs[0]),
            rng.randint(TARGET_BYTES * 9 // 10, TARGET_BYTES * 11 // 10),
        )
        while size < target:
            paragraph = " ".join(
                writer.fill(writer.pick(SENTENCES), moment) for _ in range(rng.randint(2, 5))
            )
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        slug = title.lower().replace(" ", "-").replace("'", "")
        yield Article(
            number=number,
            title=title,
            published=_published(rng, moment),
            source=source,
            url=f"https://news.example.org/{moment:%Y/%m/%d}/{slug}-{number}",
            section=writer.pick(("world", "business", "politics", "europe")),
            paragraphs=tuple(paragraphs),
        )


def _front_matter(article: Article) -> str:
    fields = {
        "title": article.title,
        "published": article.published,
        "source": article.source,
        "url": article.url,
        "section": article.section,
    }
    # A JSON string is a valid YAML double-quoted scalar, so dates stay text as a feed gives them.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _html(article: Article) -> str:
    body = "\n".join(f"      <p>{escape(p)}</p>" for p in article.paragraphs)
    title = escape(article.title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | {escape(article.source)}</title>
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="{escape(article.source)}">
  <meta property="article:published_time" content="{escape(article.published)}">
  <link rel="canonical" href="{escape(article.url)}">
</head>
<body>
  <header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a>
    <a href="/politics">Politics</a> <a href="/subscribe">Subscribe</a></nav></header>
  <main>
    <article>
      <h1>{title}</h1>
      <p class="byline">By the {escape(article.source)} staff.
        <time datetime="{escape(article.published)}">{escape(article.published)}</time></p>
{body}
    </article>
    <aside><h2>Most read</h2><ul><li><a href="/a">Markets close higher</a></li>
      <li><a href="/b">Storm warning for the coast</a></li></ul></aside>
  </main>
  <footer><p>© {escape(article.source)}. All rights reserved.</p>
    <a href="/privacy">Privacy</a> <a href="/contact">Contact</a></footer>
</body>
</html>
"""


def write_corpus(folder: Path, count: int, fmt: str) -> int:
    """Write ``count`` articles into ``folder`` in format ``fmt``; return the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    if fmt == "jsonl":
        with (folder / "articles.jsonl").open("w", encoding="utf-8") as stream:
            for article in generate(count):
                record = {
                    "id": f"bench-{article.number:06d}",
                    "title": article.title,
                    "published": article.published,
                    "source": article.source,
                    "url": article.url,
                    "section": article.section,
                    "text": article.text,
                }
                line = json.dumps(record, ensure_ascii=False) + "\n"
                written += stream.write(line)
        return written
    width = len(str(count))
    for article in generate(count):
        name = f"article-{article.number:0{width}d}.{fmt}"
        if fmt == "html":
            content = _html(article)
        elif fmt == "md":
            content = _front_matter(article) + f"# {article.title}\n\n{article.text}\n"
        else:
            content = _front_matter(article) + article.text + "\n"
        written += (folder / name).write_text(content, encoding="utf-8")
    return written


# -- running the console script -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    fmt: str
    articles: int
    run: int
    seconds: float
    cpu_seconds: float
    peak_rss_kib: int
    db_bytes: int
    load_at_start: float
    warnings: int

    @property
    def rate(self) -> float:
        return self.articles / self.seconds

    def row(self) -> str:
        return (
            f"| {self.fmt} | {self.articles} | {self.run} | {self.seconds:.2f} | {self.rate:.0f} | "
            f"{self.cpu_seconds:.2f} | {self.peak_rss_kib / 1024:.0f} | "
            f"{self.db_bytes / 2**20:.0f} | {self.load_at_start:.2f} |"
        )


HEADER = (
    "| format | articles | run | seconds | articles/s | CPU s (user+sys) | peak RSS (MiB) "
    "| DB (MiB) | load avg (1 min) at start |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def run_child(command: list[str], log_dir: Path) -> tuple[int, float, float, int, str]:
    """Run ``command``; return (exit code, wall seconds, CPU seconds, peak RSS KiB, stdout)."""
    out_path, err_path = log_dir / "stdout.txt", log_dir / "stderr.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak_kib = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime
    return child.returncode, seconds, cpu, peak_kib, out_path.read_text(encoding="utf-8")


def ingest_once(
    claimtrack: str, corpus: Path, work: Path, fmt: str, count: int, run: int
) -> Result:
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.duckdb"
    for leftover in (db, work / "bench.duckdb.wal"):
        leftover.unlink(missing_ok=True)
    command = [claimtrack, "--db", str(db), "ingest", str(corpus), "--json"]
    load = os.getloadavg()[0]
    code, seconds, cpu, peak_kib, stdout = run_child(command, work)
    stderr_text = (work / "stderr.txt").read_text(encoding="utf-8", errors="replace")
    try:
        summary = json.loads(stdout)
    except json.JSONDecodeError:
        sys.exit(
            f"{' '.join(command)} exited {code} without a JSON summary:\n{stderr_text[-2000:]}"
        )
    problems = []
    if code != 0:
        problems.append(f"exit code {code}")
    if summary["ingested"] != count:
        problems.append(f"ingested {summary['ingested']}, expected {count}")
    if summary["duplicates"]:
        problems.append(f"{summary['duplicates']} duplicates, expected 0")
    if summary["failed"]:
        problems.append(f"{len(summary['failed'])} failed, first: {summary['failed'][0]}")
    if problems:
        sys.exit(f"{' '.join(command)}: " + "; ".join(problems))
    return Result(
        fmt=fmt,
        articles=count,
        run=run,
        seconds=seconds,
        cpu_seconds=cpu,
        peak_rss_kib=peak_kib,
        db_bytes=db.stat().st_size,
        load_at_start=load,
        warnings=len(summary.get("warnings", [])),
    )


# -- machine and report ---------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed in this interpreter"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _claimtrack_source() -> str:
    """Where the console script's ``claimtrack`` package comes from, and its git commit."""
    # -P: the current folder is not put on sys.path, as for the console script.
    found = subprocess.run(
        [sys.executable, "-P", "-c", "import claimtrack; print(claimtrack.__file__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        return "cannot import claimtrack"
    package = Path(found.stdout.strip()).parent
    commit = subprocess.run(
        ["git", "-C", str(package), "log", "-1", "--format=%h %cs"],
        capture_output=True,
        text=True,
        check=False,
    )
    if commit.returncode != 0:
        return f"{package} (not a git checkout)"
    dirty = subprocess.run(
        ["git", "-C", str(package), "status", "--porcelain", "--", "."],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"{package} at commit {commit.stdout.strip()}" + (
        " with uncommitted changes" if dirty else ""
    )


def machine_info(claimtrack: str) -> list[str]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPUs: {usable} usable (nproc), {os.cpu_count()} online; {_cpu_model()}",
        f"- memory: {_memory_total()}",
        f"- OS: {platform.platform()}",
        f"- Python: {platform.python_version()} ({sys.executable})",
        f"- claimtrack {_version('claimtrack')}, duckdb {_version('duckdb')}, "
        f"trafilatura {_version('trafilatura')}, dateparser {_version('dateparser')}",
        f"- console script: {claimtrack}; package: {_claimtrack_source()}",
        f"- load average at start (1, 5, 15 min): {load}",
    ]


def find_console_script(given: str | None) -> str:
    if given:
        return given
    beside = Path(sys.executable).parent / "claimtrack"
    if beside.exists():
        return str(beside)
    found = shutil.which("claimtrack")
    if not found:
        sys.exit("no claimtrack console script next to this Python or on PATH; use --claimtrack")
    return found


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--articles",
        type=int,
        nargs="+",
        default=list(DEFAULT_SIZES),
        metavar="N",
        help="corpus sizes to run, one fresh database each (default: 1000 5000 10000)",
    )
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="default: jsonl")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per size, each on a fresh database"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="keep the corpora and databases here (default: a temp dir)",
    )
    parser.add_argument(
        "--claimtrack", default=None, help="the console script (default: next to this Python)"
    )
    parser.add_argument(
        "--generate-only",
        action="store_true",
        help="write the corpora under --out and stop (for profiling by hand)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.generate_only and args.out is None:
        sys.exit("--generate-only needs --out")
    claimtrack = find_console_script(args.claimtrack)
    info = machine_info(claimtrack)
    scratch = None
    if args.out is None:
        scratch = tempfile.TemporaryDirectory(prefix="claimtrack-bench-")
        base = Path(scratch.name)
    else:
        base = args.out
    results: list[Result] = []
    try:
        for count in args.articles:
            corpus = base / f"{args.format}-{count}" / "corpus"
            if corpus.exists():
                shutil.rmtree(corpus)
            began = time.perf_counter()
            size = write_corpus(corpus, count, args.format)
            print(
                f"generated {count} {args.format} articles ({size / 1e6:.1f} MB) in {corpus} "
                f"in {time.perf_counter() - began:.1f} s",
                file=sys.stderr,
            )
            if args.generate_only:
                continue
            for run in range(1, args.repeat + 1):
                work = base / f"{args.format}-{count}" / f"run{run}"
                result = ingest_once(claimtrack, corpus, work, args.format, count, run)
                print(result.row(), file=sys.stderr, flush=True)
                results.append(result)
    finally:
        if scratch is not None:
            scratch.cleanup()
    if args.generate_only:
        return
    print("\n".join(["## Ingest benchmark", "", *info, "", HEADER, *(r.row() for r in results)]))
    warned = [r for r in results if r.warnings]
    if warned:
        print(f"\nnote: {len(warned)} runs reported date warnings (expected none).")


if __name__ == "__main__":
    main()

"""The documentation stands on its own: no file cites a document or a path outside the repository.

Requirements are cited by their id (R-…) and described in docs/requirements.md; every id cited
anywhere is defined there, and every link to one of its sections names a heading that exists.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = [
    "README.md",
    "DEVELOPERS.md",
    "Makefile",
    "pyproject.toml",
    "docs",
    "sellerdesk",
    "tests",
    "scripts",
]
TEXT = {".py", ".md", ".html", ".txt", ".toml", ".sh", ".js", ".css", ".cfg", ".ini", ".yml", ".yaml", ""}
FORBIDDEN = {
    "a specification outside the repository": re.compile(r"\bSPEC\b|SPEC\.md|STACK-NOTES"),
    "an absolute path of a machine": re.compile(r"(?<![\w.:/])/(?:work|home|Users|root)/\w"),
    "a folder beside the repository": re.compile(r"\.\./(?:shared|seeds)\b|\bseeds/"),
}
REQUIREMENTS = ROOT / "docs" / "requirements.md"


def _files() -> list[Path]:
    out: list[Path] = []
    for name in SCANNED:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        for f in candidates:
            if (
                f.is_file()
                and f.suffix in TEXT
                and "__pycache__" not in f.parts
                and f != Path(__file__).resolve()
            ):
                out.append(f)
    return out


def test_no_file_cites_something_outside_the_repository() -> None:
    found = []
    for f in _files():
        for number, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for what, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    found.append(f"{f.relative_to(ROOT)}:{number}: {what}: {line.strip()[:100]}")
    assert not found, "\n".join(found)


def _slug(heading: str) -> str:
    text = re.sub(r"[^\w\s-]", "", heading.strip().lower())
    return re.sub(r"\s+", "-", text)


def test_every_cited_requirement_and_section_exists() -> None:
    doc = REQUIREMENTS.read_text(encoding="utf-8")
    defined = set(re.findall(r"\*\*(R-[A-Z]+-\d+)\*\*", doc))
    anchors = {_slug(h) for h in re.findall(r"^#+ (.+)$", doc, flags=re.M)}
    missing = []
    for f in _files():
        text = f.read_text(encoding="utf-8", errors="replace")
        for rid in set(re.findall(r"\bR-[A-Z]+-\d+\b", text)) - defined:
            missing.append(f"{f.relative_to(ROOT)}: {rid} is not in docs/requirements.md")
        for anchor in set(re.findall(r"requirements\.md#([\w-]+)", text)) - anchors:
            missing.append(f"{f.relative_to(ROOT)}: no section #{anchor} in docs/requirements.md")
    assert not missing, "\n".join(sorted(missing))

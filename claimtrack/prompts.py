"""Prompts are files in ``prompts/``: a name, a version, and a content hash.

A prompt file is Markdown with YAML front matter (``name``, ``version``, ``description``) and two
sections, ``## system`` and ``## user``, whose text is a Jinja template. instructor renders the
templates with the call's context (``{{ article_text }}``, ``{{ published }}`` ...), so article text
is substituted as a value and never parsed as a template. The prompt id recorded with every
extraction, call and eval run is ``name@version#hash``: editing a prompt without bumping its version
still changes the id.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from textwrap import dedent
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Template

from claimtrack.errors import UsageError

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
_SECTION = re.compile(r"^## (system|user)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    description: str
    system: str
    user: str
    content_hash: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.name}@{self.version}#{self.content_hash}"

    def messages(self) -> list[dict[str, str]]:
        """The chat messages as templates, for instructor to render with the call's context."""
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.user},
        ]

    def render(self, context: dict[str, Any]) -> list[dict[str, str]]:
        """The messages as the model will see them (as instructor renders them)."""
        return [
            {
                "role": message["role"],
                "content": dedent(_template(message["content"]).render(**context)),
            }
            for message in self.messages()
        ]


@cache
def _template(source: str) -> Template:
    """A prompt template compiled once: compiling costs about 1 ms, rendering a few µs."""
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment().from_string(source)


def parse_prompt(path: Path) -> Prompt:
    import frontmatter

    raw = path.read_text(encoding="utf-8")
    try:
        post = frontmatter.loads(raw)
    except Exception as error:  # YAML errors of every kind
        raise UsageError(f"{path}: invalid front matter: {error}") from error
    meta = post.metadata
    name, version = meta.get("name"), meta.get("version")
    if not isinstance(name, str) or not isinstance(version, int):
        raise UsageError(f"{path}: front matter needs 'name' (text) and 'version' (a number)")
    parts = _SECTION.split(post.content)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if set(sections) != {"system", "user"}:
        raise UsageError(f"{path}: needs a '## system' and a '## user' section")
    return Prompt(
        name=name,
        version=version,
        description=str(meta.get("description", "")),
        system=sections["system"],
        user=sections["user"],
        content_hash=hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12],
        path=path,
    )


def load_prompt(spec: str, directory: Path = PROMPTS_DIR) -> Prompt:
    """A prompt by ``NAME``, ``NAME@VERSION`` or a path to a prompt file.

    ``NAME`` alone picks the highest version among files whose front matter has that name.
    """
    as_path = Path(spec)
    if as_path.suffix == ".md" and as_path.exists():
        return parse_prompt(as_path)
    name, _, wanted = spec.partition("@")
    available = all_prompts(directory)
    found = [p for p in available if p.name == name]
    if wanted:
        found = [p for p in found if str(p.version) == wanted]
    if not found:
        known = sorted({p.name for p in available})
        raise UsageError(f"no prompt {spec!r} in {directory} (known: {', '.join(known) or 'none'})")
    return max(found, key=lambda p: p.version)


def all_prompts(directory: Path = PROMPTS_DIR) -> list[Prompt]:
    """Every prompt file in ``directory`` (its README excepted)."""
    return [
        parse_prompt(path)
        for path in sorted(directory.glob("*.md"))
        if path.name.lower() != "readme.md"
    ]

"""Every command's --help: a summary that ``discourse --help`` shows whole, real metavars and an example.

The commands are found by walking the Typer app (groups included), so a new
command is checked without being listed here. If this test names your command:

- keep the first line of its docstring short (about 55 characters, one
  sentence); put the rest in a second paragraph;
- give each argument and option a ``metavar`` (PATH, CONCEPT, COL=VALUE, N) so
  help never shows TEXT, INTEGER or ``<str>``;
- add ``epilog=examples("discourse ...")`` (from ``discourse.cli._common``)
  to its ``@app.command(...)``.

It also checks that every column a command emits is described in
``discourse columns`` (:mod:`discourse.report.columns`).
"""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from discourse.cli import app
from discourse.report import columns as registry

WIDTH = 80  # click formats help at most 80 wide
PLACEHOLDERS = re.compile(r"<(str|int|float|bool|path)>|\b(TEXT|INTEGER|FLOAT)\b")


def _is_group(cmd) -> bool:
    return isinstance(getattr(cmd, "commands", None), dict)


def _commands(cmd, path: tuple[str, ...] = ()):
    yield path, cmd
    if _is_group(cmd):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, (*path, name))


ROOT = typer.main.get_command(app)
COMMANDS = [(p, c) for p, c in _commands(ROOT) if p]


def _help(path: tuple[str, ...]) -> str:
    r = CliRunner().invoke(app, [*path, "--help"], terminal_width=WIDTH)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_commands_are_found():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"report", "docs", "show", "columns", "lexicon show", "completion"} <= names


@pytest.mark.parametrize("path", [p for p, c in COMMANDS if _is_group(c)] + [()], ids=str)
def test_group_help_lists_every_summary_whole(path):
    """The command list of ``discourse [GROUP] --help`` cuts no summary with '...'."""
    text = _help(path)
    listing = text.split("Commands:", 1)[1]
    cut = [line.strip() for line in listing.splitlines() if line.rstrip().endswith("...")]
    assert not cut, (
        f"`{' '.join(('discourse', *path))} --help` cuts these summaries: {cut}. Shorten the first line of the "
        "command's docstring to one short sentence (~55 characters) and move the rest to a second paragraph."
    )


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_command_help_has_summary_metavars_and_example(path):
    cmd = dict(COMMANDS)[path]
    name = "discourse " + " ".join(path)
    summary = cmd.get_short_help_str(limit=1000)
    assert summary and not summary.endswith("..."), f"`{name}` has no one-line summary (first docstring line)"
    text = _help(path)
    if _is_group(cmd):
        return
    assert "Example:" in text and f"\n    discourse {path[0]}" in text, (
        f"`{name} --help` has no example: add epilog=examples('{name} ...') to its @app.command(...)"
    )
    # the name-and-metavar part of each argument and option line (before the two-space gap to its help)
    heads = [re.split(r"\s{2,}", line.strip())[0] for line in text.splitlines() if re.match(r"^  \S", line)]
    bad = sorted({m.group(0) for h in heads for m in PLACEHOLDERS.finditer(h)})
    assert not bad, f"`{name} --help` shows placeholder metavars {bad}: give those parameters a metavar=..."


def _emitted_columns():
    """(table, column) for every column list the commands write, from the modules that define them."""
    from discourse.cli.corpus import HISTORY_COLUMNS, LEDGER_COLUMNS, STATS_COLUMNS
    from discourse.frames import frame_columns
    from discourse.kwic import ATTESTED_COLUMNS, KWIC_COLUMNS
    from discourse.report.documents import DOCS_DEFAULT, SHOW_COLUMNS
    from discourse.report.options import TABLES, ReportOptions
    from discourse.senses import SENSE_COLUMNS, line_columns
    from discourse.validate import DISAGREEMENT_COLUMNS, VALIDATE_COLUMNS

    by = registry.BY
    lists = {
        **{t: ReportOptions(by=(by,), adjust=True).columns(t) for t in TABLES},
        "docs": DOCS_DEFAULT,
        "show": SHOW_COLUMNS,
        "stats": STATS_COLUMNS,
        "ledger": LEDGER_COLUMNS + HISTORY_COLUMNS,
        "kwic": KWIC_COLUMNS,
        "lexicon": ["concept", "family", "label", "variant", *ATTESTED_COLUMNS],
        "senses": SENSE_COLUMNS + line_columns(by),
        "frames": frame_columns(by),
        "validate": VALIDATE_COLUMNS + DISAGREEMENT_COLUMNS,
        "columns": registry.COLUMN_INFO_COLUMNS,
    }
    return [(t, c) for t, cols in lists.items() for c in cols]


def test_every_emitted_column_is_described():
    missing = [
        (t, c) for t, c in _emitted_columns() if c not in registry.OUTPUTS.get(t, []) or not registry.describe(t, c)
    ]
    assert not missing, f"add these (table, column) pairs to discourse/report/columns.py: {missing}"
    for table in registry.OUTPUTS:
        for c in registry.OUTPUTS[table]:
            assert registry.describe(table, c), (table, c)


def _complete(words: str, cword: int) -> list[str]:
    import os
    import subprocess

    from .conftest import BIN

    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(cword), "_DISCOURSE_COMPLETE": "complete_bash"}
    p = subprocess.run([str(BIN)], capture_output=True, text=True, env=env)
    return p.stdout.split()


def test_shell_completion():
    r = CliRunner().invoke(app, ["completion", "bash"])
    assert r.exit_code == 0 and "_DISCOURSE_COMPLETE=complete_bash" in r.stdout
    assert CliRunner().invoke(app, ["completion", "tcsh"]).exit_code == 2
    assert "report" in _complete("discourse rep", 1)
    assert set(_complete("discourse report --format ", 3)) == {"table", "csv", "tsv", "json", "jsonl"}
    assert "collocates" in _complete("discourse report co", 2)


@pytest.mark.parametrize("name", ["docs", "show", "kwic", "report", "senses", "frames", "sample"])
def test_commands_that_list_documents_or_mentions_take_where(name):
    text = " ".join(_help((name,)).split())  # unwrapped
    assert "--where KEY=VALUE" in text
    assert "the same key is OR-ed" in text and "different keys are AND-ed" in text

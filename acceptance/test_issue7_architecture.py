"""Issue 7: a non-editable install finds the default lexicon, and the one-way flow holds."""

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, figure

# Run discourse from the installed copy only: drop the editable finder and the repository from the path.
RUN = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path[:] = [{target!r}] + [p for p in sys.path if p and ("site-packages" in p or not p.startswith({root!r}))]
import discourse.lexicon as L
print(L.DEFAULT_LEXICON)
from discourse.cli import main
sys.argv = ["discourse", *sys.argv[1:]]
main()
"""


def test_wheel_ships_the_default_lexicon(tmp_path):
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip"]
    subprocess.run([*pip, "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("discourse-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True, capture_output=True
    )
    assert (target / "discourse" / "lexicons" / "adult-social-care.yaml").is_file()
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Co-production and personal budgets in social care. " * 20)
    db = tmp_path / "x.db"
    script = RUN.format(target=str(target), root=str(ROOT))
    env = {**os.environ, "PYTHONPATH": ""}
    p = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "ingest",
            str(corpus),
            "--date",
            "2020",
            "--source-type",
            "lay",
            "--db",
            str(db),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    p = subprocess.run(
        [sys.executable, "-c", script, "report", "prominence", "--period", "all", "-f", "csv", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    lexicon_path, header, first = p.stdout.splitlines()[:3]
    assert Path(lexicon_path).is_relative_to(target)
    assert first.startswith("co-production,lay,all,1,1,20,")
    figure(f"wheel {wheel.name}: default lexicon at {Path(lexicon_path).relative_to(target)}; report ran from it")


def test_layers_contract_and_module_sizes():
    bin_dir = Path(sys.executable).parent
    p = subprocess.run([str(bin_dir / "lint-imports")], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stdout[-2000:]
    sizes = {f.relative_to(ROOT): len(f.read_text().splitlines()) for f in (ROOT / "discourse").rglob("*.py")}
    biggest = max(sizes, key=sizes.get)
    figure(f"import contract kept; largest module {biggest} ({sizes[biggest]} lines)")
    assert sizes[biggest] <= 600

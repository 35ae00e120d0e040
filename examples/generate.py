"""Write the sample reports in every format, with their ground truth and planted errors.

    python examples/generate.py [--correct] [--out DIR]

Files: ``<stem>.{txt,md,tsv.txt,docx,xlsx,pdf,html}`` and ``expected/<stem>.json`` (the
interchange JSON a perfect extractor gives, ``source`` = ``<stem>.txt``) and
``expected/<stem>.errors.yaml`` (the deliberate errors). The output is byte-for-byte the same
on every run.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
try:
    import jixiao.synth  # noqa: F401
except ImportError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(HERE.parent / "src"))

import yaml  # noqa: E402

from jixiao.synth import ALL_FORMATS, expected_for, sample_reports, write_all  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--correct", action="store_true", help="samples without planted errors")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: examples/)")
    args = parser.parse_args(argv)
    expected_dir = args.out / "expected"
    expected_dir.mkdir(parents=True, exist_ok=True)
    for report in sample_reports(correct=args.correct):
        paths = write_all(report, args.out, ALL_FORMATS)
        truth = expected_for(report, f"{report.stem}.txt")
        (expected_dir / f"{report.stem}.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        errors = [asdict(e) for e in report.planted]
        (expected_dir / f"{report.stem}.errors.yaml").write_text(
            yaml.safe_dump(errors, allow_unicode=True, sort_keys=False, width=1000),
            encoding="utf-8",
        )
        names = ", ".join(p.name for p in paths)
        print(f"{report.stem}: {names}; {len(errors)} planted errors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

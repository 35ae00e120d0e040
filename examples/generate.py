"""Write the sample reports in every format, with their ground truth and planted errors.

    python examples/generate.py [--correct] [--out DIR]

Files: ``<stem>.{txt,md,tsv.txt,docx,xlsx,pdf,html}`` and ``expected/<stem>.json`` (the
interchange JSON a perfect extractor gives, ``source`` = ``<stem>.txt``) and
``expected/<stem>.errors.yaml`` (the deliberate errors); and a 部门决算 (nine tables and the
说明) as ``juesuan-<seed>.{docx,xlsx,pdf}`` with ``expected/juesuan-<seed>.planted.yaml``.
The output is byte-for-byte the same on every run.
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
from jixiao.synth.accounts import build_accounts, write_accounts  # noqa: E402

# the 部门决算 example: one seed, one error planted in the 说明 (a 类 amount off its table line)
ACCOUNTS_SEED, ACCOUNTS_PLANT = 5, "statement_class"


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
    sample = build_accounts(ACCOUNTS_SEED, plant=None if args.correct else ACCOUNTS_PLANT)
    stem = f"juesuan-{ACCOUNTS_SEED}"
    for fmt in ("docx", "xlsx", "pdf"):
        write_accounts(sample, args.out / f"{stem}.{fmt}")
    errors = [asdict(p) for p in sample.planted]
    (expected_dir / f"{stem}.planted.yaml").write_text(
        yaml.safe_dump(errors, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )
    print(f"{stem}: {sample.entity} 部门决算 (docx, xlsx, pdf); {len(errors)} planted errors")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The ``jixiao`` command line.

Bad input never ends in a traceback: each problem is one line naming the file, and the
exit code is 2. Output files are written to a temporary name and renamed, so an interrupted
run never leaves half a file behind.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jixiao import __version__
from jixiao.errors import JixiaoError
from jixiao.model import Report
from jixiao.pipeline import SUPPORTED_SUFFIXES, expand_paths, extract_file

app = typer.Typer(
    name="jixiao",
    help="jixiao（绩效）：读取、复核预算绩效评价报告。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class ExtractFormat(StrEnum):
    json = "json"
    table = "table"


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]错误[/red] {message}", markup=True)
    return typer.Exit(2)


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command()
def extract(
    paths: Annotated[
        list[Path], typer.Argument(help="报告文件或文件夹（txt/md/docx/xlsx/pdf/html）")
    ],
    fmt: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="输出格式")
    ] = ExtractFormat.json,
    out_dir: Annotated[
        Path | None, typer.Option("-o", "--out", help="每个输入写一个 <名称>.json 到此文件夹")
    ] = None,
) -> None:
    """提取报告中的绩效自评表、评分表和专家评分表（交换格式 JSON）。

    一个文件且为 json 格式时，输出一个 JSON 对象；多个文件时输出 JSON 数组（或用 -o 每个文件写一个）。
    """
    files = _files(paths)
    reports = []
    failed = False
    for report in _extracted(files):
        if report is None:
            failed = True
            continue
        reports.append(report)
        if out_dir is not None:
            write_atomic(out_dir / f"{Path(report.source).name}.json", _dumps(report.to_json()))
    if out_dir is None:
        if fmt is ExtractFormat.json:
            data = [r.to_json() for r in reports]
            if data:
                sys.stdout.write(_dumps(data[0] if len(files) == 1 else data) + "\n")
        else:
            from jixiao.render.terminal import print_reports

            print_reports(reports, _stdout_console())
    elif fmt is ExtractFormat.table:
        from jixiao.render.terminal import print_reports

        print_reports(reports, _stdout_console())
    if failed:
        raise typer.Exit(2)


_FRAMEWORK_HELP = (
    "评分框架：内置框架的 id（见 --list）或自定义 YAML 文件路径；不指定时按表格结构自动选择。"
    "框架文件写法见 docs/frameworks.md"
)


@app.command()
def score(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="报告文件或文件夹（txt/md/docx/xlsx/pdf/html）")
    ] = None,
    fmt: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="输出格式：table 或 json")
    ] = ExtractFormat.table,
    framework: Annotated[str | None, typer.Option("--framework", help=_FRAMEWORK_HELP)] = None,
    list_frameworks: Annotated[
        bool, typer.Option("--list", help="列出内置评分框架及其依据")
    ] = False,
) -> None:
    """按评分规则复算每一行得分、总分和等次，标出自评分高于（或低于）规则的行。

    \b
    评分框架是 YAML 数据（一级/二级/三级指标、权重、每个末级指标的规则），例如：
      id: my-rules
      title: 某市项目支出绩效评价指标体系
      kinds: [project_review]
      total: 100
      source: {document: 某财绩〔2023〕1号, clause: 附件2, region: 某市, year: 2023}
      indicators:
        - name: 预算执行率
          weight: 10
          rule: {kind: deduct, input: execution_rate, full_at: 100, step: 10, points: 1}
        ...
    规则类型：ratio, inverse_ratio, equal, by_comparator, tiers, deduct, checklist,
    binary, qualitative, manual, sum。框架有误时报告文件、行号和原因。
    """
    from jixiao.frameworks.loader import FrameworkError, builtin_frameworks, get_framework
    from jixiao.scoring import score as score_report

    if list_frameworks:
        from jixiao.render.scores import print_frameworks

        print_frameworks(builtin_frameworks(), _stdout_console())
        return
    if not paths:
        raise _fail("请给出报告文件或文件夹（或用 --list 查看内置评分框架）")
    try:
        chosen = get_framework(framework) if framework else None
    except FrameworkError as e:
        raise _fail(str(e)) from None
    files = _files(paths)
    scored = []
    failed = False
    for report in _extracted(files):
        if report is None:
            failed = True
            continue
        scored.append(score_report(report, chosen))
    if fmt is ExtractFormat.json:
        data = [s.to_json() for s in scored]
        if data:
            sys.stdout.write(_dumps(data[0] if len(files) == 1 else data) + "\n")
    else:
        from jixiao.render.scores import print_scores

        print_scores(scored, _stdout_console())
    if failed:
        raise typer.Exit(2)


def _files(paths: list[Path]) -> list[Path]:
    try:
        files = expand_paths(paths)
    except JixiaoError as e:
        raise _fail(str(e)) from None
    if not files:
        raise _fail(f"没有找到可读取的报告（支持 {'、'.join(SUPPORTED_SUFFIXES)}）")
    return files


def _extracted(files: list[Path]) -> Iterator[Report | None]:
    """Each file's report, or None after printing the one-line error of a bad file."""
    for path in files:
        try:
            report = extract_file(path)
        except JixiaoError as e:
            err.print(f"[red]错误[/red] {e}", markup=True)
            yield None
            continue
        if not report.evaluations:
            err.print(f"[yellow]提示[/yellow] {path}: 没有识别到绩效评价表", markup=True)
        for warning in report.warnings:
            err.print(f"[yellow]提示[/yellow] {path}: {warning}", markup=True)
        yield report


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")
    ] = False,
) -> None:
    """jixiao（绩效）：读取、复核预算绩效评价报告。"""


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("已中断")
        sys.exit(130)


def _stdout_console() -> Console:
    """A wide console when piped, so that tables are not folded to 80 columns."""
    console = Console()
    return console if console.is_terminal else Console(width=160)

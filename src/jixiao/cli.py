"""The ``jixiao`` command line.

Bad input never ends in a traceback: each problem is one line naming the file, and the
exit code is 2. Output files are written to a temporary name and renamed, so an interrupted
run never leaves half a file behind.
"""

from __future__ import annotations

import io
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
from jixiao.gc_tuning import tune_gc
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


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write through a temporary file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(tmp, _file_mode(path))  # mkstemp makes 0600; give what a plain open would
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


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
    jobs: JobsOption = 0,
) -> None:
    """提取报告中的绩效自评表、评分表和专家评分表（交换格式 JSON）。

    一个文件且为 json 格式时，输出一个 JSON 对象；多个文件时输出 JSON 数组（或用 -o 每个文件写一个）。
    """
    files = _files(paths)
    reports = []
    failed = False
    for report in _extracted(files, jobs):
        if report is None:
            failed = True
            continue
        reports.append(report)
        if out_dir is not None:
            write_atomic(out_dir / f"{Path(report.source).name}.json", _dumps(report.to_json()))
    if fmt is ExtractFormat.table:
        from jixiao.render.terminal import print_reports

        print_reports(reports, _stdout_console())
    elif out_dir is None:
        _print_json([r.to_json() for r in reports], single=len(files) == 1)
    if failed:
        raise typer.Exit(2)


JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        help="同时处理的文件数（进程数）；0 为按 CPU 核数自动（默认，4 个文件以下不开进程）",
        min=0,
    ),
]


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
    jobs: JobsOption = 0,
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
    for report in _extracted(files, jobs):
        if report is None:
            failed = True
            continue
        scored.append(score_report(report, chosen))
    if fmt is ExtractFormat.json:
        _print_json([s.to_json() for s in scored], single=len(files) == 1)
    else:
        from jixiao.render.scores import print_scores

        print_scores(scored, _stdout_console())
    if failed:
        raise typer.Exit(2)


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    html = "html"
    xlsx = "xlsx"


class SeverityLevel(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


_DEFAULT_OUT = {CheckFormat.html: "jixiao-report.html", CheckFormat.xlsx: "jixiao-report.xlsx"}


@app.command()
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="报告文件或文件夹（txt/md/docx/xlsx/pdf/html）")
    ] = None,
    fmt: Annotated[
        CheckFormat,
        typer.Option("--format", "-f", help="输出格式：table（终端）、json、html、xlsx"),
    ] = CheckFormat.table,
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--out",
            help="写入此文件（html 默认 jixiao-report.html，xlsx 默认 jixiao-report.xlsx；"
            "table/json 默认输出到终端）",
        ),
    ] = None,
    min_severity: Annotated[
        SeverityLevel,
        typer.Option(
            "--min-severity",
            help="只显示此级别及以上：error（错误）、warning（疑似）、info（提示）",
        ),
    ] = SeverityLevel.info,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only", help="只运行这些检查项或类别（如 funds、scores.total_mismatch），可重复"
        ),
    ] = None,
    explain: Annotated[
        str | None, typer.Option("--explain", help="说明某个检查项：名称、严重程度、检查内容")
    ] = None,
    list_checks: Annotated[bool, typer.Option("--list", help="列出全部检查项")] = False,
    review: Annotated[
        Path | None,
        typer.Option("--review", help="复核记录文件（默认当前文件夹的 .jixiao-review.yaml）"),
    ] = None,
    accept: Annotated[
        bool,
        typer.Option("--accept", help="把本次显示的全部问题记为已确认，写入复核记录，以后不再显示"),
    ] = False,
    by: Annotated[
        str | None, typer.Option("--by", help="确认人（随 --accept 记录；默认当前用户名）")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="确认理由（随 --accept 记录）")] = None,
    show_accepted: Annotated[
        bool, typer.Option("--show-accepted", help="也显示复核记录中已确认的问题")
    ] = False,
    exit_zero: Annotated[
        bool,
        typer.Option(
            "--exit-zero", help="有错误级问题时也以 0 退出（演示、只要报告时用）；读取失败仍为 2"
        ),
    ] = False,
    jobs: JobsOption = 0,
) -> None:
    """复核报告：列出每个对不上的数字（所在位置、印刷值、应为值、严重程度）。

    \b
    退出码：0 没有错误级问题；1 有错误级问题；2 输入有误（文件不存在、无法读取、参数不对）。
    复核记录：--accept 把本次显示的问题（受 --only、--min-severity 限制）记入 .jixiao-review.yaml，
    再次运行时不再显示，并提示“N 条已确认的问题未显示”；文件内容一改，问题重新显示。
    """
    from jixiao.checks.registry import CHECKS, FAMILIES, load_families

    load_families()
    if explain is not None:
        _explain(explain)
        return
    if list_checks:
        from jixiao.render.findings import print_check_list

        print_check_list(_stdout_console())
        return
    if not paths:
        raise _fail("请给出报告文件或文件夹（或用 --list 查看检查项，--explain ID 查看说明）")
    if only:
        from jixiao.checks.runner import unknown_selectors

        unknown = unknown_selectors(only)
        if unknown:
            raise _fail(
                f"未知的检查项或类别：{'、'.join(unknown)}（类别：{'、'.join(FAMILIES)}；"
                "用 jixiao check --list 查看全部检查项）"
            )
    if (accept or by or note) and show_accepted:
        raise _fail("--accept 不能与 --show-accepted 同用")
    if (by or note) and not accept:
        raise _fail("--by、--note 只能与 --accept 同用")
    from jixiao.checks.review import ReviewError, ReviewFile, find_review_file

    review_path = find_review_file(review)
    if review is not None and not accept and not review.exists():
        raise _fail(f"{review}: 复核记录文件不存在")
    try:
        memory = ReviewFile.load(review_path)
    except ReviewError as e:
        raise _fail(str(e)) from None
    if out is not None and out.is_dir():
        raise _fail(f"{out}: 是文件夹，请给出文件名")
    files = _files(paths)
    if not CHECKS:
        err.print("[yellow]提示[/yellow] 尚未注册任何检查项", markup=True)

    docs, failures = _check_files(files, only, keep_documents=fmt is CheckFormat.html, jobs=jobs)
    for doc in docs:
        doc.select(min_severity.value, None if show_accepted else memory)
        if not doc.findings:
            doc.document = None  # no table of it will be drawn
    if accept:
        _accept(docs, memory, by, note)
        for doc in docs:
            doc.select(min_severity.value, memory)
    _write_check_output(docs, failures, fmt, out, single=len(files) == 1)
    if failures:
        raise typer.Exit(2)
    if not exit_zero and any(doc.count("error") for doc in docs):
        raise typer.Exit(1)


def _explain(check_id: str) -> None:
    from jixiao.checks.registry import CHECKS, FAMILIES
    from jixiao.render.findings import print_check_list, print_explain

    console = _stdout_console()
    if check_id in CHECKS:
        print_explain(check_id, console)
        return
    if check_id in FAMILIES and any(c.family == check_id for c in CHECKS.values()):
        for info in sorted(CHECKS.values(), key=lambda c: c.id):
            if info.family == check_id:
                print_explain(info.id, console)
                console.print()
        return
    err.print(f"[red]错误[/red] 没有检查项 {check_id}；全部检查项：", markup=True)
    print_check_list(err)
    raise typer.Exit(2)


def _check_files(files: list[Path], only: list[str] | None, *, keep_documents: bool, jobs: int = 1):
    """Each readable file checked, in the order given (side by side in worker processes
    for many files; a progress bar on stderr for several)."""
    from functools import partial

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from jixiao.checks.runner import CheckedDocument, check_document
    from jixiao.parallel import run_each

    done: dict[int, CheckedDocument] = {}
    failures: list[str] = []
    check_one = partial(check_document, only=only or None, keep_document=keep_documents)
    outcomes = run_each(check_one, files, jobs)  # workers start before the progress thread
    progress = Progress(
        TextColumn("复核"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", style="dim"),
        console=err,
        transient=True,
        disable=len(files) < 2 or not err.is_terminal,
    )
    with progress:
        task = progress.add_task("", total=len(files))
        for outcome in outcomes:
            progress.update(task, description=outcome.path.name)
            if outcome.error is not None:
                err.print(f"[red]错误[/red] {outcome.error}", markup=True)
                failures.append(outcome.error)
            else:
                doc = outcome.value
                for warning in doc.report.warnings:
                    err.print(f"[yellow]提示[/yellow] {outcome.path}: {warning}", markup=True)
                done[outcome.index] = doc
            progress.advance(task)
    return [done[k] for k in sorted(done)], failures


def _accept(docs, memory, by: str | None, note: str | None) -> None:
    import getpass

    from jixiao.render.findings import where

    if by is None:
        by = os.environ.get("JIXIAO_REVIEWER")
        if by is None:
            try:
                by = getpass.getuser()
            except (OSError, KeyError):
                by = None
    shown = added = 0
    for doc in docs:
        for finding, fp in zip(doc.findings, doc.fingerprints, strict=True):
            shown += 1
            added += memory.accept(
                fp,
                finding,
                file=doc.report.source,
                where=where(finding.loc, doc.report.format),
                by=by,
                note=note,
            )
    if added:
        write_atomic(memory.path, memory.dumps())
    err.print(f"已确认 {shown} 条问题（新记入 {added} 条），复核记录：{memory.path}", markup=False)


def _write_check_output(
    docs, failures: list[str], fmt: CheckFormat, out: Path | None, *, single: bool
) -> None:
    from jixiao.render.findings import Summary, print_findings

    if fmt is CheckFormat.table:
        if out is None:
            print_findings(docs, _stdout_console(), failed=len(failures))
        else:
            console = Console(file=io.StringIO(), width=160, color_system=None, highlight=False)
            print_findings(docs, console, failed=len(failures))
            write_atomic(out, console.file.getvalue())
        return
    if fmt is CheckFormat.json:
        data = [
            {
                "source": doc.report.source,
                "findings": [
                    f.model_dump(mode="json") | {"fingerprint": fp}
                    for f, fp in zip(doc.findings, doc.fingerprints, strict=True)
                ],
            }
            for doc in docs
        ]
        if single and len(data) != 1:
            return  # the one file could not be read: its error is on stderr
        text = _dumps(data[0] if single else data) + "\n"
        if out is None:
            sys.stdout.write(text)
        else:
            write_atomic(out, text)
        return
    target = out or Path(_DEFAULT_OUT[fmt])
    if fmt is CheckFormat.html:
        from jixiao.render.html_report import render_html

        write_atomic(target, render_html(docs, failures=failures))
    else:
        from jixiao.render.xlsx_report import render_xlsx

        write_atomic(target, render_xlsx(docs))
    typer.echo(f"已写入 {target}。{Summary.of(docs, len(failures)).line()}")


def _files(paths: list[Path]) -> list[Path]:
    try:
        files = expand_paths(paths)
    except JixiaoError as e:
        raise _fail(str(e)) from None
    if not files:
        raise _fail(f"没有找到可读取的报告（支持 {'、'.join(SUPPORTED_SUFFIXES)}）")
    return files


def _extracted(files: list[Path], jobs: int = 1) -> Iterator[Report | None]:
    """Each file's report in the order given, or None after printing the one-line error
    of a bad file (several files are read side by side: see ``jixiao.parallel``)."""
    from jixiao.parallel import run_each

    done: dict[int, Report | None] = {}
    ready = 0  # reports are handed on in input order, as soon as their turn comes
    for outcome in run_each(extract_file, files, jobs):
        done[outcome.index] = outcome.value
        if outcome.error is not None:
            err.print(f"[red]错误[/red] {outcome.error}", markup=True)
        else:
            report, path = outcome.value, outcome.path
            if not report.evaluations:
                err.print(f"[yellow]提示[/yellow] {path}: 没有识别到绩效评价表", markup=True)
            for warning in report.warnings:
                err.print(f"[yellow]提示[/yellow] {path}: {warning}", markup=True)
        while ready in done:
            yield done.pop(ready)
            ready += 1


def _print_json(data: list[object], single: bool) -> None:
    """One object for one file, an array for several; nothing when no file could be read."""
    if data:
        sys.stdout.write(_dumps(data[0] if single else data) + "\n")


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jixiao {__version__}")
        raise typer.Exit()


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="数据库：SQLite 文件路径或 postgresql:// URL"
            "（默认 JIXIAO_DATABASE_URL，否则 ./jixiao.db）",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="工作进程数（uvicorn workers，默认 1）；多个进程共用同一数据库与文件目录",
        ),
    ] = 1,
) -> None:
    """启动网页版（上传、逐表复核、统计；JSON API 在 /api）。需安装 jixiao[web]。"""
    try:
        import uvicorn

        from jixiao.web import Settings, create_app
        from jixiao.web.app import prepare_workers, run_workers
    except ImportError as e:
        raise _fail(f"网页版需要额外的依赖（缺少 {e.name}）：pip install 'jixiao[web]'") from None
    try:
        settings = Settings(database_url=db or "")
        if workers == 1:
            application = create_app(settings)
        else:  # each worker builds its own app from the environment prepare_workers sets
            prepare_workers(settings)
    except Exception as e:  # a bad URL, an unreachable server, a file we cannot write
        raise _fail(f"无法打开数据库：{e}") from None
    processes = f"{workers} 个工作进程，" if workers > 1 else ""
    err.print(f"jixiao 网页版：http://{host}:{port}/  （{processes}Ctrl+C 停止）")
    if workers == 1:
        uvicorn.run(application, host=host, port=port, log_level="info")
    else:  # uvicorn's multiprocess supervisor, each worker calling the app factory
        run_workers(host, port, workers)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")
    ] = False,
) -> None:
    """jixiao（绩效）：读取、复核预算绩效评价报告。"""
    tune_gc()  # every command here is batch work over documents


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("已中断")
        sys.exit(130)
    except SystemExit as e:  # typer turns Ctrl-C into a silent exit 130: say it
        if e.code == 130:
            err.print("已中断")
        raise


def _stdout_console() -> Console:
    """A wide console when piped, so that tables are not folded to 80 columns."""
    console = Console()
    return console if console.is_terminal else Console(width=160)

"""The ``ogi`` command: the contract schedulers, notebooks and other tools call.

    ogi run [INPUT…] [--db PATH]      the whole chain: discover → normalise → identify → extract →
                                      load → validate → report (default input data/raw/)
    ogi ingest PATH… [--db PATH]      the same without validation and reports
    ogi extract FILE --json           one report's metadata and facts as JSON (no warehouse)
    ogi eval CORPUS_DIR               score extraction against *.gold.json
    ogi validate [--db PATH]          run the Great Expectations suites on the warehouse
    ogi report [--db PATH] [--out DIR]  execute the notebooks, export HTML reports and charts
    ogi status [--db PATH]            what is loaded, the last run, the quarantine
    ogi synth OUT_DIR --n N           write N synthetic reports with their truth
    ogi bench [--n N]                 time every stage on N synthetic reports
    ogi export --parquet DIR          the warehouse tables as Parquet, partitioned by year

Exit codes: 0 success; 1 the run failed or data failed an error-severity check; 2 bad usage;
3 another run holds the warehouse lock.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from pipelines import config

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=config.WAREHOUSE_PATH,
                   help=f"DuckDB warehouse file (default: {config.WAREHOUSE_PATH.relative_to(config.PROJECT_ROOT) if config.WAREHOUSE_PATH.is_relative_to(config.PROJECT_ROOT) else config.WAREHOUSE_PATH})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ogi",
        description="Chinese government information-disclosure annual reports (政府信息公开工作年度报告) "
                    "into a validated DuckDB warehouse.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit codes: 0 ok, 1 failed (or error-severity checks failed), 2 usage, 3 warehouse locked.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every file")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="the whole chain on input folders/files (default data/raw/)",
                       description="Discover, normalise, identify, extract and load every new or changed "
                                   "report, then validate the warehouse and export the reports. Files already "
                                   "loaded with the same sha256 are skipped.")
    p.add_argument("inputs", nargs="*", type=Path, help="folders or files (default: data/raw/)")
    _db_arg(p)
    p.add_argument("--workers", type=int, default=None, help="parser processes (default: one per core)")
    p.add_argument("--no-validate", action="store_true", help="skip validation after loading")
    p.add_argument("--no-report", action="store_true", help="skip executing notebooks and exporting charts")
    p.add_argument("--out", type=Path, default=config.EXPORTS_DIR, help="where reports and charts go")
    p.add_argument("--fail-on-warning", action="store_true",
                   help="exit non-zero also when warning-severity checks fail")
    p.add_argument("--no-lock-wait", action="store_true",
                   help="exit at once (code 3) if another run holds the warehouse, instead of waiting")

    p = sub.add_parser("ingest", help="discover, parse and load only (no validation, no reports)")
    p.add_argument("inputs", nargs="*", type=Path, help="folders or files (default: data/raw/)")
    _db_arg(p)
    p.add_argument("--workers", type=int, default=None, help="parser processes (default: one per core)")
    p.add_argument("--no-lock-wait", action="store_true", help="exit at once if the warehouse is locked")

    p = sub.add_parser("extract", help="print one report's metadata and facts (no warehouse)")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="JSON output (the scoring contract)")

    p = sub.add_parser("eval", help="score extraction against the *.gold.json files of a corpus")
    p.add_argument("corpus", type=Path, help="folder holding NAME.<txt|html|md> + NAME.gold.json")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--misses", type=int, default=50, help="how many misses to list (default 50)")

    p = sub.add_parser("validate", help="run the Great Expectations suites on the warehouse")
    _db_arg(p)
    p.add_argument("--fail-on-warning", action="store_true",
                   help="exit non-zero also when warning-severity checks fail")
    p.add_argument("--docs", type=Path, default=config.DOCS_DIR, help="where Data Docs are written")

    p = sub.add_parser("report", help="execute the notebooks and export HTML reports and charts")
    _db_arg(p)
    p.add_argument("--out", type=Path, default=config.EXPORTS_DIR, help="output folder (default exports/)")
    p.add_argument("--region", default=None, help="region or organ for the region notebook")
    p.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of written comparisons")

    p = sub.add_parser("status", help="what is loaded: reports by year and format, last run, quarantine")
    _db_arg(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("synth", help="write N synthetic reports with their truth (gold) files")
    p.add_argument("out_dir", type=Path)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--formats", default=None, help="comma list: html,txt,pdf,docx,narrative (default: a mix)")

    p = sub.add_parser("bench", help="time every stage on N synthetic reports; last line: R reports/s")
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--keep", type=Path, default=None, help="keep the generated corpus and warehouse here")
    p.add_argument("--stages", default=None,
                   help="comma list of ingest,split,validate,report,export,rerun,scaling (default: all but report)")
    p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser("export", help="write warehouse tables as Parquet partitioned by year")
    _db_arg(p)
    p.add_argument("--parquet", type=Path, required=True, metavar="DIR")
    p.add_argument("--texts", action="store_true", help="also export report_texts (most of the bytes)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(message)s", stream=sys.stderr)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    handler = globals()[f"cmd_{args.command}"]
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("ogi: interrupted", file=sys.stderr)
        return EXIT_FAILED


def cmd_extract(args: argparse.Namespace) -> int:
    from pipelines.errors import ReportError
    from pipelines.parse import parse_file

    if not args.file.is_file():
        print(f"ogi extract: {args.file}: no such file", file=sys.stderr)
        return EXIT_USAGE
    try:
        parsed = parse_file(args.file)
    except ReportError as exc:
        print(f"ogi extract: {exc} [stage {exc.stage}, reason {exc.reason}]", file=sys.stderr)
        return EXIT_FAILED
    out = parsed.extraction.to_json()
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        meta = {k: out[k] for k in ("organ", "region", "level", "year", "format")}
        print(" ".join(f"{k}={v}" for k, v in meta.items()))
        for f in parsed.extraction.facts:
            app = f"[{f.applicant}]" if f.applicant else ""
            print(f"  {f.metric}{app} = {f.value} {f.unit}{' (approx)' if f.approx else ''}  «{f.evidence[:60]}»")
        for w in parsed.extraction.warnings:
            print(f"  warning {w.code}: {w.message}")
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from pipelines.evaluate import evaluate_corpus, format_scores

    if not args.corpus.is_dir():
        print(f"ogi eval: {args.corpus}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    scores = evaluate_corpus(args.corpus)
    if args.json:
        json.dump(scores.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(format_scores(scores, max_misses=args.misses))
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from pipelines.pipeline import run_command

    return run_command(args, validate=not args.no_validate, report=not args.no_report)


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipelines.pipeline import run_command

    args.fail_on_warning = False
    return run_command(args, validate=False, report=False)


def cmd_validate(args: argparse.Namespace) -> int:
    from pipelines.validate import validate_command

    return validate_command(args)


def cmd_report(args: argparse.Namespace) -> int:
    from pipelines.report import report_command

    return report_command(args)


def cmd_status(args: argparse.Namespace) -> int:
    from pipelines.status import status_command

    return status_command(args)


def cmd_synth(args: argparse.Namespace) -> int:
    from pipelines.synth import synth_command

    return synth_command(args)


def cmd_bench(args: argparse.Namespace) -> int:
    from pipelines.bench import bench_command

    return bench_command(args)


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines.export import export_command

    return export_command(args)


if __name__ == "__main__":
    sys.exit(main())

"""Build the real-data report from the shared annotated corpora: ``python scripts/real_report.py [DATA_ROOT] [-o OUT]``.

DATA_ROOT defaults to ``$FRAMING_DATA`` or ``../shared/data``; the report goes to ``reports/real/``.
See :mod:`framing.real_report`.
"""

from __future__ import annotations

import argparse
import logging

from framing.real_report import build_real_report, default_data_root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_root", nargs="?", default=None, help=f"default: {default_data_root()}")
    ap.add_argument("-o", "--outdir", default="reports/real")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="processes for the analysis")
    ap.add_argument("--limit", type=int, default=None, help="at most N articles per dataset (quick check)")
    ap.add_argument("--exclude-feature", action="append", default=[], help="leave a feature out (repeatable)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    path = build_real_report(args.data_root, args.outdir, n_jobs=args.jobs, exclude_features=args.exclude_feature,
                             limit=args.limit)
    print(f"real-data report written to {path}")


if __name__ == "__main__":
    main()

"""Checks files with the built-in pack and prints what it finds, as
`policy check` would; exits 1 when something is high or worse.

    python3 check_files.py Dockerfile compose.yaml
"""

import sys

import libpolicy


def main(paths):
    report = libpolicy.check(*paths)
    for e in report.errors:
        print(f"{e.file}:{e.line}:{e.column}: error: {libpolicy.escape_text(e.message)}")
    for f in report.findings:
        print(f"{f.file}:{f.line}:{f.column}: {f.severity} [{f.rule}] "
              f"{libpolicy.escape_text(f.message)}")
    print(f"{report.file_count} files checked: {len(report.findings)} findings")
    return 1 if report.count_at_least("high") or report.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

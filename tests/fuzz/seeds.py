#!/usr/bin/env python3
"""Prepares the seed corpus of each fuzz target (see README.md).

Usage: seeds.py OUT_DIR SOURCE_DIR [SHARED_DIR]

Writes OUT_DIR/<target>/ for every target: the small hand-made seeds of
tests/fuzz/seeds/<target>/, plus, when SHARED_DIR (../shared) exists,
inputs taken from BuildKit's test data, the corpus and the samples. Seeds
are written fresh on every run and never committed in bulk.
"""
import hashlib
import json
import os
import re
import shutil
import sys

MAX_SEED = 64 << 10  # bigger files only slow the search down


def main():
    out, src = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else os.path.join(src, "..", "shared")
    targets = ["df_parse", "df_build", "shlex", "shsplit", "load_yaml",
               "load_json", "suppression", "rules", "compose", "inspect", "scan"]
    seeds = {t: [] for t in targets}

    def add(target, data):
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        if 0 < len(data) <= MAX_SEED:
            seeds[target].append(data)

    def files(folder, pattern=None, recursive=False):
        if not os.path.isdir(folder):
            return []
        found = []
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for n in sorted(names):
                if pattern is None or re.search(pattern, n):
                    found.append(os.path.join(root, n))
            if not recursive:
                break
        return found

    def read(path):
        with open(path, "rb") as f:
            return f.read()

    for t in targets:
        for p in files(os.path.join(src, "tests", "fuzz", "seeds", t)):
            add(t, read(p))
        for p in files(os.path.join(src, "tests", "fuzz", "regressions", t)):
            add(t, read(p))

    dockerfiles = [read(p) for p in files(os.path.join(src, "examples"))]
    parser = os.path.join(shared, "conformance", "buildkit-parser")
    for sub in ("testfiles", "testfiles-negative", "testfile-line"):
        dockerfiles += [read(p) for p in files(os.path.join(parser, sub), r"^Dockerfile", True)]
    corpus = os.path.join(shared, "corpus", "dockerfiles")
    dockerfiles += [read(p) for p in files(corpus)]
    cases = os.path.join(parser, "derived-cases.jsonl")
    if os.path.isfile(cases):
        for line in read(cases).decode("utf-8", "replace").splitlines():
            try:
                case = json.loads(line)
            except ValueError:
                continue
            add("load_json", line)
            if isinstance(case.get("dockerfile"), str):
                dockerfiles.append(case["dockerfile"].encode("utf-8", "surrogateescape"))
    for d in dockerfiles:
        add("df_parse", d)
        add("df_build", d)
        text = d.decode("utf-8", "replace")
        # RUN bodies (continuations joined) for the shell splitter.
        joined = re.sub(r"\\\r?\n", " ", text)
        for m in re.finditer(r"(?im)^\s*RUN\s+(?:--\S+\s+)*(.+)$", joined):
            add("shsplit", m.group(1))
        # Comment lines for the suppression parser.
        for m in re.finditer(r"(?m)^\s*#.*$", text):
            if "ignore" in m.group(0) or "hadolint" in m.group(0):
                add("suppression", m.group(0))

    # shlex: flags byte, word, then NUL-separated NAME=value variables.
    env = b"\0PWD=/home\0SHELL=bash\0KOREAN=\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4\0E="
    shell = os.path.join(shared, "conformance", "buildkit-shell")
    for name, flags in (("envVarTest", (0x00, 0x10)), ("wordsTest", (0x20, 0x30))):
        path = os.path.join(shell, name)
        if not os.path.isfile(path):
            continue
        for line in read(path).split(b"\n"):
            if not line or line.startswith(b"#") or line.startswith(b"ENV "):
                continue
            parts = line.split(b"|")
            word = parts[1] if name == "envVarTest" and len(parts) == 3 else parts[0]
            for f in flags:
                add("shlex", bytes([f]) + word.strip() + env)
    derived = os.path.join(shell, "derived-process-word.jsonl")
    if os.path.isfile(derived):
        for line in read(derived).decode("utf-8", "replace").splitlines():
            try:
                case = json.loads(line)
            except ValueError:
                continue
            word = case.get("input")
            if not isinstance(word, str):
                continue
            flag = 0x10 if case.get("escape") == "`" else 0
            variables = b"".join(b"\0" + (k + "=" + str(v)).encode()
                                 for k, v in (case.get("env") or {}).items())
            add("shlex", bytes([flag | 0x40]) + word.encode() + variables)

    samples = os.path.join(shared, "samples")
    for p in files(os.path.join(samples, "compose"), r"\.ya?ml$"):
        add("load_yaml", read(p))
        add("compose", read(p))
    for p in files(os.path.join(shared, "corpus", "compose"), r"\.ya?ml$"):
        add("load_yaml", read(p))
        add("compose", read(p))
    for p in files(os.path.join(samples, "inspect")):
        add("load_json" if p.endswith(".json") else "load_yaml", read(p))
        if p.endswith(".json"):
            add("inspect", read(p))
    for p in files(os.path.join(src, "examples"), r"\.json$"):
        add("scan", read(p))
    for p in files(os.path.join(src, "policies", "tests"), r"\.json$", True):
        add("scan", read(p))
    for p in files(os.path.join(src, "policies", "data")):
        add("load_yaml", read(p))

    for p in files(os.path.join(src, "policies"), r"\.lua$"):
        add("rules", read(p))
    for p in files(os.path.join(src, "tests", "escapes"), r"\.lua$"):
        add("rules", read(p))

    for t in targets:
        d = os.path.join(out, t)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for data in seeds[t]:
            name = hashlib.sha1(data).hexdigest()
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        print("seeds: %-12s %d" % (t, len(os.listdir(d))))


if __name__ == "__main__":
    main()

"""The include graph of libpolicy/ and cli/ against docs/conventions.md.

Reads the two tables of docs/conventions.md (folders and the folders they
may include; external headers and the folders that may include them),
derives every #include edge from the sources, and fails on an edge the
tables do not allow. Also fails when a quoted #include cannot be resolved
(an edge the test cannot see is an edge nobody checks) and when two files
of the tree share a name.

Usage: include_graph.py SOURCE_DIR
"""
import os
import re
import sys

# Edges that exist today and are being removed. Each one is allowed here
# only until the change that removes it lands; that change deletes its
# line. Nothing else belongs in this list.
KNOWN_EXCEPTIONS = {
    # report.c reads the public enums (severities, lists); the lead's
    # report work decides whether they move to report.h.
    ("report", "include"),
}

LAYER_ROW = re.compile(r"^\|\s*`([a-z_]+)/`\s*\|([^|]*)\|")
HEADER_ROW = re.compile(r"^\|\s*(`[^|]*\.h`[^|]*)\|([^|]*)\|")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def read_tables(doc_path):
    layers, headers = {}, {}
    with open(doc_path, encoding="utf-8") as f:
        for line in f:
            m = LAYER_ROW.match(line)
            if m:
                allowed = set(re.findall(r"`([a-z_]+)/`", m.group(2)))
                layers[m.group(1)] = allowed
                continue
            m = HEADER_ROW.match(line)
            if m:
                folders = set(re.findall(r"`([a-z_]+)/`", m.group(2)))
                for h in re.findall(r"`([^`]+\.h)`", m.group(1)):
                    headers[h] = folders
    return layers, headers


def layer_of(src, path):
    rel = os.path.relpath(path, src).split(os.sep)
    if rel[0] == "libpolicy" and len(rel) > 2:
        return rel[1]
    if rel[0] in ("cli", "bindings"):
        return rel[0]
    return None


def sources(src):
    for top in ("libpolicy", "cli", "bindings"):
        for root, _, files in os.walk(os.path.join(src, top)):
            for name in sorted(files):
                if name.endswith((".c", ".h", ".h.in")):
                    yield os.path.join(root, name)


def generated_headers(src):
    """Headers meson generates: "model/schema_ids.h" -> its folder's path."""
    out = {}
    for root, _, files in os.walk(os.path.join(src, "libpolicy")):
        if "meson.build" not in files:
            continue
        with open(os.path.join(root, "meson.build"), encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r"output\s*:\s*(\[[^\]]*\]|'[^']*')", text):
            for name in re.findall(r"'([^']+\.h)'", m.group(1)):
                rel = os.path.relpath(os.path.join(root, name), os.path.join(src, "libpolicy"))
                out[rel] = os.path.join(root, name)
    return out


def resolve(src, path, name, generated):
    """The file a quoted #include names, or None."""
    if name in generated:
        return generated[name]
    candidates = [os.path.join(os.path.dirname(path), name),
                  os.path.join(src, "libpolicy", "include", name),
                  os.path.join(src, "libpolicy", name)]
    for c in candidates:
        if os.path.isfile(c):
            return os.path.normpath(c)
        if os.path.isfile(c + ".in"):  # generated (policy/version.h)
            return os.path.normpath(c + ".in")
    return None


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "."
    layers, headers = read_tables(os.path.join(src, "docs", "conventions.md"))
    if not layers or not headers:
        print("include-graph: no layer table in docs/conventions.md")
        print("include-graph: 0 passed, 1 failed")
        return 1
    problems, edges, used_exceptions = [], 0, set()
    names = {}
    generated = generated_headers(src)
    for path in sources(src):
        rel = os.path.relpath(path, src)
        names.setdefault(os.path.basename(path), []).append(rel)
        frm = layer_of(src, path)
        if frm not in layers:
            problems.append("%s: folder %s/ has no row in docs/conventions.md" % (rel, frm))
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in INCLUDE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            kind, name = m.groups()
            if kind == "<":
                if name.startswith("policy/"):
                    to = "include"
                elif name in headers:
                    edges += 1
                    if frm not in headers[name]:
                        problems.append("%s:%d: %s/ may not include <%s>" % (rel, line, frm, name))
                    continue
                else:
                    continue  # the C library and POSIX
            else:
                target = resolve(src, path, name, generated)
                if target is None:
                    problems.append("%s:%d: cannot resolve \"%s\"" % (rel, line, name))
                    continue
                to = layer_of(src, target)
            edges += 1
            if to == frm or to in layers[frm]:
                continue
            if (frm, to) in KNOWN_EXCEPTIONS:
                used_exceptions.add((frm, to))
                continue
            problems.append("%s:%d: %s/ may not include %s/ (\"%s\"; see docs/conventions.md)"
                            % (rel, line, frm, to, name))
    for base, where in sorted(names.items()):
        if len(where) > 1:
            problems.append("file name %s is used %d times: %s" % (base, len(where), ", ".join(where)))
    for frm, to in sorted(KNOWN_EXCEPTIONS - used_exceptions):
        problems.append("known exception %s/ -> %s/ no longer occurs: delete it from %s"
                        % (frm, to, os.path.basename(__file__)))
    for p in problems:
        print("include-graph: " + p)
    print("include-graph: %d edges checked, %d known exceptions in use"
          % (edges, len(used_exceptions)))
    print("include-graph: %d passed, %d failed" % (0 if problems else 1, 1 if problems else 0))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

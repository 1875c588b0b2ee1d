"""Every public function of libpolicy is reachable from each binding.

The public functions are those libpolicy.so.1 exports (nm -D) and those
policy.h declares (POLICY_API). A binding reaches a function when:

  python  bindings/python/libpolicy/_capi.py lists it in FUNCTIONS (one
          line: "name": (result type, (argument types...)),), which types
          it for ctypes and makes it callable;
  go      a file of bindings/go (not a test) names it as C.<name>, the
          only way Go code reaches a C function.

Fails, naming each missing function and the binding that misses it, and
each function a binding names that the library does not have.
Usage: coverage.py BUILD_DIR SOURCE_DIR
"""
import ast
import os
import re
import subprocess
import sys

BUILD, SRC = sys.argv[1], sys.argv[2]
LIB = os.path.join(BUILD, "libpolicy", "libpolicy.so.1")
HEADER = os.path.join(SRC, "libpolicy", "include", "policy", "policy.h")
CAPI = os.path.join(SRC, "bindings", "python", "libpolicy", "_capi.py")
GO = os.path.join(SRC, "bindings", "go")

HOW = {
    "python": f"add one line each to FUNCTIONS in {os.path.relpath(CAPI, SRC)}, "
              '"name": (result type, (argument types...)), then a method that calls it',
    "go": "call each from bindings/go (an engine setter taking a string is one line: "
          "see settings.go)",
}


def exported():
    out = subprocess.run(["nm", "-D", "--defined-only", LIB], capture_output=True, text=True,
                         check=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "T" and parts[2].startswith("policy_"):
            names.add(parts[2].split("@")[0])
    return names


def declared():
    with open(HEADER, encoding="utf-8") as f:
        text = f.read()
    return set(re.findall(r"POLICY_API\s+[^;(]*?\b(policy_[a-z0-9_]+)\s*\(", text))


def python_functions():
    with open(CAPI, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    for node in ast.walk(tree):
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) else None)
        if isinstance(target, ast.Name) and target.id == "FUNCTIONS":
            return {k.value for k in node.value.keys}
    raise SystemExit(f"{CAPI}: no FUNCTIONS table")


def header_types():
    """The type names of policy.h (C.policy_engine is a type, not a call; so are
    function pointer types such as policy_write_fn)."""
    with open(HEADER, encoding="utf-8") as f:
        text = f.read()
    return (set(re.findall(r"typedef\s+struct\s+\w+\s+(policy_[a-z0-9_]+)\s*;", text))
            | set(re.findall(r"^}\s*(policy_[a-z0-9_]+)\s*;", text, re.M))
            | set(re.findall(r"typedef\s+[^;(]*\(\s*\*\s*(policy_[a-z0-9_]+)\s*\)", text)))


def go_functions():
    names = set()
    for root, _, files in os.walk(GO):
        for name in files:
            if name.endswith(".go") and not name.endswith("_test.go"):
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    code = re.sub(r"//.*", "", f.read())  # comments name no call
                names |= set(re.findall(r"\bC\.(policy_[a-z0-9_]+)\b", code))
    return names - header_types()


def main():
    public = exported() | declared()
    n = failed = 0
    for binding, names in (("python", python_functions()), ("go", go_functions())):
        for what, bad in (("missing", sorted(public - names)), ("unknown", sorted(names - public))):
            n += 1
            if not bad:
                print(f"ok {n} - {binding}: {'reaches every public function' if what == 'missing' else 'names only functions libpolicy has'} ({len(public)})")
                continue
            failed += 1
            if what == "missing":
                print(f"not ok {n} - {binding}: {len(bad)} public function(s) of policy.h not "
                      f"reachable from the {binding} binding ({HOW[binding]}):")
            else:
                print(f"not ok {n} - {binding}: the {binding} binding names {len(bad)} "
                      "function(s) libpolicy.so.1 neither exports nor declares:")
            for name in bad:
                print(f"    {name}")
    print(f"bindings-coverage: {n - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

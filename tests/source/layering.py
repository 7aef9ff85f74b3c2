#!/usr/bin/env python3
"""layering.py — every #include line in the tree against the allowed arrows.

The arrows are read from docs/architecture.md (the fenced block after the
heading "Allowed includes"), so the document and the code cannot drift apart:
a line there reads

    LAYER  FOLDER  -> LAYER... <system.h>...

and says which layers' headers, and which of the guarded system headers
(sodium.h, lmdb.h, uv.h, jansson.h), code in FOLDER may include. A header of
another layer is included as "LAYER/NAME.h"; a bare "NAME.h" must be a file
in the including file's own folder; a header named *_internal.h or
*_testing.h is private to its folder (tests may include it by its layer
path). Code under tests/ may include any layer, and no guarded system header
but the ones its line names.

Usage: layering.py ROOT          exit 0 when every line is allowed, 1 (and
                                 one line per violation) otherwise.
"""
import os
import re
import sys

GUARDED = {"sodium.h", "lmdb.h", "uv.h", "jansson.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def read_arrows(root):
    path = os.path.join(root, "docs", "architecture.md")
    lines = open(path, encoding="utf-8").read().splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("#") and "Allowed includes" in l)
    except StopIteration:
        sys.exit(f"{path}: no 'Allowed includes' heading")
    fence = [i for i in range(start, len(lines)) if lines[i].startswith("```")][:2]
    if len(fence) < 2:
        sys.exit(f"{path}: no fenced block after 'Allowed includes'")
    arrows = {}
    for l in lines[fence[0] + 1:fence[1]]:
        if not l.strip():
            continue
        head, _, tail = l.partition("->")
        layer, folder = head.split()
        names = tail.split()
        arrows[folder] = {
            "layer": layer,
            "layers": {n for n in names if not n.startswith("<")},
            "system": {n.strip("<>") for n in names if n.startswith("<")},
        }
    return arrows


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    arrows = read_arrows(root)
    folder_of = {a["layer"]: f for f, a in arrows.items()}
    bad = []
    checked = 0
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "build"]
        for name in sorted(filenames):
            if not name.endswith((".c", ".h")):
                continue
            rel = os.path.normpath(os.path.join(rel_dir, name))
            in_tests = rel.startswith("tests" + os.sep)
            rule = arrows.get(rel_dir)
            if rule is None and not in_tests:
                bad.append(f"{rel}: its folder {rel_dir} is not in docs/architecture.md's "
                           "'Allowed includes'")
                continue
            test_rule = arrows.get("tests")
            for lineno, line in enumerate(open(os.path.join(root, rel), encoding="utf-8"), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                checked += 1
                kind, target = m.groups()
                close = ">" if kind == "<" else '"'
                where = f"{rel}:{lineno}: #include {kind}{target}{close}"
                if kind == "<":
                    allowed = (test_rule if in_tests else rule)["system"]
                    if target in GUARDED and target not in allowed:
                        bad.append(f"{where}: {target} is not allowed here")
                    continue
                if "/" not in target:
                    if not os.path.exists(os.path.join(root, rel_dir, target)) and \
                            not in_tests:
                        bad.append(f"{where}: a bare include must name a header in its own "
                                   "folder; name another layer's header as \"LAYER/NAME.h\"")
                    continue
                if in_tests and target.startswith(".."):
                    continue  # a test family's shared source
                layer, _, header = target.partition("/")
                folder = folder_of.get(layer)
                if folder is None or "/" in header or \
                        not os.path.exists(os.path.join(root, folder, header)):
                    bad.append(f"{where}: names no header of a layer")
                    continue
                if in_tests:
                    continue
                if layer == rule["layer"]:
                    bad.append(f"{where}: a header of its own folder is included bare")
                elif layer not in rule["layers"]:
                    bad.append(f"{where}: {rule['layer']} may not include {layer} "
                               f"(allowed: {', '.join(sorted(rule['layers'])) or 'none'})")
                elif re.search(r"_(internal|testing)\.h$", header):
                    bad.append(f"{where}: {header} is private to {folder}")
    for b in bad:
        print(b)
    print(f"layering: {checked} include lines checked, {len(bad)} not allowed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

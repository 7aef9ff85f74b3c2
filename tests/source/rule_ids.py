#!/usr/bin/env python3
"""rule_ids.py ROOT — every rule ID the engine can give in a verdict is one
`ledger_rule_known` knows (the table in node/ledger/rules.c, which the
offline audit checks evidence against) and one docs/rules.md defines
(**R-X**), and the table names no ID the code never gives.

A rule ID is a string literal "R-..." in node/ledger/*.c outside the table.
Exit 0 when they agree, 1 (listing the differences) when they do not."""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
ledger = os.path.join(root, "node", "ledger")
literal = re.compile(r'"(R-[A-Z]+(?:\.[0-9]+)?)"')
used, table = set(), set()
for name in sorted(os.listdir(ledger)):
    if not name.endswith(".c"):
        continue
    text = open(os.path.join(ledger, name), encoding="utf-8").read()
    if name == "rules.c":
        m = re.search(r"static const char \*const rule_ids\[\] = \{(.*?)\};", text, re.S)
        if not m:
            sys.exit("rule_ids.py: no rule_ids table in node/ledger/rules.c")
        table = set(literal.findall(m.group(1)))
        text = text[:m.start()] + text[m.end():]
    used |= set(literal.findall(text))
docs = set(re.findall(r"\*\*(R-[A-Z]+(?:\.[0-9]+)?)\*\*",
                      open(os.path.join(root, "docs", "rules.md"), encoding="utf-8").read()))
problems = []
for rid in sorted(used - table):
    problems.append("%s is given by the engine but not in rules.c's rule_ids table" % rid)
for rid in sorted(table - used):
    problems.append("%s is in rules.c's rule_ids table but no rule gives it" % rid)
for rid in sorted(table - docs):
    problems.append("%s is not defined (**%s**) in docs/rules.md" % (rid, rid))
for p in problems:
    print("rule_ids.py: " + p)
sys.exit(1 if problems else 0)

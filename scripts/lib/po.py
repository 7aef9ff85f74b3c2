#!/usr/bin/env python3
"""po.py — the catalogue operations scripts/i18n needs that GNU gettext's tools
do not do: entry by entry, keyed by (context, msgid), comments kept.

  po.py append PO            append stdin's entries whose ids PO lacks; prints
                             how many
  po.py combine PO FILE...   write into PO the FILEs' entries: the first file's in
                             its order, then each later file's new ones; an id
                             untranslated in one file takes another's translation
"""
import re
import sys


def _text(quoted):
    return "".join(re.findall(r'"(.*)"', quoted))


def entries(text):
    """(key, block, translated) for every entry of a PO text, the header too
    (key "\\x04"). An entry ends at a blank line, or where the next one's
    comments or msgid start after its msgstr (one appended without a blank)."""
    blocks, cur, seen_str = [], [], False
    for line in text.split("\n"):
        starts = line.startswith(("#", "msgctxt", "msgid "))
        if not line.strip() or (starts and seen_str):
            if cur:
                blocks.append("\n".join(cur))
            cur, seen_str = [], False
        if line.strip():
            cur.append(line)
        if line.startswith("msgstr"):
            seen_str = True
    if cur:
        blocks.append("\n".join(cur))
    out = []
    for b in blocks:
        if b.lstrip().startswith("#~"):
            continue
        m = re.search(r'^msgid ((?:".*"\n?)+)', b, re.M)
        if not m:
            continue
        ctx = re.search(r'^msgctxt ((?:".*"\n?)+)', b, re.M)
        key = (_text(ctx.group(1)) if ctx else "") + "\x04" + _text(m.group(1))
        strs = re.findall(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', b + "\n", re.M)
        done = bool(strs) and all(_text(x) for x in strs)
        out.append((key, b.strip(), done))
    return out


def read(path):
    return entries(open(path, encoding="utf-8").read())


def append(po):
    have = {k for k, _, _ in read(po)}
    new = {}
    for key, block, _ in entries(sys.stdin.read()):
        if key != "\x04" and key not in have and key not in new:
            new[key] = block
    text = open(po, encoding="utf-8").read()
    with open(po, "a", encoding="utf-8") as f:
        if new and not text.endswith("\n\n"):
            f.write("\n")
        for block in new.values():
            f.write(block + "\n\n")
    print(len(new))


def combine(po, sources):
    order, chosen, clashes = [], {}, 0
    for path in sources:
        for key, block, done in read(path):
            if key not in chosen:
                order.append(key)
                chosen[key] = (block, done)
            elif done and not chosen[key][1]:
                chosen[key] = (block, done)
            elif done and block != chosen[key][0]:
                clashes += 1
    with open(po, "w", encoding="utf-8") as f:
        f.write("\n\n".join(chosen[k][0] for k in order) + "\n")
    print(f"{len(order) - 1} entries; {clashes} translated differently in two files (the first kept)")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "append":
        append(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "combine":
        combine(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)

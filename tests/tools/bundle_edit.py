#!/usr/bin/env python3
"""bundle_edit.py - a small editor of cofund bundles (docs/format.md,
node/bundle/bundle.h) for the audit tests: it makes the damaged or forged bundles
that `cofund audit` must catch. Every command but `list` and `flip` writes
OUT with the end record (Z) recomputed - its F and E counts and the SHA-256
of every byte before it - so that only the damage itself is left to find.

  bundle_edit.py list IN
      one line per record: NUM TYPE OFFSET LENGTH [feed AUTHOR16 size S |
      entry FEEDNUM:INDEX | checkpoint size S]
  bundle_edit.py drop IN OUT NUM              remove record NUM
  bundle_edit.py swap IN OUT NUM1 NUM2        exchange two records
  bundle_edit.py xor IN OUT NUM OFFSET [MASK] flip bits of payload byte OFFSET
                                              of record NUM (negative: from
                                              its end; MASK defaults to 0x01)
  bundle_edit.py setb64 IN OUT NUM            in the checkpoint of record NUM
                                              (F or K), change one base64
                                              digit of its signature line so
                                              that it still parses
  bundle_edit.py cosign IN OUT NUM ORIGIN     append a cosignature/v1 line by
                                              the key named in ORIGIN
                                              (cofund/<net16>/<key hex>) with
                                              a signature that is not valid
  bundle_edit.py note IN NUM                  print the checkpoint of record
                                              NUM (F or K)
  bundle_edit.py addline IN OUT NUM FILE      append FILE (one signature
                                              line) to that checkpoint
  bundle_edit.py strip IN OUT                 remove every cosignature line
                                              (each checkpoint keeps its text and
                                              its first signature line, the
                                              author's): the bundle homes that
                                              witness nothing would export
  bundle_edit.py fix IN OUT                   recompute the end record only
  bundle_edit.py flip IN OUT BYTE             flip the low bit of the file's
                                              byte BYTE (nothing recomputed)
Record numbers count from 0 (the header); OFFSET is within the payload.
"""
import base64
import hashlib
import os
import struct
import sys

MAGIC = b"cofund-bundle/1\n"


def read(path):
    data = open(path, "rb").read()
    if data[:16] != MAGIC:
        sys.exit("bundle_edit: %s is not a cofund bundle" % path)
    recs, off = [], 16
    while off < len(data):
        typ = chr(data[off])
        n = struct.unpack(">I", data[off + 1:off + 5])[0]
        recs.append([typ, bytearray(data[off + 5:off + 5 + n]), off])
        off += 5 + n
    return recs


# ---- deterministic CBOR, the little the bundle needs ------------------------
def head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | ai]) + n.to_bytes(size, "big")
    raise ValueError(n)


def c_uint(n):
    return head(0, n)


def c_bytes(b):
    return head(2, len(b)) + bytes(b)


def c_text(s):
    b = s.encode() if isinstance(s, str) else bytes(s)
    return head(3, len(b)) + b


def c_item(buf, i):
    """Decode one uint / bstr / tstr / map head at buf[i]: (major, value, next)."""
    b = buf[i]
    major, ai = b >> 5, b & 31
    i += 1
    if ai < 24:
        n = ai
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[ai]
        n = int.from_bytes(buf[i:i + size], "big")
        i += size
    if major in (2, 3):
        return major, bytes(buf[i:i + n]), i + n
    return major, n, i


def feed_fields(payload):
    """The F record's map {"from", "author", "checkpoint"}."""
    major, pairs, i = c_item(payload, 0)
    out = {}
    for _ in range(pairs):
        _, key, i = c_item(payload, i)
        _, val, i = c_item(payload, i)
        out[key.decode()] = val
    return out


def feed_payload(f):
    return (head(5, 3) + c_text("from") + c_uint(f["from"]) + c_text("author") +
            c_bytes(f["author"]) + c_text("checkpoint") + c_text(f["checkpoint"]))


def get_note(rec):
    if rec[0] == "F":
        return feed_fields(rec[1])["checkpoint"]
    if rec[0] == "K":
        return bytes(rec[1])
    sys.exit("bundle_edit: record is a %s, not a checkpoint (F or K)" % rec[0])


def set_note(rec, note):
    if rec[0] == "F":
        f = feed_fields(rec[1])
        f["checkpoint"] = note
        rec[1] = bytearray(feed_payload(f))
    else:
        rec[1] = bytearray(note)


# ---- writing -----------------------------------------------------------------
def write(recs, path):
    body = bytearray(MAGIC)
    feeds = entries = 0
    for typ, payload, _ in recs:
        if typ == "Z":
            continue
        feeds += typ == "F"
        entries += typ == "E"
        body += typ.encode() + struct.pack(">I", len(payload)) + payload
    z = (head(5, 3) + c_text("feeds") + c_uint(feeds) + c_text("sha256") +
         c_bytes(hashlib.sha256(bytes(body)).digest()) + c_text("entries") + c_uint(entries))
    body += b"Z" + struct.pack(">I", len(z)) + z
    open(path, "wb").write(body)


def describe(recs):
    feed, index, nfeed = None, 0, -1
    for num, (typ, payload, off) in enumerate(recs):
        extra = ""
        if typ == "F":
            f = feed_fields(payload)
            nfeed += 1
            index = f["from"]
            size = f["checkpoint"].split(b"\n")[1].decode()
            extra = "feed %s size %s" % (f["author"].hex()[:16], size)
        elif typ == "E":
            extra = "entry %d:%d" % (nfeed, index)
            index += 1
        elif typ == "K":
            extra = "checkpoint size %s" % bytes(payload).split(b"\n")[1].decode()
        print(num, typ, off, len(payload), extra)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd, src = argv[1], argv[2]
    if cmd == "flip":
        data = bytearray(open(src, "rb").read())
        data[int(argv[4])] ^= 1
        open(argv[3], "wb").write(data)
        return
    recs = read(src)
    if cmd == "list":
        describe(recs)
        return
    if cmd == "note":
        sys.stdout.buffer.write(get_note(recs[int(argv[3])]))
        return
    out = argv[3]
    if cmd == "drop":
        del recs[int(argv[4])]
    elif cmd == "swap":
        a, b = int(argv[4]), int(argv[5])
        recs[a], recs[b] = recs[b], recs[a]
    elif cmd == "xor":
        rec = recs[int(argv[4])]
        mask = int(argv[6], 0) if len(argv) > 6 else 1
        rec[1][int(argv[5])] ^= mask
    elif cmd == "setb64":
        rec = recs[int(argv[4])]
        note = get_note(rec)
        lines = note.split(b"\n")
        # The last signature line: "— NAME BASE64"; change a digit in the
        # middle of its signature (never the padding-bound last ones).
        i = max(k for k, line in enumerate(lines) if line.startswith("\u2014".encode()))
        name, sig = lines[i].rsplit(b" ", 1)
        pos = len(sig) // 2
        c = sig[pos:pos + 1]
        sig = sig[:pos] + (b"B" if c != b"B" else b"C") + sig[pos + 1:]
        lines[i] = name + b" " + sig
        set_note(rec, b"\n".join(lines))
    elif cmd == "cosign":
        rec = recs[int(argv[4])]
        origin = argv[5].encode()
        pk = bytes.fromhex(argv[5].rsplit("/", 1)[1])
        key_id = hashlib.sha256(origin + b"\n\x04" + pk).digest()[:4]
        sig = key_id + (1700000000).to_bytes(8, "big") + os.urandom(64)
        line = "\u2014 ".encode() + origin + b" " + base64.b64encode(sig) + b"\n"
        set_note(rec, get_note(rec) + line)
    elif cmd == "strip":
        for rec in recs:
            if rec[0] in ("F", "K"):
                lines = get_note(rec).split(b"\n")
                first = min(k for k, line in enumerate(lines) if line.startswith("\u2014".encode()))
                set_note(rec, b"\n".join(lines[:first + 1]) + b"\n")
    elif cmd == "addline":
        rec = recs[int(argv[4])]
        set_note(rec, get_note(rec) + open(argv[5], "rb").read())
    elif cmd != "fix":
        sys.exit(__doc__)
    write(recs, out)


if __name__ == "__main__":
    main(sys.argv)

# golden_cbor.py — the third, independent encoder the Python golden scripts
# share (entry_golden_subsidy.py, entry_golden_returns.py, entry_golden_names.py):
# RFC 8949 §4.2.1 deterministic CBOR (shortest heads, map keys sorted by their
# encoded bytes), the goldens' envelope, and the C table rows they print.
def head(major, n):
    if n < 24: return bytes([major << 5 | n])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size): return bytes([major << 5 | ai]) + n.to_bytes(size, 'big')
def enc(v):
    if isinstance(v, bool): raise TypeError
    if isinstance(v, int): return head(0, v)
    if isinstance(v, bytes): return head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode(); return head(3, len(b)) + b
    if isinstance(v, list): return head(4, len(v)) + b''.join(enc(x) for x in v)
    if isinstance(v, dict):
        items = sorted(((enc(k), enc(x)) for k, x in v.items()), key=lambda p: p[0])
        return head(5, len(items)) + b''.join(k + x for k, x in items)
def fill(first): return bytes((first + i) & 0xff for i in range(32))
T0 = 1767574800000
def env(t, index, gov, body):
    return {"v": 1, "net": fill(0x40), "author": fill(0xa0), "index": index,
            "time": T0 + index * 60000, "gov": gov, "type": t, "body": body}
def print_rows(vecs, source):
    """Each vector as a row of entry_golden_vectors.c's table."""
    for name, v in vecs.items():
        h = enc(v).hex()
        lines = [h[i:i+68] for i in range(0, len(h), 68)]
        fn = name.replace('-', '_')
        print('    {"%s", make_%s, doc_%s,' % (name, fn, fn))
        print('     /* python canonical CBOR, tests/unit/%s */' % source)
        for i, l in enumerate(lines):
            print('     "%s"%s' % (l, '},' if i == len(lines) - 1 else ''))

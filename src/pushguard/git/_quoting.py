"""Paths as git's patches write them: C-style quoted when they hold odd bytes."""
from __future__ import annotations


def patch_path(raw: bytes) -> bytes:
    """The path of a `+++ b/...` line, unquoted, less the TAB git adds after a name with a space."""
    if raw.startswith(b'"'):  # a TAB may follow the closing quote too
        return unquote(raw[:-1] if raw.endswith(b'"\t') else raw)
    # diff.c appends a TAB to an unquoted name that contains a space, for GNU patch
    return raw[:-1] if raw.endswith(b'\t') and b' ' in raw else raw


def unquote(raw: bytes) -> bytes:
    """Undo git's C-style quoting of a path (core.quotePath): "a\\tb\\303\\251" -> bytes."""
    if not raw.startswith(b'"'):
        return raw
    body, out, i = raw[1:-1], bytearray(), 0
    escapes = {ord('n'): 10, ord('t'): 9, ord('"'): 34, ord('\\'): 92, ord('a'): 7,
               ord('b'): 8, ord('f'): 12, ord('r'): 13, ord('v'): 11}
    while i < len(body):
        if body[i] == 92 and i + 1 < len(body):
            nxt = body[i + 1]
            if 48 <= nxt <= 55:
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
            out.append(escapes.get(nxt, nxt))
            i += 2
            continue
        out.append(body[i])
        i += 1
    return bytes(out)

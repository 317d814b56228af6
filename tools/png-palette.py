#!/usr/bin/python3
"""tools/png-palette.py IN.png OUT.png [COLOURS] — the README's pictures, small.

A PNG written by `nnterm ... --report` (8-bit RGB or RGBA, any row filters) is re-encoded with a
palette of its COLOURS (default 64) most frequent colours, each pixel the nearest of them. The figures
are drawn in a few flat colours, so 64 keep them as they were at a quarter of the size.
Debian's python3 and python3-numpy. Example (docs/report-spiral.png):

    build/src/nnterm train spiral --report /tmp/r && tools/png-palette.py /tmp/r/boundary.png docs/report-spiral.png
"""
import struct
import sys
import zlib

import numpy as np


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                sys.exit(f"{path}: only 8-bit RGB and RGBA PNGs")
        elif kind == b"IDAT":
            idat += body
    ch = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * ch
    rows = np.zeros((h, stride), np.uint8)
    prev = np.zeros(stride, np.int32)
    for y in range(h):
        filt = raw[y * (stride + 1)]
        line = np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1).astype(np.int32)
        if filt == 0:
            cur = line
        elif filt == 2:
            cur = (line + prev) & 255
        else:   # sub, average, Paeth: each byte depends on the one before it
            cur = np.zeros(stride, np.int32)
            for x in range(stride):
                a = cur[x - ch] if x >= ch else 0
                b = prev[x]
                c = prev[x - ch] if x >= ch else 0
                if filt == 1:
                    p = a
                elif filt == 3:
                    p = (a + b) // 2
                else:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[x] = (line[x] + p) & 255
        rows[y] = cur
        prev = cur
    return rows.reshape(h, w, ch)[:, :, :3]


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: png-palette.py IN.png OUT.png [COLOURS]")
    img = read_png(sys.argv[1])
    h, w, _ = img.shape
    colours = int(sys.argv[3]) if len(sys.argv) == 4 else 64
    flat = img.reshape(-1, 3).astype(np.int32)
    keys = flat[:, 0] * 65536 + flat[:, 1] * 256 + flat[:, 2]
    uniq, count = np.unique(keys, return_counts=True)
    pal = uniq[np.argsort(-count)[:colours]]
    pal_rgb = np.stack([pal >> 16, (pal >> 8) & 255, pal & 255], 1)
    index = np.empty(len(flat), np.uint8)
    for i in range(0, len(flat), 65536):
        block = flat[i:i + 65536]
        index[i:i + 65536] = ((block[:, None, :] - pal_rgb[None, :, :]) ** 2).sum(2).argmin(1)
    rows = b"".join(b"\x00" + index[y * w:(y + 1) * w].tobytes() for y in range(h))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0)) +
           chunk(b"PLTE", bytes(pal_rgb.astype(np.uint8).flatten())) + chunk(b"IDAT", zlib.compress(rows, 9)) +
           chunk(b"IEND", b""))
    open(sys.argv[2], "wb").write(png)
    print(f"{sys.argv[2]}: {w}x{h}, {len(pal_rgb)} colours, {len(png)} bytes")


main()

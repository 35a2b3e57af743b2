#!/usr/bin/env python3
"""Independent reference for KooDrive app-authentication signatures.

Written from the algorithm description, not from the Go code, so that the
Go tests can catch a mistake made the same way on both sides of the wire.
Prints the hex signature of one request; every header given with -H is
signed, plus host.

    sign.py --secret S --method GET --host h -H 'X-Date: ...' '/path?q=1'
"""
import argparse
import hashlib
import hmac

UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def encode(raw: bytes) -> str:
    return "".join(chr(b) if b in UNRESERVED else "%%%02X" % b for b in raw)


def decode(s: str, plus_is_space: bool) -> bytes:
    data = s.encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(data):
        c = data[i]
        if c == ord("%"):
            hexpart = data[i + 1:i + 3].decode("ascii", "replace")
            if len(hexpart) != 2 or any(h not in "0123456789abcdefABCDEF" for h in hexpart):
                raise ValueError("bad escape in %r" % s)
            out.append(int(hexpart, 16))
            i += 3
            continue
        out.append(ord(" ") if plus_is_space and c == ord("+") else c)
        i += 1
    return bytes(out)


def canonical_uri(path: str) -> str:
    stack = []
    for seg in path.lstrip("/").split("/") if path.lstrip("/") else []:
        raw = decode(seg, plus_is_space=False)
        if raw == b".":
            continue
        if raw == b"..":
            if stack:
                stack.pop()
            continue
        stack.append(encode(raw))
    uri = "/" + "/".join(stack)
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query: str) -> str:
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((encode(decode(name, True)), encode(decode(value, True))))
    pairs.sort(key=lambda p: (p[0].encode(), p[1].encode()))
    return "&".join("%s=%s" % p for p in pairs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--secret", required=True)
    ap.add_argument("--method", default="GET")
    ap.add_argument("--host", required=True)
    ap.add_argument("--body", default="")
    ap.add_argument("-H", dest="headers", action="append", default=[])
    ap.add_argument("target", help="path with optional ?query, as escaped on the wire")
    args = ap.parse_args()

    path, _, query = args.target.partition("?")
    headers = {"host": [args.host]}
    for h in args.headers:
        name, _, value = h.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip(" \t"))
    names = sorted(headers)

    canonical = "\n".join([
        args.method.upper(),
        canonical_uri(path),
        canonical_query(query),
        "".join("%s:%s\n" % (n, ",".join(headers[n])) for n in names),
        ";".join(names),
        hashlib.sha256(args.body.encode("utf-8")).hexdigest(),
    ])
    to_sign = "HMAC-SHA256\n" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    print(hmac.new(args.secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest())


if __name__ == "__main__":
    main()

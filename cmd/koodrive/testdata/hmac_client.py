#!/usr/bin/env python3
"""A KooDrive app-authentication client written from KooDrive's documented
algorithm alone, with Python's standard library: the canonical request
(method, canonical URI ending in "/", sorted RFC 3986 query, canonical
headers, signed headers, hex SHA-256 of the body), the string to sign
"HMAC-SHA256\\n" + hex SHA-256 of it, and the hex HMAC-SHA256 keyed with the
AppSecret, sent as
    Authorization: HMAC-SHA256 AppId=..,SignedHeaders=..,Signature=..

It sends one request and prints {"status": ..., "body": ..., "headers": ...}
as JSON; the headers are those it sent, so that a test can replay them.

    hmac_client.py --url http://127.0.0.1:8080/koodrive/ose/v1/userList?offset=0&limit=10 \
        --app-id ID --secret SECRET --user-id 2236... [--method POST --body '{...}'] [--date-offset -960]
"""
import argparse
import datetime
import hashlib
import hmac
import http.client
import json
import urllib.parse

UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"


def uri_encode(raw: bytes) -> str:
    return "".join(chr(b) if b in UNRESERVED else "%%%02X" % b for b in raw)


def canonical_uri(path: str) -> str:
    segments = [uri_encode(urllib.parse.unquote_to_bytes(s)) for s in path.split("/")]
    uri = "/".join(segments)
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query: str) -> str:
    pairs = []
    for part in query.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((uri_encode(urllib.parse.unquote_to_bytes(name.replace("+", " "))),
                          uri_encode(urllib.parse.unquote_to_bytes(value.replace("+", " ")))))
    return "&".join("%s=%s" % p for p in sorted(pairs))


def signature(secret: str, method: str, path: str, query: str, headers: dict, body: bytes) -> str:
    names = sorted(headers)
    canonical_request = "\n".join([
        method.upper(),
        canonical_uri(path),
        canonical_query(query),
        "".join("%s:%s\n" % (n, headers[n].strip()) for n in names),
        ";".join(names),
        hashlib.sha256(body).hexdigest(),
    ])
    string_to_sign = "HMAC-SHA256\n" + hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()
    return hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--method", default="GET")
    ap.add_argument("--app-id", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--user-id", required=True)
    ap.add_argument("--body", default="")
    ap.add_argument("--date-offset", type=int, default=0, help="seconds to add to the signing time")
    args = ap.parse_args()

    url = urllib.parse.urlsplit(args.url)
    body = args.body.encode("utf-8")
    date = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=args.date_offset))
    signed = {
        "host": url.netloc,
        "x-date": date.strftime("%Y%m%dT%H%M%SZ"),
        "x-user-id": args.user_id,
    }
    sig = signature(args.secret, args.method, url.path, url.query, signed, body)
    headers = {
        "Host": signed["host"],
        "X-Date": signed["x-date"],
        "X-User-Id": signed["x-user-id"],
        "Authorization": "HMAC-SHA256 AppId=%s,SignedHeaders=%s,Signature=%s" % (
            args.app_id, ";".join(sorted(signed)), sig),
        "Content-Type": "application/json",
    }
    conn = http.client.HTTPConnection(url.netloc, timeout=30)
    target = url.path + ("?" + url.query if url.query else "")
    conn.request(args.method, target, body=body if body else None, headers=headers)
    resp = conn.getresponse()
    print(json.dumps({"status": resp.status, "body": resp.read().decode("utf-8"), "headers": headers}))


if __name__ == "__main__":
    main()

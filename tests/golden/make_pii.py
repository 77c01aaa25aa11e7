# Writes pii.json: pii.scan and pii.redact cases whose expectations are derived here, not from
# the C++ output: each case lists the values it plants and the rule expected to fire; offsets
# (bytes and UTF-16 units) are found with Python's str/bytes methods, tags and masks are spliced
# in by Python, and pseudonyms are computed with hmac/hashlib from the documented definition.
import base64, hashlib, hmac, json, pathlib

cases = []
def case(name, op, inp, expect): cases.append({"name": name, "op": op, "input": inp, "expect": expect})

ALL = ["email", "phone", "payment_card", "iban", "us_ssn", "ipv4", "ipv6", "date_of_birth", "street_address", "secret"]

def findings(text, planted):
    raw, out, pos = text.encode(), [], 0
    for value, typ, rule, conf in planted:
        b = raw.index(value.encode(), pos)
        e = b + len(value.encode())
        s16 = len(raw[:b].decode().encode("utf-16-le")) // 2
        out.append({"type": typ, "rule": rule, "confidence": conf, "start": b, "end": e,
                    "start_utf16": s16, "end_utf16": s16 + len(value.encode("utf-16-le")) // 2})
        pos = e
    return out

def counts(fs, types=ALL):
    return {t: sum(f["type"] == t for f in fs) for t in types}

def scan_case(name, text, planted, **extra):
    fs = findings(text, planted)
    types = extra.get("types", ALL)
    inp = {"text": text, **extra}
    case(name, "pii.scan", inp, {"bytes": len(text.encode()), "findings": fs, "counts": counts(fs, types), "truncated": False})

def splice(text, planted, repl):
    raw, out, pos = text.encode(), b"", 0
    for f, p in zip(findings(text, planted), planted):
        out += raw[pos:f["start"]] + repl(f, p).encode()
        pos = f["end"]
    return (out + raw[pos:]).decode()

def pseudonym(key, typ, value):
    norm = value.lower() if typ == "email" else "".join(c for c in value if c.isalnum()).upper() \
        if typ in ("phone", "payment_card", "us_ssn", "iban") else value
    mac = hmac.new(key, typ.encode() + b"\0" + norm.encode(), hashlib.sha256).hexdigest()[:16]
    return f"[{typ.upper()}:{mac}]"

MIXED = ("Contact jane.doe@example.com or +1 415-555-2671; card 4111 1111 1111 1111; "
         "IBAN DE89 3704 0044 0532 0130 00; SSN 123-45-6789; from 10.0.0.12 and 2001:db8::8a2e:370:7334; "
         "DOB: 1985-03-15; ship to 1600 Pennsylvania Avenue; key AKIAIOSFODNN7EXAMPLE.")
MIXED_P = [("jane.doe@example.com", "email", "local_at_dotted_domain", 0.95),
           ("+1 415-555-2671", "phone", "e164_country_length", 0.9),
           ("4111 1111 1111 1111", "payment_card", "luhn_iin", 0.95),
           ("DE89 3704 0044 0532 0130 00", "iban", "mod97_country_length_grouped", 0.95),
           ("123-45-6789", "us_ssn", "ssn_area_group_serial", 0.95),
           ("10.0.0.12", "ipv4", "dotted_quad", 0.9),
           ("2001:db8::8a2e:370:7334", "ipv6", "rfc5952_compressed", 0.8),
           ("1985-03-15", "date_of_birth", "date_after_birth_word", 0.9),
           ("1600 Pennsylvania Avenue", "street_address", "number_words_street_suffix", 0.75),
           ("AKIAIOSFODNN7EXAMPLE", "secret", "aws_access_key_id", 0.95)]
scan_case("one of each type", MIXED, MIXED_P)

UNI = "Grüße von Zoë 😀: schreib an zoe@example.de oder ruf +49 30 901820 an."
UNI_P = [("zoe@example.de", "email", "local_at_dotted_domain", 0.95), ("+49 30 901820", "phone", "e164_country_length", 0.9)]
scan_case("UTF-16 offsets after non-ASCII text and an emoji", UNI, UNI_P)

NEG = ("Order #4839201 shipped; v2.14.3; at 2024-01-15T10:30:00Z; id 550e8400-e29b-41d4-a716-446655440000; "
       "ISBN 978-3-16-148410-0; tracking 1Z999AA10123456784; 4111 1111 1111 1112; 666-12-3456; 256.1.1.1; "
       "10:30:45; api_key=\"YOUR_API_KEY_HERE\"; +999 1234 5678")
scan_case("hard negatives find nothing", NEG, [])

SEC = ('{"password": "Hunter22!x", "client_secret": "9fQ2xL7vR3kT8mW1zB6nP4sD"} '
       "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcDEF123_-x ghp_aBcdEfGhIjKlMnOpQrStUvWxYz0123456789")
SEC_P = [("Hunter22!x", "secret", "password_assignment", 0.8),
         ("9fQ2xL7vR3kT8mW1zB6nP4sD", "secret", "high_entropy_assignment", 0.85),
         ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcDEF123_-x", "secret", "jwt", 0.9),
         ("ghp_aBcdEfGhIjKlMnOpQrStUvWxYz0123456789", "secret", "github_token", 0.99)]
scan_case("secrets by name, format and shape", SEC, SEC_P)

scan_case("types and min_confidence filter after overlaps are resolved", MIXED,
          [p for p in MIXED_P if p[1] in ("phone", "ipv6")], types=["phone", "ipv6"])
scan_case("min_confidence drops the less certain rules", MIXED, [p for p in MIXED_P if p[3] >= 0.9], min_confidence=0.9)

fs = findings(MIXED, MIXED_P)
case("limit lists the first findings and counts them all", "pii.scan", {"text": MIXED, "limit": 2},
     {"bytes": len(MIXED.encode()), "findings": fs[:2], "counts": counts(fs), "truncated": True})

BIN = b"\xff\xfe\x00 card 5500-0055-5555-5559 \xc3\x28 bob@example.org \x80"
bfs = []
for v, t, r, c in [("5500-0055-5555-5559", "payment_card", "luhn_iin", 0.95), ("bob@example.org", "email", "local_at_dotted_domain", 0.95)]:
    b = BIN.index(v.encode())
    bfs.append({"type": t, "rule": r, "confidence": c, "start": b, "end": b + len(v)})
# UTF-16 units byte by byte (docs/pii.md): continuation bytes none, four-byte leads F0-F4 two, others one.
for f in bfs:
    f["start_utf16"] = sum(2 if 0xF0 <= x <= 0xF4 else 1 for x in BIN[:f["start"]] if x & 0xC0 != 0x80)
    f["end_utf16"] = f["start_utf16"] + f["end"] - f["start"]
case("binary input with invalid UTF-8 (text_b64)", "pii.scan", {"text_b64": base64.b64encode(BIN).decode()},
     {"bytes": len(BIN), "findings": bfs, "counts": counts(bfs), "truncated": False})

for mode, repl in [("tag", lambda f, p: "[" + p[1].upper() + "]"), ("mask", lambda f, p: "*" * len(p[0]))]:
    case(f"redact mode {mode}", "pii.redact", {"text": MIXED, "mode": mode},
         {"text": splice(MIXED, MIXED_P, repl), "findings": fs, "counts": counts(fs), "truncated": False})

KEY = bytes(range(32))
JOIN = "card 4111 1111 1111 1111, again 4111-1111-1111-1111; mail Jane.Doe@Example.com and jane.doe@example.com"
JOIN_P = [("4111 1111 1111 1111", "payment_card", "luhn_iin", 0.95), ("4111-1111-1111-1111", "payment_card", "luhn_iin", 0.95),
          ("Jane.Doe@Example.com", "email", "local_at_dotted_domain", 0.95), ("jane.doe@example.com", "email", "local_at_dotted_domain", 0.95)]
jfs = findings(JOIN, JOIN_P)
red = splice(JOIN, JOIN_P, lambda f, p: pseudonym(KEY, p[1], p[0]))
assert red.count(pseudonym(KEY, "payment_card", "4111111111111111")) == 2
case("redact mode pseudonym: one token per value, whatever its layout", "pii.redact",
     {"text": JOIN, "mode": "pseudonym", "key_hex": KEY.hex()},
     {"text": red, "findings": jfs, "counts": counts(jfs), "truncated": False})
case("redact binary input answers text_b64", "pii.redact", {"text_b64": base64.b64encode(BIN).decode(), "mode": "tag"},
     {"text_b64": base64.b64encode(BIN.replace(b"5500-0055-5555-5559", b"[PAYMENT_CARD]").replace(b"bob@example.org", b"[EMAIL]")).decode(),
      "findings": bfs, "counts": counts(bfs), "truncated": False})

def err(name, op, inp, code, path): case(name, op, inp, {"error": {"code": code, "path": path}})
err("pseudonym needs a key", "pii.redact", {"text": "x", "mode": "pseudonym"}, "missing_field", "$.key")
err("a short key is refused", "pii.redact", {"text": "x", "mode": "pseudonym", "key_text": "short"}, "bad_length", "$.key")
err("a key without pseudonym mode is refused", "pii.redact", {"text": "x", "mode": "tag", "key_text": "0123456789abcdef"}, "conflicting_fields", "$.key")
err("unknown mode", "pii.redact", {"text": "x", "mode": "hash"}, "out_of_range", "$.mode")
err("unknown type", "pii.scan", {"text": "x", "types": ["passport"]}, "out_of_range", "$.types[0]")
err("text and text_b64 together", "pii.scan", {"text": "x", "text_b64": "eA=="}, "conflicting_fields", "$.text_b64")
err("no text", "pii.scan", {}, "missing_field", "$.text")

out = {"description": "PII detection and redaction (pii.scan, pii.redact). Generated by make_pii.py: offsets, UTF-16 "
       "offsets, splices and HMAC pseudonyms computed in Python from the planted values, independently of the C++ code.",
       "cases": cases}
pathlib.Path(__file__).with_name("pii.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")

# Writes crypto.json: published test vectors (FIPS 180-2 SHA-256, RFC 4231 HMAC-SHA256,
# RFC 8032 Ed25519) plus typed-error cases. The digests below are copied from those documents;
# Python's hashlib/hmac only re-derive the base64 forms and cross-check them.
import base64, hashlib, hmac, json, pathlib

def b64(h): return base64.b64encode(bytes.fromhex(h)).decode()
cases = []
def case(name, op, inp, expect): cases.append({"name": name, "op": op, "input": inp, "expect": expect})

sha = [("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
       ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
       ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
for text, d in sha:
    assert hashlib.sha256(text.encode()).hexdigest() == d
    case(f"FIPS 180-2 sha256 {text[:8]!r}", "crypto.sha256", {"data_text": text}, {"digest_hex": d, "digest_b64": b64(d)})
case("sha256 of hex bytes", "crypto.sha256", {"data_hex": "616263"}, {"digest_hex": sha[0][1], "digest_b64": b64(sha[0][1])})
case("sha256 of base64 bytes", "crypto.sha256", {"data_b64": "YWJj"}, {"digest_hex": sha[0][1], "digest_b64": b64(sha[0][1])})
# Empty binary text is empty data (a sanitizer find: it once handed libsodium a null buffer).
case("sha256 of empty hex", "crypto.sha256", {"data_hex": ""}, {"digest_hex": sha[1][1], "digest_b64": b64(sha[1][1])})
case("sha256 of empty base64", "crypto.sha256", {"data_b64": ""}, {"digest_hex": sha[1][1], "digest_b64": b64(sha[1][1])})

rfc4231 = [
    ("1", "0b" * 20, "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
    ("2", "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    ("3", "aa" * 20, "dd" * 50, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
    ("4", "0102030405060708090a0b0c0d0e0f10111213141516171819", "cd" * 50, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
    ("6", "aa" * 131, "Test Using Larger Than Block-Size Key - Hash Key First".encode().hex(), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ("7", "aa" * 131, "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".encode().hex(), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
]
for n, k, m, mac in rfc4231:
    assert hmac.new(bytes.fromhex(k), bytes.fromhex(m), hashlib.sha256).hexdigest() == mac
    case(f"RFC 4231 case {n}", "crypto.hmac_sha256", {"key_hex": k, "message_hex": m}, {"mac_hex": mac, "mac_b64": b64(mac)})
case("HMAC text key (PCS style)", "crypto.hmac_sha256", {"key_text": "Jefe", "message_text": "what do ya want for nothing?"},
     {"mac_hex": rfc4231[1][3], "mac_b64": b64(rfc4231[1][3])})

rfc8032 = [
    ("1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
    ("2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ("3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
]
for n, sk, pk, m, sig in rfc8032:
    case(f"RFC 8032 test {n} keypair", "crypto.ed25519_keypair", {"seed_hex": sk},
         {"public_key_hex": pk, "public_key_b64": b64(pk), "seed_hex": sk, "seed_b64": b64(sk)})
    case(f"RFC 8032 test {n} sign", "crypto.ed25519_sign", {"seed_hex": sk, "message_hex": m}, {"signature_hex": sig, "signature_b64": b64(sig)})
    case(f"RFC 8032 test {n} verify", "crypto.ed25519_verify", {"public_key_hex": pk, "signature_hex": sig, "message_hex": m}, {"valid": True})
    bad = sig[:-2] + ("00" if sig[-2:] != "00" else "01")
    case(f"RFC 8032 test {n} verify, last byte changed", "crypto.ed25519_verify", {"public_key_hex": pk, "signature_hex": bad, "message_hex": m}, {"valid": False})
    case(f"RFC 8032 test {n} verify, other message", "crypto.ed25519_verify", {"public_key_b64": b64(pk), "signature_b64": b64(sig), "message_text": "x"}, {"valid": False})

def err(name, op, inp, code, path=None):
    e = {"code": code}
    if path: e["path"] = path
    case(name, op, inp, {"error": e})
err("bad hex digit", "crypto.sha256", {"data_hex": "zz"}, "bad_encoding", "$.data_hex")
err("odd hex length", "crypto.sha256", {"data_hex": "abc"}, "bad_encoding", "$.data_hex")
err("unpadded base64", "crypto.sha256", {"data_b64": "YWJ"}, "bad_encoding", "$.data_b64")
err("non-canonical base64", "crypto.sha256", {"data_b64": "YWJ="}, "bad_encoding", "$.data_b64")
err("two encodings at once", "crypto.sha256", {"data_hex": "00", "data_text": "a"}, "conflicting_fields")
err("no data", "crypto.sha256", {}, "missing_field", "$.data")
err("unknown field", "crypto.sha256", {"data_text": "a", "extra": 1}, "unknown_field", "$.extra")
err("wrong type", "crypto.sha256", {"data_text": 5}, "wrong_type", "$.data_text")
err("short seed", "crypto.ed25519_sign", {"seed_hex": "00" * 31, "message_text": "m"}, "bad_length", "$.seed")
err("text seed not allowed", "crypto.ed25519_sign", {"seed_text": "x" * 32, "message_text": "m"}, "missing_field", "$.seed")
err("short signature", "crypto.ed25519_verify", {"public_key_hex": rfc8032[0][2], "signature_hex": "00" * 63, "message_hex": ""}, "bad_length", "$.signature")
err("long public key", "crypto.ed25519_verify", {"public_key_hex": "00" * 33, "signature_hex": "00" * 64, "message_hex": ""}, "bad_length", "$.public_key")
err("empty HMAC key", "crypto.hmac_sha256", {"key_text": "", "message_text": "m"}, "bad_length", "$.key")
err("unknown op", "crypto.md5", {"data_text": "a"}, "unknown_op")
err("version takes no fields", "version", {"x": 1}, "unknown_field", "$.x")
err("mis-cased key", "crypto.sha256", {"Data_text": "a"}, "missing_field", "$.data")

out = {"description": "Published SHA-256, HMAC-SHA256 and Ed25519 vectors and typed errors of the crypto ops. Generated by make_crypto.py.",
       "cases": cases}
pathlib.Path(__file__).with_name("crypto.json").write_text(json.dumps(out, indent=1) + "\n")

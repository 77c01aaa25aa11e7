# Writes eval.jsonl: a labelled PII evaluation set generated from templates with a fixed seed.
# Each line is {"id", "text", "spans": [{"start", "end", "type"}]} with UTF-8 byte offsets.
# Values are made here (Luhn, mod-97, SSN rules, E.164 plans, base64url JWTs, ipaddress for IPv6)
# independently of the C++ scanners; some formats are included that the scanners are known not
# to cover (see README.md) so that recall is measured, not assumed. Hard negatives carry no spans.
import base64, ipaddress, json, pathlib, random, string, uuid

R = random.Random(20261202)
FIRST = ["john", "maria", "wei", "aisha", "olga", "li", "pedro", "fatima", "kenji", "anna", "omar", "sofia"]
LAST = ["smith", "garcia", "chen", "khan", "ivanova", "nguyen", "silva", "haddad", "tanaka", "muller", "okafor"]
DOMAINS = ["example.com", "mail.example.org", "corp.example.co.uk", "example.net", "uni.example.edu", "example.io"]

def digits(n): return "".join(R.choice(string.digits) for _ in range(n))

def luhn_digit(body):
    s = 0
    for i, ch in enumerate(reversed(body)):
        v = int(ch)
        if i % 2 == 0: v = v * 2 - 9 if v * 2 > 9 else v * 2
        s += v
    return str((10 - s % 10) % 10)

# ---- positives ---------------------------------------------------------------------------------
def email():
    f, l, d = R.choice(FIRST), R.choice(LAST), R.choice(DOMAINS)
    local = R.choice([f"{f}.{l}", f"{f}{l[0]}", f"{f}_{l}{R.randint(1, 99)}", f"{f}+news", f"{f[0]}.{l}"])
    if R.random() < 0.15: local = local.capitalize()
    if R.random() < 0.04: local = f'"{f} {l}"'  # quoted local part: not covered
    if R.random() < 0.03: local = R.choice(["jürgen", "zoë.adams", "josé"])  # non-ASCII local part: not covered
    return f"{local}@{d}"

def nanp():
    area = f"{R.randint(2, 9)}{R.randint(0, 8)}{R.randint(0, 9)}"
    while area[1:] == "11": area = f"{R.randint(2, 9)}{R.randint(0, 8)}{R.randint(0, 9)}"
    ex, line = f"{R.randint(2, 9)}{digits(2)}", digits(4)
    return R.choice([f"({area}) {ex}-{line}", f"{area}-{ex}-{line}", f"{area}.{ex}.{line}", f"+1 {area} {ex} {line}",
                     f"1-{area}-{ex}-{line}", f"+1-{area}-{ex}-{line}"])

INTL = [("44", [2, 4, 4]), ("49", [2, 8]), ("33", [1, 2, 2, 2, 2]), ("34", [3, 3, 3]), ("39", [3, 3, 4]),
        ("31", [2, 3, 4]), ("91", [5, 5]), ("81", [2, 4, 4]), ("61", [1, 4, 4]), ("55", [2, 5, 4]),
        ("86", [3, 4, 4]), ("27", [2, 3, 4]), ("48", [3, 3, 3]), ("250", [3, 3, 3]), ("855", [2, 3, 3])]

def phone_intl():
    cc, groups = R.choice(INTL)
    parts = [digits(g) for g in groups]
    parts[0] = str(R.randint(1, 9)) + parts[0][1:]
    if R.random() < 0.05: return "+" + cc + " (0)" + " ".join(parts)  # trunk prefix in parentheses: not covered
    return "+" + cc + R.choice([" ", "-", ""]) + R.choice([" ", "-"]).join(parts)

def phone_national():  # written after a phone word in the template
    return R.choice(["0" + digits(2) + " " + digits(4) + " " + digits(4), "0" + digits(3) + " " + digits(6),
                     "0" + digits(4) + "-" + digits(6)])

def card():
    brand = R.choice(["visa", "mc", "mc2", "amex", "disc", "jcb"])
    pre, n = {"visa": ("4", 16), "mc": (str(R.randint(51, 55)), 16), "mc2": (str(R.randint(2221, 2720)), 16),
              "amex": (R.choice(["34", "37"]), 15), "disc": ("6011", 16), "jcb": (str(R.randint(3528, 3589)), 16)}[brand]
    body = pre + digits(n - 1 - len(pre))
    num = body + luhn_digit(body)
    style = R.choice(["space", "dash", "bare"])
    if style == "bare": return num
    sep = " " if style == "space" else "-"
    if n == 15: return sep.join([num[:4], num[4:10], num[10:]])
    return sep.join(num[i:i + 4] for i in range(0, n, 4))

IBAN_FMT = [("DE", "n18"), ("GB", "a4n14"), ("FR", "n23"), ("ES", "n20"), ("NL", "a4n10"), ("IT", "a1n22"),
            ("BE", "n12"), ("CH", "n17"), ("AT", "n16"), ("PL", "n24"), ("SE", "n20"), ("IE", "a4n14")]

def iban():
    cc, fmt = R.choice(IBAN_FMT)
    bban = ""
    for kind, count in [(fmt[i], int("".join(c for c in fmt[i + 1:i + 3] if c.isdigit()))) for i in range(len(fmt)) if fmt[i] in "an"]:
        bban += "".join(R.choice(string.ascii_uppercase if kind == "a" else string.digits) for _ in range(count))
    rearr = bban + cc + "00"
    num = int("".join(str(int(c, 36)) for c in rearr))
    s = cc + f"{98 - num % 97:02d}" + bban
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4)) if R.random() < 0.5 else s

def ssn():
    area = R.randint(1, 899)
    while area == 666: area = R.randint(1, 899)
    v = f"{area:03d}{R.randint(1, 99):02d}{R.randint(1, 9999):04d}"
    return R.choice([f"{v[:3]}-{v[3:5]}-{v[5:]}", f"{v[:3]} {v[3:5]} {v[5:]}"])

def ipv4():
    return ".".join(str(R.randint(1 if i == 0 else 0, 255)) for i in range(4))

def ipv6():
    a = ipaddress.IPv6Address(R.getrandbits(128) & ~((1 << R.choice([0, 16, 48, 64])) - 1))
    return a.compressed if R.random() < 0.6 else a.exploded

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

def dob():
    y, m, d = R.randint(1930, 2008), R.randint(1, 12), R.randint(1, 28)
    return R.choice([f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{m:02d}/{d:02d}/{y}", f"{d:02d}.{m:02d}.{y}",
                     f"{MONTHS[m - 1]} {d}, {y}"])  # the month-name form is not covered

STREETS = ["Main", "Oak", "Pennsylvania", "Baker", "Fifth", "Elm", "Maple", "Sunset", "Evergreen", "Park", "High"]
SUFFIX = ["Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Lane", "Drive", "Terrace", "Way", "Court"]

def address():
    n = str(R.randint(1, 9999))
    name = " ".join(R.sample(STREETS, R.choice([1, 1, 2])))
    if R.random() < 0.04: n += R.choice("ABC")  # "221B Baker Street": not covered
    v = f"{n} {name} {R.choice(SUFFIX)}"
    return v.lower() if R.random() < 0.05 else v  # all-lowercase: not covered

B64 = string.ascii_letters + string.digits + "+/"
def rand(alphabet, n): return "".join(R.choice(alphabet) for _ in range(n))
def b64url(obj): return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")

def secret():
    k = R.randrange(10)
    an = string.ascii_letters + string.digits
    if k == 0: return "AKIA" + rand(string.ascii_uppercase + "234567", 16), "aws_access_key_id: {v}"
    if k == 1: return "ghp_" + rand(an, 36), "export GITHUB_TOKEN={v}"
    if k == 2: return "glpat-" + rand(an + "_-", 20), "gitlab: {v}"
    if k == 3: return f"xoxb-{digits(12)}-{digits(13)}-{rand(an, 24)}", "slack bot {v}"
    if k == 4:
        jwt = b64url({"alg": "HS256", "typ": "JWT"}) + "." + b64url({"sub": digits(6), "iat": R.randint(1600000000, 1800000000)}) + "." + rand(an + "_-", 43)
        return jwt, "Authorization: Bearer {v}"
    if k == 5:
        body = "\n".join(rand(B64, 64) for _ in range(3))
        return f"-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----", "key file:\n{v}\n"
    if k == 6: return rand(an, 32), R.choice(['api_key = "{v}"', '{{"client_secret": "{v}"}}', "SECRET_KEY={v}"])
    if k == 7: return "AIza" + rand(an + "_-", 35), "maps key {v}"
    if k == 8: return rand(B64, 40), "aws_secret_access_key = {v}"
    return rand(an, 10) + R.choice("!#%") + str(R.randint(10, 99)), R.choice(["password: {v}", "DB_PASSWORD={v}"])

FILL = ["Hi team, {p}.", "Please update the record: {p}", "Customer wrote: {p} -- thanks", "Log line {p} end",
        "{p}", "Note for follow-up ({p}) before Friday."]

def pos_example(kind):
    if kind == "email": return f"send it to {{v}}", email()
    if kind == "phone":
        r = R.random()
        if r < 0.5: return R.choice(["call me at {v}", "my number is {v}", "{v} is the office line"]), nanp()
        if r < 0.85: return R.choice(["mobile {v}", "reach her on {v}", "WhatsApp: {v}"]), phone_intl()
        return R.choice(["Tel: {v}", "phone {v}"]), phone_national()
    if kind == "payment_card": return R.choice(["card number {v}", "paid with {v} yesterday", "cc: {v}", "use {v} for the deposit"]), card()
    if kind == "iban": return R.choice(["IBAN {v}", "wire to {v} please", "account: {v}"]), iban()
    if kind == "us_ssn":
        v = ssn()
        return R.choice(["SSN {v}", "social security number {v}", "his number is {v}"]), v
    if kind == "ipv4": return R.choice(["request from {v}", "host={v}", "connect to {v}:8443", "client ip {v}"]), ipv4()
    if kind == "ipv6": return R.choice(["request from {v}", "addr {v}", "peer [{v}]"]), ipv6()
    if kind == "date_of_birth": return R.choice(["DOB: {v}", "born {v}", "date of birth {v}", "Birthdate: {v}"]), dob()
    if kind == "street_address": return R.choice(["lives at {v}, Springfield", "ship to {v}", "office: {v}"]), address()
    v, tpl = secret()
    return tpl, v

def negative():
    k = R.randrange(21)
    if k == 0: return f"Order #{digits(R.choice([7, 8, 10]))} has shipped"
    if k == 1: return f"PO-{R.randint(2019, 2026)}-{digits(6)} approved"
    if k == 2: return f"upgrade to v{R.randint(0, 20)}.{R.randint(0, 30)}.{R.randint(0, 99)} today"
    if k == 3: return f"running version {R.randint(1, 12)}.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(0, 9999)}"
    if k == 4: return f"at {R.randint(2000, 2030)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}Z the job ran"
    if k == 5: return f"ts={R.randint(1500000000000, 1800000000000)} took {R.randint(1, 999)} ms"
    if k == 6: return "request id " + str(uuid.UUID(int=R.getrandbits(128)))
    if k == 7:
        body = "978" + digits(9)
        check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
        return f"ISBN {body[:3]}-{body[3]}-{body[4:6]}-{body[6:12]}-{check}"
    if k == 8: return f"tracking 1Z{rand(string.ascii_uppercase + string.digits, 16)} via UPS"
    if k == 9: return "USPS " + " ".join(digits(4) for _ in range(5)) + " " + digits(2)
    if k == 10:
        body = "4" + digits(14)
        bad = str((int(luhn_digit(body)) + R.randint(1, 9)) % 10)
        return f"reference {body}{bad} closed"
    if k == 11: return f"commit {R.getrandbits(160):040x} merged"
    if k == 12: return f"total ${R.randint(1, 99)},{digits(3)}.{digits(2)} and {R.randint(1, 99)}.{digits(1)}% growth"
    if k == 13: return R.choice(['api_key="YOUR_API_KEY_HERE"', "password=${DB_PASSWORD}", "token: <redacted>", "secret=changeme"])
    if k == 14: return f"meeting on {R.randint(2020, 2026)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d} at {R.randint(8, 18)}:{R.choice(['00', '30'])}"
    if k == 15: return f"mac {':'.join(f'{R.randrange(256):02x}' for _ in range(6))} at {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}"
    if k == 17:
        body = R.choice(["40", "50", "87"]) + digits(10)
        check = (10 - sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body)) % 10) % 10
        return f"barcode {body}{check} on the box"
    if k == 18:  # a birth word next to a date that is no one's date of birth: expected false positives
        return f"birthday party on {R.randint(2020, 2026)}-{R.randint(1, 12):02d}-{R.randint(1, 28):02d}"
    if k == 19: return f"OID 1.3.6.1.4.1.{R.randint(1, 60000)}.{R.randint(1, 99)} and Chrome/{R.randint(90, 130)}.0.{R.randint(1000, 6999)}.{R.randint(1, 200)}"
    return f"coordinates {R.uniform(-90, 90):.4f}, {R.uniform(-180, 180):.4f}, chapter {R.randint(1, 40)} page {R.randint(1, 400)}"

TYPES = ["email", "phone", "payment_card", "iban", "us_ssn", "ipv4", "ipv6", "date_of_birth", "street_address", "secret"]

def build(n_per_type=120, n_negative=900):
    items = [("pos", t) for t in TYPES for _ in range(n_per_type)] + [("neg", None)] * n_negative
    R.shuffle(items)
    out = []
    for i, (what, kind) in enumerate(items):
        if what == "neg":
            text, spans = R.choice(FILL).replace("{p}", negative()), []
        else:
            tpl, v = pos_example(kind)
            frame = R.choice(FILL)
            pre, post = frame.split("{p}")
            a, b = tpl.split("{v}")
            text = pre + a + v + b + post
            start = len((pre + a).encode())
            spans = [{"start": start, "end": start + len(v.encode()), "type": kind}]
            if R.random() < 0.3:  # a hard negative in the same line
                text += " " + negative()
        out.append({"id": i, "text": text, "spans": spans})
    return out

if __name__ == "__main__":
    here = pathlib.Path(__file__).parent
    with open(here / "eval.jsonl", "w") as f:
        for row in build(): f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")

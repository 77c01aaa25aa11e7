# Prints COUNT signed usage events for POST /v1/cost/usage, one per line as
# "<base64 HMAC-SHA256 of the body>\t<body>", each with its own event_id.
# usage: make_usage.py HMAC_KEY_TEXT COUNT
import base64, hashlib, hmac, json, sys

key = sys.argv[1].encode()
for i in range(int(sys.argv[2])):
    body = json.dumps({"event_id": f"evt-{i}", "model": "gpt-4o",
                       "usage": {"prompt_tokens": 1000 + i % 500, "completion_tokens": 200,
                                 "total_tokens": 1200 + i % 500}}, separators=(",", ":"))
    sig = base64.b64encode(hmac.new(key, body.encode(), hashlib.sha256).digest()).decode()
    print(f"{sig}\t{body}")

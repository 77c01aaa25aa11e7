# Prints `flk batch` lines that sign COUNT distinct PCS documents (epochs 1..COUNT of one base
# document, each with its correct pcs_id) with KEY_JSON; the batch's output is one body per line.
# usage: make_bodies.py BASE_PCS_FILE KEY_JSON COUNT
import hashlib, json, sys

base = json.load(open(sys.argv[1]))
key = json.loads(sys.argv[2])
for epoch in range(1, int(sys.argv[3]) + 1):
    doc = dict(base, epoch=epoch)
    doc["pcs_id"] = hashlib.sha256(f"{doc['merkle_root']}|{epoch}|{doc['shard_id']}".encode()).hexdigest()
    print(json.dumps({"op": "pcs.sign", "input": {"pcs": doc, "key": key}}, separators=(",", ":")))

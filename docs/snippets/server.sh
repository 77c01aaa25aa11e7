dist/native/flk keygen ed25519 --out agent.key                 # agent.key (seed), agent.key.pub
echo "{\"tenants\":[{\"id\":\"default\",\"keys\":[{\"kid\":\"agent-1\",\"key\":$(cat agent.key.pub)}]}]}" > tenants.json
dist/native/flk-server --tenants-file tenants.json --data ./flk-data &   # SQLite; 127.0.0.1:8080
server=$!
until curl -sf localhost:8080/readyz >/dev/null; do sleep 0.1; done
dist/native/flk pcs build --csv tests/data/tiny_case_1.csv --shard shard-001 --epoch 1 \
    --key-file agent.key --out pcs.json
curl -s -H 'Content-Type: application/json' --data @pcs.json localhost:8080/v1/pcs/submit; echo
# {"accepted":true,"duplicate":false,"escalated":false,"pcs_id":"…","recomputed_D_hat":0.528320834,"recomputed_budget":0.317807017,"status":200}
curl -s localhost:8080/metrics | grep -E '^flk_(ingest_total|accepted) '
# flk_ingest_total 1
# flk_accepted 1
kill $server                                                   # SIGTERM: drains in-flight requests, exits 0

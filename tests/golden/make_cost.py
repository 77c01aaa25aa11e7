#!/usr/bin/env python3
# Writes cost.json: worked examples of each provider's cached-token rule with hand-checkable
# numbers, plus typed errors of the cost ops. Every priced case states its arithmetic; this script
# recomputes it with Python's Decimal (independently of the C++ core) and refuses to write the
# file unless dist/native/flk agrees, then stores flk's whole answer as the expectation that all
# three builds must reproduce byte for byte. Prices are those of the shipped default catalog
# (LiteLLM snapshot 2025-09-01, plus genai-prices where stated).
import json, pathlib, subprocess, sys
from decimal import Decimal, ROUND_HALF_EVEN

root = pathlib.Path(__file__).resolve().parent.parent.parent
flk = root / "dist" / "native" / "flk"
cases = []


# One flk batch process answers every case in order, as tests/js/golden.test.mjs runs them: the
# stateful cost ops (ledger, billing book) see one engine across the file.
proc = subprocess.Popen([str(flk), "batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)


def run(op, payload):
    proc.stdin.write(json.dumps({"op": op, "input": payload}) + "\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


def usd(x):
    q = Decimal(x).quantize(Decimal("1e-9"), rounding=ROUND_HALF_EVEN)
    s = format(q, "f").rstrip("0")
    whole, frac = s.split(".")
    return whole + "." + frac.ljust(2, "0")


def priced(name, payload, lines, api=None, extra_checks=None):
    """lines: {dim: (quantity, USD per million or per unit)}; the expected cost of each line and the
    total are computed here and compared with flk's answer."""
    out = run("cost.usage", payload)
    if "error" in out:
        sys.exit(f"{name}: {out['error']}")
    want_cost, total = {}, Decimal(0)
    for dim, (qty, price) in lines.items():
        per = Decimal(1) if dim in ("request", "input_image", "output_image", "web_search") else Decimal(10) ** 6
        c = (Decimal(qty) * Decimal(price) / per).quantize(Decimal("1e-9"), rounding=ROUND_HALF_EVEN)
        want_cost[dim] = usd(c)
        total += c
    got = {k: out["cost_usd"][k] for k in out["cost_usd"]}
    if got != want_cost or out["total_usd"] != usd(total) or out["quantities"] != {k: v[0] for k, v in lines.items()}:
        sys.exit(f"{name}: flk {out['quantities']} {got} {out['total_usd']} != hand {want_cost} {usd(total)}")
    if api and out["api"] != api:
        sys.exit(f"{name}: api {out['api']} != {api}")
    if extra_checks:
        extra_checks(out)
    cases.append({"name": f"{name} = ${usd(total)}", "op": "cost.usage", "input": payload, "expect": out})


def err(name, op, payload, code, path=None, raw=None):
    e = {"code": code}
    if path:
        e["path"] = path
    c = {"name": name, "op": op, "expect": {"error": e}}
    if raw is not None:
        c["input_json"] = raw
    else:
        c["input"] = payload
    got = run(op, payload) if raw is None else json.loads(
        subprocess.run([str(flk), "call", op], input=raw, capture_output=True, text=True).stdout)
    if got.get("error", {}).get("code") != code or (path and got["error"].get("path") != path):
        sys.exit(f"{name}: got {got}")
    cases.append(c)


# --- OpenAI: prompt_tokens / input_tokens INCLUDE cached tokens; completion includes reasoning.
priced("openai.chat gpt-4o: (1000-600) x $2.50 + 600 cached x $1.25 + 200 x $10",
       {"model": "gpt-4o", "usage": {"prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200,
                                     "prompt_tokens_details": {"cached_tokens": 600, "audio_tokens": 0},
                                     "completion_tokens_details": {"reasoning_tokens": 0}}},
       {"input": (400, "2.5"), "cache_read": (600, "1.25"), "output": (200, "10")}, api="openai.chat")
priced("openai.responses o3 after the 2025-06-10 cut: 500 x $2 + 1500 cached x $0.50 + (800-600) x $8 + 600 reasoning x $8",
       {"provider": "openai", "model": "o3-2025-04-16", "timestamp": "2025-07-01T12:00:00Z",
        "usage": {"input_tokens": 2000, "input_tokens_details": {"cached_tokens": 1500}, "output_tokens": 800,
                  "output_tokens_details": {"reasoning_tokens": 600}, "total_tokens": 2800}},
       {"input": (500, "2"), "cache_read": (1500, "0.5"), "output": (200, "8"), "reasoning": (600, "8")},
       api="openai.responses")
priced("openai.responses o3 before the cut (genai-prices history): 500 x $10 + 1500 x $0.50 + 200 x $40 + 600 x $40",
       {"provider": "openai", "model": "o3-2025-04-16", "timestamp": "2025-05-01T12:00:00Z",
        "usage": {"input_tokens": 2000, "input_tokens_details": {"cached_tokens": 1500}, "output_tokens": 800,
                  "output_tokens_details": {"reasoning_tokens": 600}}},
       {"input": (500, "10"), "cache_read": (1500, "0.5"), "output": (200, "40"), "reasoning": (600, "40")})
priced("openai batch tier gpt-4o-mini: 10000 x $0.075 + 2000 x $0.30",
       {"model": "gpt-4o-mini", "service_tier": "batch", "usage": {"prompt_tokens": 10000, "completion_tokens": 2000}},
       {"input": (10000, "0.075"), "output": (2000, "0.3")})
priced("flex tier without flex prices: standard prices, stated in notes: 1000 x $1.25 + 100 x $10",
       {"model": "gpt-5", "response": {"model": "gpt-5-2025-08-07", "service_tier": "flex",
                                       "usage": {"input_tokens": 1000, "output_tokens": 100}}, "provider": "openai"},
       {"input": (1000, "1.25"), "output": (100, "10")},
       extra_checks=lambda o: o["notes"] or sys.exit("flex note missing"))
# --- Anthropic: input_tokens EXCLUDES cache reads and writes.
priced("anthropic.messages claude-sonnet-4: 6 x $3 + 85 cache write x $3.75 + 1069 cache read x $0.30 + 110 x $15",
       {"model": "claude-sonnet-4-20250514",
        "usage": {"input_tokens": 6, "cache_creation_input_tokens": 85, "cache_read_input_tokens": 1069,
                  "cache_creation": {"ephemeral_5m_input_tokens": 85, "ephemeral_1h_input_tokens": 0},
                  "output_tokens": 110, "service_tier": "standard", "inference_geo": "not_available"}},
       {"input": (6, "3"), "cache_read": (1069, "0.3"), "cache_write": (85, "3.75"), "output": (110, "15")},
       api="anthropic.messages", extra_checks=lambda o: o["ignored_fields"] == ["$.usage.inference_geo"] or sys.exit(o))
priced("anthropic 1-hour cache writes and web search, claude-opus-4-1: 100 x $15 + 1000 x $18.75 + 2000 1h x $30 "
       "+ 5000 x $1.50 + 400 x $75 + 2 searches x $0.01",
       {"provider": "anthropic", "model": "claude-opus-4-1",
        "usage": {"input_tokens": 100, "cache_creation_input_tokens": 3000, "cache_read_input_tokens": 5000,
                  "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 2000},
                  "output_tokens": 400, "server_tool_use": {"web_search_requests": 2, "web_fetch_requests": 1}}},
       {"input": (100, "15"), "cache_read": (5000, "1.5"), "cache_write": (1000, "18.75"),
        "cache_write_1h": (2000, "30"), "output": (400, "75"), "web_search": (2, "0.01")})
# --- Google Gemini: promptTokenCount INCLUDES cachedContentTokenCount; thoughts are NOT in candidates.
priced("gemini 2.5 flash: (3520-3512) x $0.30 + 3512 cached x $0.075 + 2 x $2.50 + 42 thoughts x $2.50",
       {"provider": "gcp.gemini", "response": {
           "modelVersion": "gemini-2.5-flash",
           "usageMetadata": {"promptTokenCount": 3520, "cachedContentTokenCount": 3512, "candidatesTokenCount": 2,
                             "thoughtsTokenCount": 42, "totalTokenCount": 3564,
                             "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 3520}],
                             "cacheTokensDetails": [{"modality": "TEXT", "tokenCount": 3512}]}}},
       {"input": (8, "0.3"), "cache_read": (3512, "0.075"), "output": (2, "2.5"), "reasoning": (42, "2.5")},
       api="gemini")
priced("gemini 2.5 pro above 200k prompt tokens: 250000 x $2.50 + 1000 x $15 (long-context prices)",
       {"provider": "gcp.gemini", "model": "gemini-2.5-pro",
        "usage": {"promptTokenCount": 250000, "candidatesTokenCount": 1000}},
       {"input": (250000, "2.5"), "output": (1000, "15")},
       extra_checks=lambda o: o.get("context_tier_above") == 200000 or sys.exit(o))
priced("gemini audio input priced apart: (1000-400 audio) x $0.30 + 400 audio x $1 + 10 x $2.50",
       {"provider": "gcp.gemini", "model": "gemini-2.5-flash",
        "usage": {"promptTokenCount": 1000, "candidatesTokenCount": 10,
                  "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 600}, {"modality": "AUDIO", "tokenCount": 400}]}},
       {"input": (600, "0.3"), "input_audio": (400, "1"), "output": (10, "2.5")})
# --- AWS Bedrock Converse: inputTokens EXCLUDES cacheRead/cacheWrite.
priced("bedrock.converse claude sonnet 4: 50 x $3 + 2000 cache read x $0.30 + 500 cache write x $3.75 + 300 x $15",
       {"provider": "aws.bedrock", "model": "anthropic.claude-sonnet-4-20250514-v1:0",
        "usage": {"inputTokens": 50, "outputTokens": 300, "totalTokens": 2850, "cacheReadInputTokens": 2000,
                  "cacheWriteInputTokens": 500}},
       {"input": (50, "3"), "cache_read": (2000, "0.3"), "cache_write": (500, "3.75"), "output": (300, "15")},
       api="bedrock.converse")
# --- DeepSeek: prompt_tokens = cache hit + cache miss.
priced("deepseek.chat: 200 miss x $0.27 + 800 hit x $0.07 + 100 x $1.10",
       {"provider": "deepseek", "model": "deepseek-chat",
        "usage": {"prompt_tokens": 1000, "completion_tokens": 100, "total_tokens": 1100,
                  "prompt_cache_hit_tokens": 800, "prompt_cache_miss_tokens": 200}},
       {"input": (200, "0.27"), "cache_read": (800, "0.07"), "output": (100, "1.1")}, api="deepseek.chat")
# --- xAI: reasoning tokens are NOT part of completion_tokens.
priced("xai.chat grok-3-mini: 100 x $0.30 + 50 x $0.50 + 300 reasoning x $0.50",
       {"provider": "x_ai", "model": "grok-3-mini",
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 450,
                  "completion_tokens_details": {"reasoning_tokens": 300}}},
       {"input": (100, "0.3"), "output": (50, "0.5"), "reasoning": (300, "0.5")}, api="xai.chat")
# --- OpenTelemetry GenAI: input_tokens INCLUDES cache reads and writes (semantic conventions).
otel_anthropic = {"input": (6, "3"), "cache_read": (1069, "0.3"), "cache_write": (85, "3.75"), "output": (110, "15")}
priced("otel attributes, same Anthropic call: (1160-1069-85) x $3 + 1069 x $0.30 + 85 x $3.75 + 110 x $15",
       {"attributes": {"gen_ai.provider.name": "anthropic", "gen_ai.request.model": "claude-sonnet-4-0",
                       "gen_ai.response.model": "claude-sonnet-4-20250514", "gen_ai.operation.name": "chat",
                       "gen_ai.usage.input_tokens": 1160, "gen_ai.usage.cache_read.input_tokens": 1069,
                       "gen_ai.usage.cache_creation.input_tokens": 85, "gen_ai.usage.output_tokens": 110}},
       otel_anthropic, api="otel")
priced("otel with a producer that copies Anthropic's raw counts (cache_in_input false): same $",
       {"cache_in_input": False,
        "attributes": [{"key": "gen_ai.provider.name", "value": {"stringValue": "anthropic"}},
                       {"key": "gen_ai.request.model", "value": {"stringValue": "claude-sonnet-4-20250514"}},
                       {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "6"}},
                       {"key": "gen_ai.usage.cache_read.input_tokens", "value": {"intValue": "1069"}},
                       {"key": "gen_ai.usage.cache_creation.input_tokens", "value": {"intValue": 85}},
                       {"key": "gen_ai.usage.output_tokens", "value": {"intValue": "110"}}]},
       otel_anthropic)
priced("otel reasoning inside output_tokens, gpt-5-mini: 900 x $0.25 + 100 cached x $0.025 + (500-300) x $2 + 300 x $2",
       {"attributes": {"gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-5-mini",
                       "gen_ai.usage.input_tokens": 1000, "gen_ai.usage.cache_read.input_tokens": 100,
                       "gen_ai.usage.output_tokens": 500, "gen_ai.usage.reasoning.output_tokens": 300}},
       {"input": (900, "0.25"), "cache_read": (100, "0.025"), "output": (200, "2"), "reasoning": (300, "2")})
priced("explicit fallback for an unknown model, stated in notes: 1000 x $0.15 + 10 x $0.60",
       {"model": "my-finetune-v3", "fallback": {"provider": "openai", "model": "gpt-4o-mini"},
        "usage": {"prompt_tokens": 1000, "completion_tokens": 10}},
       {"input": (1000, "0.15"), "output": (10, "0.6")},
       extra_checks=lambda o: o["priced_as"]["matched_by"] == "fallback" or sys.exit(o))

# --- The mistakes the rules exist to catch, as typed errors.
err("Anthropic counts read as OpenAI chat would double count: cached > prompt", "cost.usage",
    {"model": "gpt-4o", "api": "openai.chat", "usage": {"prompt_tokens": 6, "completion_tokens": 1,
                                                         "prompt_tokens_details": {"cached_tokens": 1069}}},
    "inconsistent_usage")
err("otel producer copying raw Anthropic counts without cache_in_input", "cost.usage",
    {"attributes": {"gen_ai.provider.name": "anthropic", "gen_ai.request.model": "claude-sonnet-4-20250514",
                    "gen_ai.usage.input_tokens": 6, "gen_ai.usage.cache_read.input_tokens": 1069,
                    "gen_ai.usage.output_tokens": 110}}, "inconsistent_usage")
err("input_tokens/output_tokens without provider or api is ambiguous", "cost.usage",
    {"model": "x", "usage": {"input_tokens": 1, "output_tokens": 1}}, "ambiguous_usage", "$.usage")
err("unknown model is an error, never $0", "cost.usage",
    {"model": "gpt-99", "usage": {"prompt_tokens": 1, "completion_tokens": 1}}, "unknown_model")
err("a token field the rule does not know may be billable", "cost.usage",
    {"model": "gpt-4o", "usage": {"prompt_tokens": 10, "completion_tokens": 1, "prompt_tokens_details": {"mystery_tokens": 5}}},
    "unknown_usage_field", "$.usage.prompt_tokens_details.mystery_tokens")
err("web searches on a model without a search price", "cost.usage",
    {"model": "gpt-4o", "web_searches": 1, "usage": {"prompt_tokens": 10, "completion_tokens": 1}}, "missing_price")
err("1-hour cache writes on an entry without a 1-hour price", "cost.usage",
    {"provider": "aws.bedrock", "api": "anthropic.messages", "model": "anthropic.claude-sonnet-4-20250514-v1:0",
     "usage": {"input_tokens": 1, "output_tokens": 1, "cache_creation_input_tokens": 10,
               "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 10}}}, "missing_price")
err("cache writes by TTL must add up", "cost.usage",
    {"model": "claude-sonnet-4-0", "usage": {"input_tokens": 1, "output_tokens": 1, "cache_creation_input_tokens": 10,
                                            "cache_creation": {"ephemeral_5m_input_tokens": 3}}}, "inconsistent_usage")
err("negative token count", "cost.usage", {"model": "gpt-4o", "usage": {"prompt_tokens": -1, "completion_tokens": 1}},
    "out_of_range", "$.usage.prompt_tokens")
err("token count must be an integer", "cost.usage", None, "wrong_type", "$.usage.prompt_tokens",
    raw='{"model": "gpt-4o", "usage": {"prompt_tokens": 1.5, "completion_tokens": 1}}')
err("unknown field", "cost.usage", {"model": "gpt-4o", "usage": {"prompt_tokens": 1}, "tenant": "a"}, "unknown_field", "$.tenant")
err("two usage forms at once", "cost.usage", {"model": "gpt-4o", "usage": {}, "attributes": {}}, "conflicting_fields")
err("bad timestamp", "cost.usage", {"model": "gpt-4o", "timestamp": "yesterday", "usage": {"prompt_tokens": 1}},
    "bad_timestamp", "$.timestamp")
err("unknown service tier", "cost.usage", {"model": "gpt-4o", "service_tier": "gold", "usage": {"prompt_tokens": 1}},
    "out_of_range", "$.service_tier")

# --- cost.price and catalog validation.
mini = {"format": "flk.price_catalog.v1", "version": "t1", "sources": [{"id": "s", "name": "test"}],
        "models": [{"provider": "p", "model": "m", "source": "s", "effective_from": "2026-01-01",
                    "prices": {"input_mtok": "1", "output_mtok": 2.5e0}}]}
for name, payload in [("cost.price gpt-4o via a dated alias", {"model": "gpt-4o-2024-11-20"}),
                      ("cost.price strips an unknown date suffix", {"model": "gpt-4.1-mini-2030-01-01"}),
                      ("cost.price o3 on 2025-06-09 is the old price", {"model": "o3", "at": "2025-06-09"}),
                      ("cost.price gemini-2.5-pro shows its long-context tier", {"model": "gemini-2.5-pro", "provider": "gcp.vertex_ai"}),
                      ("cost.price with an inline catalog", {"model": "m", "at": "2026-02-01T00:00:00Z", "catalog": mini})]:
    out = run("cost.price", payload)
    if "error" in out:
        sys.exit(f"{name}: {out}")
    cases.append({"name": name, "op": "cost.price", "input": payload, "expect": out})
err("no price valid on that date", "cost.price", {"model": "m", "at": "2025-12-31", "catalog": mini}, "no_price_for_date")
overlap = json.loads(json.dumps(mini))
overlap["models"].append(dict(overlap["models"][0], effective_from="2026-06-01"))
err("overlapping price versions", "cost.catalog.load", {"catalog": overlap}, "bad_catalog")
bad_price = json.loads(json.dumps(mini))
bad_price["models"][0]["prices"]["input_mtok"] = "1.5 USD"
err("price must be a decimal", "cost.catalog.load", {"catalog": bad_price}, "bad_decimal", "$.catalog.models[0].prices.input_mtok")
unknown_key = json.loads(json.dumps(mini))
unknown_key["models"][0]["prices"]["input_per_token"] = "1"
err("unknown price key", "cost.catalog.load", {"catalog": unknown_key}, "unknown_field", "$.catalog.models[0].prices.input_per_token")
err("unknown source id", "cost.catalog.load", {"catalog": dict(mini, models=[dict(mini["models"][0], source="nope")])}, "bad_catalog")

# --- LiteLLM importer on a small map in LiteLLM's format: what it keeps and what it reports.
litellm = {"m-chat": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06,
                      "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06,
                      "input_cost_per_token_batches": 1.25e-06, "input_cost_per_token_above_200k_tokens": 5e-06,
                      "input_cost_per_second": 0.0001, "max_tokens": 4096, "supports_vision": True,
                      "search_context_cost_per_query": {"search_context_size_low": 0.01}},
           "azure/m-chat": {"litellm_provider": "azure", "mode": "chat", "input_cost_per_token": 2.75e-06,
                            "output_cost_per_token": 1.1e-05},
           "m-image": {"litellm_provider": "openai", "mode": "image_generation", "input_cost_per_pixel": 1e-08},
           "m-free": {"litellm_provider": "ollama", "mode": "chat", "input_cost_per_token": 0, "output_cost_per_token": 0}}
payload = {"litellm": litellm, "version": "imp-1", "effective_from": "2025-09-01"}
out = run("cost.catalog.import_litellm", payload)
rep = out["report"]
assert rep["imported"] == 3 and rep["zero_priced"] == 1, rep
assert rep["skipped_models"] == [{"key": "m-image", "reason": "no usable price (only input_cost_per_pixel)"}], rep
assert rep["skipped_price_fields"] == {"input_cost_per_pixel": 1, "input_cost_per_second": 1,
                                        "search_context_cost_per_query": 1}, rep
cases.append({"name": "LiteLLM import: kept prices, tiers and the skipped-field report", "op": "cost.catalog.import_litellm",
              "input": payload, "expect": out})
err("LiteLLM document must be an object", "cost.catalog.import_litellm", {"litellm": []}, "wrong_type")


# --- Stateful ops in sequence (the runner gives the whole file one engine; the Emscripten module
# answers the file twice, so the sequence starts by resetting what it uses).
def case(name, op, payload, check=None):
    out = run(op, payload)
    if "error" in out:
        sys.exit(f"{name}: {out}")
    if check and not check(out):
        sys.exit(f"{name}: check failed: {json.dumps(out)[:2000]}")
    cases.append({"name": name, "op": op, "input": payload, "expect": out})
    return out


for op in ("cost.ledger.reset", "cost.billing.reset", "cost.catalog.reset"):
    case(f"{op} starts the sequence", op, {})


def ev(i, tenant, day, model, usage, **kw):
    e = {"event_id": f"g{i}", "tenant": tenant, "task": kw.pop("task", "rag_query"), "verified": kw.pop("verified", True),
         "timestamp": f"2025-09-{day:02d}T10:00:00Z", "model": model, "usage": usage}
    e.update(kw)
    return e


chat = lambda p, c, cached=0: {"prompt_tokens": p, "completion_tokens": c, "prompt_tokens_details": {"cached_tokens": cached}}
events = [
    ev(1, "acme", 1, "gpt-4o", chat(10000, 1000, 4000), labels={"team": "search"}),            # 6000·2.5 + 4000·1.25 + 1000·10 = 0.03
    ev(2, "acme", 1, "gpt-4o-mini", chat(20000, 2000), labels={"team": "search"}),             # 20000·0.15 + 2000·0.6 = 0.0042
    ev(3, "acme", 2, "gpt-4o", chat(8000, 500), verified=False, labels={"team": "support"}),  # 8000·2.5 + 500·10 = 0.025
    ev(4, "beta", 2, "claude-sonnet-4-20250514",
       {"input_tokens": 1000, "output_tokens": 800, "cache_read_input_tokens": 50000, "cache_creation_input_tokens": 2000},
       provider="anthropic"),                                                                   # 0.003 + 0.012 + 0.015 + 0.0075 = 0.0375
    ev(5, "beta", 3, "gpt-4o", chat(4000, 400), task="summarize"),                             # 0.01 + 0.004 = 0.014
    {"event_id": "g6", "tenant": "beta", "task": "pcs_verify", "timestamp": "2025-09-03T11:00:00Z", "verified": True,
     "resource": {"compute_ms": 1200, "anchoring": {"polygon": 2}}},                           # 0.0012 + 0.02 = 0.0212
    ev(1, "acme", 1, "gpt-4o", chat(10000, 1000, 4000), labels={"team": "search"}),            # duplicate: not charged
    ev(2, "acme", 1, "gpt-4o-mini", chat(20001, 2000), labels={"team": "search"}),             # conflict: not charged
]
want_total = Decimal("0.03") + Decimal("0.0042") + Decimal("0.025") + Decimal("0.0375") + Decimal("0.014") + Decimal("0.0212")
case("ledger: six events, one duplicate and one conflict; charged = $" + usd(want_total), "cost.ledger.record",
     {"events": events},
     lambda o: o["charged_usd"] == usd(want_total) and (o["recorded"], o["duplicates"], o["conflicts"]) == (6, 1, 1))
case("ledger by tenant and model, with cost per trusted task", "cost.ledger.query", {"group_by": ["tenant", "model"]},
     lambda o: o["rows"][0]["key"] == {"tenant": "acme", "model": "gpt-4o"} and o["rows"][0]["total_usd"] == "0.055"
     and o["rows"][0]["cost_per_trusted_task_usd"] == "0.055")
case("ledger by day for team=search", "cost.ledger.query", {"group_by": ["day"], "labels": {"team": "search"}},
     lambda o: o["totals"]["total_usd"] == "0.0342")
case("ledger totals for acme from 2025-09-02", "cost.ledger.query", {"tenant": "acme", "from": "2025-09-02"},
     lambda o: o["totals"]["total_usd"] == "0.025" and o["totals"]["cost_per_trusted_task_usd"] is None)

# Billing from the same usage, with a $0.01 over-bill on 2025-09-02 gpt-4o and an untracked service.
focus = ("BilledCost,EffectiveCost,ListCost,BillingCurrency,ChargeCategory,ChargePeriodStart,ProviderName,ServiceName,Tags\n"
         "0.03,0.03,,USD,Usage,2025-09-01 00:00:00,OpenAI,OpenAI API,\"{\"\"model\"\":\"\"gpt-4o\"\"}\"\n"
         "0.0042,0.0042,,USD,Usage,2025-09-01 00:00:00,OpenAI,OpenAI API,\"{\"\"model\"\":\"\"gpt-4o-mini\"\"}\"\n"
         "0.035,0.035,,USD,Usage,2025-09-02 00:00:00,OpenAI,OpenAI API,\"{\"\"model\"\":\"\"gpt-4o\"\"}\"\n"
         "0.014,0.014,,USD,Usage,2025-09-03 00:00:00,OpenAI,OpenAI API,\"{\"\"model\"\":\"\"gpt-4o\"\"}\"\n"
         "0.0375,0.0375,,USD,Usage,2025-09-02 00:00:00,Anthropic,Claude API,NULL\n"
         "0.0212,0.0212,,USD,Usage,2025-09-03 00:00:00,Flk,internal,NULL\n"
         "1.25,1.25,,USD,Usage,2025-09-03 00:00:00,AWS,Amazon S3,NULL\n"
         "0.05,0.05,,USD,Tax,2025-09-30 00:00:00,OpenAI,OpenAI API,NULL\n")
case("billing import: a small FOCUS export", "cost.billing.import", {"csv_text": focus},
     lambda o: o["imported"] == 8 and o["focus_version"] == "1.0")
case("reconcile: the over-bill found on 2025-09-02, S3 unallocated, tax apart", "cost.reconcile",
     {"period": "2025-09", "service_map": {"openai": "OpenAI API", "anthropic": "Claude API"}},
     lambda o: o["services"][0]["service"] == "OpenAI API" and o["services"][0]["delta_usd"] == "0.01"
     and o["services"][0]["days"][0]["day"] == "2025-09-02" and o["unallocated"]["billed_usd"] == "1.25"
     and o["services"][0]["models"] == [{"model": "gpt-4o", "tracked_usd": "0.069", "billed_usd": "0.079", "delta_usd": "0.01"}]
     and o["other_charges"] == {"Tax": "0.05"})
err("reconcile period must be YYYY-MM", "cost.reconcile", {"period": "September"}, "bad_timestamp", "$.period")

# The same export streamed in three pieces (one split inside a quoted field) adds the same charges.
case("billing reset before streaming", "cost.billing.reset", {})
case("billing stream: begin", "cost.billing.begin", {"format": "focus"})
cut1, cut2 = focus.index("gpt-4o") + 3, focus.index("Amazon")
for i, piece in enumerate([focus[:cut1], focus[cut1:cut2], focus[cut2:]]):
    case(f"billing stream: chunk {i + 1}", "cost.billing.chunk", {"text": piece})
case("billing stream: end gives the one-shot totals", "cost.billing.end", {},
     lambda o: o["imported"] == 8 and o["totals"][3]["billed"] == "0.1332")
err("chunk without begin", "cost.billing.chunk", {"text": "x"}, "out_of_range")
err("a header that is neither FOCUS nor CUR", "cost.billing.import", {"csv_text": "Cost,Date\n1,2\n"}, "bad_csv")

# Budgets (hand-checked: acme spent 0.0592 in September; beta 0.0727).
case("budget: acme monthly $0.08 cap, request of 0.0042 → 79.25 % → degrade to the mapped model", "cost.budget.check",
     {"tenant": "acme", "now": "2025-09-03T12:00:00Z", "model": "gpt-4o",
      "policy": {"cap_usd": "0.08", "window": "monthly", "preemptive": False, "degrade_models": {"gpt-4o": "gpt-4o-mini"}},
      "request": {"model": "gpt-4o-mini", "usage": {"prompt_tokens": 20000, "completion_tokens": 2000}}},
     lambda o: o["action"] == "degrade" and o["reason"] == "soft_cap_reached" and o["spent_usd"] == "0.0592")
case("budget: beta daily cap $0.02 already spent → deny with message", "cost.budget.check",
     {"tenant": "beta", "now": "2025-09-03T12:00:00Z", "policy": {"cap_usd": "0.02"}},
     lambda o: o["action"] == "deny" and o["reason"] == "hard_cap_reached" and o["spent_usd"] == "0.0352")
case("budget: run rate projects past the cap → early degrade", "cost.budget.check",
     {"tenant": "beta", "now": "2025-09-03T06:00:00Z", "policy": {"cap_usd": "0.1"}},
     lambda o: o["action"] == "degrade" and o["reason"] == "forecast_exceeds_hard_cap")
err("budget: the last action must be deny at 1.0", "cost.budget.check",
    {"tenant": "x", "now": 0, "policy": {"cap_usd": 1, "actions": [{"at": 0.5, "action": "degrade"}]}}, "out_of_range")

# Forecasts: a generated weekly series (exact decimals), with a backtest; short ledger history.
week = [Decimal(x) for x in ("100.00", "106.00", "110.00", "104.00", "95.00", "45.00", "40.00")]
series = [str(w * (1 + Decimal(t) / 100) + Decimal((t * 37) % 11) / 4) for t, w in ((t, week[t % 7]) for t in range(42))]
case("forecast: 6 weeks of weekly-seasonal spend, 7 days ahead, backtest", "cost.forecast",
     {"series": {"start": "2025-06-02", "values_usd": series}, "horizon": 7, "backtest": {"horizon": 7, "min_train": 21}},
     lambda o: o["backtest"]["mape_pct"] <= 10 and "A" in o["method"])
err("forecast: three days of ledger history give no interval", "cost.forecast", {"horizon": 3},
    "insufficient_history")
err("forecast: one observation is not enough", "cost.forecast",
    {"series": {"start": "2025-01-01", "values_usd": [1]}}, "insufficient_history")
ten_years = {"series": {"start": "2016-01-01", "values_usd": ["1"] * 3660}, "backtest": {"horizon": 1, "min_train": 4}}
err("forecast: a backtest refitting 10 years day by day is over the work budget", "cost.forecast", ten_years,
    "too_large", "$.backtest.min_train", raw=json.dumps(ten_years))

# Advisor: enough evidence for a model switch, a never-disagreeing check, idle hot storage.
case("advise: model switch at similar pass rate, ensemble check, tiering", "cost.advise",
     {"quality": [{"task": "rag_query", "model": "gpt-4o", "passed": 19000, "total": 20000},
                  {"task": "rag_query", "model": "gpt-4o-mini", "passed": 18990, "total": 20000}],
      "ensemble": [{"check": "pcs_verify", "runs": 2000, "disagreements": 0, "cost_per_run_usd": "0.0001"}],
      "storage": {"hot_bytes": 107374182400, "idle_hot_bytes": 53687091200}},
     lambda o: [r["type"] for r in o["recommendations"]] == ["ensemble_config", "tiering", "model_switch"]
     and o["recommendations"][2]["monthly_savings_usd"] == usd((Decimal("0.055") - Decimal("0.0033")) * 10))
# Money products are checked (they once wrapped around and answered a wrong total in every build).
err("advise: an ensemble check's window cost beyond the money range", "cost.advise",
    {"ensemble": [{"check": "c", "runs": 2**50, "disagreements": 0, "cost_per_run_usd": "10000"}]},
    "out_of_range", "$.ensemble[0]")
err("advise: an ensemble check's monthly cost beyond the money range", "cost.advise",
    {"ensemble": [{"check": "c", "runs": 2**40, "disagreements": 0, "cost_per_run_usd": "0.001"}]},
    "out_of_range", "$.ensemble[0]")

# Resource spans with the reference prices (hand-checked in the names).
case("spans: 250 ms compute ($0.00025) + child 1 GiB hot for 2 h ($0.0000638889) + 0.5 GiB network ($0.045) + 1 "
     "Polygon anchor ($0.01)", "cost.spans",
     {"spans": [{"span_id": "req", "start": "2025-09-01T00:00:00Z", "end": "2025-09-01T00:00:01Z", "compute_ms": 250},
                {"span_id": "store", "parent_span_id": "req", "start": "2025-09-01T00:00:00Z", "end": "2025-09-01T02:00:00Z",
                 "storage_bytes": {"hot": 1073741824}, "network_bytes": 536870912, "anchoring": {"polygon": 1}}]},
     lambda o: o["total_usd"] == usd(Decimal("0.00025") + Decimal("0.023") / 360 + Decimal("0.045") + Decimal("0.01")))
err("spans: a parent that does not exist", "cost.spans",
    {"spans": [{"span_id": "a", "parent_span_id": "b", "start": 0, "end": 1}]}, "bad_span", "$.spans[0].parent_span_id")
err("ledger: event without event_id", "cost.ledger.record",
    {"events": [{"tenant": "t", "timestamp": 0, "resource": {}}]}, "missing_field", "$.events[0].event_id")
err("ledger: usage event without timestamp", "cost.ledger.record",
    {"events": [{"event_id": "x", "tenant": "t", "model": "gpt-4o", "usage": {"prompt_tokens": 1}}]},
    "missing_field", "$.events[0].timestamp")
err("ledger: unknown group", "cost.ledger.query", {"group_by": ["color"]}, "out_of_range", "$.group_by[0]")

out = {"description": "Worked examples of each provider's cached-token rule (numbers recomputed with Decimal by "
                      "make_cost.py) and typed errors of the cost ops. Generated by make_cost.py.", "cases": cases}
(root / "tests" / "golden" / "cost.json").write_text(json.dumps(out, indent=1) + "\n")
print(f"cost.json: {len(cases)} cases")

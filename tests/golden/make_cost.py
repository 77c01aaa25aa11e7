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


def run(op, payload):
    r = subprocess.run([str(flk), "call", op], input=json.dumps(payload), capture_output=True, text=True)
    return json.loads(r.stdout)


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

out = {"description": "Worked examples of each provider's cached-token rule (numbers recomputed with Decimal by "
                      "make_cost.py) and typed errors of the cost ops. Generated by make_cost.py.", "cases": cases}
(root / "tests" / "golden" / "cost.json").write_text(json.dumps(out, indent=1) + "\n")
print(f"cost.json: {len(cases)} cases")

#!/usr/bin/env python3
# Regenerates core/cost/default_catalog.inc, the price catalog shipped with the library, from the
# price files under $FLK_SHARED_DIR/data/prices (default <repo>/../shared). Nothing is typed in by
# hand: base prices come from the LiteLLM snapshot through our own importer (dist/native/flk must
# be built), and two things LiteLLM's snapshot lacks come from genai-prices, each marked with
# that source: Anthropic's 1-hour cache-write and web-search prices, and o3's price before the
# 2025-06-10 cut (a dated second version). Dated snapshots of a model become aliases when they
# cost the same and entries of their own when they do not (gpt-4o-2024-05-13).
import json, os, pathlib, re, subprocess, sys
from decimal import Decimal

root = pathlib.Path(__file__).resolve().parent.parent
shared = pathlib.Path(os.environ.get("FLK_SHARED_DIR", root.parent / "shared"))
prices_dir = shared / "data" / "prices"
flk = root / "dist" / "native" / "flk"

# The major current models of the snapshot, by LiteLLM key.
KEYS = [
    # OpenAI
    "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini",
    "o3", "o3-mini", "o4-mini", "o1", "text-embedding-3-small", "text-embedding-3-large",
    # Anthropic
    "claude-opus-4-1-20250805", "claude-opus-4-20250514", "claude-sonnet-4-20250514", "claude-3-7-sonnet-20250219",
    "claude-3-5-haiku-20241022", "claude-3-5-sonnet-20241022", "claude-3-haiku-20240307",
    # Google: Gemini API (gcp.gemini) and Vertex AI (gcp.vertex_ai)
    "gemini/gemini-2.5-pro", "gemini/gemini-2.5-flash", "gemini/gemini-2.5-flash-lite", "gemini/gemini-2.0-flash",
    "gemini/gemini-2.0-flash-lite", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash",
    "gemini-2.0-flash-lite",
    # AWS Bedrock, Azure OpenAI
    "anthropic.claude-opus-4-1-20250805-v1:0", "anthropic.claude-sonnet-4-20250514-v1:0",
    "anthropic.claude-3-7-sonnet-20250219-v1:0", "anthropic.claude-3-5-haiku-20241022-v1:0",
    "azure/gpt-5", "azure/gpt-4.1", "azure/gpt-4.1-mini", "azure/gpt-4o", "azure/gpt-4o-mini", "azure/o3",
    # Mistral, DeepSeek, xAI
    "mistral/mistral-large-latest", "mistral/mistral-medium-latest", "mistral/mistral-small-latest",
    "deepseek/deepseek-chat", "deepseek/deepseek-reasoner", "xai/grok-4", "xai/grok-3", "xai/grok-3-mini",
]
# Anthropic's documented aliases of dated model ids (names, not prices).
ANTHROPIC_ALIASES = {
    "claude-opus-4-1-20250805": ["claude-opus-4-1"],
    "claude-opus-4-20250514": ["claude-opus-4-0", "claude-opus-4"],
    "claude-sonnet-4-20250514": ["claude-sonnet-4-0", "claude-sonnet-4"],
    "claude-3-7-sonnet-20250219": ["claude-3-7-sonnet-latest"],
    "claude-3-5-sonnet-20241022": ["claude-3-5-sonnet-latest"],
}
DATED = re.compile(r"^(?P<base>.+)-(\d{4}-\d{2}-\d{2}|\d{8})$")

LITELLM_SOURCE = {
    "id": "litellm", "name": "LiteLLM model_prices_and_context_window.json, as vendored by AgentOps-AI/tokencost",
    "url": "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json",
    "as_of": "2025-09-01", "reference": "AgentOps-AI/tokencost@e7f7c192 tokencost/model_prices.json",
}
GENAI_SOURCE = {
    "id": "genai-prices", "name": "pydantic genai-prices v2 catalog",
    "url": "https://github.com/pydantic/genai-prices", "reference": "pydantic/genai-prices@47df840a prices/new_data/v2/data.json",
}


def flk_call(op, payload):
    r = subprocess.run([str(flk), "call", op], input=json.dumps(payload), capture_output=True, text=True)
    out = json.loads(r.stdout)
    if "error" in out:
        sys.exit(f"{op}: {out['error']}")
    return out


def genai_matches(rule, name):
    if "or" in rule:
        return any(genai_matches(r, name) for r in rule["or"])
    if "and" in rule:
        return all(genai_matches(r, name) for r in rule["and"])
    if "equals" in rule:
        return name == rule["equals"]
    if "starts_with" in rule:
        return name.startswith(rule["starts_with"])
    if "contains" in rule:
        return rule["contains"] in name
    if "regex" in rule:
        return re.search(rule["regex"], name) is not None
    raise ValueError(rule)


def genai_model(data, provider, name):
    prov = next(p for p in data if p["id"] == provider)
    found = [m for m in prov["models"] if genai_matches(m["match"], name)]
    return found[0] if found else None


def dec(x):
    return format(Decimal(repr(x)).normalize(), "f")


def main():
    litellm = json.loads((prices_dir / "model_prices_and_context_window.json").read_text())
    genai = json.loads((prices_dir / "genai-prices" / "data.json").read_text())
    missing = [k for k in KEYS if k not in litellm]
    if missing:
        sys.exit(f"not in the LiteLLM file: {missing}")
    # Dated snapshots of the chosen models: same imported prices → alias, other prices → own entry.
    dated = {k: m.group("base") for k in litellm if (m := DATED.match(k)) and m.group("base") in KEYS and k not in KEYS}
    imported = flk_call("cost.catalog.import_litellm", {
        "litellm": litellm, "keys": KEYS + sorted(dated), "version": "default", "source": LITELLM_SOURCE})
    cat = imported["catalog"]
    priced = lambda e: {k: e.get(k) for k in ("provider", "prices", "service_tiers", "context_tiers")}
    by_key = {e["model"]: e for e in cat["models"]}
    aliases = {}
    for k, base in dated.items():
        if priced(by_key[k]) == priced(by_key[base]):
            aliases.setdefault(base, []).append(k)
    cat["models"] = [e for e in cat["models"] if not any(e["model"] in a for a in aliases.values())]
    cat["sources"].append(GENAI_SOURCE)
    models = []
    for e in cat["models"]:
        e["aliases"] = e.get("aliases", []) + aliases.get(e["model"], []) + ANTHROPIC_ALIASES.get(e["model"], [])
        if not e["aliases"]:
            del e["aliases"]
        if e["provider"] == "anthropic":
            g = genai_model(genai, "anthropic", e["model"])
            gp = g["prices"] if g and isinstance(g["prices"], dict) else {}
            extra = {}
            if "cache_write_1h_mtok" in gp:
                extra["cache_write_1h_mtok"] = dec(gp["cache_write_1h_mtok"])
            if "web_searches_kcount" in gp:
                extra["per_web_search"] = str(Decimal(repr(gp["web_searches_kcount"])) / 1000)
            for k, v in extra.items():
                e["prices"][k] = v
                e.setdefault("price_sources", {})[k] = "genai-prices"
        if e["model"] == "o3":
            g = genai_model(genai, "openai", "o3")
            old, new = g["prices"][0], g["prices"][1]
            cut = new["constraint"]["start_date"]
            agree = {k: dec(v) for k, v in new["prices"].items()} == {k: e["prices"][k] for k in new["prices"]}
            if not agree:
                sys.exit("genai-prices and LiteLLM disagree on o3's current price; review the o3 history")
            models.append({"provider": "openai", "model": "o3", "aliases": e.get("aliases", []), "effective_to": cut,
                           "source": "genai-prices", "prices": {k: dec(v) for k, v in old["prices"].items()}})
            e["effective_from"] = cut
        models.append(e)
    # Catalog order decides lookups that name no provider: first-party entries first, in KEYS order.
    order = lambda e: (KEYS.index(dated.get(e["model"], e["model"])), e["model"], e.get("effective_from", ""))
    cat["models"] = sorted(models, key=order)
    cat["version"] = "default-" + LITELLM_SOURCE["as_of"]
    # Round trip through the engine: validates and canonicalises.
    loaded = flk_call("cost.catalog.load", {"catalog": cat})
    text = json.dumps(cat, indent=1, sort_keys=True, ensure_ascii=True)
    out = root / "core" / "cost" / "default_catalog.inc"
    out.write_text('// Generated by scripts/make-cost-catalog.py. Do not edit.\nR"flkjson(' + text + ')flkjson"\n')
    print(f"{out.relative_to(root)}: {loaded['models']} entries, digest {loaded['digest_sha256']}")


main()

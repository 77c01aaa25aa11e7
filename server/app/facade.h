// How the server reaches the core: only through the facade (Engine::call_value), with one
// Engine per thread, so the ops the server runs are exactly those the other builds run.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "facade/engine.h"
#include "store/store.h"

namespace flk::server {

Engine& thread_engine();
int64_t now_ms();
// RFC 3339 UTC with milliseconds, e.g. 2025-01-19T12:00:00.000Z.
std::string rfc3339_ms(int64_t ms);
// Milliseconds since the epoch of an RFC 3339 timestamp (pcs::is_rfc3339 syntax); nullopt if invalid.
std::optional<int64_t> parse_rfc3339_ms(const std::string& s);
// Chains audit drafts as the facade's audit.link does (the same checks and entries).
AuditLinker facade_audit_linker();
// An op's error as the caller sent the input: where the op read `from` ("$.pcs", "$"), the
// caller's document has `to` ("$", "$.events[3]"), in the path and in the message. Only whole
// path steps move: "$.pcs" in "$.pcs_id" stays, "$" moves only before ".", "[" or a non-word.
Error rebase_error(Error e, const std::string& from, const std::string& to);

}  // namespace flk::server

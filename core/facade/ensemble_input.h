// Reading ensemble requests and policies (docs/ensemble.md, "Request", "Policy", "Limits").
// Texts are string views into the input value.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ensemble/combine.h"
#include "ensemble/voters.h"
#include "json/fields.h"

namespace flk::ensemble_io {

constexpr size_t kMaxAnswerBytes = 64u << 10;
constexpr size_t kMaxQuestionBytes = 64u << 10;
constexpr size_t kMaxContextBytes = 4u << 20;
constexpr size_t kMaxSamples = 20;
constexpr size_t kMaxSampleBytes = 64u << 10;
constexpr size_t kMaxCitations = 64;
constexpr size_t kMaxCitedBytes = 8u << 20;  // sum over citations of claim + passage bytes
constexpr size_t kMaxHostVotes = 8;

// The voters a policy may name, in the order they run.
extern const char* const kVoterNames[6];

enum class Clock { kModeled, kMeasured };

struct Settings {
  ensemble::Policy policy;
  std::vector<std::string> voters;  // run order (host votes come after)
  std::map<std::string, uint64_t> deadline_us;   // per voter ("host" for every host vote)
  std::map<std::string, ensemble::VoteStatus> inject;  // drills: this voter times out / fails without running
  Clock clock = Clock::kModeled;
  bool cascade = false;  // cheapest voters first, stop once the N-of-M decision is fixed
};

// {question?, context?, answer, task?, citations?, samples?, pcs?, pcs_params?, host_votes?}:
// reads those keys only; the caller reads its own and calls finish().
Status read_request(json::ObjectReader& r, ensemble::Request& out);
// One host vote {name, status?, score?, latency_us, timeout_us?, message?}.
// A host vote's or a bandit arm's name: 1 to 64 characters from a-z 0-9 _ - .
bool safe_name(const std::string& s);

Result<ensemble::HostVote> read_host_vote(const json::Value& v, const std::string& path);
// "policy" (optional; absent = the defaults of docs/ensemble.md).
Result<Settings> read_settings(json::ObjectReader& r);
// The policy object itself, at path (an EnsemblePolicy's spec is one).
Result<Settings> read_policy(const json::Value& v, const std::string& path);
Result<Clock> read_clock(json::ObjectReader& r);

}  // namespace flk::ensemble_io

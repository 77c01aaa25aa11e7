// One voter's answer in the ensemble gate (docs/ensemble.md): a hallucination score in [0, 1]
// (higher = more likely hallucinated), whether the voter ran, its latency and what it saw.
#pragma once
#include <cstdint>
#include <string>

#include "json/value.h"

namespace flk::ensemble {

enum class VoteStatus { kOk, kTimeout, kError, kSkipped };
const char* status_name(VoteStatus s);

struct Vote {
  std::string voter;
  VoteStatus status = VoteStatus::kSkipped;
  double score = 0;         // meaningful when status == kOk
  uint64_t work = 0;        // bytes the voter reads: the input of the modeled clock
  uint64_t latency_us = 0;  // modeled from work, or measured (Clock)
  json::Value evidence = json::Value::object();
};

inline Vote skipped(std::string voter, std::string why) {
  Vote v;
  v.voter = std::move(voter);
  v.evidence.set("reason", std::move(why));
  return v;
}

inline Vote scored(std::string voter, double score, uint64_t work, json::Value evidence) {
  Vote v;
  v.voter = std::move(voter);
  v.status = VoteStatus::kOk;
  v.score = score;
  v.work = work;
  v.evidence = std::move(evidence);
  return v;
}

}  // namespace flk::ensemble

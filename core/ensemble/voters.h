// The ensemble's voters (docs/ensemble.md, "Voters"). Each reads the request, never fails (a
// voter without its input is kSkipped) and scores in [0, 1], higher = more likely hallucinated.
// The risk scorer, grounding and self-consistency share the HRS sentence alignment
// (hrs::compute_features); nothing here re-implements it.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "ensemble/micro.h"
#include "ensemble/vote.h"
#include "hrs/model.h"
#include "pcs/evaluate.h"

namespace flk::ensemble {

// A claim of the answer and the passage of the context it cites: UTF-8 byte ranges, end
// exclusive, checked to lie inside answer and context by the reader.
struct Citation {
  uint32_t answer_begin = 0, answer_end = 0;
  uint32_t source_begin = 0, source_end = 0;
};

// A result the host computed itself (an LLM judge, an NLI service): its score or its failure
// and how long it took; timeout_us is the host voter's own deadline.
struct HostVote {
  std::string name;
  VoteStatus status = VoteStatus::kOk;
  double score = 0;
  uint64_t latency_us = 0;
  std::optional<uint64_t> timeout_us;
  std::string message;
};

struct Request {
  std::string_view question, context, answer;
  hrs::Task task = hrs::Task::Unknown;
  std::vector<Citation> citations;
  std::vector<std::string_view> samples;
  std::optional<pcs::Document> pcs;
  pcs::VerifyParams pcs_params;
  std::vector<HostVote> host_votes;
};

// What a voter learned from the labelled data (ensemble/params.h): shipped as data.
struct VoterParams {
  hrs::LinearModel micro;           // over MicroRow
  double citation_threshold = 0.5;  // shingle Jaccard a citation must reach
};

Vote vote_pcs(const Request& r);
Vote vote_risk(const hrs::Model& m, const Request& r);
Vote vote_grounding(const Request& r);
Vote vote_citation(const Request& r, double threshold);
Vote vote_micro(const hrs::LinearModel& m, const Request& r);
Vote vote_self_consistency(const Request& r);
Vote vote_host(const HostVote& h);

// Per answer sentence, the shingle Jaccard with the context sentence the HRS alignment picks
// (training the citation threshold on data without citations; see docs/ensemble.md).
std::vector<double> aligned_sentence_jaccard(std::string_view context, std::string_view answer);

}  // namespace flk::ensemble

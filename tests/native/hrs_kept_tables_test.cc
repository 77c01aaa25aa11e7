// compute_features keeps the answer's tables per thread and makes them again for every request
// (answers of up to 1,024 tokens; longer ones get tables of their own). A thread that has served
// other requests, larger and smaller, must give what a new thread gives: every feature and every
// support entry, bit for bit.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "hrs/features.h"
#include "hrs/wordnet.h"

using namespace flk::hrs;

namespace {

struct Request {
  std::string question, context, answer;
};

std::string text(std::mt19937& rng, size_t words, const std::vector<std::string>& vocab) {
  std::string s;
  for (size_t i = 0; i < words; ++i) {
    s += vocab[rng() % vocab.size()];
    s += rng() % 7 == 0 ? ". " : " ";
  }
  return s;
}

struct Result {
  Features f;
  std::vector<SentenceSupport> support;
};

Result run(const Request& r) {
  FeatureInput in;
  in.question = r.question;
  in.context = r.context;
  in.answer = r.answer;
  Result out;
  std::vector<Token> tok;
  out.f = compute_features(in, &tok, &out.support);
  return out;
}

}  // namespace

TEST(HrsKeptTables, AThreadsEarlierRequestsChangeNothing) {
  ASSERT_TRUE(wordnet_ready().ok());
  const std::vector<std::string> vocab = {"the", "tower", "Paris", "was", "built", "in", "1889", "not", "hot", "cold",
                                          "large", "big", "small", "Eiffel", "designed", "it", "isn't", "seven",
                                          "engineer", "happy", "sad", "rose", "fell", "and", "by", "Gustave",
                                          "In", "on", "31", "March", "1903,", "1889-03-31"};
  std::mt19937 rng(17);
  std::vector<Request> reqs;
  // Sizes around the kept limit and back, so that tables shrink and grow between requests.
  for (size_t words : {40, 3, 1500, 12, 900, 1030, 1, 200, 2500, 60}) {
    Request r;
    r.answer = text(rng, words, vocab);
    r.question = text(rng, 1 + rng() % 12, vocab);
    r.context = rng() % 5 == 0 ? std::string() : text(rng, 20 + rng() % 600, vocab);
    reqs.push_back(r);
  }
  std::vector<Result> reused;
  for (const Request& r : reqs) reused.push_back(run(r));
  for (size_t i = 0; i < reqs.size(); ++i) {
    Result fresh;
    std::thread([&] { fresh = run(reqs[i]); }).join();  // a new thread's tables are empty
    EXPECT_EQ(std::memcmp(reused[i].f.x.data(), fresh.f.x.data(), sizeof fresh.f.x), 0) << i;
    EXPECT_EQ(reused[i].f.groups, fresh.f.groups) << i;
    ASSERT_EQ(reused[i].support.size(), fresh.support.size()) << i;
    for (size_t j = 0; j < fresh.support.size(); ++j) {
      const SentenceSupport &a = reused[i].support[j], &b = fresh.support[j];
      EXPECT_EQ(std::memcmp(&a.support, &b.support, sizeof a.support), 0) << i << " " << j;
      EXPECT_EQ(a.begin, b.begin);
      EXPECT_EQ(a.end, b.end);
      EXPECT_EQ(a.content, b.content);
      EXPECT_EQ(a.source_begin, b.source_begin);
      EXPECT_EQ(a.source_end, b.source_end);
      EXPECT_EQ(a.numbers_found, b.numbers_found);
      EXPECT_EQ(a.entities_found, b.entities_found);
      EXPECT_EQ(a.antonyms_found, b.antonyms_found);
      EXPECT_EQ(a.mismatch, b.mismatch);
    }
  }
}

// The feedback loop: people label scored events as anomalous or normal; items are keyed by id
// (re-sending an item changes nothing, a changed label replaces the old one), a confusion
// matrix at the current threshold is kept, and after every `reoptimise_every` new or changed
// items the threshold is swept again (threshold_sweep.h). Memory is bounded: beyond max_items
// the oldest items are dropped.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "anomaly/threshold_sweep.h"

namespace flk::anomaly {

struct FeedbackItem {
  std::string id;
  double score = 0;
  bool anomalous = false;
};

struct FeedbackState {
  double threshold = 0.5;
  std::vector<FeedbackItem> items;  // oldest first
  size_t pending = 0;               // new or changed items since the last sweep
  size_t reoptimise_every = 100;
  size_t max_items = 10000;
  SweepConfig sweep;
};

struct Confusion {
  size_t tp = 0, fp = 0, tn = 0, fn = 0;
};
Confusion confusion_at(const std::vector<FeedbackItem>& items, double threshold);

struct FeedbackUpdate {
  size_t added = 0, unchanged = 0, replaced = 0, evicted = 0;
  bool swept = false;
  SweepResult sweep;  // valid when swept
};

// Adds items in order; sweeps (once, after all items) when pending reaches reoptimise_every.
FeedbackUpdate add_feedback(FeedbackState& st, const std::vector<FeedbackItem>& items);

}  // namespace flk::anomaly

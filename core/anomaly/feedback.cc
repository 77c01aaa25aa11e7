#include "anomaly/feedback.h"

#include <map>

namespace flk::anomaly {

Confusion confusion_at(const std::vector<FeedbackItem>& items, double threshold) {
  Confusion c;
  for (const FeedbackItem& it : items) {
    const bool flagged = it.score >= threshold;
    if (flagged && it.anomalous) ++c.tp;
    else if (flagged) ++c.fp;
    else if (it.anomalous) ++c.fn;
    else ++c.tn;
  }
  return c;
}

FeedbackUpdate add_feedback(FeedbackState& st, const std::vector<FeedbackItem>& items) {
  FeedbackUpdate u;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < st.items.size(); ++i) index[st.items[i].id] = i;
  for (const FeedbackItem& it : items) {
    auto found = index.find(it.id);
    if (found != index.end()) {
      FeedbackItem& old = st.items[found->second];
      if (old.score == it.score && old.anomalous == it.anomalous) {
        ++u.unchanged;
        continue;
      }
      old = it;
      ++u.replaced;
    } else {
      index[it.id] = st.items.size();
      st.items.push_back(it);
      ++u.added;
    }
    ++st.pending;
  }
  if (st.items.size() > st.max_items) {
    u.evicted = st.items.size() - st.max_items;
    st.items.erase(st.items.begin(), st.items.begin() + static_cast<std::ptrdiff_t>(u.evicted));
  }
  if (st.reoptimise_every > 0 && st.pending >= st.reoptimise_every) {
    std::vector<double> scores;
    std::vector<bool> labels;
    for (const FeedbackItem& it : st.items) {
      scores.push_back(it.score);
      labels.push_back(it.anomalous);
    }
    u.swept = true;
    u.sweep = sweep_threshold(scores, labels, st.threshold, st.sweep);
    st.threshold = u.sweep.threshold;
    st.pending = 0;
  }
  return u;
}

}  // namespace flk::anomaly

#include "hrs/frames.h"

#include <array>

#include "hrs/text_hash.h"

namespace flk::hrs {
namespace {

// The word lists of a frame, space-separated: the words a frame is built of (kWords, by index), the
// source ("the provided context"), its modifiers, the verbs after it ("says") and after "as" ("as
// stated in"); pleasantries, openings ("Sure!", "Happy to help!") and closings ("Hope this helps!",
// "Let me know if you have any other questions."), and those that open a sentence before a comma.
enum List { kWords, kSource, kModifier, kSays, kAsVerb, kPleasantry, kOpener, kLists };
const char* const kListText[kLists] = {
    "according to based on as in by from that the this of course",
    "context contexts text texts passage passages document documents article articles source sources information "
    "excerpt snippet paragraph knowledge",
    "provided given above",
    "says say states state mentions mention indicates notes explains shows suggests reports tells",
    "stated mentioned noted described indicated shown given explained",
    "sure certainly absolutely okay ok indeed of course great question questions happy glad to help helps hope this "
    "that i let me know if you have any other further more need anything else feel free ask",
    "sure certainly absolutely okay ok indeed"};
enum Word { kAccording, kTo, kBased, kOn, kAs, kIn, kBy, kFrom, kThat, kThe, kThis, kOf, kCourse };

using Lists = std::array<std::vector<uint64_t>, kLists>;
const Lists& lists() {
  static const Lists l = [] {
    Lists l;
    for (int k = 0; k < kLists; ++k)
      for (std::string_view s = kListText[k]; !s.empty();) {
        const size_t sp = s.find(' ');
        l[k].push_back(text_hash(s.substr(0, sp)));
        s.remove_prefix(sp == std::string_view::npos ? s.size() : sp + 1);
      }
    return l;
  }();
  return l;
}

bool holds(const std::vector<uint64_t>& list, uint64_t w) {
  for (uint64_t x : list)
    if (x == w) return true;
  return false;
}

// The end of a frame that starts at i in tokens [i, end) of one sentence, or i when none does.
size_t frame_end(const Lists& l, const std::vector<Token>& t, size_t i, size_t end) {
  const std::vector<uint64_t>& k = l[kWords];
  auto word = [&](size_t j) { return j < end ? t[j].word : 0; };
  // "[the|this] [provided|given|above] SOURCE [provided|given|above]" from j: its end, or j.
  auto source = [&](size_t j) {
    size_t p = j;
    if (word(p) == k[kThe] || word(p) == k[kThis]) ++p;
    if (holds(l[kModifier], word(p))) ++p;
    if (!holds(l[kSource], word(p))) return j;
    ++p;
    if (holds(l[kModifier], word(p))) ++p;
    return p;
  };
  const uint64_t w0 = word(i), w1 = word(i + 1);
  size_t from = 0;  // where a source must follow the frame's first words
  if ((w0 == k[kAccording] && w1 == k[kTo]) || (w0 == k[kBased] && (w1 == k[kOn] || w1 == k[kFrom])))
    from = i + 2;
  else if (w0 == k[kAs] && holds(l[kAsVerb], w1) && (word(i + 2) == k[kIn] || word(i + 2) == k[kBy]))
    from = i + 3;
  else if (w0 == k[kIn] || w0 == k[kFrom])
    from = i + 1;
  if (from != 0) {
    const size_t e = source(from);
    return e == from ? i : e;
  }
  const size_t s = source(i);
  return s > i && holds(l[kSays], word(s)) ? s + 1 + (word(s + 1) == k[kThat]) : i;
}

}  // namespace

void drop_frames(std::string_view text, std::vector<Token>& answer) {
  const Lists& l = lists();
  const std::vector<uint64_t>& k = l[kWords];
  size_t out = 0;
  bool said = false;  // a sentence kept so far says something
  for (size_t i = 0; i < answer.size();) {
    size_t end = i + 1;  // the sentence's end
    bool pleasant = holds(l[kPleasantry], answer[i].word);
    for (; end < answer.size() && answer[end].sentence == answer[i].sentence; ++end)
      pleasant = pleasant && holds(l[kPleasantry], answer[end].word);
    // Frames and openers before a comma ("Sure, ...", "Of course, ..."), one after another.
    size_t e = i, from;
    do {
      from = e;
      e = frame_end(l, answer, e, end);
      if (e == end) break;
      const size_t o = e + (answer[e].word == k[kOf] && e + 1 < end && answer[e + 1].word == k[kCourse]);
      if ((o > e || holds(l[kOpener], answer[o].word)) && answer[o].end < text.size() && text[answer[o].end] == ',')
        e = o + 1;
    } while (e != from && e < end);
    if (e >= end) e = i;  // a frame with nothing after it is what the sentence says
    if (pleasant) {       // a sentence of pleasantries alone goes where another sentence says something
      bool more = said;
      for (size_t j = end; j < answer.size() && !more; ++j) more = !holds(l[kPleasantry], answer[j].word);
      if (more) e = end;
    }
    said |= !pleasant;
    if (e > i && e < end) answer[e].flags |= kSentenceStart;
    i = e > i ? e : i;
    if (out == i) {  // nothing dropped yet: no copy
      out = i = end;
      continue;
    }
    while (i < end) answer[out++] = answer[i++];
  }
  answer.resize(out);
}

}  // namespace flk::hrs

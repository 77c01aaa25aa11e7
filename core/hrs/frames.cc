#include "hrs/frames.h"

#include "hrs/text_hash.h"

namespace flk::hrs {
namespace {

struct Words {
  uint64_t according, to, based, on, as, in, by, from, that, the, this_;
};

template <typename List>
bool holds(const List& list, uint64_t w) {
  for (uint64_t x : list)
    if (x == w) return true;
  return false;
}

// The words of a frame by kind: the source ("the provided context"), the verbs after it ("says")
// and after "as" ("as stated in"); pleasantries, and those of them that open a sentence before a comma.
struct Frame {
  std::vector<uint64_t> source, modifier, says, as_verb, pleasantry, opener;
};

const Frame& frame() {
  static const Frame f = [] {
    Frame f;
    for (const char* w : {"context", "contexts", "text", "texts", "passage", "passages", "document", "documents",
                          "article", "articles", "source", "sources", "information", "excerpt", "snippet",
                          "paragraph", "knowledge"})
      f.source.push_back(text_hash(w));
    for (const char* w : {"provided", "given", "above"}) f.modifier.push_back(text_hash(w));
    for (const char* w : {"says", "say", "states", "state", "mentions", "mention", "indicates", "notes", "explains",
                          "shows", "suggests", "reports", "tells"})
      f.says.push_back(text_hash(w));
    for (const char* w : {"stated", "mentioned", "noted", "described", "indicated", "shown", "given", "explained"})
      f.as_verb.push_back(text_hash(w));
    // Openings ("Sure!", "Happy to help!") and closings ("Hope this helps!", "Let me know if you have
    // any other questions.", "Feel free to ask.").
    for (const char* w : {"sure", "certainly", "absolutely", "okay", "ok", "indeed", "of", "course", "great",
                          "question", "questions", "happy", "glad", "to", "help", "helps", "hope", "this", "that",
                          "i", "let", "me", "know", "if", "you", "have", "any", "other", "further", "more", "need",
                          "anything", "else", "feel", "free", "ask"})
      f.pleasantry.push_back(text_hash(w));
    for (const char* w : {"sure", "certainly", "absolutely", "okay", "ok", "indeed"}) f.opener.push_back(text_hash(w));
    return f;
  }();
  return f;
}

// The end of a frame that starts at i in tokens [i, end) of one sentence, or i when none does.
size_t frame_end(const std::vector<Token>& t, size_t i, size_t end) {
  static const Words k{text_hash("according"), text_hash("to"),   text_hash("based"), text_hash("on"),
                       text_hash("as"),        text_hash("in"),   text_hash("by"),    text_hash("from"),
                       text_hash("that"),      text_hash("the"),  text_hash("this")};
  const Frame& f = frame();
  auto word = [&](size_t j) { return j < end ? t[j].word : 0; };
  // "[the|this] [provided|given|above] SOURCE [provided|given|above]" from j: its end, or j.
  auto source = [&](size_t j) {
    size_t p = j;
    if (word(p) == k.the || word(p) == k.this_) ++p;
    if (holds(f.modifier, word(p))) ++p;
    if (!holds(f.source, word(p))) return j;
    ++p;
    if (holds(f.modifier, word(p))) ++p;
    return p;
  };
  const uint64_t w0 = word(i), w1 = word(i + 1);
  size_t e = i;
  if ((w0 == k.according && w1 == k.to) || (w0 == k.based && (w1 == k.on || w1 == k.from))) {
    e = source(i + 2);
    if (e == i + 2) e = i;
  } else if (w0 == k.as && holds(f.as_verb, w1) && (word(i + 2) == k.in || word(i + 2) == k.by)) {
    e = source(i + 3);
    if (e == i + 3) e = i;
  } else if (w0 == k.in || w0 == k.from) {
    e = source(i + 1);
    if (e == i + 1) e = i;
  } else {
    const size_t s = source(i);
    if (s > i && holds(f.says, word(s))) e = s + 1 + (word(s + 1) == k.that);
  }
  return e;
}

}  // namespace

void drop_frames(std::string_view text, std::vector<Token>& answer) {
  const Frame& f = frame();
  size_t out = 0;
  bool said = false;  // a sentence kept so far says something
  for (size_t i = 0; i < answer.size();) {
    size_t end = i + 1;  // the sentence's end
    bool pleasant = holds(f.pleasantry, answer[i].word);
    for (; end < answer.size() && answer[end].sentence == answer[i].sentence; ++end)
      pleasant = pleasant && holds(f.pleasantry, answer[end].word);
    // Frames and openers before a comma ("Sure, ...", "Of course, ..."), one after another.
    size_t e = i, from;
    do {
      from = e;
      e = frame_end(answer, e, end);
      if (e == end) break;
      const size_t o = e + (answer[e].word == text_hash("of") && e + 1 < end && answer[e + 1].word == text_hash("course"));
      if ((o > e || holds(f.opener, answer[o].word)) && answer[o].end < text.size() && text[answer[o].end] == ',') e = o + 1;
    } while (e != from && e < end);
    if (e >= end) e = i;  // a frame with nothing after it is what the sentence says
    if (pleasant) {       // a sentence of pleasantries alone goes where another sentence says something
      bool more = said;
      for (size_t j = end; j < answer.size() && !more; ++j) more = !holds(f.pleasantry, answer[j].word);
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

#include "hrs/features.h"

#include <memory>

#include "hrs/embedding_signals.h"
#include "hrs/forms.h"
#include "hrs/frames.h"
#include "hrs/hash_index.h"
#include "hrs/lexicon.h"
#include "hrs/lz_ratio.h"
#include "hrs/wordnet.h"
#include "math/dmath.h"

namespace flk::hrs {
namespace {

constexpr uint32_t kNone = HashIndex::kAbsent;
constexpr uint32_t kMaskSentences = kMaxSupportSentences;  // answer sentences past the 63rd share the last bit

double log1p_count(double c) { return dm::log(1 + c); }
double share(double num, double den) { return den > 0 ? num / den : 0; }
uint32_t slot_of(uint32_t s) { return s < kMaskSentences - 1 ? s : kMaskSentences - 1; }
uint64_t sentence_bit(uint32_t s) { return uint64_t{1} << slot_of(s); }
// Key of an answer n-gram: its first part's index (a stem's, or a bigram's for a trigram) and its
// last stem's index; exact (no two n-grams share one), mixed so that both parts reach the low bits
// that HashIndex slots by.
uint64_t pair_key(uint32_t first, uint32_t last) {
  const uint64_t k = (uint64_t{first} << 32 | last) * 0x9E3779B97F4A7C15ull;
  return k ^ (k >> 32);
}

enum Swap : uint8_t { kSwapNumber = 1, kSwapEntity = 2, kSwapAntonym = 4 };

bool is_content(const Token& t) { return !(t.cls & kStopword); }
bool is_date(const Token& t) { return t.has(kYear) || (t.cls & kCalendar); }

// question_interrogative: the question asks ("When was it finished?", "What year ...") rather than
// instructs or states ("Describe a silly animal.", a dialogue partner's "i like green"). Reads the
// question's first token from ts, restarted on the question.
bool is_interrogative(TokenStream& ts, std::string_view question) {
  if (question.find('?') != std::string_view::npos) return true;
  ts.restart(question);
  Token first;
  return ts.next(first) && (first.cls & kInterrogative);
}

// The answer, indexed for lookups from the question and context streams. Made again by build()
// for every request: the tables keep their storage (see Workspace).
struct AnswerIndex {
  const Token* tok = nullptr;
  HashIndex stems, words, bigrams, trigrams;
  std::vector<uint32_t> stem_of, word_of, bigram_of, trigram_of;  // per position (kNone at the end)
  std::vector<uint64_t> stem_sentences;                           // per distinct stem: sentence mask
  std::vector<uint64_t> number_sentences, entity_sentences;       // the same, where it is a number / entity
  // Bit 1: in the question, 2: in the context, 4 (stems only): a synonym of it in the context.
  std::vector<uint8_t> stem_seen, word_seen, bigram_seen, trigram_seen;
  std::vector<uint32_t> last_pos;   // per distinct stem: its last position in the answer
  std::vector<uint32_t> content_before;  // per position i: content tokens in tok[0 .. i)
  // Per distinct bigram: its last start position; per position: the previous start of the same bigram.
  std::vector<uint32_t> bigram_last, bigram_prev;
  // Per distinct stem s: bit p % 64 for every answer bigram (p, s), so that a context pair the
  // answer does not hold mostly costs no look-up.
  std::vector<uint64_t> before_bits;
  // The answer's names: maximal runs of capitalised content words ("Marie Curie" opening a
  // sentence, "the Eiffel Tower") and of lowercase ones opening a sentence's content ("The tower
  // is ..."), as [first, last] positions. A context pronoun may stand for one.
  std::vector<std::pair<uint32_t, uint32_t>> names;
  std::vector<uint32_t> name_of;     // per stem: the first capitalised name it heads (kNone: none)
  std::vector<uint32_t> name_stamp;  // per name: 1 + the last context sentence that brought it in
  // WordNet relations of the answer's content stems: antonym stem -> sentences holding a word it
  // contradicts (minus sentences that hold the antonym themselves); synonym group g -> its answer
  // stems, synonym_stems[synonym_begin[g] .. synonym_begin[g + 1]).
  HashIndex antonyms, synonyms;
  std::vector<uint64_t> antonym_sentences;
  // Per distinct stem: its index in antonyms (kNone: none), found once here instead of once per
  // context token that holds it.
  std::vector<uint32_t> antonym_of;
  std::vector<uint32_t> synonym_begin, synonym_stems;
  // Content stem s -> its synonym groups that hold another answer stem (the only ones a context
  // word of the answer adds cover through), stem_groups[stem_group_begin[s] .. stem_group_begin[s + 1]).
  std::vector<uint32_t> stem_group_begin, stem_groups;
  std::vector<uint8_t> synonym_in_context;  // per group: the context holds a word of it
  // Swaps: answer positions i (not first or last) whose content token is a number, an entity or has
  // a WordNet antonym, keyed by the stems of tok[i - 1] and tok[i + 1] (anchor_side per stem: 1 left
  // of one, 2 right of one). A context word between the same two stems that is another number,
  // entity or an antonym of it marks the position (swapped[i]: a Swap bit).
  HashIndex anchors;
  std::vector<uint32_t> anchor_last, anchor_prev;
  std::vector<uint8_t> anchor_side, swapped;
  // Sentences that put a modifier first or last ("In 1903, she won the prize." / "She won the prize in
  // 1903."), as two parts [first, mid) and [mid, last] of two tokens or more: a context sentence that
  // says them the other way round supports the sentence as one copy run (join_parts).
  struct Join {
    uint32_t first, mid, last;
    bool fronted;  // the modifier is the first part
  };
  std::vector<Join> joins;
  uint64_t join_bits = 0;  // bit k % 64 for the bigram k that ends a join's first part
  // build()'s scratch: (synonym group, answer stem) pairs, per stem whether it has an antonym, and
  // the next free place per group.
  std::vector<std::pair<uint32_t, uint32_t>> members;
  std::vector<uint8_t> has_antonym;
  std::vector<uint32_t> next;

  void build(const std::vector<Token>& t, std::string_view text) {
    tok = t.data();
    const size_t n = t.size();
    stems.reset(n);
    words.reset(n);
    bigrams.reset(n);
    trigrams.reset(n);
    anchors.reset(n / 4);
    stem_of.resize(n);
    word_of.resize(n);
    bigram_of.assign(n, kNone);
    trigram_of.assign(n, kNone);
    bigram_prev.assign(n, kNone);
    for (auto* v : {&stem_sentences, &number_sentences, &entity_sentences, &antonym_sentences}) v->clear();
    for (auto* v : {&last_pos, &bigram_last, &anchor_last, &stem_groups}) v->clear();
    for (auto* v : {&stem_sentences, &number_sentences, &entity_sentences}) v->reserve(n);
    last_pos.reserve(n);
    bigram_last.reserve(n);
    content_before.assign(n + 1, 0);
    names.clear();
    static constexpr uint64_t kOf = text_hash("of");
    uint32_t name_open = 0;
    uint8_t open_kind = 0;  // of the name being read: 0 none, 1 capitalised, 2 a lowercase subject
    bool subject = false;   // no content word yet in this sentence
    for (size_t i = 0; i < n; ++i) {
      content_before[i + 1] = content_before[i] + is_content(t[i]);
      subject |= t[i].has(kSentenceStart);
      uint8_t kind = 0;
      if (is_content(t[i]) && !t[i].has(kNumber)) kind = t[i].has(kCapitalized) ? 1 : subject || open_kind == 2 ? 2 : 0;
      if (open_kind == 1 && t[i].word == kOf && i + 1 < n && t[i + 1].has(kCapitalized) && is_content(t[i + 1]))
        kind = 1;  // "Great Wall of China", "Bank of England"
      subject &= !is_content(t[i]);
      if (kind != open_kind) {
        if (open_kind) names.emplace_back(name_open, static_cast<uint32_t>(i - 1));
        name_open = static_cast<uint32_t>(i);
        open_kind = kind;
      }
      stem_of[i] = stems.insert(t[i].stem);
      if (stem_of[i] == last_pos.size()) {
        last_pos.push_back(kNone);
        stem_sentences.push_back(0);
        number_sentences.push_back(0);
        entity_sentences.push_back(0);
      }
      last_pos[stem_of[i]] = static_cast<uint32_t>(i);
      if (is_content(t[i])) stem_sentences[stem_of[i]] |= sentence_bit(t[i].sentence);
      if (t[i].has(kNumber)) number_sentences[stem_of[i]] |= sentence_bit(t[i].sentence);
      if (is_entity_like(t[i])) entity_sentences[stem_of[i]] |= sentence_bit(t[i].sentence);
      word_of[i] = words.insert(t[i].word);
    }
    if (open_kind) names.emplace_back(name_open, static_cast<uint32_t>(n - 1));
    name_of.assign(stems.size(), kNone);
    // A name is shortened to its head, the last word before any "of" ("the wall" for "the Great Wall
    // of China", "Curie"); a lowercase subject is no name.
    for (uint32_t r = static_cast<uint32_t>(names.size()); r-- > 0;) {
      if (!t[names[r].first].has(kCapitalized) || names[r].second == names[r].first) continue;
      uint32_t head = names[r].first;
      while (head < names[r].second && t[head + 1].word != kOf) ++head;
      name_of[stem_of[head]] = r;
    }
    name_stamp.assign(names.size(), 0);
    before_bits.assign(stems.size(), 0);
    for (size_t i = 0; i + 1 < n; ++i) {
      before_bits[stem_of[i + 1]] |= uint64_t{1} << (stem_of[i] & 63);
      bigram_of[i] = bigrams.insert(pair_key(stem_of[i], stem_of[i + 1]));
      if (bigram_of[i] == bigram_last.size()) bigram_last.push_back(kNone);
      bigram_prev[i] = bigram_last[bigram_of[i]];
      bigram_last[bigram_of[i]] = static_cast<uint32_t>(i);
      if (i > 0) trigram_of[i - 1] = trigrams.insert(pair_key(bigram_of[i - 1], stem_of[i + 1]));
    }
    // Sized for the usual one or two synonym groups per stem and a few antonyms, not grown.
    synonyms.reset(2 * stems.size());
    antonyms.reset(stems.size() / 4);
    members.clear();
    members.reserve(2 * stems.size());
    antonym_sentences.reserve(stems.size());
    has_antonym.assign(stems.size(), 0);
    for (uint32_t s = 0; s < stems.size(); ++s) {
      if (stem_sentences[s] == 0) continue;
      uint64_t stem = t[last_pos[s]].stem;
      const WordRelations rel = wordnet_relations(stem);
      const Related groups = rel.groups, ant = rel.antonyms;
      for (uint32_t k = 0; k < groups.count; ++k) members.emplace_back(synonyms.insert(groups.items[k]), s);
      has_antonym[s] = ant.count > 0;
      for (uint32_t k = 0; k < ant.count; ++k) {
        uint32_t j = antonyms.insert(ant.items[k]);
        if (j == antonym_sentences.size()) antonym_sentences.push_back(0);
        uint32_t own = stems.find(ant.items[k]);  // a sentence saying "hot and cold" contradicts neither
        antonym_sentences[j] |= stem_sentences[s] & ~(own == kNone ? 0 : stem_sentences[own]);
      }
    }
    // Members arrive by stem; grouped by group with a counting pass.
    synonym_begin.assign(synonyms.size() + 1, 0);
    for (const auto& m : members) ++synonym_begin[m.first + 1];
    for (uint32_t g = 0; g < synonyms.size(); ++g) synonym_begin[g + 1] += synonym_begin[g];
    synonym_stems.resize(members.size());
    next.assign(synonym_begin.begin(), synonym_begin.end() - 1);
    for (const auto& [g, s] : members) synonym_stems[next[g]++] = s;
    stem_group_begin.assign(stems.size() + 1, 0);
    stem_groups.reserve(members.size());
    for (const auto& [g, s] : members) {
      if (synonym_begin[g + 1] - synonym_begin[g] < 2) continue;
      ++stem_group_begin[s + 1];
      stem_groups.push_back(g);
    }
    for (uint32_t s = 0; s < stems.size(); ++s) stem_group_begin[s + 1] += stem_group_begin[s];
    antonym_of.resize(stems.size());
    for (uint32_t s = 0; s < stems.size(); ++s) antonym_of[s] = antonyms.find(t[last_pos[s]].stem);
    anchor_prev.assign(n, kNone);
    anchor_side.assign(stems.size() + 1, 0);  // the last: no answer stem
    swapped.assign(n, 0);
    for (size_t i = 1; i + 1 < n; ++i) {
      if (!is_content(t[i]) || !(t[i].has(kNumber) || is_entity_like(t[i]) || has_antonym[stem_of[i]])) continue;
      anchor_side[stem_of[i - 1]] |= 1;
      anchor_side[stem_of[i + 1]] |= 2;
      const uint32_t j = anchors.insert(pair_key(stem_of[i - 1], stem_of[i + 1]));
      if (j == anchor_last.size()) anchor_last.push_back(kNone);
      anchor_prev[i] = anchor_last[j];
      anchor_last[j] = static_cast<uint32_t>(i);
    }
    find_joins(t, text);
    stem_seen.assign(stems.size(), 0);
    word_seen.assign(words.size(), 0);
    bigram_seen.assign(bigrams.size(), 0);
    trigram_seen.assign(trigrams.size(), 0);
    synonym_in_context.assign(synonyms.size(), 0);
  }
  // A modifier first: an opener, at most three more tokens, a comma; last: the shortest that ends the
  // sentence with no comma, opener and at most three more tokens. A comma before a number is inside a
  // date ("On April 12, 1961, ...").
  void find_joins(const std::vector<Token>& t, std::string_view text) {
    joins.clear();
    join_bits = 0;
    // Whether a comma that no number follows lies after token i, before token i + 1.
    auto breaks = [&](size_t i) {
      return !t[i + 1].has(kNumber) && text.substr(t[i].end, t[i + 1].begin - t[i].end).find(',') != std::string_view::npos;
    };
    for (uint32_t first = 0, last; first < t.size(); first = last + 1) {
      last = first;
      while (last + 1 < t.size() && t[last + 1].sentence == t[first].sentence) ++last;
      if (opens_modifier(t[first].word))
        for (uint32_t e = first + 1; e <= first + 3 && e + 2 <= last; ++e)
          if (breaks(e)) {
            joins.push_back({first, e + 1, last, true});
            break;
          }
      for (uint32_t m = last; m-- > std::max(first + 2, last >= 3 ? last - 3 : 0);)
        if (opens_modifier(t[m].word)) {
          bool whole = !breaks(m - 1);
          for (uint32_t i = m; i < last && whole; ++i) whole = !breaks(i);
          if (whole) joins.push_back({first, m, last, false});
          break;
        }
    }
    for (const Join& j : joins) join_bits |= uint64_t{1} << (bigram_of[j.mid - 2] & 63);
  }
  const uint32_t* group_begin(uint32_t g) const { return synonym_stems.data() + synonym_begin[g]; }
  const uint32_t* group_end(uint32_t g) const { return synonym_stems.data() + synonym_begin[g + 1]; }
  // After the context scan: an answer stem of a group the context holds a word of is not novel
  // (bit 4), the context saying it in other words. A word of the answer itself counts for its groups.
  void mark_synonyms_seen() {
    for (uint32_t g = 0; g < synonyms.size(); ++g)
      for (const uint32_t* s = group_begin(g); s != group_end(g); ++s)
        if (stem_seen[*s] & 2) synonym_in_context[g] = 1;
    for (uint32_t g = 0; g < synonyms.size(); ++g)
      if (synonym_in_context[g])
        for (const uint32_t* s = group_begin(g); s != group_end(g); ++s) stem_seen[*s] |= 4;
  }
};

// Marks which answer stems, words and n-grams occur in a source text (bit = 1 question,
// 2 context); returns the source's tokens and content tokens whose stem is in the answer.
struct SourceScan {
  uint32_t tokens = 0, content = 0, content_in_answer = 0;
};

// Per-context-sentence alignment and copy-span state, updated while streaming the context.
// Each answer sentence keeps the context sentence that covers most of its content stems (ties:
// the one holding more of its numbers and entities, then the first) and what that sentence
// lacks: the answer sentence's numbers and entities absent from it, its negation parity.
struct ContextAlign {
  void reset(const AnswerIndex& a, size_t answer_tokens, uint32_t answer_sentences) {
    stamp.assign(a.stems.size(), 0);
    in = {};
    touched = 0;
    best.assign(answer_sentences, SentenceSupport{});
    best_count = {};
    last_ctx.assign(answer_tokens, kNone);
    run.assign(answer_tokens, 0);
    longest = longest_content = 0;
  }
  std::vector<uint32_t> stamp;  // per distinct answer stem: 1 + last context sentence counted
  // Per answer sentence (at most kMaskSentences), in the current context sentence: distinct content
  // stems, and of them numbers + entities, numbers, entities, and words that are antonyms of its words.
  struct Counts {
    uint32_t count, special, numbers, entities, antonyms;
  };
  std::array<Counts, kMaskSentences> in{};
  uint64_t touched = 0;  // a bit per answer sentence with a count above (to reset at the sentence end)
  // Counts answer stem s (or its synonym) as present in the current context sentence.
  void cover(const AnswerIndex& a, uint32_t s) {
    touched |= a.stem_sentences[s];
    for (uint64_t m = a.stem_sentences[s]; m; m &= m - 1) ++in[__builtin_ctzll(m)].count;
  }
  // Counts answer stem s, with its numbers and entities, as held by context sentence `sentence`, once
  // (false: it was already).
  bool count(const AnswerIndex& a, uint32_t s, uint32_t sentence) {
    if (stamp[s] == sentence + 1) return false;
    stamp[s] = sentence + 1;
    cover(a, s);
    for (uint64_t m = a.number_sentences[s]; m; m &= m - 1) ++in[__builtin_ctzll(m)].numbers;
    for (uint64_t m = a.entity_sentences[s]; m; m &= m - 1) ++in[__builtin_ctzll(m)].entities;
    for (uint64_t m = a.number_sentences[s] | a.entity_sentences[s]; m; m &= m - 1) ++in[__builtin_ctzll(m)].special;
    return true;
  }
  std::vector<SentenceSupport> best;
  std::array<uint32_t, kMaskSentences> best_count{};  // per answer sentence: the count of best's support
  // Copy-span dynamic programme over runs of two or more tokens, per answer bigram start q:
  // the context token where a run ending at q + 1 was last seen, and that run's length.
  std::vector<uint32_t> last_ctx, run;
  uint32_t longest = 0;
  // The most content tokens in one common run: the copy's share of the answer's content does
  // not fall when the same span is put in a sentence ("English" -> "It was English.").
  uint32_t longest_content = 0;
};

// Longest common run of stems: a run of two or more tokens ends at an answer bigram k whose first
// stem the context held at token `from` and whose second it holds at token idx (at most kCopyGap
// tokens between them), so only that bigram's starts are visited (latest first, so run[q - 1]
// still holds its value from `from` when q reads it).
// A run of r answer tokens ending at answer position q + 1, read up to context token idx.
[[gnu::always_inline]] inline void note_run(const AnswerIndex& a, ContextAlign& align, uint32_t q, uint32_t r, uint32_t idx) {
  align.run[q] = r;
  align.last_ctx[q] = idx;
  if (r > align.longest) align.longest = r;
  const uint32_t c = a.content_before[q + 2] - a.content_before[q + 2 - r];
  if (c > align.longest_content) align.longest_content = c;
}
[[gnu::always_inline]] inline void extend_runs(const AnswerIndex& a, ContextAlign& align, uint32_t k, uint32_t idx,
                                               uint32_t from) {
  for (uint32_t q = a.bigram_last[k]; q != kNone; q = a.bigram_prev[q])
    note_run(a, align, q, (q > 0 && align.last_ctx[q - 1] == from) ? align.run[q - 1] + 1 : 2, idx);
}

// Context words an answer bigram may skip: a left-out modifier phrase ("in early March 1889" for
// the answer's "in 1889", "a wrought-iron lattice tower in Paris" for "in Paris").
constexpr uint32_t kCopyGap = 5;

// The context's word between two tokens: its stem and whether it is a number / an entity.
struct Between {
  uint64_t stem = 0;
  uint8_t kind = 0;  // kSwapNumber, kSwapEntity
};
Between between(const Token& t) {
  return {t.stem, static_cast<uint8_t>((t.has(kNumber) ? kSwapNumber : 0) | (is_entity_like(t) ? kSwapEntity : 0))};
}

// The context holds mid between the answer stems left and right: every answer word between the
// same two stems that mid contradicts (another number or entity, or an antonym) is marked.
void mark_swaps(AnswerIndex& a, uint32_t left, Between mid, uint32_t right) {
  const uint32_t j = a.anchors.find(pair_key(left, right));
  if (j == kNone) return;
  // Whose antonym mid is, if anyone's, the answer index already knows: most words are no one's.
  const bool mid_antonym = a.antonyms.size() > 0 && a.antonyms.find(mid.stem) != kNone;
  for (uint32_t i = a.anchor_last[j]; i != kNone; i = a.anchor_prev[i]) {
    const Token& w = a.tok[i];
    if (w.stem == mid.stem) continue;
    if (w.has(kNumber)) {
      a.swapped[i] |= mid.kind & kSwapNumber;
      continue;
    }
    if (is_entity_like(w)) a.swapped[i] |= mid.kind & kSwapEntity;
    if (!mid_antonym) continue;
    Related ant = wordnet_antonyms(w.stem);
    for (uint32_t k = 0; k < ant.count; ++k)
      if (ant.items[k] == mid.stem) a.swapped[i] |= kSwapAntonym;
  }
}

// Whether t is one of `words`, function words of at most 5 bytes (for most tokens one test).
template <size_t N>
bool is_one_of(const Token& t, const uint64_t (&words)[N]) {
  if (!(t.cls & kStopword) || t.bytes > 5) return false;
  for (uint64_t w : words)
    if (w == t.word) return true;
  return false;
}

// A third-person pronoun: in the context it may stand for a name the sentence before gave.
bool is_third_person(const Token& t) {
  static constexpr uint64_t kWords[] = {text_hash("he"),  text_hash("she"), text_hash("it"),   text_hash("they"),
                                    text_hash("him"), text_hash("her"), text_hash("them"), text_hash("his"),
                                    text_hash("its"), text_hash("their")};
  return is_one_of(t, kWords);
}

// A context's passive clause says what an answer in the active voice says with its words in another
// order: "It was designed by the company of Gustave Eiffel" supports "The company of Gustave Eiffel
// designed it". So, reading one, the answer bigrams (agent's word, verb) and (verb, subject's word) are
// in the context, and a copy run goes from the agent through the verb to the subject and on to the
// word after the agent ("in 1868"). Passive clauses are rare: the scan calls here only at an auxiliary,
// a wh-word, a negation or "by" (read), and at an answer word while a clause is open (agent); out of
// line, so that the scan's loop keeps its registers.
// The answer bigram (first, second), marked as in the source (kNone: the answer has none).
[[gnu::noinline]] uint32_t see_bigram(AnswerIndex& a, uint32_t first, uint32_t second, uint8_t bit) {
  const uint32_t k = a.bigrams.find(pair_key(first, second));
  if (k != kNone) a.bigram_seen[k] |= bit;
  return k;
}
// The answer trigram of bigram and third, marked as in the source where the answer has it.
[[gnu::noinline]] void see_trigram(AnswerIndex& a, uint32_t bigram, uint32_t third, uint8_t bit) {
  const uint32_t k = bigram == kNone ? kNone : a.trigrams.find(pair_key(bigram, third));
  if (k != kNone) a.trigram_seen[k] |= bit;
}

// extend_runs for a passive clause, out of line: the scan's own call stays inlined.
[[gnu::noinline]] void extend_runs_rarely(const AnswerIndex& a, ContextAlign& align, uint32_t k, uint32_t idx, uint32_t from) {
  extend_runs(a, align, k, idx, from);
}

// The context's token idx ends answer bigram k, and with it perhaps the second part of a sentence that
// the answer wrote [first, mid) [mid, last] and the context's sentence (from token sentence_at) the
// other way round: the second part read whole right after the first, also whole (a last part that the
// answer put first opens the context's sentence). Then the two are one copy run, and the answer's
// bigram and trigrams across mid are found. Out of line: most answers have no such sentence.
[[gnu::noinline]] void join_parts(AnswerIndex& a, ContextAlign& align, uint32_t k, uint32_t idx, uint32_t sentence_at,
                                  uint8_t bit) {
  for (const AnswerIndex::Join& j : a.joins) {
    if (a.bigram_of[j.mid - 2] != k || align.run[j.mid - 2] < j.mid - j.first) continue;
    const uint32_t at = align.last_ctx[j.last - 1], length = j.last - j.mid + 1;
    if (at == kNone || at < sentence_at || at >= idx || idx - at > j.mid - j.first + kCopyGap ||
        align.run[j.last - 1] < length || (!j.fronted && at - (length - 1) != sentence_at))
      continue;
    a.bigram_seen[a.bigram_of[j.mid - 1]] |= bit;
    for (uint32_t q : {j.mid - 2, j.mid - 1})
      if (a.trigram_of[q] != kNone) a.trigram_seen[a.trigram_of[q]] |= bit;
    note_run(a, align, j.last - 1, std::max(align.run[j.last - 1], j.last - j.first + 1), idx);
  }
}

class PassiveReader {
 public:
  static constexpr uint32_t kSubjectSpan = 6;  // the subject's words: this many tokens before the be-form
  static constexpr uint32_t kAgentSpan = 8;    // the agent's: this many after "by", up to a be-form, wh-word or "by"
  static constexpr uint32_t kSubjects = kSubjectSpan;
  bool open() const { return by_ != kNone; }
  uint32_t be_at() const { return be_at_; }  // the last be-form's index (kNone: none)
  bool is_by(const Token& t) const { return t.word == kByWord; }
  // t (context index idx, with the tokens before it at t[-1], t[-2], ...: at least kSubjectSpan + 3
  // where idx allows) is an auxiliary, a wh-word, a negation or "by"; verb: the answer stem that the
  // last token standing for one stood for, verb_at its index (kNone: none yet).
  [[gnu::noinline]] void read(const AnswerIndex& a, const Token* t, uint32_t idx, uint32_t verb, uint32_t verb_at) {
    by_ = kNone;  // any of them ends an agent
    if (is_be(*t)) {
      be_at_ = idx;
      be_negated_ = (t->cls & kNegation) != 0;
      return;
    }
    if (t->cls & kNegation) be_negated_ = true;
    // "S was [adverb] V-ed by", the verb an answer word.
    if (!is_by(*t) || be_at_ == kNone || verb_at + 1 != idx || verb_at <= be_at_ || verb_at > be_at_ + 2 ||
        be_negated_)
      return;
    verb_ = verb;
    by_ = idx;
    sentence_ = t->sentence;
    subjects_ = 0;
    tail_ = {0, kNone};
    for (uint32_t back = idx - be_at_ + kSubjectSpan; back > idx - be_at_; --back) {  // oldest first
      if (back > idx) continue;
      const Token& w = t[-static_cast<ptrdiff_t>(back)];
      const uint32_t s = w.sentence == sentence_ ? a.stems.find(w.stem) : kNone;
      if (s != kNone) subject_[subjects_++] = {s, idx - back};
    }
  }
  // An answer word (stem ng) at context index idx, k the answer bigram ending here (kNone: none):
  // the agent's last word before the verb, or the word after the agent. Returns the bigram that ends
  // here now (k, or the subject's last word and this one).
  [[gnu::noinline]] uint32_t agent(AnswerIndex& a, ContextAlign& align, const Token& t, uint32_t idx, uint32_t ng, uint32_t k,
                          uint8_t bit) {
    if (t.sentence != sentence_ || idx > by_ + kAgentSpan) {
      by_ = kNone;
      return k;
    }
    if (tail_.second == kNone) {
      // The agent's word before the verb, then the subject's words after it: one run, as a virtual
      // context token for the verb joins them.
      const uint32_t v = see_bigram(a, ng, verb_, bit);
      if (v == kNone) return k;
      const uint32_t verb_at = 0x80000000u | by_;
      extend_runs_rarely(a, align, v, verb_at, idx);
      see_trigram(a, k, verb_, bit);
      tail_ = {verb_, verb_at};
      tail_bigram_ = v;
      for (uint32_t j = 0; j < subjects_; ++j) {
        const auto [stem, at] = subject_[j];
        const uint32_t o = see_bigram(a, tail_.first, stem, bit);
        if (o == kNone) {
          if (tail_.first == verb_) continue;  // the subject starts later
          break;
        }
        see_trigram(a, tail_bigram_, stem, bit);
        extend_runs_rarely(a, align, o, at, tail_.second);
        tail_ = {stem, at};
        tail_bigram_ = o;
      }
    } else if (tail_.second != kNone - 1) {
      // The word after the agent ("in 1868") goes on from the subject's last.
      const uint32_t from = tail_.second;
      tail_.second = kNone - 1;  // once
      const uint32_t o = see_bigram(a, tail_.first, ng, bit);
      if (o == kNone) return k;
      extend_runs_rarely(a, align, o, idx, from);
      see_trigram(a, tail_bigram_, ng, bit);
      return o;  // a trigram may end at the next word
    }
    return k;
  }

 private:
  static bool is_be(const Token& t) {
    static constexpr uint64_t kWords[] = {text_hash("was"), text_hash("were"), text_hash("is"),  text_hash("are"),
                                      text_hash("be"),  text_hash("been"), text_hash("being")};
    return is_one_of(t, kWords);
  }
  static constexpr uint64_t kByWord = text_hash("by");
  uint32_t be_at_ = kNone;   // the last be-form's index
  bool be_negated_ = false;  // a negation came since ("was not designed by" supports no "designed")
  // The verb's answer stem, the index of "by" (kNone: no clause open), the subject's answer stems and
  // their indexes.
  uint32_t verb_ = kNone, by_ = kNone, sentence_ = 0, subjects_ = 0;
  std::array<std::pair<uint32_t, uint32_t>, kSubjects> subject_{};
  // Once the agent met the verb: the last word of the run through the verb and the subject, and its
  // index (kNone: not yet; kNone - 1: the word after the agent was read); the answer bigram ending there.
  std::pair<uint32_t, uint32_t> tail_{0, kNone};
  uint32_t tail_bigram_ = kNone;
};

// The first answer name whose every word the context held in the sentence before `sentence` or
// holds in it (align.stamp), or nullptr.
const std::pair<uint32_t, uint32_t>* named_before(const AnswerIndex& a, const ContextAlign& align, uint32_t sentence) {
  for (const auto& n : a.names) {
    bool held = true;
    for (uint32_t i = n.first; i <= n.second && held; ++i)
      held = a.stem_sentences[a.stem_of[i]] == 0 || align.stamp[a.stem_of[i]] >= sentence;
    if (held) return &n;
  }
  return nullptr;
}

// Counts the content words of the answer's name at [first, last] as held by context sentence
// `sentence`; whether any was not already.
bool bring_name(const AnswerIndex& a, ContextAlign& align, uint32_t first, uint32_t last,
                uint32_t sentence) {
  bool brought = false;
  for (uint32_t i = first; i <= last; ++i)
    if (a.stem_sentences[a.stem_of[i]] != 0) brought |= align.count(a, a.stem_of[i], sentence);
  return brought;
}

// kContext: align is given (the context), which the compiler then need not test per token.
template <bool kContext>
void scan_source(TokenStream& ts, uint8_t bit, AnswerIndex& a, SourceScan& out, ContextAlign* align,
                 const std::vector<uint32_t>& sentence_content) {
  // The last token that stands for an answer stem and the one before it: that stem, the answer
  // bigram it ends, its index and sentence (idx kNone: none yet).
  struct Held {
    uint32_t ng = kNone, k = kNone, idx = kNone, sentence = 0;
  } held, older;
  // The answer stems of the previous token and of the one before it, a.stems.size() for none
  // (anchor_side's last entry, 0): the swap test below is then two loads and one branch.
  const uint32_t no_stem = a.stems.size();
  uint32_t prev_s = no_stem, prev2_s = no_stem;
  Between last_token;        // the previous batch's last token
  uint32_t idx = 0, cur_sentence = kNone, sentence_at = 0;  // sentence_at: the current sentence's first token
  uint8_t neg_parity = 0;
  // The last token no run may skip, a negation or "by" (0: none yet, or the first token).
  uint32_t unskippable_at = 0;
  // The answer's name that the current context sentence's pronouns stand for, looked for at its first
  // pronoun (nullptr: none).
  const std::pair<uint32_t, uint32_t>* referent = nullptr;
  bool looked = false;
  uint32_t cur_begin = 0, cur_end = 0;  // byte range of the current context sentence
  uint32_t content_tokens = 0, content_in_answer = 0;
  // An answer stem in the context (a common run of one token), and one the answer holds as content
  // (the answer's token decides, as in runs of two or more: content_before).
  bool common = false, common_content = false;
  PassiveReader passive;
  auto close_sentence = [&]() {
    for (uint64_t m = align->touched; m; m &= m - 1) {
      const uint32_t j = static_cast<uint32_t>(__builtin_ctzll(m));
      SentenceSupport& b = align->best[j];
      ContextAlign::Counts& c = align->in[j];
      // Shares of one answer sentence have one denominator: comparing their counts compares them.
      uint32_t& best = align->best_count[j];
      if (c.count > 0 && (b.source_end == 0 || c.count > best || (c.count == best && c.special > b.special_found))) {
        best = c.count;
        b.support = share(c.count, sentence_content[j]);
        b.special_found = c.special;
        b.numbers_found = c.numbers;
        b.entities_found = c.entities;
        b.antonyms_found = c.antonyms;
        b.source_negated = neg_parity;
        b.source_begin = cur_begin;
        b.source_end = cur_end;
      }
      c = ContextAlign::Counts{};
    }
    align->touched = 0;
    neg_parity = 0;
  };
  // A word or n-gram ending here can be in the answer only if every stem in it is, so most
  // context tokens cost one lookup.
  // Each batch follows the previous batch's last tokens, for a passive clause's subject.
  constexpr size_t kBatch = 64, kHistory = PassiveReader::kSubjectSpan + 3;
  Token buffer[kHistory + kBatch];
  Token* const batch = buffer + kHistory;
  for (size_t got = ts.read(batch, kBatch); got > 0; got = ts.read(batch, kBatch)) {
    for (const Token* p = batch; p != batch + got; ++p) {
      const Token& t = *p;
      if (kContext && t.sentence != cur_sentence) {
        close_sentence();
        cur_sentence = t.sentence;
        sentence_at = idx;
        cur_begin = t.begin;
        looked = false;
        referent = nullptr;
      }
      cur_end = t.end;
      bool content = is_content(t);
      content_tokens += content;
      neg_parity ^= (t.cls & kNegation) != 0;
      // A negation is never a left-out word: "is painted red" is no copy of "is not painted red"; nor is
      // "by", which names an agent: "designed Wozniak" is no copy of "designed by Wozniak".
      const bool by = kContext && passive.is_by(t);
      if ((t.cls & kNegation) || by) unskippable_at = idx;
      if (kContext && ((t.cls & (kInterrogative | kNegation)) || by)) passive.read(a, p, idx, held.ng, held.idx);
      uint32_t s = a.stems.find(t.stem);
      uint32_t k = kNone;  // the answer bigram ending here
      const bool in0 = s != kNone;
      // A context word of a synonym group that holds an answer word covers the group's answer
      // stems in the sentence alignment, and stands for the group's first one in the n-grams and
      // copy runs, which read stems: "was completed in" keeps the run of "was finished in".
      auto cover_group = [&](uint32_t k) {
        a.synonym_in_context[k] = 1;
        for (const uint32_t* m = a.group_begin(k); m != a.group_end(k); ++m) {
          if (align->stamp[*m] == t.sentence + 1) continue;
          align->stamp[*m] = t.sentence + 1;
          align->cover(a, *m);
        }
      };
      uint32_t ng = s;  // the answer stem this token stands for in n-grams
      // An answer's content stem has its groups known (below); any other content word looks them up.
      if (kContext && content && !(in0 && a.stem_sentences[s] != 0) && a.synonyms.size() > 0) {
        const Related groups = wordnet_synonym_groups(t.stem);
        for (uint32_t g = 0; g < groups.count; ++g) {
          const uint32_t j = a.synonyms.find(groups.items[g]);
          if (j == kNone) continue;
          if (ng == kNone) ng = *a.group_begin(j);
          cover_group(j);
        }
      }
      if (in0) {
        a.stem_seen[s] |= bit;
        content_in_answer += content;
        uint32_t w = a.words.find(t.word);
        if (w != kNone) a.word_seen[w] |= bit;
      }
      // A pronoun the answer does not hold stands for the answer's name that the sentence before
      // held ("It is 330 metres tall." after "The Eiffel Tower is ..." supports "The Eiffel Tower is
      // 330 metres tall."): the name's words count as in this sentence, and a copy run may go on
      // from the name, which ends at the pronoun.
      const bool pronoun = kContext && !in0 && t.sentence > 0 && !a.names.empty() && is_third_person(t);
      if (pronoun && !looked) {
        looked = true;
        referent = named_before(a, *align, t.sentence);
        if (referent) bring_name(a, *align, referent->first, referent->second, t.sentence);
      }
      // This token stands for the answer's name at positions [first, last]: a copy run may go on from
      // the name, which ends here.
      auto stand_for = [&](uint32_t first, uint32_t last) {
        ng = a.stem_of[last];
        k = last > first ? a.bigram_of[last - 1] : kNone;
        if (last > 0) {
          align->run[last - 1] = last - first + 1;
          align->last_ctx[last - 1] = idx;
        }
      };
      if (pronoun && referent) {
        stand_for(referent->first, referent->second);
      } else if (ng != kNone && held.idx != kNone) {
        // An answer bigram is in the context when its second stem follows its first there, next to
        // it or, in the context and within one sentence, after at most kCopyGap words of which at
        // most one stands for an answer word: an answer that leaves out a source's words ("finished
        // in 1889" from "finished in March 1889", "an English designer" from "an English fashion and
        // textiles designer", whose "and" the answer holds elsewhere) breaks no run, while a word put
        // in their place is novel or a swap, a negation left out is a contradiction and a be-form
        // right before the word or a "by" left out turns roles around ("The company founded" is no
        // copy of "The company was founded").
        const uint64_t before = a.before_bits[ng];
        auto may_start = [&](const Held& h) {
          return (before >> (h.ng & 63) & 1) &&
                 (h.idx + 1 == idx ||
                  (kContext && idx - h.idx <= kCopyGap + 1 && h.sentence == t.sentence && unskippable_at <= h.idx &&
                   passive.be_at() + 1 != idx));
        };
        const Held* from = &held;
        if (may_start(held)) k = a.bigrams.find(pair_key(held.ng, ng));
        if (kContext && k == kNone && older.idx != kNone && may_start(older)) {
          k = a.bigrams.find(pair_key(older.ng, ng));
          from = &older;
        }
        if (k != kNone) {
          a.bigram_seen[k] |= bit;
          if (kContext) extend_runs(a, *align, k, idx, from->idx);
          if (from->k != kNone) {  // an answer trigram holds two answer bigrams
            uint32_t k3 = a.trigrams.find(pair_key(from->k, ng));
            if (k3 != kNone) a.trigram_seen[k3] |= bit;
          }
          if (kContext && (a.join_bits >> (k & 63) & 1)) join_parts(a, *align, k, idx, sentence_at, bit);
        }
      }
      if (in0) {
        if (kContext) {
          if (content && align->stamp[s] != t.sentence + 1) {
            align->count(a, s, t.sentence);
            // The head of an answer's name whose words the context has all held stands for the whole
            // name, as a pronoun does: "The wall is about 21,196 kilometres long." after "The Great
            // Wall of China ...". Only where the sentence lacks some of them (a full mention is read
            // word by word), and not after a name word the answer's name lacks ("Pierre Curie" is
            // not "Marie Curie").
            const uint32_t r = a.name_of[s];
            if (r != kNone && a.name_stamp[r] != t.sentence + 1) {
              a.name_stamp[r] = t.sentence + 1;
              const auto [first, last] = a.names[r];
              bool known = true;
              for (uint32_t i = first; i <= last && known; ++i)
                known = a.stem_sentences[a.stem_of[i]] == 0 || align->stamp[a.stem_of[i]] != 0;
              // The word before, in this sentence: a capitalised one (at a batch's start, an entity-like one).
              const bool named = p != batch ? p[-1].sentence == t.sentence && p[-1].has(kCapitalized) && is_content(p[-1])
                                            : !t.has(kSentenceStart) && (last_token.kind & kSwapEntity);
              if (named) {
                const uint64_t before = p != batch ? p[-1].stem : last_token.stem;
                bool own = false;
                for (uint32_t i = first; i <= last; ++i) own |= a.tok[i].stem == before;
                known &= own;
              }
              if (known && bring_name(a, *align, first, last, t.sentence)) stand_for(first, last);
            }
          }
          common = true;
          common_content |= a.stem_sentences[s] != 0;
        }
      }
      if (kContext && content) {
        if (in0 && a.stem_sentences[s] != 0)
          for (uint32_t i = a.stem_group_begin[s]; i < a.stem_group_begin[s + 1]; ++i) cover_group(a.stem_groups[i]);
        uint32_t k = in0 ? a.antonym_of[s] : a.antonyms.size() > 0 ? a.antonyms.find(t.stem) : kNone;
        if (k != kNone) {
          const uint64_t contradicted = a.antonym_sentences[k];
          align->touched |= contradicted;
          for (uint64_t m = contradicted; m; m &= m - 1) ++align->in[__builtin_ctzll(m)].antonyms;
        }
      }
      const uint32_t here = in0 ? s : no_stem;
      if (kContext && (a.anchor_side[prev2_s] & a.anchor_side[here] >> 1 & 1))
        mark_swaps(a, prev2_s, p != batch ? between(p[-1]) : last_token, s);
      prev2_s = prev_s;
      prev_s = here;
      if (kContext && ng != kNone && passive.open()) k = passive.agent(a, *align, t, idx, ng, k, bit);
      if (ng != kNone) {
        older = held;
        held = Held{ng, k, idx, t.sentence};
      }
      ++idx;
    }
    if (kContext) last_token = between(batch[got - 1]);
    if (kContext && got == kBatch) std::copy(batch + kBatch - kHistory, batch + kBatch, buffer);
  }
  out.tokens = idx;
  out.content = content_tokens;
  out.content_in_answer = content_in_answer;
  if (kContext) {
    close_sentence();
    if (common && align->longest == 0) align->longest = 1;
    if (common_content && align->longest_content == 0) align->longest_content = 1;
  }
}

void logprob_features(const std::vector<double>& lp, FeatureArray& x) {
  if (lp.empty()) return;
  double n = static_cast<double>(lp.size()), sum = 0, mn = lp[0], low = 0;
  for (double v : lp) {
    sum += v;
    if (v < mn) mn = v;
    if (v < -2.302585092994046) ++low;  // ln 0.1
  }
  double mean = sum / n, ss = 0;
  for (double v : lp) ss += (v - mean) * (v - mean);
  x[kLpMean] = mean;
  x[kLpMin] = mn;
  x[kLpStd] = dm::sqrt(ss / n);
  x[kLpLowShare] = low / n;
}

// The tables of one request. A thread keeps one for answers of up to kKeptTokens tokens (about
// 250 KB at most), so that a request allocates almost nothing; a longer answer gets its own.
struct Workspace {
  AnswerIndex a;
  ContextAlign align;
  std::vector<uint32_t> sentence_content;
  std::vector<uint8_t> seen, covered;
};
constexpr size_t kKeptTokens = 1024;
Workspace& kept_workspace() {
  // A WASI module runs one thread, and wasi-libc has no __cxa_thread_atexit for a thread_local's destructor.
#ifdef __wasi__
  static Workspace w;
#else
  thread_local Workspace w;
#endif
  return w;
}

std::vector<Token> read_all(TokenStream& ts, size_t bytes) {
  std::vector<Token> out;
  out.reserve(bytes / 5 + 64);
  size_t got = 0;
  do {
    out.resize(got + 64);
    got += ts.read(&out[got], 64);
  } while (got == out.size());
  out.resize(got);
  return out;
}

}  // namespace

std::vector<Token> tokenize_all(std::string_view text) {
  TokenStream ts(text);
  return read_all(ts, text.size());
}

Features compute_features(const FeatureInput& in, std::vector<Token>* answer_tokens,
                          std::vector<SentenceSupport>* support) {
  Features f;
  FeatureArray& x = f.x;
  TokenStream ts(in.answer);  // then the question and the context, with the answer's words memoised
  std::vector<Token> tok = read_all(ts, in.answer.size());
  drop_frames(in.answer, tok);
  const size_t n = tok.size();
  const uint32_t sentences = n ? tok.back().sentence + 1 : 0;
  const uint32_t mask_sentences = sentences < kMaskSentences ? sentences : kMaskSentences;
  std::unique_ptr<Workspace> own(n > kKeptTokens ? new Workspace : nullptr);
  Workspace& w = own ? *own : kept_workspace();
  AnswerIndex& a = w.a;
  a.build(tok, in.answer);

  x[kTaskDialogue] = in.task == Task::Dialogue;
  x[kTaskSummarization] = in.task == Task::Summarization;

  // Answer form.
  uint32_t stop = 0, hedge = 0, cert = 0, neg = 0, first = 0, nums = 0, ents = 0, dates = 0, content = 0;
  double word_bytes = 0, words = 0;
  std::vector<uint32_t>& sentence_content = w.sentence_content;
  sentence_content.assign(mask_sentences, 0);
  for (size_t i = 0; i < n; ++i) {
    const Token& t = tok[i];
    stop += (t.cls & kStopword) != 0;
    hedge += (t.cls & kHedge) != 0;
    cert += (t.cls & kCertainty) != 0;
    neg += (t.cls & kNegation) != 0;
    first += (t.cls & kFirstPerson) != 0;
    nums += t.has(kNumber);
    ents += is_entity_like(t);
    dates += is_date(t);
    if (is_content(t)) ++content;
    if (!t.has(kNumber)) {
      word_bytes += t.bytes;
      ++words;
    }
  }
  for (uint32_t s = 0; s < a.stems.size(); ++s)
    for (uint64_t m = a.stem_sentences[s]; m; m &= m - 1) ++sentence_content[__builtin_ctzll(m)];
  uint32_t repeated = 0;
  {
    std::vector<uint8_t>& seen = w.seen;
    seen.assign(a.bigrams.size(), 0);
    for (size_t i = 0; i + 1 < n; ++i) {
      if (seen[a.bigram_of[i]]) ++repeated;
      seen[a.bigram_of[i]] = 1;
    }
  }
  x[kAnsTokens] = log1p_count(n);
  x[kAnsSentences] = log1p_count(sentences);
  x[kAnsEndsTerminal] = ends_terminal(in.answer);
  x[kAnsQuestionMark] = in.answer.find('?') != std::string_view::npos;
  x[kAnsStopwordShare] = share(stop, n);
  x[kAnsTypeToken] = share(a.stems.size(), n);
  x[kAnsRepeatedBigrams] = share(repeated, n > 1 ? n - 1 : 0);
  x[kAnsLzRatio] = lz_ratio(in.answer);
  x[kAnsWordBytes] = share(word_bytes, words);
  x[kAnsHedges] = log1p_count(hedge);
  x[kAnsCertainty] = log1p_count(cert);
  x[kAnsNegations] = log1p_count(neg);
  x[kAnsFirstPerson] = log1p_count(first);
  x[kAnsNumbers] = log1p_count(nums);
  x[kAnsEntities] = log1p_count(ents);
  x[kAnsDates] = log1p_count(dates);

  // Question.
  SourceScan q;
  ts.restart(in.question);
  scan_source<false>(ts, 1, a, q, nullptr, sentence_content);
  if (q.tokens > 0) {
    f.groups |= kGroupQuestion;
    x[kHasQuestion] = 1;
    uint32_t in_q = 0, bi_in_q = 0;
    for (size_t i = 0; i < n; ++i)
      if (is_content(tok[i]) && (a.stem_seen[a.stem_of[i]] & 1)) ++in_q;
    for (size_t i = 0; i + 1 < n; ++i) bi_in_q += a.bigram_seen[a.bigram_of[i]] & 1;
    x[kQTokens] = log1p_count(q.tokens);
    x[kQAnswerInQuestion] = share(in_q, content);
    x[kQQuestionInAnswer] = share(q.content_in_answer, q.content);
    x[kQBigramsInQuestion] = share(bi_in_q, n > 1 ? n - 1 : 0);
    x[kQInterrogative] = is_interrogative(ts, in.question);
  }

  // Context.
  SourceScan c;
  ContextAlign& align = w.align;
  align.reset(a, n, mask_sentences);
  ts.restart(in.context);
  scan_source<true>(ts, 2, a, c, &align, sentence_content);
  a.mark_synonyms_seen();
  if (c.tokens > 0) {
    f.groups |= kGroupContext;
    x[kHasContext] = 1;
    uint32_t novel_content = 0, novel_words = 0, novel_bi = 0, novel_tri = 0, novel_num = 0, novel_ent = 0,
             novel_date = 0, novel_persons = 0;
    std::vector<uint8_t>& covered = w.covered;
    covered.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
      Token& t = tok[i];
      const uint8_t seen = a.stem_seen[a.stem_of[i]];
      const bool novel = seen == 0;
      if (seen & 6) t.flags |= kGrounded;
      if (novel && is_content(t)) ++novel_content;
      if (a.word_seen[a.word_of[i]] == 0) ++novel_words;
      if (novel && t.has(kNumber)) ++novel_num;
      if (novel && is_entity_like(t)) ++novel_ent;
      if (novel && is_date(t)) ++novel_date;
      novel_persons += (t.cls & (kFirstPerson | kSecondPerson)) != 0 && !(seen & 2);
      if (i + 1 < n && a.bigram_seen[a.bigram_of[i]] == 0) ++novel_bi;
      if (i + 2 < n) {
        if (a.trigram_seen[a.trigram_of[i]] == 0) {
          ++novel_tri;
        } else if (a.trigram_seen[a.trigram_of[i]] & 2) {
          covered[i] = covered[i + 1] = covered[i + 2] = 1;
        }
      }
    }
    uint32_t n_covered = 0;  // content tokens: a sentence's frame around a copied span adds none
    for (size_t i = 0; i < n; ++i) n_covered += covered[i] && is_content(tok[i]);
    double align_min = 1, align_sum = 0, aligned = 0, flips = 0, bad_numbers = 0, bad_entities = 0;
    std::vector<SentenceSupport>& sup = align.best;
    for (size_t i = 0; i < n; ++i) {
      SentenceSupport& b = sup[slot_of(tok[i].sentence)];
      if (b.end == 0) b.begin = tok[i].begin;
      b.end = tok[i].end;
      if (tok[i].cls & kNegation) b.negated ^= 1;
    }
    for (uint32_t s = 0; s < a.stems.size(); ++s) {
      for (uint64_t m = a.number_sentences[s]; m; m &= m - 1) ++sup[__builtin_ctzll(m)].numbers;
      for (uint64_t m = a.entity_sentences[s]; m; m &= m - 1) ++sup[__builtin_ctzll(m)].entities;
    }
    // A swap counts where the answer's word is nowhere in the sources: "rose" against a context
    // that says both "rose" and "fell" is no contradiction.
    uint64_t swap_sentences = 0;
    for (size_t i = 0; i < n; ++i) {
      if (a.swapped[i] == 0 || a.stem_seen[a.stem_of[i]] != 0) continue;
      swap_sentences |= sentence_bit(tok[i].sentence);
      const uint8_t w = a.swapped[i];
      sup[slot_of(tok[i].sentence)].mismatch |= (w & kSwapNumber ? kMismatchNumber : 0) |
                                                 (w & kSwapEntity ? kMismatchEntity : 0) |
                                                 (w & kSwapAntonym ? kMismatchAntonym : 0);
    }
    double swaps = 0;
    for (uint32_t j = 0; j < mask_sentences; ++j) {
      SentenceSupport& b = sup[j];
      b.content = sentence_content[j];
      if (b.numbers > b.numbers_found) b.mismatch |= kMismatchNumber;
      if (b.entities > b.entities_found) b.mismatch |= kMismatchEntity;
      // An antonym of one of its words in the source flips the sentence's polarity, as a negation does.
      bool antonym = b.antonyms_found > 0;
      if ((b.negated ^ antonym) != b.source_negated) b.mismatch |= antonym ? kMismatchAntonym : kMismatchNegation;
      if (sentence_content[j] == 0) continue;
      if (b.support < align_min) align_min = b.support;
      align_sum += b.support;
      ++aligned;
      flips += (b.mismatch & (kMismatchNegation | kMismatchAntonym)) != 0;
      bad_numbers += (b.mismatch & kMismatchNumber) != 0;
      bad_entities += (b.mismatch & kMismatchEntity) != 0;
      swaps += (swap_sentences >> j) & 1;
    }
    x[kCTokens] = log1p_count(c.tokens);
    x[kCLengthRatio] = dm::log((1.0 + n) / (1.0 + c.tokens));
    x[kCNovelContentShare] = share(novel_content, content);
    x[kCNovelContent] = log1p_count(novel_content);
    x[kCNovelWordShare] = share(novel_words, n);
    x[kCNovelBigramShare] = share(novel_bi, n > 1 ? n - 1 : 0);
    x[kCNovelTrigramShare] = share(novel_tri, n > 2 ? n - 2 : 0);
    x[kCNovelNumbers] = log1p_count(novel_num);
    x[kCNovelEntities] = log1p_count(novel_ent);
    x[kCNovelDates] = log1p_count(novel_date);
    x[kCCopyLongestShare] = share(align.longest_content, content);
    x[kCCopyLongest] = log1p_count(align.longest);
    x[kCCopyCoverage] = share(n_covered, content);
    x[kCAlignMin] = aligned > 0 ? align_min : 0;
    x[kCAlignMean] = share(align_sum, aligned);
    x[kCNegationFlip] = share(flips, aligned);
    x[kCMismatchNumbers] = share(bad_numbers, aligned);
    x[kCMismatchEntities] = share(bad_entities, aligned);
    x[kCSwapShare] = share(swaps, aligned);
    x[kCNovelPersons] = log1p_count(novel_persons);
    if (support) *support = std::move(sup);
  }

  if (in.token_logprobs) {
    f.groups |= kGroupLogprobs;
    logprob_features(*in.token_logprobs, x);
  }
  if (in.embeddings && !in.embeddings->empty()) {
    f.groups |= kGroupEmbeddings;
    EmbeddingSignals e = embedding_signals(*in.embeddings);
    x[kEmbDhat] = e.dhat;
    x[kEmbCoh] = e.coh_star;
  }
  if (answer_tokens) *answer_tokens = std::move(tok);
  return f;
}

}  // namespace flk::hrs

namespace flk::hrs {

double novel_word_share(const std::vector<Token>& answer, std::string_view question, std::string_view context) {
  HashIndex words(answer.size());
  for (const Token& t : answer) words.insert(t.word);
  std::vector<uint8_t> seen(words.size(), 0);
  for (std::string_view text : {question, context}) {
    TokenStream ts(text);
    Token t;
    while (ts.next(t)) {
      uint32_t k = words.find(t.word);
      if (k != HashIndex::kAbsent) seen[k] = 1;
    }
  }
  double novel = 0;
  for (const Token& t : answer) novel += !seen[words.find(t.word)];
  return share(novel, static_cast<double>(answer.size()));
}

}  // namespace flk::hrs

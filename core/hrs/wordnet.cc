#include "hrs/wordnet.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "hrs/hash_index.h"
#include "hrs/text_hash.h"
#include "hrs/tokenize.h"
#ifdef FLK_HRS_MODEL_EXTERNAL
#include "util/given_text.h"
#else
#include "util/gunzip.h"
#endif

namespace flk::hrs {
namespace {

#ifndef FLK_HRS_MODEL_EXTERNAL
// Generated at build time from core/hrs/wordnet.txt (cmake/embed_gzip.cmake).
#include "hrs_wordnet.inc"
#endif

constexpr size_t kMaxWordnetBytes = 4u << 20;

#ifdef FLK_HRS_MODEL_EXTERNAL
struct Given {
  std::string file, unavailable;
};
Given& given() {
  static Given g;
  return g;
}

Result<std::string> wordnet_text() {
  Given& g = given();
  if (g.file.empty())
    return make_error("model_unavailable", "the WordNet table is not loaded: " +
                                               (g.unavailable.empty() ? std::string("no WordNet file was given") : g.unavailable));
  auto text = given_text(g.file, kMaxWordnetBytes);
  std::string().swap(g.file);
  if (!text.ok()) return make_error("model_unavailable", "the WordNet file: " + text.error().message);
  return text;
}
#else
Result<std::string> wordnet_text() {
  auto text = gunzip(kWordnetGz, sizeof(kWordnetGz), kMaxWordnetBytes);
  if (!text.ok()) return make_error("internal", "the embedded WordNet table: " + text.error().message);
  return text;
}
#endif

// The file's two sections: after '#' comment lines, the antonym pairs one per line, an empty line,
// the synonym groups (scripts/gen-wordnet.mjs).
struct Text {
  Status status{Ok{}};
  std::string antonyms, synonyms;
};

Text read_text() {
  Text t;
  auto r = wordnet_text();
  if (!r.ok()) {
    t.status = r.error();
    return t;
  }
  std::string_view v(r.value());
  while (!v.empty() && v[0] == '#') v.remove_prefix(std::min(v.find('\n'), v.size() - 1) + 1);
  size_t gap = v.find("\n\n");
  if (gap == std::string_view::npos || v.back() != '\n') {
    t.status = make_error("model_unavailable", "the WordNet file is not a table of scripts/gen-wordnet.mjs");
    return t;
  }
  t.antonyms = v.substr(0, gap + 1);
  t.synonyms = v.substr(gap + 2);
  return t;
}

const Text& text() {
  static const Text t = read_text();
  return t;
}

// Per stem, a list of related values, stored contiguously: the values of dense id i are
// items[begin[i] .. begin[i + 1]).
struct Relation {
  std::vector<uint32_t> begin;
  std::vector<uint64_t> items;
  Related of(uint32_t i) const { return {items.data() + begin[i], begin[i + 1] - begin[i]}; }
};

struct Table {
  HashIndex index{8192};  // stem hash -> dense id
  Relation antonyms, groups;
};

// Stem hash of a table word, by the same tokenizer the features use.
uint64_t stem_of(std::string_view word) {
  TokenStream ts(word);
  Token t;
  return ts.next(t) ? t.stem : 0;
}

// Calls f(stems of one entry) for each line of space-separated words.
template <class F>
void for_each_entry(std::string_view all, F f) {
  std::vector<uint64_t> stems;
  size_t start = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i] != ' ' && all[i] != '\n') continue;
    stems.push_back(stem_of(all.substr(start, i - start)));
    start = i + 1;
    if (all[i] == '\n') {
      f(stems);
      stems.clear();
    }
  }
}

Relation build(std::vector<std::pair<uint32_t, uint64_t>>& pairs, uint32_t ids) {
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  Relation r;
  r.begin.assign(ids + 1, 0);
  for (const auto& p : pairs) ++r.begin[p.first + 1];
  for (size_t i = 1; i < r.begin.size(); ++i) r.begin[i] += r.begin[i - 1];
  for (const auto& p : pairs) r.items.push_back(p.second);
  return r;
}

const Table& table() {
  static const Table t = [] {
    Table t;
    std::vector<std::pair<uint32_t, uint64_t>> groups, antonyms;
    uint64_t group = 0;
    for_each_entry(text().synonyms, [&](const std::vector<uint64_t>& stems) {
      ++group;
      for (uint64_t s : stems) groups.emplace_back(t.index.insert(s), group);
    });
    for_each_entry(text().antonyms, [&](const std::vector<uint64_t>& stems) {
      if (stems.size() != 2 || stems[0] == stems[1]) return;  // inflections of one word
      antonyms.emplace_back(t.index.insert(stems[0]), stems[1]);
      antonyms.emplace_back(t.index.insert(stems[1]), stems[0]);
    });
    t.groups = build(groups, t.index.size());
    t.antonyms = build(antonyms, t.index.size());
    return t;
  }();
  return t;
}

// Word -> related word by text hash; the first entry for a word wins.
struct WordTable {
  HashIndex index{4096};
  std::vector<std::string_view> other;
};

// Each entry's words w_0 .. w_k map to w_1 .. w_k, w_0 (antonym pairs: to each other).
WordTable word_table_of(std::string_view all) {
  WordTable t;
  for (size_t start = 0; start < all.size();) {
    size_t end = all.find('\n', start);
    std::vector<std::string_view> words;
    for (size_t a = start; a < end;) {
      size_t b = std::min(all.find(' ', a), end);
      words.push_back(all.substr(a, b - a));
      a = b + 1;
    }
    for (size_t k = 0; k < words.size(); ++k)
      if (t.index.insert(text_hash(words[k])) == t.other.size()) t.other.push_back(words[(k + 1) % words.size()]);
    start = end + 1;
  }
  return t;
}

std::string_view lookup(const WordTable& t, std::string_view word) {
  uint32_t i = t.index.find(text_hash(word));
  return i == HashIndex::kAbsent ? std::string_view() : t.other[i];
}

}  // namespace

#ifdef FLK_HRS_MODEL_EXTERNAL
void provide_wordnet(std::string file, std::string unavailable) {
  given() = {std::move(file), std::move(unavailable)};
}
#endif

Status wordnet_ready() { return text().status; }

std::string_view wordnet_antonym_word(std::string_view word) {
  static const WordTable t = word_table_of(text().antonyms);
  return lookup(t, word);
}

std::string_view wordnet_synonym_word(std::string_view word) {
  static const WordTable t = word_table_of(text().synonyms);
  return lookup(t, word);
}

WordRelations wordnet_relations(uint64_t stem) {
  const Table& t = table();
  uint32_t i = t.index.find(stem);
  return i == HashIndex::kAbsent ? WordRelations{} : WordRelations{t.antonyms.of(i), t.groups.of(i)};
}

Related wordnet_antonyms(uint64_t stem) { return wordnet_relations(stem).antonyms; }

Related wordnet_synonym_groups(uint64_t stem) { return wordnet_relations(stem).groups; }

}  // namespace flk::hrs

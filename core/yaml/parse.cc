// The reader walks the normalized text once with a cursor. Block structure is indentation: every
// collection knows its column, and after a node the cursor rests on the first character of the
// next line that holds content (blank and comment-only lines skipped), whose column is indent_.
#include "yaml/parse.h"

#include <algorithm>
#include <set>
#include <vector>

#include "json/fields.h"
#include "yaml/scalar.h"
#include "yaml/text.h"

namespace flk::yaml {
namespace {

using json::Value;

bool blank(char c) { return c == ' ' || c == '\t'; }
bool blank_or_end(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\0'; }
bool flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

// Where a node sits: a mapping value on its key's line may not open a block collection there.
enum class Place { kBlock, kValueLine };

class Reader {
 public:
  Reader(std::string text, const json::ParseLimits& limits, const std::string* target = nullptr)
      : s_(std::move(text)), limits_(limits), target_(target) {}

  // With a target path: the offset of the deepest entry on it that was read (the root's first
  // content when none).
  size_t target_offset() const { return best_pos_; }

  Result<Value> document() {
    FLK_TRY(next_content());
    best_pos_ = p_;
    if (!eof() && at() == '%' && col() == 0) return fail("directives (%YAML, %TAG) are not accepted");
    Value root;
    if (marker("---")) {
      p_ += 3;
      skip_blanks();
      if (at() != '#' && !at_break()) {
        FLK_ASSIGN(root, node(-1, Place::kValueLine));
        return finish(std::move(root));
      }
      FLK_TRY(line_done());
    }
    if (!eof() && !any_marker()) {
      FLK_ASSIGN(root, node(-1, Place::kBlock));
    }
    return finish(std::move(root));
  }

 private:
  // ---- cursor ----
  char at(size_t k = 0) const { return p_ + k < s_.size() ? s_[p_ + k] : '\0'; }
  bool eof() const { return p_ >= s_.size(); }
  bool at_break() const { return at() == '\n' || eof(); }
  int col() const { return static_cast<int>(p_ - line_start_); }
  void newline() {
    ++p_;
    line_start_ = p_;
  }
  void skip_blanks() {
    while (blank(at())) ++p_;
  }
  // "---" or "..." at column 0 followed by a blank or the end of the line.
  bool marker(const char* m) const {
    return col() == 0 && at() == m[0] && at(1) == m[1] && at(2) == m[2] && blank_or_end(at(3));
  }
  bool any_marker() const { return marker("---") || marker("..."); }
  bool seq_entry() const { return at() == '-' && blank_or_end(at(1)); }

  Error fail(std::string msg, const char* code = "bad_yaml") const { return fail_at(p_, std::move(msg), code); }
  Error fail_at(size_t pos, std::string msg, const char* code = "bad_yaml") const {
    return make_error(code, where(s_, pos) + ": " + msg, path_);
  }
  // The path grows and shrinks by one segment at a time, in place: an entry costs its own
  // segment, never a copy of the path above it (a long key over many entries stays linear).
  // `pos` is where the entry starts (its key, or its '-' in a sequence).
  void push_key(const std::string& key, size_t pos) { push(json::join_path("", key), pos); }
  void push_index(size_t index, size_t pos) { push(json::index_path("", index), pos); }
  void pop() {
    path_.resize(ends_.back());
    ends_.pop_back();
    on_target_ = std::min(on_target_, ends_.size());
  }
  void push(const std::string& segment, size_t pos) {
    const size_t at = path_.size();
    ends_.push_back(at);
    path_ += segment;
    if (!target_ || on_target_ + 1 != ends_.size() || at + segment.size() > target_->size()) return;
    if (target_->compare(at, segment.size(), segment) != 0) return;
    const char next = target_->size() > path_.size() ? (*target_)[path_.size()] : '\0';
    if (next != '\0' && next != '.' && next != '[') return;
    on_target_ = ends_.size();
    best_pos_ = pos;  // the deepest entry on the target so far: each one is deeper than the last
  }

  // Blanks, an optional comment and the line break; anything else is an error.
  Status end_line() {
    skip_blanks();
    if (at() == '#') {
      if (p_ != line_start_ && !blank(s_[p_ - 1])) return fail("a comment needs a blank before its #");
      while (!at_break()) ++p_;
    }
    if (!at_break()) return fail("unexpected text after the value");
    if (!eof()) newline();
    return Ok{};
  }

  // From the start of a line: past blank and comment-only lines to the first content character;
  // its column becomes indent_. A tab before content on a line is refused: indentation is spaces.
  Status next_content() {
    while (!eof()) {
      while (at() == ' ') ++p_;
      const size_t spaces_end = p_;
      skip_blanks();
      if (at() == '#') {
        while (!at_break()) ++p_;
      }
      if (at() == '\n') {
        newline();
        continue;
      }
      if (eof()) break;
      if (p_ != spaces_end) return fail_at(spaces_end, "a tab in indentation (indent with spaces)");
      indent_ = col();
      return Ok{};
    }
    indent_ = -1;
    return Ok{};
  }

  Status line_done() {
    FLK_TRY(end_line());
    return next_content();
  }

  Status count() {
    if (++values_ <= limits_.max_values) return Ok{};
    return fail("the document holds more than " + std::to_string(limits_.max_values) + " values", "too_large");
  }
  Status enter() {
    if (++depth_ <= limits_.max_depth) return count();
    return fail("nesting deeper than " + std::to_string(limits_.max_depth) + " levels", "too_deep");
  }

  // Characters that cannot start a node here, with why.
  Status refuse_indicator() {
    switch (at()) {
      case '&': return fail("an anchor (&): anchors and aliases are not accepted");
      case '*': return fail("an alias (*): anchors and aliases are not accepted");
      case '!': return fail("a tag (!): tags are not accepted; scalars resolve by the core schema");
      case '%': return fail("a directive (%) is not accepted");
      case '@':
      case '`': return fail(std::string("'") + at() + "' is reserved and cannot start a plain scalar");
      case '?':
        if (blank_or_end(at(1))) return fail("a complex key (?) is not accepted: keys are scalars");
        break;
      case ':':
        if (blank_or_end(at(1))) return fail("a mapping entry without a key");
        break;
      case '|':
      case '>':
      case '#':
      case ',':
      case ']':
      case '}':
        return fail(std::string("'") + at() + "' cannot start a plain scalar");
      default: break;
    }
    return Ok{};
  }

  // ---- block nodes ----

  // The node whose first character is at the cursor, inside a parent indented `parent`.
  Result<Value> node(int parent, Place place) {
    const size_t start = p_;
    if (seq_entry()) {
      if (place == Place::kValueLine) return fail("a block sequence cannot start on its key's line");
      return block_sequence(col());
    }
    if (at() == '[' || at() == '{') {
      FLK_ASSIGN(Value v, flow_node(parent));
      skip_blanks();
      if (at() == ':') return fail("a flow collection as a key is not accepted: keys are scalars");
      FLK_TRY(line_done());
      return v;
    }
    if (at() == '|' || at() == '>') return block_scalar(parent);
    FLK_TRY(refuse_indicator());
    const int c0 = col();
    const size_t line0 = line_start_;
    const bool quoted = at() == '"' || at() == '\'';
    std::string text;
    if (quoted) {
      FLK_ASSIGN(text, quoted_scalar(parent));
    } else {
      text = plain_segment(false);
    }
    if (key_colon()) {
      if (place == Place::kValueLine) return fail("a mapping cannot start on its key's line");
      if (line_start_ != line0) return fail_at(start, "a key must fit on one line");
      return block_mapping(c0, std::move(text), start, !quoted);
    }
    if (quoted) {
      FLK_TRY(count());
      FLK_TRY(line_done());
      return Value(std::move(text));
    }
    FLK_TRY(plain_more(text, parent, false));
    FLK_TRY(count());
    FLK_ASSIGN(Value v, resolved(text, start));
    FLK_TRY(line_done());
    return v;
  }

  Result<Value> resolved(const std::string& text, size_t start) {
    auto v = resolve_plain(text);
    if (!v.ok()) return fail_at(start, v.error().message);
    return v;
  }

  // A mapping at column `c`; the cursor is on the ':' after its first key.
  Result<Value> block_mapping(int c, std::string key, size_t key_at, bool plain_key) {
    FLK_TRY(enter());
    Value obj = Value::object();
    std::set<std::string> keys;
    while (true) {
      if (plain_key && key == "<<") return fail_at(key_at, "a merge key (<<) is not accepted");
      if (!keys.insert(key).second) return fail_at(key_at, "duplicate key \"" + key + "\"", "duplicate_key");
      ++p_;
      push_key(key, key_at);
      FLK_ASSIGN(Value v, mapping_value(c));
      pop();
      obj.as_object().emplace_back(std::move(key), std::move(v));
      if (eof() || any_marker() || indent_ < c) break;
      if (indent_ > c) return fail("this line is indented more than the mapping's keys");
      if (seq_entry()) return fail("a sequence entry where a mapping key is expected");
      key_at = p_;
      FLK_ASSIGN(key, mapping_key());
      plain_key = s_[key_at] != '"' && s_[key_at] != '\'';
    }
    obj.as_object().shrink_to_fit();
    --depth_;
    return obj;
  }

  // Past blanks to a ':' that ends a key (the cursor stays put when there is none).
  bool key_colon() {
    const size_t q = p_;
    skip_blanks();
    if (at() == ':' && blank_or_end(at(1))) return true;
    p_ = q;
    return false;
  }

  // A key on its own line, up to its ':'.
  Result<std::string> mapping_key() {
    if (at() == '[' || at() == '{') return fail("a flow collection as a key is not accepted: keys are scalars");
    FLK_TRY(refuse_indicator());
    const size_t line0 = line_start_;
    std::string key;
    if (at() == '"' || at() == '\'') {
      FLK_ASSIGN(key, quoted_scalar(indent_));
      if (line_start_ != line0) return fail("a key must fit on one line");
    } else {
      key = plain_segment(false);
    }
    if (!key_colon()) return fail("a mapping key needs ': ' after it");
    return key;
  }

  // The value after "key:" of a mapping at column c.
  Result<Value> mapping_value(int c) {
    skip_blanks();
    if (at() == '#' || at_break()) {
      FLK_TRY(line_done());
      if (!eof() && !any_marker()) {
        if (indent_ > c) return node(c, Place::kBlock);
        if (indent_ == c && seq_entry()) return block_sequence(c);
      }
      FLK_TRY(count());
      return Value();
    }
    return node(c, Place::kValueLine);
  }

  // A sequence whose '-' sit at column c.
  Result<Value> block_sequence(int c) {
    FLK_TRY(enter());
    Value arr = Value::array();
    while (true) {
      push_index(arr.as_array().size(), p_);
      ++p_;
      skip_blanks();
      Value v;
      if (at() == '#' || at_break()) {
        FLK_TRY(line_done());
        if (!eof() && !any_marker() && indent_ > c) {
          FLK_ASSIGN(v, node(c, Place::kBlock));
        } else {
          FLK_TRY(count());
        }
      } else {
        FLK_ASSIGN(v, node(c, Place::kBlock));
      }
      pop();
      arr.push(std::move(v));
      if (eof() || any_marker() || indent_ < c) break;
      if (indent_ > c) return fail("this line is indented more than the sequence's entries");
      if (!seq_entry()) break;
    }
    arr.as_array().shrink_to_fit();
    --depth_;
    return arr;
  }

  // ---- scalars ----

  // One line of a plain scalar from the cursor: up to ": ", " #", the line's end and, in flow
  // context, a flow indicator; trailing blanks are not part of it (the cursor stays after the text).
  std::string plain_segment(bool flow) {
    const size_t start = p_;
    size_t end = p_;
    while (!at_break()) {
      const char c = at();
      if (c == ':' && (blank_or_end(at(1)) || (flow && flow_indicator(at(1))))) break;
      if (c == '#' && p_ > start && blank(s_[p_ - 1])) break;
      if (flow && flow_indicator(c)) break;
      ++p_;
      if (!blank(c)) end = p_;
    }
    p_ = end;
    return s_.substr(start, end - start);
  }

  // Continuation lines of a plain scalar (indented more than `parent`), folded: one line break
  // is a space, n > 1 are n - 1 newlines. The cursor stays after the last text taken.
  Status plain_more(std::string& text, int parent, bool flow) {
    while (true) {
      const size_t save = p_, save_line = line_start_;
      skip_blanks();
      if (at() != '\n') {
        p_ = save;
        return Ok{};
      }
      size_t breaks = 0;
      while (at() == '\n') {
        newline();
        ++breaks;
        skip_blanks();
      }
      const size_t content = p_;
      size_t spaces = 0;
      while (line_start_ + spaces < s_.size() && s_[line_start_ + spaces] == ' ') ++spaces;
      p_ = line_start_;
      const bool is_marker = any_marker();
      p_ = content;
      if (eof() || is_marker || at() == '#' || (flow && flow_indicator(at())) || static_cast<int>(spaces) <= parent) {
        p_ = save;
        line_start_ = save_line;
        return Ok{};
      }
      if (line_start_ + spaces != content) return fail_at(line_start_ + spaces, "a tab in indentation (indent with spaces)");
      if (breaks == 1) text += ' ';
      else text.append(breaks - 1, '\n');
      text += plain_segment(flow);
    }
  }

  // A single- or double-quoted scalar from its opening quote; continuation lines are indented
  // more than `parent` and fold like plain ones. The cursor ends after the closing quote.
  Result<std::string> quoted_scalar(int parent) {
    const size_t start = p_;
    const char q = at();
    ++p_;
    std::string out;
    size_t kept = 0;  // out's length without the raw blanks at its end (escaped ones count as text)
    while (true) {
      if (eof()) return fail_at(start, "a quoted scalar without its closing quote");
      const char c = at();
      if (c == q) {
        if (q == '\'' && at(1) == '\'') {
          out += '\'';
          p_ += 2;
          kept = out.size();
          continue;
        }
        ++p_;
        return out;
      }
      if (q == '"' && c == '\\' && at(1) == '\n') {
        ++p_;
        newline();
        FLK_TRY(quoted_line_start(parent, start));
        kept = out.size();
        continue;
      }
      if (q == '"' && c == '\\') {
        // The longest escape is a \u surrogate pair: 11 characters after the backslash.
        auto n = decode_escape(std::string_view(s_).substr(p_ + 1, 11), out);
        if (!n.ok()) return fail(n.error().message);
        p_ += 1 + *n;
        kept = out.size();
        continue;
      }
      if (c == '\n') {
        out.resize(kept);
        size_t breaks = 0;
        while (at() == '\n') {
          newline();
          ++breaks;
          FLK_TRY(quoted_line_start(parent, start));
        }
        if (breaks == 1) out += ' ';
        else out.append(breaks - 1, '\n');
        kept = out.size();
        continue;
      }
      out += c;
      ++p_;
      if (!blank(c)) kept = out.size();
    }
  }

  // The leading blanks of a quoted scalar's next line, which must be indented past the parent.
  Status quoted_line_start(int parent, size_t start) {
    if (any_marker()) return fail_at(start, "a quoted scalar without its closing quote before a document marker");
    size_t spaces = 0;
    while (at() == ' ') ++p_, ++spaces;
    skip_blanks();
    if (!at_break() && static_cast<int>(spaces) <= parent)
      return fail("a quoted scalar's continuation line must be indented more than its parent");
    return Ok{};
  }

  struct BlockLine {
    std::string text;
    bool empty;
  };

  // '|' (literal) or '>' (folded) with optional chomping (- strip, + keep) and indentation
  // indicator; the content is the following lines indented past `parent`.
  Result<Value> block_scalar(int parent) {
    const bool folded = at() == '>';
    ++p_;
    int chomp = 0, explicit_indent = 0;
    for (int k = 0; k < 2; ++k) {
      if ((at() == '-' || at() == '+') && chomp == 0) chomp = at() == '-' ? -1 : 1;
      else if (at() >= '1' && at() <= '9' && explicit_indent == 0) explicit_indent = at() - '0';
      else break;
      ++p_;
    }
    if (!blank_or_end(at())) return fail("a block scalar header is |/> then optional - or + and an indentation digit");
    FLK_TRY(end_line());
    int n = explicit_indent ? parent + explicit_indent : -1;
    if (n < 0) {
      // The first line with text sets the indentation, and empty lines before it may not be
      // longer; without text, the longest empty line does.
      size_t q = p_, longest = 0, longest_at = p_;
      n = -1;
      while (q < s_.size()) {
        size_t sp = 0;
        while (q + sp < s_.size() && s_[q + sp] == ' ') ++sp;
        if (q + sp < s_.size() && s_[q + sp] != '\n') {
          if (static_cast<int>(sp) <= parent) break;
          if (longest > sp)
            return fail_at(longest_at, "an empty line before a block scalar's text is indented more than the text");
          n = static_cast<int>(sp);
          break;
        }
        if (sp > longest) longest = sp, longest_at = q;
        q += sp + 1;
      }
      if (n < 0) n = std::max(parent + 1, static_cast<int>(longest));
    }
    if (n < 0) n = 0;
    std::vector<BlockLine> lines;
    size_t breaks_after_last = 0;  // line breaks taken after the last line
    while (!eof()) {
      if (n == 0 && any_marker()) break;
      size_t sp = 0;
      while (at(sp) == ' ') ++sp;
      const bool empty = at(sp) == '\n' || p_ + sp >= s_.size();
      if (!empty && static_cast<int>(sp) < n) break;
      if (empty && static_cast<int>(sp) <= n) {
        lines.push_back({{}, true});
      } else {
        const size_t from = p_ + n, to = s_.find('\n', p_);
        lines.push_back({s_.substr(from, (to == std::string::npos ? s_.size() : to) - from), false});
      }
      while (!at_break()) ++p_;
      if (eof()) {
        breaks_after_last = 0;
        break;
      }
      newline();
      breaks_after_last = 1;
    }
    FLK_TRY(count());
    std::string text = block_text(lines, folded, chomp, breaks_after_last);
    FLK_TRY(next_content());
    return Value(std::move(text));
  }

  std::string block_text(const std::vector<BlockLine>& lines, bool folded, int chomp, size_t final_break) const {
    size_t last = lines.size();
    for (size_t i = lines.size(); i-- > 0;)
      if (!lines[i].empty) {
        last = i;
        break;
      }
    std::string out;
    size_t empties = 0;
    bool had_text = false, prev_more = false;
    const size_t end = last == lines.size() ? 0 : last + 1;
    for (size_t i = 0; i < end; ++i) {
      const BlockLine& l = lines[i];
      if (l.empty) {
        ++empties;
        continue;
      }
      const bool more = !l.text.empty() && blank(l.text[0]);
      if (!had_text) out.append(empties, '\n');
      else if (!folded || more || prev_more) out.append(empties + 1, '\n');
      else if (empties == 0) out += ' ';
      else out.append(empties, '\n');
      out += l.text;
      had_text = true;
      prev_more = more;
      empties = 0;
    }
    // Line breaks after the text: the text line's own, each empty line's but the last's, and
    // the last line's when it has one.
    const size_t trailing = lines.size() - end;
    const size_t breaks = had_text ? trailing + final_break : lines.empty() ? 0 : lines.size() - 1 + final_break;
    if (chomp > 0) out.append(breaks, '\n');
    else if (chomp == 0 && had_text && breaks > 0) out += '\n';
    return out;
  }

  // ---- flow collections ----

  // Blanks, line breaks and comments inside a flow collection; continuation lines are indented
  // past the parent.
  Status flow_space(int parent) {
    while (true) {
      skip_blanks();
      if (at() == '#' && (p_ == line_start_ || blank(s_[p_ - 1]))) {
        while (!at_break()) ++p_;
      }
      if (eof()) return fail("a flow collection without its closing bracket");
      if (at() != '\n') return Ok{};
      newline();
      if (any_marker()) return fail("a document marker inside a flow collection");
      size_t spaces = 0;
      while (at() == ' ') ++p_, ++spaces;
      const size_t q = p_;
      skip_blanks();
      if (at_break() || at() == '#') continue;
      if (q != p_) return fail_at(q, "a tab in indentation (indent with spaces)");
      if (static_cast<int>(spaces) <= parent)
        return fail("a flow collection's continuation line must be indented more than its parent");
    }
  }

  // A node inside a flow collection (or the collection itself at the cursor).
  Result<Value> flow_node(int parent) {
    const size_t start = p_;
    if (at() == '[') return flow_sequence(parent);
    if (at() == '{') return flow_mapping(parent);
    FLK_TRY(refuse_indicator());
    FLK_TRY(count());
    if (at() == '"' || at() == '\'') {
      FLK_ASSIGN(std::string text, quoted_scalar(parent));
      return Value(std::move(text));
    }
    if (at() == '-' && blank_or_end(at(1))) return fail("a block sequence inside a flow collection");
    std::string text = plain_segment(true);
    FLK_TRY(plain_more(text, parent, true));
    return resolved(text, start);
  }

  Result<Value> flow_sequence(int parent) {
    FLK_TRY(enter());
    ++p_;
    Value arr = Value::array();
    while (true) {
      FLK_TRY(flow_space(parent));
      if (at() == ']') break;
      push_index(arr.as_array().size(), p_);
      FLK_ASSIGN(Value v, flow_node(parent));
      pop();
      arr.push(std::move(v));
      FLK_TRY(flow_space(parent));
      if (at() == ':') return fail("a key: value pair inside a flow sequence is not accepted");
      if (at() == ']') break;
      if (at() != ',') return fail("expected ',' or ']' in a flow sequence");
      ++p_;
    }
    ++p_;
    arr.as_array().shrink_to_fit();
    --depth_;
    return arr;
  }

  Result<Value> flow_mapping(int parent) {
    FLK_TRY(enter());
    ++p_;
    Value obj = Value::object();
    std::set<std::string> keys;
    while (true) {
      FLK_TRY(flow_space(parent));
      if (at() == '}') break;
      const size_t key_at = p_;
      if (at() == '[' || at() == '{') return fail("a flow collection as a key is not accepted: keys are scalars");
      FLK_TRY(refuse_indicator());
      std::string key;
      const bool quoted = at() == '"' || at() == '\'';
      if (quoted) {
        FLK_ASSIGN(key, quoted_scalar(parent));
      } else {
        key = plain_segment(true);
      }
      FLK_TRY(flow_space(parent));
      if (at() != ':') return fail("a flow mapping entry needs 'key: value'");
      if (!quoted && key == "<<") return fail_at(key_at, "a merge key (<<) is not accepted");
      if (!keys.insert(key).second) return fail_at(key_at, "duplicate key \"" + key + "\"", "duplicate_key");
      ++p_;
      FLK_TRY(flow_space(parent));
      push_key(key, key_at);
      Value v;
      if (at() == ',' || at() == '}') {
        FLK_TRY(count());
      } else {
        FLK_ASSIGN(v, flow_node(parent));
      }
      pop();
      obj.as_object().emplace_back(std::move(key), std::move(v));
      FLK_TRY(flow_space(parent));
      if (at() == '}') break;
      if (at() != ',') return fail("expected ',' or '}' in a flow mapping");
      ++p_;
    }
    ++p_;
    obj.as_object().shrink_to_fit();
    --depth_;
    return obj;
  }

  // After the root: an optional "..." and nothing but blank lines and comments.
  Result<Value> finish(Value root) {
    if (marker("...")) {
      p_ += 3;
      FLK_TRY(line_done());
    }
    if (marker("---")) return fail("a second document: one document per input");
    if (!eof()) return fail("unexpected content after the document's root node");
    if (root.is_null() && values_ == 0) FLK_TRY(count());
    return root;
  }

  std::string s_;
  const json::ParseLimits limits_;
  size_t p_ = 0, line_start_ = 0, values_ = 0, depth_ = 0;
  int indent_ = -1;
  std::string path_ = "$";    // where the reader is, as errors name it
  std::vector<size_t> ends_;  // the path's length before each segment
  const std::string* target_;
  size_t on_target_ = 0;      // how many of the path's segments lead along the target
  size_t best_pos_ = 0;
};

}  // namespace

Result<Value> parse(std::string_view text, const json::ParseLimits& limits) {
  if (text.size() > limits.max_bytes)
    return make_error("too_large", "input is " + std::to_string(text.size()) + " bytes; the limit is " +
                                       std::to_string(limits.max_bytes));
  std::string before;
  auto normalized = normalize(text, &before);
  if (!normalized.ok()) return make_error("bad_yaml", where(before, before.size()) + ": " + normalized.error().message, "$");
  Reader r(std::move(normalized.value()), limits);
  return r.document();
}

std::string locate(std::string_view text, const std::string& path) {
  std::string before;
  auto normalized = normalize(text, &before);
  if (!normalized.ok()) return "";
  Reader r(normalized.value(), json::ParseLimits{}, &path);
  if (!r.document().ok()) return "";
  return where(normalized.value(), r.target_offset());
}

bool is_yaml_name(std::string_view name) {
  const auto ends = [&](std::string_view ext) {
    return name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  return ends(".yaml") || ends(".yml");
}

Result<json::Value> parse_by_name(std::string_view name, std::string_view text) {
  return is_yaml_name(name) ? parse(text) : json::parse(text);
}

}  // namespace flk::yaml

// The YAML subset reader (core/yaml): each construct it accepts, read into the value JSON gives,
// and each refusal with its code, line:column and path.
#include <gtest/gtest.h>

#include <string>

#include "json/parse.h"
#include "json/write.h"
#include "yaml/parse.h"

namespace {

// The YAML text's value as canonical JSON, or "error <code> <message> @<path>".
std::string read(const std::string& text, const flk::json::ParseLimits& limits = {}) {
  auto v = flk::yaml::parse(text, limits);
  if (!v.ok()) return "error " + v.error().code + " " + v.error().message + " @" + v.error().path;
  return flk::json::to_string(*v);
}

// The canonical JSON of a JSON text, to compare against.
std::string json(const std::string& text) { return flk::json::to_string(flk::json::parse(text).value()); }

TEST(Yaml, BlockMappingsAndSequences) {
  EXPECT_EQ(read("a: 1\nb:\n  c: x\n  d: [1, 2]\n"), json(R"({"a":1,"b":{"c":"x","d":[1,2]}})"));
  EXPECT_EQ(read("- a\n- - b\n  - c\n-\n  k: v\n"), json(R"(["a",["b","c"],{"k":"v"}])"));
  // A sequence may sit at its key's column; compact mappings in entries.
  EXPECT_EQ(read("bands:\n- name: low\n  max: 0.3\n-   name: high\n    max: 1\nnext: true\n"),
            json(R"({"bands":[{"name":"low","max":0.3},{"name":"high","max":1}],"next":true})"));
  EXPECT_EQ(read("a:\nb: ~\nc: null\n"), json(R"({"a":null,"b":null,"c":null})"));
  EXPECT_EQ(read("- \n-\n"), "[null,null]");
  EXPECT_EQ(read("a : 1\n\"b c\": 2\n'd': 3\n"), json(R"({"a":1,"b c":2,"d":3})"));
  EXPECT_EQ(read("  a: 1\n  b: 2\n"), json(R"({"a":1,"b":2})"));
}

TEST(Yaml, CommentsAndDocumentMarkers) {
  EXPECT_EQ(read("# head\n---   # start\na: 1 # one\n# between\n\nb: a#b\n...\n# tail\n"),
            json(R"({"a":1,"b":"a#b"})"));
  EXPECT_EQ(read("--- [1, 2]\n"), "[1,2]");
  EXPECT_EQ(read("--- |\n  text\n"), "\"text\\n\"");
  EXPECT_EQ(read(""), "null");
  EXPECT_EQ(read("# only a comment\n"), "null");
  EXPECT_EQ(read("---\n"), "null");
  EXPECT_EQ(read("\xEF\xBB\xBF" "a: 1\r\nb: 2\r\n"), json(R"({"a":1,"b":2})"));
}

TEST(Yaml, CoreSchemaScalars) {
  EXPECT_EQ(read("[null, Null, NULL, ~, true, True, TRUE, false, False, FALSE]"),
            "[null,null,null,null,true,true,true,false,false,false]");
  EXPECT_EQ(read("[0, -7, +7, 0o17, 0x1F, 9223372036854775807, -9223372036854775808]"),
            "[0,-7,7,15,31,9223372036854775807,-9223372036854775808]");
  EXPECT_EQ(read("[1.5, -.5, 2., 1e3, 6.02E+23, 9223372036854775808]"), json("[1.5,-0.5,2.0,1e3,6.02E+23,9223372036854775808]"));
  EXPECT_EQ(read("[yes, no, on, 1_000, 0b1, .5x, '1', \"true\", 12:30]"),
            json(R"(["yes","no","on","1_000","0b1",".5x","1","true","12:30"])"));
  // Keys are the scalar's text, never resolved.
  EXPECT_EQ(read("1: a\ntrue: b\nnull: c\n"), json(R"({"1":"a","true":"b","null":"c"})"));
}

TEST(Yaml, QuotedScalars) {
  EXPECT_EQ(read(R"(- 'it''s # not a comment'
- "tab\there \"q\" \\ \/ \x41 \u00e9 \U0001F600 \uD83D\uDE00 \N \_ \L \P \0 \e"
)"),
            json(R"(["it's # not a comment","tab\there \"q\" \\ / A \u00e9 \ud83d\ude00 \ud83d\ude00 \u0085 \u00a0 \u2028 \u2029 \u0000 \u001b"])"));
  // Folding: one line break is a space, an empty line a newline; an escaped break joins.
  EXPECT_EQ(read("a: \"one\n  two   \n\n  three\\\n  four\\ \"\n"), json(R"({"a":"one two\nthreefour "})"));
  EXPECT_EQ(read("a: 'x\n   y'\n"), json(R"({"a":"x y"})"));
}

TEST(Yaml, PlainScalarsFoldAcrossLines) {
  EXPECT_EQ(read("when: band == 'medium' &&\n  risk > 0.5\n\n  || x\nnext: 1\n"),
            json(R"({"when":"band == 'medium' && risk > 0.5\n|| x","next":1})"));
  EXPECT_EQ(read("- a\n  - b\n"), json(R"(["a - b"])"));
  EXPECT_EQ(read("a: x # c\n  y\n"), "error bad_yaml 2:3: this line is indented more than the mapping's keys @$");
}

TEST(Yaml, BlockScalarsAndChomping) {
  EXPECT_EQ(read("a: |\n  l1\n\n  l2\n   in\n\n\nb: 1\n"), json(R"({"a":"l1\n\nl2\n in\n","b":1})"));
  EXPECT_EQ(read("a: |-\n  x\n\n"), json(R"({"a":"x"})"));
  EXPECT_EQ(read("a: |+\n  x\n\n\nb: 1\n"), json(R"({"a":"x\n\n\n","b":1})"));
  EXPECT_EQ(read("a: >\n  one\n  two\n\n  three\n    more\n  four\n"), json(R"({"a":"one two\nthree\n  more\nfour\n"})"));
  EXPECT_EQ(read("a: >-\n  x\n  y\n"), json(R"({"a":"x y"})"));
  EXPECT_EQ(read("a: |2\n    lead\n  x\n"), json(R"({"a":"  lead\nx\n"})"));
  EXPECT_EQ(read("- |1-\n  sp\n- >+\n x\n"), json(R"([" sp","x\n"])"));
  EXPECT_EQ(read("a: |\n  # text, not a comment\n# a comment\n"), json(R"({"a":"# text, not a comment\n"})"));
  EXPECT_EQ(read("a: |\nb: 1\n"), json(R"({"a":"","b":1})"));
  EXPECT_EQ(read("a: |\n  no final break"), json(R"({"a":"no final break"})"));
}

TEST(Yaml, FlowCollections) {
  EXPECT_EQ(read("{a: [1, 'two', {b: null}], \"c\":3, d: , e: [],}\n"),
            json(R"({"a":[1,"two",{"b":null}],"c":3,"d":null,"e":[]})"));
  EXPECT_EQ(read("k: [a b,\n  c, # comment\n  d]\n"), json(R"({"k":["a b","c","d"]})"));
  EXPECT_EQ(read("[a:b, http://x/y]"), json(R"(["a:b","http://x/y"])"));
}

TEST(Yaml, RefusesAnchorsAliasesTagsAndMergeKeys) {
  EXPECT_EQ(read("a: &x 1\n"), "error bad_yaml 1:4: an anchor (&): anchors and aliases are not accepted @$.a");
  EXPECT_EQ(read("a: 1\nb: *x\n"), "error bad_yaml 2:4: an alias (*): anchors and aliases are not accepted @$.b");
  EXPECT_EQ(read("a:\n  - !!str 1\n"),
            "error bad_yaml 2:5: a tag (!): tags are not accepted; scalars resolve by the core schema @$.a[0]");
  EXPECT_EQ(read("b:\n  <<: {c: 1}\n"), "error bad_yaml 2:3: a merge key (<<) is not accepted @$.b");
  EXPECT_EQ(read("[{<<: x}]"), "error bad_yaml 1:3: a merge key (<<) is not accepted @$[0]");
  EXPECT_EQ(read("? a\n: b\n"), "error bad_yaml 1:1: a complex key (?) is not accepted: keys are scalars @$");
  EXPECT_EQ(read("[a, b]: c\n"), "error bad_yaml 1:7: a flow collection as a key is not accepted: keys are scalars @$");
  EXPECT_EQ(read("%YAML 1.2\n---\na: 1\n"), "error bad_yaml 1:1: directives (%YAML, %TAG) are not accepted @$");
}

TEST(Yaml, RefusesDuplicatesTabsAndSecondDocuments) {
  EXPECT_EQ(read("a: 1\nb:\n  c: 1\n  c: 2\n"), "error duplicate_key 4:3: duplicate key \"c\" @$.b");
  EXPECT_EQ(read("{a: 1, 'a': 2}"), "error duplicate_key 1:8: duplicate key \"a\" @$");
  EXPECT_EQ(read("a:\n\tb: 1\n"), "error bad_yaml 2:1: a tab in indentation (indent with spaces) @$.a");
  EXPECT_EQ(read("a: 1\n---\nb: 2\n"), "error bad_yaml 2:1: a second document: one document per input @$");
  EXPECT_EQ(read("a: 1\n...\nb: 2\n"), "error bad_yaml 3:1: unexpected content after the document's root node @$");
  EXPECT_EQ(read("a: b: c\n"), "error bad_yaml 1:5: a mapping cannot start on its key's line @$.a");
  EXPECT_EQ(read("a: - b\n"), "error bad_yaml 1:4: a block sequence cannot start on its key's line @$.a");
  EXPECT_EQ(read("a: 1\n  b: 2\n"), "error bad_yaml 2:4: unexpected text after the value @$.a");
  EXPECT_EQ(read("- a\nb: 1\n"), "error bad_yaml 2:1: unexpected content after the document's root node @$");
  EXPECT_EQ(read("a: \"open\n"), "error bad_yaml 1:4: a quoted scalar without its closing quote @$.a");
  EXPECT_EQ(read("a: [1, 2\n"), "error bad_yaml 2:1: a flow collection without its closing bracket @$.a");
  EXPECT_EQ(read("a: \"\\q\"\n"), "error bad_yaml 1:5: unknown escape \\q @$.a");
  EXPECT_EQ(read("a: \"\\udc00\"\n"), "error bad_yaml 1:5: an escape of a lone surrogate (it has no UTF-8) @$.a");
  EXPECT_EQ(read("a: \"x\"#c\n"), "error bad_yaml 1:7: a comment needs a blank before its # @$.a");
  EXPECT_EQ(read("a: |\n\n   \n  x\n"),
            "error bad_yaml 3:1: an empty line before a block scalar's text is indented more than the text @$.a");
  EXPECT_EQ(read("k: [a,\nb]\n"),
            "error bad_yaml 2:1: a flow collection's continuation line must be indented more than its parent @$.k");
}

TEST(Yaml, RefusesNonFiniteNumbersAndBadText) {
  EXPECT_EQ(read("a: .inf\n"), "error bad_yaml 1:4: infinity (.inf): values are finite, as in JSON @$.a");
  EXPECT_EQ(read("a: [-.Inf]\n"), "error bad_yaml 1:5: infinity (.inf): values are finite, as in JSON @$.a[0]");
  EXPECT_EQ(read("a: .NaN\n"), "error bad_yaml 1:4: not a number (.nan): values are finite, as in JSON @$.a");
  EXPECT_EQ(read("a: 1e999\n"), "error bad_yaml 1:4: the number 1e999 is beyond the range of a double @$.a");
  EXPECT_EQ(read("a: 0x8000000000000000\n"), "error bad_yaml 1:4: the integer 0x8000000000000000 is beyond int64 @$.a");
  EXPECT_EQ(read("a: '\xC3\x28'\n"), "error bad_yaml 1:5: invalid UTF-8 @$");
  EXPECT_EQ(read(std::string("a: \x01\n")), "error bad_yaml 1:4: a control character (byte 1) @$");
  EXPECT_EQ(read("\xC3\xA9\xC3\xA9: [\n"), "error bad_yaml 2:1: a flow collection without its closing bracket @$[\"\xC3\xA9\xC3\xA9\"]");
}

TEST(Yaml, BoundsTextDepthAndValues) {
  flk::json::ParseLimits small;
  small.max_bytes = 8;
  EXPECT_EQ(read("a: 123456", small), "error too_large input is 9 bytes; the limit is 8 @");
  small = {};
  small.max_depth = 3;
  EXPECT_EQ(read("a:\n  b:\n    c: 1\n", small), "{\"a\":{\"b\":{\"c\":1}}}");
  EXPECT_EQ(read("a:\n  b:\n    c:\n      d: 1\n", small), "error too_deep 4:8: nesting deeper than 3 levels @$.a.b.c");
  EXPECT_EQ(read("[[[[1]]]]", small), "error too_deep 1:4: nesting deeper than 3 levels @$[0][0][0]");
  small = {};
  small.max_values = 4;
  EXPECT_EQ(read("[1, 2, 3]", small), "[1,2,3]");
  EXPECT_EQ(read("- 1\n- 2\n- 3\n- 4\n", small), "error too_large 4:4: the document holds more than 4 values @$[3]");
  // Deep nesting from the default bound, without recursion past it.
  EXPECT_EQ(read(std::string(100, '[') + std::string(100, ']')).substr(0, 15), "error too_deep ");
}

// Inputs whose cost would grow faster than their size if a step rescanned the text (escapes
// on one long line, continuation lines, empty lines before a block scalar): a rescan would make
// these take minutes.
TEST(Yaml, WorkIsLinearInTheText) {
  std::string escapes = "a: \"";
  for (int i = 0; i < (1 << 20); ++i) escapes += "\\t";
  auto v = flk::yaml::parse(escapes + "\"\n");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->find("a")->as_string().size(), size_t{1} << 20);
  std::string folded = "a: x\n";
  for (int i = 0; i < (1 << 18); ++i) folded += "  y\n";
  EXPECT_EQ(flk::yaml::parse(folded)->find("a")->as_string().size(), 1 + 2 * (size_t{1} << 18));
  const std::string empties = "a: |\n" + std::string(1 << 20, '\n') + "  x\n";
  EXPECT_EQ(flk::yaml::parse(empties)->find("a")->as_string(), std::string(1 << 20, '\n') + "x\n");
  // A long key over many entries: errors and locate name the path, which must not be rebuilt per
  // entry (512 KB x 64k entries would be 32 GB of copying).
  const std::string key(1 << 19, 'k');
  std::string listed = key + ":\n";
  for (int i = 0; i < (1 << 16); ++i) listed += "  - 1\n";
  const std::string deep = "$." + key + "[65535]";
  EXPECT_EQ(flk::yaml::locate(listed, deep), std::to_string(1 + (1 << 16)) + ":3");
  EXPECT_EQ(flk::yaml::locate(listed, deep + ".x"), std::to_string(1 + (1 << 16)) + ":3");
}

TEST(Yaml, PolicyTwinHasTheJsonValue) {
  const char* yaml_text = R"Y(# A routing policy as a person writes it.
apiVersion: flk.dev/policy/v1
kind: RiskRoutingPolicy
metadata: {name: acme-routing, version: 3, tenant: acme}
spec:
  selector: >-
    tenant == 'acme' ||
    tenant.startsWith('acme-')
  scorer:
    model: hrs-default
    min_confidence: 0.6
  fail_mode: closed
  bands:
    - {name: low, min_risk: 0, max_risk: 0.5, action: accept}
    - name: high
      min_risk: 0.5
      max_risk: 1
      action: reject
)Y";
  EXPECT_EQ(read(yaml_text),
            json(R"J({"apiVersion":"flk.dev/policy/v1","kind":"RiskRoutingPolicy","metadata":{"name":"acme-routing",
                 "version":3,"tenant":"acme"},"spec":{"selector":"tenant == 'acme' || tenant.startsWith('acme-')",
                 "scorer":{"model":"hrs-default","min_confidence":0.6},"fail_mode":"closed","bands":[{"name":"low",
                 "min_risk":0,"max_risk":0.5,"action":"accept"},{"name":"high","min_risk":0.5,"max_risk":1,
                 "action":"reject"}]}})J"));
}

TEST(Yaml, AnEncodingErrorIsPlacedInTheTextAsWritten) {
  // After a byte order mark, CR LF and lone CR line breaks, the line and column of the bad byte.
  EXPECT_EQ(flk::yaml::parse("\xEF\xBB\xBF" "ab: \x01").error().message.substr(0, 4), "1:5:");
  EXPECT_EQ(flk::yaml::parse("a\r\nb\r\nc\r\n\x01").error().message.substr(0, 4), "4:1:");
  EXPECT_EQ(flk::yaml::parse("a\rb\rc: \xFF").error().message.substr(0, 4), "3:4:");
}

TEST(Yaml, LocateFindsTheEntryOnAPathOrTheDeepestOneBefore) {
  const char* text = "# a comment\nspec:\n  bands:\n    - {name: low, max: 1}\n    - name: high\n      max: 2\n  \"odd.key\": 3\n";
  EXPECT_EQ(flk::yaml::locate(text, "$"), "2:1");
  EXPECT_EQ(flk::yaml::locate(text, "$.spec"), "2:1");
  EXPECT_EQ(flk::yaml::locate(text, "$.spec.bands"), "3:3");
  EXPECT_EQ(flk::yaml::locate(text, "$.spec.bands[0]"), "4:5");
  EXPECT_EQ(flk::yaml::locate(text, "$.spec.bands[0].max"), "4:19");
  EXPECT_EQ(flk::yaml::locate(text, "$.spec.bands[1].max"), "6:7");
  EXPECT_EQ(flk::yaml::locate(text, "$.spec[\"odd.key\"]"), "7:3");
  // Past what the text holds: the deepest entry on the way; a name that only starts like a key is not it.
  EXPECT_EQ(flk::yaml::locate(text, "$.spec.bands[1].min"), "5:5");
  EXPECT_EQ(flk::yaml::locate(text, "$.spec.bandsx"), "2:1");
  EXPECT_EQ(flk::yaml::locate(text, "$.spec.bands[7]"), "3:3");
  EXPECT_EQ(flk::yaml::locate("a: [b, *c]", "$.a"), "");  // text that does not read
}

}  // namespace

#include <gtest/gtest.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <random>
#include <string>
#include <vector>

#include "json/utf8.h"

namespace {

using flk::json::valid_utf8;

// RapidJSON's validating reader on the string literal "s": the rule valid_utf8 must match.
bool rapidjson_accepts(const std::string& s) {
  std::string doc = "\"" + s + "\"";
  rapidjson::MemoryStream ms(doc.data(), doc.size());
  rapidjson::BaseReaderHandler<> h;
  rapidjson::Reader r;
  return !r.Parse<rapidjson::kParseValidateEncodingFlag>(ms, h).IsError();
}

TEST(JsonUtf8, KnownSequences) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("plain ASCII text, longer than one word"));
  EXPECT_TRUE(valid_utf8("caf\xC3\xA9 \xE2\x80\x99 \xF0\x9F\x98\x80 \xEF\xBF\xBF \xF4\x8F\xBF\xBF"));
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));                  // overlong '/'
  EXPECT_FALSE(valid_utf8("\xE0\x9F\xBF"));              // overlong three-byte form
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));              // surrogate U+D800
  EXPECT_FALSE(valid_utf8("\xF0\x8F\xBF\xBF"));          // overlong four-byte form
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));          // above U+10FFFF
  EXPECT_FALSE(valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(valid_utf8("abcdefgh\xC3"));              // truncated after a full ASCII word
  EXPECT_FALSE(valid_utf8("\xE2\x80"));
  EXPECT_FALSE(valid_utf8("\x80"));                      // lone continuation byte
  EXPECT_FALSE(valid_utf8("\xE2\x28\xA1"));
}

TEST(JsonUtf8, AgreesWithRapidJsonOnRandomBytes) {
  std::mt19937 rng(19);
  const unsigned char pick[] = {'a', ' ', 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF,
                                0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF};
  int valid = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    const int n = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k)
      s += rng() % 3 == 0 ? static_cast<char>(pick[rng() % sizeof pick]) : static_cast<char>(0x80 + rng() % 128);
    if (rng() % 2) s = std::string(rng() % 140, 'p') + s;  // past the 64-, 32- and 8-byte ASCII steps
    ASSERT_EQ(valid_utf8(s), rapidjson_accepts(s)) << i;
    valid += valid_utf8(s);
  }
  EXPECT_GT(valid, 1000);  // both outcomes are exercised
}

}  // namespace

// A text that ends right after a whole 64- or 32-byte ASCII block: nothing past its end is read
// (the buffer is exactly the text, so the sanitizer build sees any overread).
TEST(JsonUtf8, EndsAfterWholeAsciiBlocks) {
  for (size_t n : {32, 64, 96, 128, 40, 8, 0}) {
    std::vector<char> exact(n, 'a');
    EXPECT_TRUE(flk::json::valid_utf8(std::string_view(exact.data(), exact.size()))) << n;
  }
}

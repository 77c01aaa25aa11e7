// The text of a data file a loader hands the browser build (util/given_text.h): the loaders
// inflate gzip files, so gzip bytes reaching the core are a loader's mistake, refused with a reason.
#include <gtest/gtest.h>

#include <string>

#include "util/given_text.h"

TEST(GivenText, TextPassesGzipAndOversizeAreRefused) {
  auto ok = flk::given_text("{\"id\":1}", 8);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value(), "{\"id\":1}");
  auto gz = flk::given_text(std::string("\x1f\x8b\x08\x00", 4), 64);
  ASSERT_FALSE(gz.ok());
  EXPECT_NE(gz.error().message.find("the bytes are gzip"), std::string::npos);
  auto big = flk::given_text("123456789", 8);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("over 8 bytes"), std::string::npos);
  EXPECT_TRUE(flk::given_text("", 0).ok());
  EXPECT_TRUE(flk::given_text("\x1f", 8).ok());  // one byte is no gzip header
}

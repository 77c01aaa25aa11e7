#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "facade/engine.h"

namespace flk::crypto {
namespace {

// An empty vector's data() is null, which libsodium's decoders are declared never to receive
// (UBSan's nonnull-attribute check stops the sanitizer build there).
TEST(Encoding, EmptyTextIsNoBytes) {
  auto hex = from_hex("");
  ASSERT_TRUE(hex.ok());
  EXPECT_TRUE(hex->empty());
  auto b64 = from_base64("");
  ASSERT_TRUE(b64.ok());
  EXPECT_TRUE(b64->empty());
}

TEST(Encoding, EmptyBinaryFieldsThroughTheFacade) {
  Engine e;
  const std::string empty_sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  EXPECT_NE(e.call("crypto.sha256", R"({"data_hex":""})").json.find(empty_sha), std::string::npos);
  EXPECT_NE(e.call("crypto.sha256", R"({"data_b64":""})").json.find(empty_sha), std::string::npos);
  CallOutput mac = e.call("crypto.hmac_sha256", R"({"key_text":"k","message_hex":""})");
  EXPECT_TRUE(mac.ok) << mac.json;
}

}  // namespace
}  // namespace flk::crypto

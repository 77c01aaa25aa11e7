// The server's bounds that the end-to-end tests cannot reach (issue 11): the tenant-id rule, the
// table of per-address buckets that stays within kMaxPeers whatever addresses arrive,
// Retry-After for any wait, and the connection cap derived from the descriptor limit.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "app/pipeline.h"
#include "http/server.h"
#include "tenants/directory.h"

namespace flk::server {
namespace {

TEST(Limits, TenantIdsAreOneRule) {
  for (const char* ok : {"a", "acme", "a.b", "_self", "A-1", "x.."}) EXPECT_TRUE(is_tenant_id(ok)) << ok;
  for (const char* bad : {"", ".", "..", ".hidden", "a/b", "a b", "é"}) EXPECT_FALSE(is_tenant_id(bad)) << bad;
  EXPECT_TRUE(is_tenant_id(std::string(128, 'a')));
  EXPECT_FALSE(is_tenant_id(std::string(129, 'a')));
}

TEST(Limits, PeerBucketsAreBoundedAndForgetOnlyWhenFull) {
  TenantDirectory d(/*default_rate=*/1, /*default_burst=*/1);
  double retry = 0;
  EXPECT_TRUE(d.allow_peer("p0", 0, &retry));
  EXPECT_FALSE(d.allow_peer("p0", 0, &retry));
  EXPECT_NEAR(retry, 1, 1e-9);
  // Fill the table with addresses that have each spent their token: none is idle, so the next
  // new address clears it (p0 starts afresh) rather than growing past kMaxPeers.
  for (size_t i = 1; i < TenantDirectory::kMaxPeers; ++i) ASSERT_TRUE(d.allow_peer("p" + std::to_string(i), 0, &retry));
  EXPECT_FALSE(d.allow_peer("p0", 0, &retry));
  EXPECT_TRUE(d.allow_peer("new", 0, &retry));
  EXPECT_TRUE(d.allow_peer("p0", 0, &retry));
  // Ten seconds on, every bucket but p0's (just spent) is full again: a new address drops the
  // full ones and p0 keeps its state.
  const int64_t later = 10'000'000'000;
  for (size_t i = 1; i < TenantDirectory::kMaxPeers - 1; ++i) ASSERT_TRUE(d.allow_peer("q" + std::to_string(i), 0, &retry));
  EXPECT_TRUE(d.allow_peer("p0", later, &retry));
  EXPECT_TRUE(d.allow_peer("newer", later, &retry));
  EXPECT_FALSE(d.allow_peer("p0", later, &retry));
}

TEST(Limits, RetryAfterIsABoundedInteger) {
  EXPECT_EQ(retry_after(0), "1");
  EXPECT_EQ(retry_after(0.2), "1");
  EXPECT_EQ(retry_after(1.5), "2");
  EXPECT_EQ(retry_after(86399.5), "86400");
  EXPECT_EQ(retry_after(1e300), "86400");
  EXPECT_EQ(retry_after(std::numeric_limits<double>::infinity()), "86400");
  EXPECT_EQ(retry_after(std::nan("")), "1");
}

TEST(Limits, ConnectionCapLeavesDescriptorsForTheRest) {
  EXPECT_EQ(default_max_connections(64), 32u);
  EXPECT_EQ(default_max_connections(1024), 768u);
  EXPECT_EQ(default_max_connections(1048576), 786432u);
  EXPECT_EQ(default_max_connections(16), 1u);
  EXPECT_EQ(default_max_connections(std::numeric_limits<uint64_t>::max()), (1u << 24) / 4 * 3);
}

}  // namespace
}  // namespace flk::server

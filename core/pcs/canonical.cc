#include "pcs/canonical.h"

#include "crypto/hash.h"
#include "json/write.h"
#include "util/decimal_round.h"

namespace flk::pcs {

std::string canonical_payload(const SignedSubset& s) {
  json::Value o = json::Value::object();
  o.set("pcs_id", s.pcs_id).set("merkle_root", s.merkle_root).set("epoch", s.epoch).set("shard_id", s.shard_id);
  o.set("D_hat", round_repr_half_up(s.d_hat, 9)).set("coh_star", round_repr_half_up(s.coh_star, 9));
  o.set("r", round_repr_half_up(s.r, 9)).set("budget", round_repr_half_up(s.budget, 9));
  return json::to_string(o);
}

std::string pcs_id(const std::string& merkle_root, int64_t epoch, const std::string& shard_id) {
  return crypto::sha256_hex(merkle_root + "|" + std::to_string(epoch) + "|" + shard_id);
}

}  // namespace flk::pcs

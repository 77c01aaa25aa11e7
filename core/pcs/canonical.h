// The bytes that get signed (spec §3) and the pcs_id formula (spec §2.8).
#pragma once
#include <cstdint>
#include <string>

#include "pcs/document.h"

namespace flk::pcs {

// {"D_hat":…,"budget":…,"coh_star":…,"epoch":…,"merkle_root":…,"pcs_id":…,"r":…,"shard_id":…}
// with the four floats rounded by round_repr_half_up(·, 9) and written in Python repr form.
std::string canonical_payload(const SignedSubset& s);

// hex(SHA-256(merkle_root "|" epoch "|" shard_id))
std::string pcs_id(const std::string& merkle_root, int64_t epoch, const std::string& shard_id);

}  // namespace flk::pcs

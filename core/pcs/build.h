// pcs.build: everything an agent computes for one shard and epoch (spec §2), as a complete
// PCS document. Signing is a separate step (pcs/signing.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "pcs/document.h"
#include "pcs/rows.h"

namespace flk::pcs {

struct BuildParams {
  std::string shard_id;
  int64_t epoch = 0;
  std::string sent_at;
  int64_t seed = 42;
  std::vector<int64_t> scales = {2, 4, 8, 16};
  size_t chunk_size = 64;  // merkle leaf size used by the reference CLI and the golden files
  int directions = 100;
  int bins = 20;
  int64_t attempt = 1;
  std::string version = "0.1";
};

Result<Document> build(const Rows& rows, const BuildParams& p);

}  // namespace flk::pcs

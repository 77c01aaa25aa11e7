#include "crypto/random.h"

#include <sodium.h>

namespace flk::crypto {

Bytes random_bytes(size_t n) {
  Bytes b(n);
  randombytes_buf(b.data(), n);
  return b;
}

Seed random_seed() {
  Seed s;
  randombytes_buf(s.data(), s.size());
  return s;
}

}  // namespace flk::crypto

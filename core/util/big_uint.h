// An exact unsigned integer of any size, for the rare conversions between doubles and decimal
// text that 64-bit arithmetic cannot settle (json/exact_digits.h, json/read_decimal.h). Simple
// schoolbook arithmetic on 32-bit limbs: those paths see a few thousand bits at most.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace flk {

class BigUint {
 public:
  explicit BigUint(uint64_t v = 0);

  void mul_small(uint32_t m);
  void add_small(uint32_t a);
  void mul(const BigUint& b);
  void mul_pow5(int k);  // k >= 0
  void shift_left(int bits);  // bits >= 0
  bool is_zero() const { return limb_.empty(); }
  int bit_length() const;
  // The top 64 bits (the value itself when shorter) and how far they were shifted right to
  // get there: *this ~ top64 * 2^shift.
  uint64_t top64(int* shift) const;
  std::string decimal() const;  // "0" for zero

  friend int compare(const BigUint& a, const BigUint& b);  // -1, 0, 1

 private:
  void trim();
  uint32_t divmod_small(uint32_t d);  // *this /= d, returns the remainder

  std::vector<uint32_t> limb_;  // least significant first, no zero limb on top
};

}  // namespace flk

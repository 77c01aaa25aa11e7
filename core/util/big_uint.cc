#include "util/big_uint.h"

#include <algorithm>

namespace flk {

BigUint::BigUint(uint64_t v) {
  for (; v; v >>= 32) limb_.push_back(static_cast<uint32_t>(v));
}

void BigUint::trim() {
  while (!limb_.empty() && limb_.back() == 0) limb_.pop_back();
}

void BigUint::mul_small(uint32_t m) {
  uint64_t carry = 0;
  for (uint32_t& l : limb_) {
    const uint64_t t = uint64_t{l} * m + carry;
    l = static_cast<uint32_t>(t);
    carry = t >> 32;
  }
  if (carry) limb_.push_back(static_cast<uint32_t>(carry));
  trim();
}

void BigUint::add_small(uint32_t a) {
  uint64_t carry = a;
  for (size_t i = 0; carry && i < limb_.size(); ++i) {
    const uint64_t t = uint64_t{limb_[i]} + carry;
    limb_[i] = static_cast<uint32_t>(t);
    carry = t >> 32;
  }
  if (carry) limb_.push_back(static_cast<uint32_t>(carry));
}

void BigUint::mul(const BigUint& b) {
  std::vector<uint32_t> r(limb_.size() + b.limb_.size(), 0);
  for (size_t i = 0; i < limb_.size(); ++i) {
    uint64_t carry = 0;
    for (size_t j = 0; j < b.limb_.size(); ++j) {
      const uint64_t t = uint64_t{limb_[i]} * b.limb_[j] + r[i + j] + carry;
      r[i + j] = static_cast<uint32_t>(t);
      carry = t >> 32;
    }
    r[i + b.limb_.size()] = static_cast<uint32_t>(carry);
  }
  limb_.swap(r);
  trim();
}

void BigUint::mul_pow5(int k) {
  constexpr uint32_t kPow5_13 = 1220703125;  // the largest power of five below 2^32
  for (; k >= 13; k -= 13) mul_small(kPow5_13);
  uint32_t rest = 1;
  for (; k > 0; --k) rest *= 5;
  mul_small(rest);
}

void BigUint::shift_left(int bits) {
  if (is_zero()) return;
  const size_t words = static_cast<size_t>(bits / 32);
  const int r = bits % 32;
  if (r) {
    uint32_t carry = 0;
    for (uint32_t& l : limb_) {
      const uint32_t next = l >> (32 - r);
      l = l << r | carry;
      carry = next;
    }
    if (carry) limb_.push_back(carry);
  }
  limb_.insert(limb_.begin(), words, 0);
}

int BigUint::bit_length() const {
  if (is_zero()) return 0;
  int top = 0;
  for (uint32_t t = limb_.back(); t; t >>= 1) ++top;
  return static_cast<int>(limb_.size() - 1) * 32 + top;
}

uint64_t BigUint::top64(int* shift) const {
  const int n = bit_length();
  *shift = std::max(n - 64, 0);
  uint64_t r = 0;
  for (int b = n - 1; b >= *shift; --b) r = r << 1 | (limb_[static_cast<size_t>(b / 32)] >> (b % 32) & 1);
  return r;
}

uint32_t BigUint::divmod_small(uint32_t d) {
  uint64_t rem = 0;
  for (size_t i = limb_.size(); i-- > 0;) {
    const uint64_t cur = rem << 32 | limb_[i];
    limb_[i] = static_cast<uint32_t>(cur / d);
    rem = cur % d;
  }
  trim();
  return static_cast<uint32_t>(rem);
}

std::string BigUint::decimal() const {
  if (is_zero()) return "0";
  BigUint q = *this;
  std::string rev;  // nine digits at a time, least significant first
  while (!q.is_zero()) {
    uint32_t chunk = q.divmod_small(1000000000);
    for (int i = 0; i < 9; ++i, chunk /= 10) rev += static_cast<char>('0' + chunk % 10);
  }
  while (rev.size() > 1 && rev.back() == '0') rev.pop_back();
  return std::string(rev.rbegin(), rev.rend());
}

int compare(const BigUint& a, const BigUint& b) {
  if (a.limb_.size() != b.limb_.size()) return a.limb_.size() < b.limb_.size() ? -1 : 1;
  for (size_t i = a.limb_.size(); i-- > 0;)
    if (a.limb_[i] != b.limb_[i]) return a.limb_[i] < b.limb_[i] ? -1 : 1;
  return 0;
}

}  // namespace flk

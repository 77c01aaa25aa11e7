// Integers as text without printf (whose floating-point half links musl's long-double code
// into the browser build): zero-padded decimal and fixed-width hexadecimal.
#pragma once
#include <cstdint>
#include <string>

namespace flk {

// printf's "%0*lld": v in decimal, zero-padded to `width` characters, a '-' sign included
// (-5 at width 4 is "-005"); never cut when longer.
void append_padded(std::string& out, int64_t v, int width);

// printf's "%016" PRIx64: 16 lower-case hexadecimal digits.
void append_hex16(std::string& out, uint64_t v);

}  // namespace flk

// Replacing findings in the text: a mask, a type tag, or a keyed pseudonym that maps the same
// value to the same token (HMAC-SHA256 under the caller's key), so redacted records can still be
// joined on it without revealing it.
#pragma once
#include <string>
#include <string_view>

#include "crypto/encoding.h"
#include "pii/finding.h"

namespace flk::pii {

enum class Mode { Mask, Tag, Pseudonym };

// "[EMAIL:1f0c6a9e3b2d4c58]": the first 8 bytes of HMAC-SHA256(key, kind || 0 || normalised
// value) in hex. Normalised: e-mail lower-cased; phone, card, SSN and IBAN reduced to their
// letters and digits (so "4111 1111 ..." and "4111-1111-..." give one token); others as written.
std::string pseudonym(Kind kind, std::string_view value, const crypto::Bytes& key);

// findings sorted and non-overlapping (as pii::scan returns them). Mask writes one '*' per code
// point; Tag writes "[EMAIL]", "[PAYMENT_CARD]", ...
std::string redact(std::string_view text, const Findings& findings, Mode mode, const crypto::Bytes& key);

}  // namespace flk::pii

// A/B routing of requests between two models by a consistent hash of a request key
// (a user or session id): h = first 8 bytes of SHA-256(key) as a big-endian integer, and the
// request goes to the treatment when (h mod 100) / 100 < traffic_split. The same key always
// gets the same arm; about traffic_split of all keys get the treatment.
#pragma once
#include <string_view>

namespace flk::hrs {

bool route_to_treatment(std::string_view key, double traffic_split);

}  // namespace flk::hrs

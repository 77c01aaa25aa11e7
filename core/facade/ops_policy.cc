#include "facade/registry.h"
namespace flk {
void add_policy_ops(std::vector<OpSpec>&) {}
void add_canary_ops(std::vector<OpSpec>&) {}
}

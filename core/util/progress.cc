#include "util/progress.h"

namespace flk {
namespace {
ProgressSink g_sink = nullptr;
}

void set_progress_sink(ProgressSink sink) { g_sink = sink; }

void report_progress(const char* message) {
  if (g_sink) g_sink(message);
}

}  // namespace flk

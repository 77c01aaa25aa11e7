// Progress messages of long computations (model training). The core does no I/O: a host that
// wants to show progress (the native CLI prints to stderr) installs a sink; without one the
// messages are dropped.
#pragma once

namespace flk {

using ProgressSink = void (*)(const char* message);

void set_progress_sink(ProgressSink sink);
void report_progress(const char* message);

}  // namespace flk

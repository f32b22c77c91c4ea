// Files the CLI leaves on disk (calendar exports, the alert outbox, the
// pilot report page) readable by their owner alone.
//
// They hold names and report numbers, and a usual umask (022) would leave
// them readable by every account on the machine; the mode is set at
// creation so there is no moment when they are not private.
#pragma once

#include <string>
#include <string_view>

namespace lotsen::cli {

// Writes `content` to `path`, created 0600 (or, when it exists and is a
// regular file, narrowed to 0600), truncated or appended to. Returns "" or
// what went wrong.
std::string WritePrivateFile(const std::string& path, std::string_view content,
                             bool append);

// Creates `dir` and any missing parents, each new one 0700. A directory that
// already exists keeps its mode: it is the operator's. Returns "" or what
// went wrong.
std::string MakePrivateDirectories(const std::string& dir);

}  // namespace lotsen::cli

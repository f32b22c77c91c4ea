// Reading a small file whole: keys, certificates, checkpoints.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace lotsen::server {

// False if the file cannot be opened (it does not exist, say); its bytes
// in `out` otherwise.
inline bool ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return true;
}

}  // namespace lotsen::server

#include "cli/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace lotsen::cli {

std::string WritePrivateFile(const std::string& path, std::string_view content,
                             bool append) {
  const int fd = ::open(
      path.c_str(),
      O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0600);
  if (fd < 0) return path + ": " + std::strerror(errno);
  // A file from before this rule may be 0644. Only a regular file: as root,
  // fchmod on /dev/null or a terminal would change the device for everyone.
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      (st.st_mode & 0777) != 0600 && ::fchmod(fd, 0600) != 0) {
    const std::string error = path + ": " + std::strerror(errno);
    ::close(fd);
    return error;
  }
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string error = path + ": " + std::strerror(errno);
      ::close(fd);
      return error;
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  if (::close(fd) != 0) return path + ": " + std::strerror(errno);
  return "";
}

std::string MakePrivateDirectories(const std::string& dir) {
  std::filesystem::path sofar;
  for (const auto& part : std::filesystem::path(dir)) {
    sofar /= part;
    if (::mkdir(sofar.c_str(), 0700) == 0 || errno == EEXIST) continue;
    return sofar.string() + ": " + std::strerror(errno);
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return dir + ": exists and is not a directory";
  }
  return "";
}

}  // namespace lotsen::cli

#include "bench/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace lotsen::bench {

std::unique_ptr<ServerProcess> ServerProcess::Start(const std::string& binary,
                                                    const std::string& db,
                                                    std::string* error,
                                                    bool http) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  std::vector<std::string> args = {binary, "--listen", "127.0.0.1:0", "--db",
                                   db};
  if (http) args.insert(args.end(), {"--http-listen", "127.0.0.1:0"});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return nullptr;
  }
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(pipe_fds[1], 2);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  std::unique_ptr<ServerProcess> p(new ServerProcess());
  p->pid_ = pid;
  p->fd_ = pipe_fds[0];
  p->drain_ = std::thread([raw = p.get()] { raw->Drain(); });
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (std::chrono::steady_clock::now() < give_up) {
    {
      std::lock_guard lock(p->mu_);
      if (p->port_ != 0) return p;
      if (p->eof_) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  *error = "lotsen-server did not report its port; its log:\n" + p->Tail();
  p->Stop();
  return nullptr;
}

ServerProcess::~ServerProcess() { Stop(); }

void ServerProcess::Drain() {
  std::string partial;
  char buf[1 << 16];
  while (true) {
    const ssize_t n = read(fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    partial.append(buf, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nl; (nl = partial.find('\n', start)) != std::string::npos;
         start = nl + 1) {
      std::string_view line(partial.data() + start, nl - start);
      // Per-call lines are most of the output; keep only the rest.
      if (line.find(" call method=") != std::string_view::npos) continue;
      std::lock_guard lock(mu_);
      if (port_ == 0) {
        if (auto at = line.find(" port="); at != std::string_view::npos) {
          port_ = std::atoi(std::string(line.substr(at + 6)).c_str());
        }
        if (auto at = line.find(" http_port="); at != std::string_view::npos) {
          http_port_ = std::atoi(std::string(line.substr(at + 11)).c_str());
        }
      }
      if (line.find("storage error") != std::string_view::npos) {
        ++storage_errors_;
      }
      tail_.emplace_back(line);
      if (tail_.size() > 20) tail_.pop_front();
    }
    partial.erase(0, start);
  }
  std::lock_guard lock(mu_);
  eof_ = true;
}

std::string ServerProcess::Tail() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& l : tail_) out += "  " + l + "\n";
  return out;
}

long ServerProcess::storage_errors() const {
  std::lock_guard lock(mu_);
  return storage_errors_;
}

long ServerProcess::StatusField(const char* field) const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  const size_t len = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, len, field) == 0 && line.size() > len &&
        line[len] == ':') {
      std::istringstream fields(line.substr(len + 1));
      long kib = -1;
      fields >> kib;
      return kib;
    }
  }
  return -1;
}

long ServerProcess::PeakRssKib() const { return StatusField("VmHWM"); }
long ServerProcess::RssKib() const { return StatusField("VmRSS"); }
long ServerProcess::AnonRssKib() const { return StatusField("RssAnon"); }

int ServerProcess::Stop() {
  if (stopped_ || pid_ < 0) return exit_status_;
  stopped_ = true;
  kill(pid_, SIGTERM);
  int status = 0;
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(60);
  pid_t done = 0;
  while ((done = waitpid(pid_, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (done == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  if (drain_.joinable()) drain_.join();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  return exit_status_;
}

}  // namespace lotsen::bench

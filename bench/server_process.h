// The real lotsen-server as a child process on a loopback port.
#pragma once

#include <sys/types.h>

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace lotsen::bench {

class ServerProcess {
 public:
  // Starts `binary` serving `db` on 127.0.0.1 with a port the kernel picks,
  // and waits (at most a minute) for the line on its stderr that names the
  // port (" port=N"). nullptr with the reason in `error` if it does not come.
  // With `http`, its HTTP listener too, on a port it picks (http_port()).
  static std::unique_ptr<ServerProcess> Start(const std::string& binary,
                                              const std::string& db,
                                              std::string* error,
                                              bool http = false);
  ~ServerProcess();

  int port() const { return port_; }
  int http_port() const {
    std::lock_guard lock(mu_);
    return http_port_;
  }
  pid_t pid() const { return pid_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Peak resident memory so far (VmHWM), and resident memory now (VmRSS), in
  // KiB; -1 if /proc cannot tell.
  long PeakRssKib() const;
  long RssKib() const;
  // Of it, anonymous memory (heap, stacks): not the database's file pages.
  long AnonRssKib() const;

  // SIGTERM, then at most 60 s for it to finish its calls and close the
  // database, then SIGKILL. Returns the exit status (or -signal). Idempotent.
  int Stop();

  // Its last log lines other than per-call lines, for error messages.
  std::string Tail() const;
  // How many "storage error" lines it printed.
  long storage_errors() const;

 private:
  ServerProcess() = default;
  void Drain();
  long StatusField(const char* field) const;

  pid_t pid_ = -1;
  int fd_ = -1;
  int port_ = 0;
  int http_port_ = 0;
  int exit_status_ = 0;
  bool stopped_ = false;
  std::thread drain_;
  mutable std::mutex mu_;
  std::deque<std::string> tail_;
  long storage_errors_ = 0;
  bool eof_ = false;
};

}  // namespace lotsen::bench

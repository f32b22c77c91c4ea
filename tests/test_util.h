// Helpers for tests that touch the outside: temporary directories, child
// processes, and a real lotsen-server started on a free loopback port.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lotsen::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "lotsen-test-XXXXXX")
            .string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Starts argv[0] with `env` added to the environment, stdout and stderr to
// the given files. Returns the child's pid.
inline pid_t Spawn(const std::vector<std::string>& argv,
                   const std::map<std::string, std::string>& env,
                   const std::string& out_path, const std::string& err_path) {
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int in = open("/dev/null", O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

inline int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a command to completion and captures its output.
inline RunResult RunCommand(
    const TempDir& dir, const std::vector<std::string>& argv,
    const std::map<std::string, std::string>& env = {}) {
  static int counter = 0;
  const std::string base = dir.file("run" + std::to_string(counter++));
  const pid_t pid = Spawn(argv, env, base + ".out", base + ".err");
  RunResult r;
  r.exit_code = WaitExit(pid);
  r.out = ReadFile(base + ".out");
  r.err = ReadFile(base + ".err");
  return r;
}

// The real lotsen-server binary on 127.0.0.1 with a free port.
class ServerProcess {
 public:
  // `extra` goes on the command line after the listen address and database
  // (e.g. {"--http-listen", "127.0.0.1:0"}).
  ServerProcess(const std::string& binary, const TempDir& dir,
                const std::string& db, std::vector<std::string> extra = {})
      : log_(dir.file("server.log")) {
    std::vector<std::string> args = {binary, "--listen", "127.0.0.1:0", "--db",
                                     db};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = Spawn(args, {}, dir.file("server.out"), log_);
    // Wait for the start line that names the port it bound; bounded.
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < give_up) {
      const std::string log = ReadFile(log_);
      const auto at = log.find(" port=");
      if (at != std::string::npos && log.find('\n', at) != std::string::npos) {
        port_ = std::stoi(log.substr(at + 6));
        const auto http = log.find(" http_port=");
        if (http != std::string::npos) http_port_ = std::stoi(log.substr(http + 11));
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("lotsen-server exited at start: " + log);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("lotsen-server did not start: " + ReadFile(log_));
  }
  ~ServerProcess() {
    if (pid_ > 0) Stop();
  }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // The HTTP listener's port, if started with --http-listen.
  int http_port() const { return http_port_; }
  std::string log() const { return ReadFile(log_); }
  // SIGTERM, then the exit status.
  int Stop() {
    kill(pid_, SIGTERM);
    const int code = WaitExit(pid_);
    pid_ = -1;
    return code;
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
  int http_port_ = 0;
};

}  // namespace lotsen::testing

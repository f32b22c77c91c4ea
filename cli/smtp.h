// Sending the alert digests through an SMTP relay, with libcurl.
//
// libcurl rather than our own SMTP client: STARTTLS, certificate checks,
// AUTH mechanisms, dot-stuffing and multi-line replies are easy to get
// subtly wrong, and a mistake here leaks case data in clear or loses mail.
// libcurl is already on every machine we deploy to.
//
// One Sender holds one CURL easy handle for the whole run, so libcurl keeps
// the connection (and its TLS session) open from one message to the next
// and opens a new one by itself after an error (libcurl closes the
// connection after a refused or broken message).
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>

namespace lotsen::cli::smtp {

struct Options {
  std::string url;  // smtp://host[:port][/ehlo-name] or smtps://...
  // STARTTLS or fail. Off only for a loopback relay or when the operator
  // said --smtp-insecure; TLS is then still used when offered.
  bool require_tls = true;
  std::string user, password;  // empty: no AUTH
  long connect_timeout_seconds = 30;
};

// "" when `url` is smtp:// or smtps:// with a host, else why not.
std::string CheckUrl(std::string_view url);

// True when the URL's host is 127.x.y.z, ::1 or localhost: mail that never
// leaves the machine needs no TLS.
bool IsLoopback(std::string_view url);

struct Result {
  enum Outcome { kAccepted, kRefused, kUnreachable } outcome = kUnreachable;
  int code = 0;      // the SMTP reply code when refused
  std::string text;  // the server's reply, or libcurl's reason
};

class Sender {
 public:
  // Throws std::runtime_error when libcurl cannot be set up.
  explicit Sender(const Options& options);
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // Sends `message` (CRLF line ends, no dot-stuffing) from `from` to `to`.
  // kAccepted only after the server's 250 to the end of DATA.
  Result Send(const std::string& from, const std::string& to,
              const std::string& message);

 private:
  CURL* curl_;
  char error_[256] = {};
  // The server's replies in the current transfer: the last one, and the
  // first 4xx or 5xx, which is the refusal (libcurl may talk on after it).
  std::string last_reply_, refusal_;
  static int OnDebug(CURL*, curl_infotype type, char* data, size_t size,
                     void* self);
};

}  // namespace lotsen::cli::smtp

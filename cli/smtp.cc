// Sending the alert digests through an SMTP relay (see smtp.h).
#include "cli/smtp.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace lotsen::cli::smtp {
namespace {

struct Upload {
  std::string_view data;
  size_t at = 0;
};

size_t OnRead(char* buffer, size_t size, size_t count, void* user) {
  auto* up = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, up->data.size() - up->at);
  up->data.copy(buffer, n, up->at);
  up->at += n;
  return n;
}

using Url = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

// The URL's scheme and host, or empty ones when it does not parse.
std::pair<std::string, std::string> SchemeAndHost(std::string_view url) {
  Url u(curl_url(), &curl_url_cleanup);
  if (!u || curl_url_set(u.get(), CURLUPART_URL, std::string(url).c_str(), 0) !=
                CURLUE_OK) {
    return {};
  }
  std::pair<std::string, std::string> out;
  char* part = nullptr;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &part, 0) == CURLUE_OK) {
    out.first = part;
    curl_free(part);
  }
  if (curl_url_get(u.get(), CURLUPART_HOST, &part, 0) == CURLUE_OK) {
    out.second = part;
    curl_free(part);
  }
  return out;
}

}  // namespace

std::string CheckUrl(std::string_view url) {
  // The scheme is checked on the text too: curl_url would guess one for a
  // bare host name, and an http:// URL must not be taken for a relay.
  if (!url.starts_with("smtp://") && !url.starts_with("smtps://")) {
    return "must start with smtp:// or smtps://";
  }
  if (SchemeAndHost(url).second.empty()) return "has no host";
  return "";
}

bool IsLoopback(std::string_view url) {
  const std::string host = SchemeAndHost(url).second;
  return host == "localhost" || host == "[::1]" || host == "::1" ||
         (host.starts_with("127.") &&
          host.find_first_not_of("0123456789.") == std::string::npos);
}

Sender::Sender(const Options& options) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(curl_, CURLOPT_URL, options.url.c_str());
  // Nothing but SMTP, whatever a redirect or a typo might suggest.
  curl_easy_setopt(curl_, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(
      curl_, CURLOPT_USE_SSL,
      static_cast<long>(options.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  if (!options.user.empty()) {
    curl_easy_setopt(curl_, CURLOPT_USERNAME, options.user.c_str());
    curl_easy_setopt(curl_, CURLOPT_PASSWORD, options.password.c_str());
  }
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT,
                   options.connect_timeout_seconds);
  // A relay that stalls must not hold the night's job forever.
  curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl_, CURLOPT_READFUNCTION, &OnRead);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
  // The debug callback is the only way libcurl shows the server's reply
  // text ("550 No such user"), which the summary should quote.
  curl_easy_setopt(curl_, CURLOPT_DEBUGFUNCTION, &Sender::OnDebug);
  curl_easy_setopt(curl_, CURLOPT_DEBUGDATA, this);
  curl_easy_setopt(curl_, CURLOPT_VERBOSE, 1L);
}

Sender::~Sender() { curl_easy_cleanup(curl_); }

int Sender::OnDebug(CURL*, curl_infotype type, char* data, size_t size,
                    void* self) {
  // Only what the server said; what we send includes the AUTH exchange.
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.pop_back();
  }
  auto* sender = static_cast<Sender*>(self);
  if (sender->refusal_.empty() && line.size() >= 3 &&
      (line[0] == '4' || line[0] == '5') && line[1] >= '0' && line[1] <= '9' &&
      line[2] >= '0' && line[2] <= '9') {
    sender->refusal_ = line;
  }
  sender->last_reply_ = line;
  return 0;
}

Result Sender::Send(const std::string& from, const std::string& to,
                    const std::string& message) {
  last_reply_.clear();
  refusal_.clear();
  error_[0] = '\0';
  Upload up{message};
  const std::string mail_from = "<" + from + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  curl_easy_setopt(curl_, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl_, CURLOPT_READDATA, &up);
  curl_easy_setopt(curl_, CURLOPT_INFILESIZE_LARGE,
                   static_cast<curl_off_t>(message.size()));
  const CURLcode rc = curl_easy_perform(curl_);
  curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, nullptr);
  curl_slist_free_all(rcpt);

  Result r;
  if (rc == CURLE_OK) {
    r.outcome = Result::kAccepted;
    r.text = last_reply_;
    return r;
  }
  // A 4xx or 5xx reply is the server's no; anything else (no connection,
  // TLS refused, connection lost mid-message) means we never heard a yes.
  if (!refusal_.empty()) {
    r.outcome = Result::kRefused;
    r.code = std::stoi(refusal_.substr(0, 3));
    r.text = refusal_;
  } else {
    r.outcome = Result::kUnreachable;
    r.text = error_[0] ? error_ : curl_easy_strerror(rc);
  }
  return r;
}

}  // namespace lotsen::cli::smtp

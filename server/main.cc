// lotsen-server: serves the Lotsen API, or administers its database.
//
//   lotsen-server [--listen ADDR] [--db PATH]        serve (the default)
//   lotsen-server admin add-user NAME --role ROLE [--district D]  add a user
//   lotsen-server admin new-token NAME               another token for a user
//   lotsen-server admin demo                         demo users and cases
//   lotsen-server audit verify --checkpoints F --public-key K  check a copy
//   lotsen-server rules diff OLD NEW --db PATH       preview a rule change
#include <absl/synchronization/mutex.h>
#include <google/protobuf/util/time_util.h>
#include <malloc.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <csignal>
#include <fstream>
#include <iostream>

#include "server/server.h"
#include "server/service/admin.h"
#include "server/service/audit.h"
#include "server/service/demo.h"
#include "server/service/rules_diff.h"
#include "server/store/revocations.h"
#include "server/store/sqlite/sqlite_store.h"

namespace {

using lotsen::scheduler::SystemClock;
namespace srv = lotsen::server;

int Fail(const std::string& message) {
  std::cerr << "lotsen-server: " << message << "\n";
  return 1;
}

int Serve(const srv::ServerOptions& options) {
  // Block the stop signals in every thread (gRPC's inherit this mask), and
  // wait for them here, so shutdown runs in an ordinary thread, not a
  // signal handler. SIGHUP (systemctl reload) drops the cached token
  // look-ups, so what `admin revoke-tokens` or `disable-user` did to the
  // database from another process holds at once, not within a second.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  // Debian's Abseil checks every gRPC mutex acquisition against a graph of
  // lock orders, a debugging aid that costs a few per cent of the CPU on
  // every call; the server's own locks do not use it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // glibc gives threads up to eight malloc arenas a core, and memory freed
  // in one is reused only by the threads on it: each pilot report (tens of
  // megabytes of a period's cases) ran on another pool thread and left its
  // pages behind, and lotsen-bench's twelve reports took the server's peak
  // resident memory from 66 to 479 MiB. Two arenas, one a core, held it to
  // 181 MiB (issue 18); malloc_trim after each report did not (374 MiB).
  mallopt(M_ARENA_MAX, 2);
  SystemClock clock;
  std::string error;
  auto server = srv::LotsenServer::Start(options, clock, std::cerr, &error);
  if (!server) return Fail(error);
  int sig = 0;
  while (sigwait(&stop, &sig) == 0 && sig == SIGHUP) {
    srv::NoteTokensRevoked();
    std::cerr << "lotsen-server: SIGHUP, token look-ups dropped; revocations "
                 "and disabled users hold from now\n";
  }
  std::cerr << "lotsen-server: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
            << ", finishing calls in flight\n";
  server->Shutdown();
  server.reset();  // closes the database cleanly
  return 0;
}

std::unique_ptr<srv::Store> OpenOrFail(const std::string& path) {
  std::string error;
  auto store = srv::OpenSqliteStore(path, &error);
  if (!store) std::cerr << "lotsen-server: " << error << "\n";
  return store;
}

}  // namespace

int main(int argc, char** argv) {
  // The database holds personnummer and protected identities; what the
  // server creates is for its own user only.
  umask(077);
  CLI::App app{"Lotsen: case and court-process tracking for victim support"};
  app.fallthrough();
  srv::ServerOptions options;
  app.add_option("--listen", options.listen,
                 "host:port to listen on (port 0 picks a free one)")
      ->envname("LOTSEN_LISTEN")
      ->capture_default_str();
  app.add_option("--db", options.db_path, "SQLite database file")
      ->envname("LOTSEN_DB")
      ->capture_default_str();
  app.add_option("--rules", options.rules_path,
                 "deadline rule file (textproto); default: the built-in "
                 "scheduler/rules/deadlines.textproto")
      ->envname("LOTSEN_RULES");
  app.add_option("--nightly-sweep", options.nightly_sweep,
                 "run the deadline sweep each night at this Stockholm local "
                 "time (HH:MM, e.g. 02:00), and at start if a night was missed")
      ->envname("LOTSEN_NIGHTLY_SWEEP");
  app.add_option("--tls-cert", options.tls_cert,
                 "TLS: the server's certificate chain (PEM)")
      ->envname("LOTSEN_TLS_CERT");
  app.add_option("--tls-key", options.tls_key, "TLS: the server's key (PEM)")
      ->envname("LOTSEN_TLS_KEY");
  app.add_option("--tls-client-ca", options.tls_client_ca,
                 "mutual TLS: require client certificates signed by this CA "
                 "(PEM); the certificate's common name is the user name")
      ->envname("LOTSEN_TLS_CLIENT_CA");
  app.add_flag("--allow-plaintext", options.allow_plaintext,
               "allow plaintext on a non-loopback address (only behind "
               "something else that encrypts)");
  bool no_reflection = false;
  app.add_flag("--no-reflection", no_reflection,
               "turn off server reflection, which lists every method to "
               "anyone who connects (on by default for grpcurl-style tools)");
  app.add_option("--http-listen", options.http_listen,
                 "host:port for HTTP: calendar feeds, /healthz, /metrics "
                 "(off unless given; TLS with --tls-cert/--tls-key, plain "
                 "only on loopback unless --allow-plaintext)")
      ->envname("LOTSEN_HTTP_LISTEN");
  std::string metrics_token_file;
  app.add_option("--metrics-token-file", metrics_token_file,
                 "GET /metrics from anywhere with `Authorization: Bearer` "
                 "the secret in this file (default: loopback only)")
      ->envname("LOTSEN_METRICS_TOKEN_FILE");
  app.add_option("--max-receive-bytes", options.max_receive_bytes,
                 "largest request accepted")
      ->check(CLI::Range(1024, 64 << 20))
      ->capture_default_str();
  app.add_option("--audit-checkpoints", options.audit_checkpoints,
                 "append signed checkpoints of the access log's chain here, "
                 "each minute and at stop (default: <db>.checkpoints); keep "
                 "it off the database's disk and append-only (chattr +a)")
      ->envname("LOTSEN_AUDIT_CHECKPOINTS");
  app.add_option("--audit-key", options.audit_key,
                 "the checkpoints' signing key, replaced at each checkpoint "
                 "(default: <checkpoints>.key)")
      ->envname("LOTSEN_AUDIT_KEY");
  app.add_flag("--no-audit-checkpoints", options.audit_checkpoints_off,
               "sign no checkpoints: the chain alone then shows edits only "
               "by someone who did not recompute it");
  int log_write_behind_ms = 100;
  app.add_option("--log-write-behind-ms", log_write_behind_ms,
                 "write call log lines at most this many milliseconds after "
                 "the call, together (0: each at once)")
      ->envname("LOTSEN_LOG_WRITE_BEHIND_MS")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();

  auto* admin = app.add_subcommand("admin", "administer the database")
                    ->require_subcommand(1);
  std::string username, display_name, role_text;
  auto* add_user =
      admin->add_subcommand("add-user", "add a user and print its token");
  add_user->add_option("username", username, "login name, e.g. sara")
      ->required();
  add_user
      ->add_option("--role", role_text,
                   "social_worker, coordinator, police, prosecutor, "
                   "alert_job or auditor")
      ->required();
  add_user->add_option("--display-name", display_name, "full name");
  std::string district_text;
  add_user->add_option("--district", district_text,
                       "police and prosecutors: the district whose cases "
                       "they work, e.g. rinkeby-kista");
  std::string email;
  add_user->add_option("--email", email,
                       "where the morning's alert digest goes, e.g. "
                       "sara@example.se (see `admin set-email`)");
  int valid_days = srv::kDefaultTokenDays;
  for (auto* cmd : {add_user}) {
    cmd->add_option("--valid-days", valid_days,
                    "days the token works (0: until revoked)")
        ->check(CLI::Range(0, 3650))
        ->capture_default_str();
  }
  auto* new_token =
      admin->add_subcommand("new-token", "print a new token for a user");
  new_token->add_option("username", username)->required();
  new_token
      ->add_option("--valid-days", valid_days,
                   "days the token works (0: until revoked)")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  auto* set_email = admin->add_subcommand(
      "set-email", "set a user's e-mail address (\"\" removes it)");
  set_email->add_option("username", username)->required();
  set_email->add_option("email", email, "e.g. sara@example.se, or \"\"")
      ->required();
  auto* revoke = admin->add_subcommand("revoke-tokens",
                                       "revoke every token of a user at once");
  revoke->add_option("username", username)->required();
  auto* disable = admin->add_subcommand(
      "disable-user",
      "shut a user out by every route (tokens, certificate, calendar feed) "
      "until enable-user; on a running server at once after "
      "`systemctl reload lotsen-server`, else within a second");
  disable->add_option("username", username)->required();
  auto* enable = admin->add_subcommand(
      "enable-user", "let a disabled user in again, by the same routes");
  enable->add_option("username", username)->required();
  std::string serial;
  auto* deny = admin->add_subcommand(
      "deny-certificate",
      "refuse client certificates with this serial number, whoever they "
      "name (takes effect at the next call)");
  deny->add_option("serial", serial,
                   "as `openssl x509 -noout -serial -in CERT` prints it")
      ->required();
  auto* allow = admin->add_subcommand("allow-certificate",
                                      "take a serial number off the deny list");
  allow->add_option("serial", serial)->required();
  auto* demo = admin->add_subcommand(
      "demo", "add demo users and cases; prints each user's token");
  std::string backup_path;
  auto* backup = app.add_subcommand(
      "backup", "copy the database consistently while the server runs");
  backup->add_option("path", backup_path, "the new file to write")->required();

  auto* audit = app.add_subcommand(
      "audit", "check a copy of the access log without the server");
  auto* audit_verify = audit->add_subcommand(
      "verify",
      "walk the chain, the index and the checkpoints of --db; exit 1 and "
      "name the first broken or missing line if anything was changed");
  std::string checkpoints_copy, public_key;
  audit_verify->add_option("--checkpoints", checkpoints_copy,
                           "the checkpoint file (default: none, the chain "
                           "alone)");
  audit_verify
      ->add_option("--public-key", public_key,
                   "the first public key, as the auditor kept it (64 hex "
                   "digits, or a file holding them)")
      ->needs(audit_verify->get_option("--checkpoints"));
  audit->require_subcommand(1);

  auto* rules_cmd =
      app.add_subcommand("rules", "look at rule sets")->require_subcommand(1);
  std::string old_rules_path, new_rules_path;
  auto* rules_diff = rules_cmd->add_subcommand(
      "diff",
      "list each open task and deadline of every case in --db that the NEW "
      "rule set would add, move or cancel compared with OLD; reads the "
      "database only, changes nothing");
  rules_diff
      ->add_option("OLD", old_rules_path,
                   "the rule file in force now (textproto, e.g. "
                   "scheduler/rules/deadlines.textproto)")
      ->required();
  rules_diff->add_option("NEW", new_rules_path, "the changed rule file")
      ->required();

  CLI11_PARSE(app, argc, argv);

  if (rules_diff->parsed()) {
    if (app.get_option("--db")->empty()) {
      std::cerr << "lotsen-server: rules diff: give the database to compare "
                   "over with --db PATH (or LOTSEN_DB)\n";
      return 2;
    }
    std::string error;
    auto old_rules = srv::LoadRules(old_rules_path, &error);
    if (!old_rules) {
      while (!error.empty() && error.back() == '\n') error.pop_back();
      std::cerr << "lotsen-server: OLD " << error << "\n";
      return 2;
    }
    auto new_rules = srv::LoadRules(new_rules_path, &error);
    if (!new_rules) {
      while (!error.empty() && error.back() == '\n') error.pop_back();
      std::cerr << "lotsen-server: NEW " << error << "\n";
      return 2;
    }
    auto store = srv::OpenSqliteStoreReadOnly(options.db_path, &error);
    if (!store) return Fail(error);
    srv::RulesDiff diff;
    grpc::Status s = srv::DiffRules(*store, *old_rules, *new_rules, &diff);
    if (!s.ok()) return Fail(s.error_message());
    srv::PrintRulesDiff(diff, std::cout);
    return 0;
  }

  if (audit_verify->parsed()) {
    if (!checkpoints_copy.empty() && public_key.empty()) {
      return Fail(
          "--public-key: give the first public key the auditor kept; the "
          "checkpoint file's own header proves nothing to someone who "
          "does not trust the machine");
    }
    if (!public_key.empty() && !srv::IsPublicKeyHex(public_key)) {
      std::ifstream in(public_key);
      if (!in) {
        return Fail("--public-key: \"" + public_key +
                    "\" is neither the key (64 lower-case hex digits) nor a "
                    "file holding it");
      }
      const std::string file = public_key;
      in >> public_key;
      if (!srv::IsPublicKeyHex(public_key)) {
        return Fail("--public-key: " + file +
                    " holds no public key (64 lower-case hex digits)");
      }
    }
    auto store = OpenOrFail(options.db_path);
    if (!store) return 1;
    lotsen::v1::VerifyAuditLogResponse out;
    grpc::Status s =
        srv::Audit::VerifyCopy(*store, checkpoints_copy, public_key, &out);
    if (!s.ok()) return Fail(s.error_message());
    if (out.intact()) {
      std::cout << "intact: " << out.checked() << " lines, "
                << out.checkpoints() << " checkpoints";
      if (out.checkpoints() > 0) {
        std::cout << " (the newest of line " << out.last_checkpoint_line()
                  << ", signed "
                  << google::protobuf::util::TimeUtil::ToString(
                         out.last_checkpoint_time())
                  << ")";
      }
      std::cout << "\n";
      return 0;
    }
    std::cout << "BROKEN at line " << out.first_broken() << ": "
              << out.problem() << " (" << out.checked()
              << " lines before it hold)\n";
    return 1;
  }

  if (backup->parsed()) {
    auto store = OpenOrFail(options.db_path);
    if (!store) return 1;
    grpc::Status s = store->Backup(backup_path);
    if (!s.ok()) return Fail(s.error_message());
    std::cerr << "lotsen-server: backed up " << options.db_path << " to "
              << backup_path << "\n";
    return 0;
  }
  if (admin->parsed()) {
    auto store = OpenOrFail(options.db_path);
    if (!store) return 1;
    SystemClock clock;
    std::string token;
    grpc::Status s;
    if (add_user->parsed()) {
      auto role = srv::ParseRole(role_text);
      if (!role) return Fail("--role: unknown role \"" + role_text + "\"");
      auto district = lotsen::v1::DISTRICT_UNSPECIFIED;
      if (!district_text.empty()) {
        auto d = srv::ParseDistrict(district_text);
        if (!d)
          return Fail("--district: unknown district \"" + district_text + "\"");
        district = *d;
      }
      s = srv::AddUser(*store, clock, username, display_name, *role, &token,
                       valid_days, district, email);
    } else if (set_email->parsed()) {
      s = srv::SetEmail(*store, username, email);
    } else if (new_token->parsed()) {
      s = srv::IssueToken(*store, clock, username, &token, valid_days);
    } else if (revoke->parsed()) {
      int count = 0;
      s = srv::RevokeTokens(*store, clock, username, &count);
      if (s.ok()) std::cerr << "revoked " << count << " tokens\n";
    } else if (disable->parsed() || enable->parsed()) {
      s = srv::SetUserDisabled(*store, clock, username, disable->parsed());
      if (s.ok()) {
        std::cerr << username << (disable->parsed() ? " disabled" : " enabled")
                  << "\n";
      }
    } else if (deny->parsed() || allow->parsed()) {
      bool changed = false;
      s = srv::SetCertificateDenied(*store, clock, serial, deny->parsed(),
                                    &changed);
      if (s.ok()) {
        std::cerr << "serial " << serial
                  << (deny->parsed()
                          ? (changed ? " denied" : " was denied already")
                          : (changed ? " allowed again" : " was not denied"))
                  << "\n";
      }
    } else if (demo->parsed()) {
      std::string error;
      auto rules = srv::LoadRules(options.rules_path, &error);
      if (!rules) return Fail(error);
      srv::DeadlineEngine engine(std::move(*rules));
      s = srv::LoadDemo(*store, clock, engine, std::cout);
    }
    if (!s.ok()) return Fail(s.error_message());
    if (!token.empty()) std::cout << token << "\n";
    return 0;
  }
  options.log_write_behind = std::chrono::milliseconds(log_write_behind_ms);
  options.reflection = !no_reflection;
  if (!metrics_token_file.empty()) {
    std::ifstream in(metrics_token_file);
    std::getline(in, options.metrics_token);
    while (
        !options.metrics_token.empty() &&
        std::isspace(static_cast<unsigned char>(options.metrics_token.back())))
      options.metrics_token.pop_back();
    if (!in && options.metrics_token.empty())
      return Fail("--metrics-token-file: cannot read " + metrics_token_file);
    if (options.metrics_token.size() < 16)
      return Fail(
          "--metrics-token-file: the secret must be at least 16 "
          "characters");
  }
  return Serve(options);
}

// Test certificates made by openssl as the README shows: a CA, a server
// certificate for localhost/127.0.0.1, and a client certificate whose
// common name is a user name (tls_test.cc, http_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace lotsen::testing {

// A CA, a server certificate for localhost/127.0.0.1, and a client
// certificate whose common name is a user name.
class Certificates {
 public:
  explicit Certificates(const TempDir& dir) : dir_(dir) {
    Run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
         "-days", "2", "-subj", "/CN=Lotsen test CA", "-keyout", file("ca.key"),
         "-out", file("ca.pem")});
    Sign("server", "/CN=localhost",
         "subjectAltName=DNS:localhost,IP:127.0.0.1");
    Sign("sara", "/CN=sara", "");
  }
  std::string file(const std::string& name) const { return dir_.file(name); }

 private:
  void Run(const std::vector<std::string>& argv) {
    auto r = RunCommand(dir_, argv);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void Sign(const std::string& who, const std::string& subject,
            const std::string& san) {
    Run({"/usr/bin/openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj",
         subject, "-keyout", file(who + ".key"), "-out", file(who + ".csr")});
    std::vector<std::string> sign = {"/usr/bin/openssl",
                                     "x509",
                                     "-req",
                                     "-in",
                                     file(who + ".csr"),
                                     "-CA",
                                     file("ca.pem"),
                                     "-CAkey",
                                     file("ca.key"),
                                     "-CAcreateserial",
                                     "-days",
                                     "2",
                                     "-out",
                                     file(who + ".pem")};
    if (!san.empty()) {
      std::ofstream(file(who + ".ext")) << san << "\n";
      sign.insert(sign.end(), {"-extfile", file(who + ".ext")});
    }
    Run(sign);
  }
  const TempDir& dir_;
};

}  // namespace lotsen::testing

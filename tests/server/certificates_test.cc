// Serial numbers of client certificates, as operators type them and as the
// server reads them from a certificate openssl made.
#include "server/domain/certificates.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace lotsen::server {
namespace {

TEST(CertificatesTest, SerialsHaveOneSpelling) {
  EXPECT_EQ(NormalizeSerial("serial=0A1B"), "a1b");
  EXPECT_EQ(NormalizeSerial("0a:1b"), "a1b");
  EXPECT_EQ(NormalizeSerial("A1B"), "a1b");
  EXPECT_EQ(NormalizeSerial("00"), "0");
  for (const char* bad :
       {"", "serial=", ":", "0x1b", "1g", " 1b", "1b\n", "serial=-1"}) {
    EXPECT_EQ(NormalizeSerial(bad), std::nullopt) << '"' << bad << '"';
  }
  EXPECT_NE(NormalizeSerial(std::string(40, 'f')), std::nullopt);
  EXPECT_EQ(NormalizeSerial(std::string(41, 'f')), std::nullopt);
}

TEST(CertificatesTest, TheSerialOfACertificateIsWhatOpensslPrints) {
  testing::TempDir dir;
  auto r = testing::RunCommand(
      dir, {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-days", "1", "-subj", "/CN=sara", "-set_serial", "0x00c0ffee42",
            "-keyout", dir.file("k.pem"), "-out", dir.file("c.pem")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SerialOfPem(testing::ReadFile(dir.file("c.pem"))), "c0ffee42");
  EXPECT_EQ(SerialOfPem("not a certificate"), std::nullopt);
  EXPECT_EQ(SerialOfPem(""), std::nullopt);
}

}  // namespace
}  // namespace lotsen::server

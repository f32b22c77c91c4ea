// Hostile input over the API, on the fuzz target's server (fuzz_server.h):
// a request over the size limit is RESOURCE_EXHAUSTED; every string field
// of every method, stretched to 100,000 characters in an otherwise valid
// request, is INVALID_ARGUMENT naming the field, without the flood echoed
// back; page sizes above the cap are clamped to it, negative ones refused.
// The walks go through the descriptor pool, so a method or field added
// later is covered once seeds.cc has a request for it.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <climits>
#include <set>

#include "lotsen/v1/audit_service.grpc.pb.h"
#include "lotsen/v1/case_service.grpc.pb.h"
#include "tests/fuzz/fuzz_server.h"
#include "tests/fuzz/rpc_methods.h"
#include "tests/fuzz/seeds.h"

namespace lotsen::fuzz {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using grpc::StatusCode;

FuzzServer& Server() {
  static FuzzServer* server = new FuzzServer();
  return *server;
}

std::unique_ptr<grpc::ClientContext> As(const std::string& user) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + Server().token(user));
  return ctx;
}

std::unique_ptr<Message> New(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(type)
          ->New());
}

int CountCases() {
  auto stub = v1::CaseService::NewStub(Server().channel());
  v1::ListCasesRequest req;
  req.set_page_size(1000);
  v1::ListCasesResponse resp;
  EXPECT_TRUE(stub->ListCases(As("lead").get(), req, &resp).ok());
  return resp.cases_size();
}

TEST(HostileInputTest, ARequestOverTheSizeLimitIsResourceExhausted) {
  const int before = CountCases();
  auto stub = v1::CaseService::NewStub(Server().channel());
  v1::CreateCaseRequest req;
  v1::Case& c = *req.mutable_case_();
  c.set_police_report_number("5000-K999-26");
  c.mutable_report_date()->set_year(2026);
  c.mutable_report_date()->set_month(3);
  c.mutable_report_date()->set_day(1);
  c.set_district(v1::BROMMA);
  c.set_offence_category(v1::ASSAULT);
  c.mutable_victim()->set_display_name("A");
  // Over ServerOptions::max_receive_bytes (1 MiB): refused before parsing.
  c.set_offence_text(std::string(2 << 20, 'x'));
  v1::Case out;
  grpc::Status s = stub->CreateCase(As("polis").get(), req, &out);
  EXPECT_EQ(s.error_code(), StatusCode::RESOURCE_EXHAUSTED)
      << s.error_message();
  EXPECT_EQ(CountCases(), before);
}

// The access log's lines of `actor` ("users/x", or "-"), as "method
// outcome", newest last.
std::vector<std::string> AccessLines(const std::string& actor) {
  auto stub = v1::AuditService::NewStub(Server().channel());
  v1::ListAuditEntriesRequest req;
  if (actor != "-") req.set_actor(actor);
  req.set_page_size(1000);
  std::vector<std::string> out;
  do {
    v1::ListAuditEntriesResponse resp;
    grpc::Status s = stub->ListAuditEntries(As("revisor").get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (const auto& e : resp.entries()) {
      if (e.actor() == actor) out.push_back(e.method() + " " + e.outcome());
    }
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

// gRPC refuses a request it cannot read before any handler runs; the call
// is logged all the same, as whoever the token names, with the status sent
// (issue 17, finding 3). Without a valid token, as a failed authentication.
TEST(HostileInputTest, RequestsRefusedBeforeTheHandlerAreLogged) {
  const auto before = AccessLines("users/polis");
  grpc::Status status;
  std::string response;
  // Field 1, length-delimited, with a length far past the end.
  const std::string garbage = "\x0a\xff\xff\xff\xff\x0f";
  ASSERT_TRUE(Server().Call("/lotsen.v1.CaseService/GetCase", "polis", garbage,
                            &status, &response));
  EXPECT_FALSE(status.ok());
  // gRPC answers UNIMPLEMENTED when a request does not parse.
  EXPECT_EQ(status.error_code(), StatusCode::UNIMPLEMENTED);
  // A well-formed request over the limit (1 MiB).
  v1::ListCasesRequest flood;
  flood.set_page_token(std::string(2 << 20, 'x'));
  ASSERT_TRUE(Server().Call("/lotsen.v1.CaseService/ListCases", "polis",
                            flood.SerializeAsString(), &status, &response));
  EXPECT_EQ(status.error_code(), StatusCode::RESOURCE_EXHAUSTED);
  const auto after = AccessLines("users/polis");
  ASSERT_GE(after.size(), before.size() + 2);
  const std::vector<std::string> added(after.end() - 2, after.end());
  EXPECT_EQ(added, (std::vector<std::string>{"GetCase UNIMPLEMENTED",
                                             "ListCases RESOURCE_EXHAUSTED"}));

  const auto anonymous = AccessLines("-");
  ASSERT_TRUE(Server().Call("/lotsen.v1.CaseService/GetCase", "", garbage,
                            &status, &response));
  const auto now = AccessLines("-");
  ASSERT_EQ(now.size(), anonymous.size() + 1);
  EXPECT_EQ(now.back(), "GetCase UNAUTHENTICATED");
}

// Every string field of `m` and of the messages set in it, as a path
// ("case.victim.display_name") and a setter.
void StringFields(
    Message* m, const std::string& prefix,
    std::vector<
        std::pair<std::string, std::function<void(const std::string&)>>>* out) {
  const auto* reflection = m->GetReflection();
  for (int i = 0; i < m->GetDescriptor()->field_count(); ++i) {
    const FieldDescriptor* f = m->GetDescriptor()->field(i);
    const std::string path = prefix + f->name();
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        out->push_back({path, [m, f, reflection](const std::string& v) {
                          if (reflection->FieldSize(*m, f) == 0) {
                            reflection->AddString(m, f, v);
                          } else {
                            reflection->SetRepeatedString(m, f, 0, v);
                          }
                        }});
      } else {
        out->push_back({path, [m, f, reflection](const std::string& v) {
                          reflection->SetString(m, f, v);
                        }});
      }
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE &&
               !f->is_repeated() && reflection->HasField(*m, f)) {
      StringFields(reflection->MutableMessage(m, f), path + ".", out);
    }
  }
}

// Fields the protos document as output only: the server ignores them in a
// request (AIP-203), so a flood there is neither checked nor stored. The
// size limit bounds them.
const std::set<std::string> kOutputOnly = {
    "case.name",      "case.assigned_worker", "case.etag",
    "hearing.name",   "hearing.etag",         "hearing.conflict_reason",
    "absence.name",   "record.name",          "record.author",
    "household.etag", "household.updated_by"};

TEST(HostileInputTest, EveryLongStringIsRefusedNamingItsField) {
  // Two bytes a character, so a check that counts bytes for characters is
  // caught too; 200 KB in all, well under the size limit.
  std::string flood;
  for (int i = 0; i < 100000; ++i) flood += "\xc3\xa5";  // å
  int checked = 0;
  for (const Seed& seed : Seeds()) {
    if (!seed.valid || *seed.caller == '\0') continue;
    const auto* method = MethodNamed(seed.method);
    ASSERT_NE(method, nullptr) << seed.method;
    auto pristine = New(method->input_type());
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(seed.text,
                                                              pristine.get()))
        << seed.method;
    const size_t fields = [&] {
      std::vector<
          std::pair<std::string, std::function<void(const std::string&)>>>
          all;
      StringFields(pristine.get(), "", &all);
      return all.size();
    }();
    for (size_t i = 0; i < fields; ++i) {
      auto request = New(method->input_type());
      request->CopyFrom(*pristine);
      std::vector<
          std::pair<std::string, std::function<void(const std::string&)>>>
          all;
      StringFields(request.get(), "", &all);
      const std::string& path = all[i].first;
      if (kOutputOnly.count(path)) continue;
      // A replayed request_id with a changed request is refused for that
      // before any other field is looked at.
      if (path != "request_id") {
        const auto* id = method->input_type()->FindFieldByName("request_id");
        if (id) request->GetReflection()->ClearField(request.get(), id);
      }
      all[i].second(flood);
      grpc::Status s;
      std::string answer;
      ASSERT_TRUE(Server().Call(WirePath(method), seed.caller,
                                request->SerializeAsString(), &s, &answer));
      const std::string field = path.substr(path.rfind('.') + 1);
      // A caller who may name no one else is told that first; the message
      // still names the field.
      const bool denied = s.error_code() == StatusCode::PERMISSION_DENIED;
      EXPECT_TRUE(s.error_code() == StatusCode::INVALID_ARGUMENT || denied)
          << seed.method << " " << path << ": " << s.error_message();
      EXPECT_NE(s.error_message().find(field), std::string::npos)
          << seed.method << " " << path << ": " << s.error_message();
      EXPECT_LT(s.error_message().size(), 500u)
          << seed.method << " " << path << " echoes the flood";
      ++checked;
    }
  }
  EXPECT_GT(checked, 50);
}

TEST(HostileInputTest, PageSizesAreCappedAndNegativeOnesRefused) {
  // Over a thousand lines in the access log: each call writes one.
  auto cases = v1::CaseService::NewStub(Server().channel());
  for (int i = 0; i < 1001; ++i) {
    v1::GetCaseRequest req;
    req.set_name("cases/1");
    v1::Case out;
    ASSERT_TRUE(cases->GetCase(As("lead").get(), req, &out).ok());
  }
  Server().server().audit().Flush();
  auto audit = v1::AuditService::NewStub(Server().channel());
  for (auto [asked, given] :
       {std::pair{INT_MAX, 1000}, {1001, 1000}, {0, 50}}) {
    v1::ListAuditEntriesRequest req;
    req.set_page_size(asked);
    v1::ListAuditEntriesResponse resp;
    ASSERT_TRUE(audit->ListAuditEntries(As("revisor").get(), req, &resp).ok());
    EXPECT_EQ(resp.entries_size(), given) << asked;
    EXPECT_FALSE(resp.next_page_token().empty()) << asked;
  }
  // Every list, negative: refused, naming page_size, for some role that may
  // call it (the others are refused for their role first).
  int lists = 0;
  for (const auto* method : Methods()) {
    const FieldDescriptor* page_size =
        method->input_type()->FindFieldByName("page_size");
    if (page_size == nullptr) continue;
    ++lists;
    auto request = New(method->input_type());
    request->GetReflection()->SetInt32(request.get(), page_size, -1);
    for (const char* field : {"name", "parent"}) {
      if (const auto* f = method->input_type()->FindFieldByName(field)) {
        request->GetReflection()->SetString(request.get(), f, "cases/1");
      }
    }
    bool refused = false;
    for (const Caller& caller : Callers()) {
      if (*caller.username == '\0') continue;
      grpc::Status s;
      std::string answer;
      ASSERT_TRUE(Server().Call(WirePath(method), caller.username,
                                request->SerializeAsString(), &s, &answer));
      EXPECT_NE(s.error_code(), StatusCode::OK) << method->full_name();
      refused |= s.error_code() == StatusCode::INVALID_ARGUMENT &&
                 s.error_message().starts_with("page_size");
    }
    EXPECT_TRUE(refused) << method->full_name();
  }
  EXPECT_GE(lists, 7);
}

}  // namespace
}  // namespace lotsen::fuzz

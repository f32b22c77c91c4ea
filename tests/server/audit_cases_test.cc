// Which cases a call's access-log line names: every "cases/N" in any string
// field of the request and, on success, of the answer, nested messages and
// repeated fields included, each once, in order of appearance.
#include <gtest/gtest.h>

#include "lotsen/v1/case_service.pb.h"
#include "lotsen/v1/hearing_service.pb.h"
#include "server/domain/audit_chain.h"

namespace lotsen::server {
namespace {

TEST(AuditCasesTest, NamesEveryCaseOnceFromRequestThenAnswer) {
  v1::ListUpcomingHearingsRequest req;
  req.set_worker("users/sara");
  v1::ListUpcomingHearingsResponse resp;
  for (const char* c : {"cases/7", "cases/3", "cases/7"}) {
    v1::UpcomingHearing* u = resp.add_hearings();
    u->set_case_(c);
    u->mutable_hearing()->set_name(std::string(c) + "/hearings/1");
    u->set_victim_display_name("Anna");  // no case here
  }
  EXPECT_EQ(CasesIn(req), "");
  EXPECT_EQ(CasesIn(req, &resp), "cases/7 cases/3");

  v1::GetCaseRequest get;
  get.set_name("cases/3");
  EXPECT_EQ(CasesIn(get, &resp), "cases/3 cases/7");
}

TEST(AuditCasesTest, OnlyWholeCaseNamesCount) {
  v1::Case c;
  c.set_name("cases/12/tasks/4");  // the case of a task
  c.set_offence_text("cases/ is not a case, nor cases/x");
  EXPECT_EQ(CasesIn(c), "cases/12");
  v1::ListCasesResponse list;
  *list.add_cases() = c;
  list.add_cases()->set_name("cases/5");
  EXPECT_EQ(CasesIn(list), "cases/12 cases/5");
}

}  // namespace
}  // namespace lotsen::server

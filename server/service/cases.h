// Cases: the case service's logic, apart from gRPC so that tests, the demo
// loader and the gRPC adaptor all call the same code.
//
// Each method checks the caller's role, validates the whole request (nothing
// is written unless all of it is good), and does its reads or writes in one
// store transaction. Thread-safe: holds only references to a thread-safe
// store and clock.
#pragma once

#include "lotsen/v1/case_service.pb.h"
#include "scheduler/calendar.h"
#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/domain/deadlines.h"
#include "server/store/store.h"

namespace lotsen::server {

class Cases {
 public:
  // After every change, `engine` brings the case's tasks and deadlines in
  // line, in the same transaction.
  Cases(Store& store, const scheduler::Clock& clock,
        const DeadlineEngine& engine)
      : store_(store), clock_(clock), engine_(engine) {}

  grpc::Status Create(const User& caller, const v1::CreateCaseRequest& req,
                      v1::Case* out);
  grpc::Status Get(const User& caller, const v1::GetCaseRequest& req,
                   v1::Case* out);
  grpc::Status List(const User& caller, const v1::ListCasesRequest& req,
                    v1::ListCasesResponse* out);
  grpc::Status Advance(const User& caller, const v1::AdvanceCaseRequest& req,
                       v1::Case* out);
  grpc::Status RecordEvent(const User& caller,
                           const v1::RecordCaseEventRequest& req,
                           v1::Case* out);
  grpc::Status Assign(const User& caller, const v1::AssignCaseRequest& req,
                      v1::Case* out);
  grpc::Status CorrectEntry(const User& caller,
                            const v1::CorrectHistoryEntryRequest& req,
                            v1::Case* out);
  grpc::Status ListHistory(const User& caller,
                           const v1::ListCaseHistoryRequest& req,
                           v1::ListCaseHistoryResponse* out);

 private:
  scheduler::Day Today() const;

  Store& store_;
  const scheduler::Clock& clock_;
  const DeadlineEngine& engine_;
};

}  // namespace lotsen::server

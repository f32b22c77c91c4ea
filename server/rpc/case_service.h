// CaseServiceImpl: lotsen.v1.CaseService over gRPC. Each method hands its
// request to Cases through CallContext; the rules are all in Cases.
//
// Thread-safe, as Cases and CallContext are. Holds references to both,
// which must outlive it (the server owns all three).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "lotsen/v1/case_service.grpc.pb.h"
#include "server/rpc/call_context.h"
#include "server/service/cases.h"

namespace lotsen::server {

class CaseServiceImpl final : public v1::CaseService::CallbackService {
 public:
  CaseServiceImpl(CallContext& calls, Cases& cases)
      : calls_(calls), cases_(cases) {}

  grpc::ServerUnaryReactor* CreateCase(grpc::CallbackServerContext* ctx,
                                       const v1::CreateCaseRequest* req,
                                       v1::Case* resp) override;
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* ctx,
                                    const v1::GetCaseRequest* req,
                                    v1::Case* resp) override;
  grpc::ServerUnaryReactor* ListCases(grpc::CallbackServerContext* ctx,
                                      const v1::ListCasesRequest* req,
                                      v1::ListCasesResponse* resp) override;
  grpc::ServerUnaryReactor* AdvanceCase(grpc::CallbackServerContext* ctx,
                                        const v1::AdvanceCaseRequest* req,
                                        v1::Case* resp) override;
  grpc::ServerUnaryReactor* RecordCaseEvent(
      grpc::CallbackServerContext* ctx, const v1::RecordCaseEventRequest* req,
      v1::Case* resp) override;
  grpc::ServerUnaryReactor* AssignCase(grpc::CallbackServerContext* ctx,
                                       const v1::AssignCaseRequest* req,
                                       v1::Case* resp) override;
  grpc::ServerUnaryReactor* CorrectHistoryEntry(
      grpc::CallbackServerContext* ctx,
      const v1::CorrectHistoryEntryRequest* req, v1::Case* resp) override;
  grpc::ServerUnaryReactor* ListCaseHistory(
      grpc::CallbackServerContext* ctx, const v1::ListCaseHistoryRequest* req,
      v1::ListCaseHistoryResponse* resp) override;

 private:
  CallContext& calls_;
  Cases& cases_;
};

}  // namespace lotsen::server

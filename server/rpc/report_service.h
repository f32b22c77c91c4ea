// ReportServiceImpl: lotsen.v1.ReportService over gRPC. Hands each request
// to Reports through CallContext; the rules are all in Reports.
//
// Thread-safe, as Reports and CallContext are. Holds references to both,
// which must outlive it (the server owns all three).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "lotsen/v1/report_service.grpc.pb.h"
#include "server/rpc/call_context.h"
#include "server/service/reports.h"

namespace lotsen::server {

class ReportServiceImpl final : public v1::ReportService::CallbackService {
 public:
  ReportServiceImpl(CallContext& calls, Reports& reports)
      : calls_(calls), reports_(reports) {}

  grpc::ServerUnaryReactor* GetPilotReport(grpc::CallbackServerContext* ctx,
                                           const v1::GetPilotReportRequest* req,
                                           v1::PilotReport* resp) override;

 private:
  CallContext& calls_;
  Reports& reports_;
};

}  // namespace lotsen::server

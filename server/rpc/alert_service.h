// AlertServiceImpl: lotsen.v1.AlertService over gRPC. Each method hands its
// request to Alerts through CallContext; the rules are all in Alerts.
//
// Thread-safe, as Alerts and CallContext are. Holds references to both,
// which must outlive it (the server owns all three).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "lotsen/v1/alert_service.grpc.pb.h"
#include "server/rpc/call_context.h"
#include "server/service/alerts.h"

namespace lotsen::server {

class AlertServiceImpl final : public v1::AlertService::CallbackService {
 public:
  AlertServiceImpl(CallContext& calls, Alerts& alerts)
      : calls_(calls), alerts_(alerts) {}

  grpc::ServerUnaryReactor* RunDeadlineSweep(
      grpc::CallbackServerContext* ctx, const v1::RunDeadlineSweepRequest* req,
      v1::RunDeadlineSweepResponse* resp) override;
  grpc::ServerUnaryReactor* ClaimAlerts(grpc::CallbackServerContext* ctx,
                                        const v1::ClaimAlertsRequest* req,
                                        v1::ClaimAlertsResponse* resp) override;
  grpc::ServerUnaryReactor* AcknowledgeAlerts(
      grpc::CallbackServerContext* ctx, const v1::AcknowledgeAlertsRequest* req,
      v1::AcknowledgeAlertsResponse* resp) override;
  grpc::ServerUnaryReactor* ListAlerts(grpc::CallbackServerContext* ctx,
                                       const v1::ListAlertsRequest* req,
                                       v1::ListAlertsResponse* resp) override;

 private:
  CallContext& calls_;
  Alerts& alerts_;
};

}  // namespace lotsen::server

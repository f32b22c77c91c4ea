// HearingServiceImpl: lotsen.v1.HearingService over gRPC. Each method hands
// its request to Hearings, or the workload methods to Workload, through
// CallContext; the rules are all in those two.
//
// Thread-safe, as Hearings, Workload and CallContext are. Holds references
// to the three, which must outlive it (the server owns them all).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "lotsen/v1/hearing_service.grpc.pb.h"
#include "server/rpc/call_context.h"
#include "server/service/hearings.h"
#include "server/service/calendar_feeds.h"
#include "server/service/workload.h"

namespace lotsen::server {

class HearingServiceImpl final : public v1::HearingService::CallbackService {
 public:
  HearingServiceImpl(CallContext& calls, Hearings& hearings, Workload& workload,
                     CalendarFeeds& feeds)
      : calls_(calls), hearings_(hearings), workload_(workload), feeds_(feeds) {}

  grpc::ServerUnaryReactor* ScheduleHearing(
      grpc::CallbackServerContext* ctx, const v1::ScheduleHearingRequest* req,
      v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* GetHearing(grpc::CallbackServerContext* ctx,
                                       const v1::GetHearingRequest* req,
                                       v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* RescheduleHearing(
      grpc::CallbackServerContext* ctx, const v1::RescheduleHearingRequest* req,
      v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* PostponeHearing(grpc::CallbackServerContext* ctx,
                                            const v1::ChangeHearingRequest* req,
                                            v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* CancelHearing(grpc::CallbackServerContext* ctx,
                                          const v1::ChangeHearingRequest* req,
                                          v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* MarkHearingHeld(grpc::CallbackServerContext* ctx,
                                            const v1::ChangeHearingRequest* req,
                                            v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* ListUpcomingHearings(
      grpc::CallbackServerContext* ctx,
      const v1::ListUpcomingHearingsRequest* req,
      v1::ListUpcomingHearingsResponse* resp) override;
  grpc::ServerUnaryReactor* AddAbsence(grpc::CallbackServerContext* ctx,
                                       const v1::AddAbsenceRequest* req,
                                       v1::Absence* resp) override;
  grpc::ServerUnaryReactor* ListAbsences(
      grpc::CallbackServerContext* ctx, const v1::ListAbsencesRequest* req,
      v1::ListAbsencesResponse* resp) override;
  grpc::ServerUnaryReactor* GetWorkload(grpc::CallbackServerContext* ctx,
                                        const v1::GetWorkloadRequest* req,
                                        v1::GetWorkloadResponse* resp) override;
  grpc::ServerUnaryReactor* SuggestAssignee(
      grpc::CallbackServerContext* ctx, const v1::SuggestAssigneeRequest* req,
      v1::WorkerLoad* resp) override;
  grpc::ServerUnaryReactor* ResetCalendarFeed(
      grpc::CallbackServerContext* ctx, const v1::ResetCalendarFeedRequest* req,
      v1::CalendarFeed* resp) override;
  grpc::ServerUnaryReactor* RevokeCalendarFeed(
      grpc::CallbackServerContext* ctx,
      const v1::RevokeCalendarFeedRequest* req,
      v1::CalendarFeed* resp) override;

 private:
  CallContext& calls_;
  Hearings& hearings_;
  Workload& workload_;
  CalendarFeeds& feeds_;
};

}  // namespace lotsen::server

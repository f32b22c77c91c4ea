// SupportServiceImpl: lotsen.v1.SupportService over gRPC. Each method hands
// its request to Support through CallContext; the rules are all in Support.
//
// Thread-safe, as Support and CallContext are. Holds references to both,
// which must outlive it (the server owns all three).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "lotsen/v1/support_service.grpc.pb.h"
#include "server/rpc/call_context.h"
#include "server/service/support.h"

namespace lotsen::server {

class SupportServiceImpl final : public v1::SupportService::CallbackService {
 public:
  SupportServiceImpl(CallContext& calls, Support& support)
      : calls_(calls), support_(support) {}

  grpc::ServerUnaryReactor* CreateSupportNote(
      grpc::CallbackServerContext* ctx, const v1::CreateSupportNoteRequest* req,
      v1::SupportNote* resp) override;
  grpc::ServerUnaryReactor* ListSupportNotes(
      grpc::CallbackServerContext* ctx, const v1::ListSupportNotesRequest* req,
      v1::ListSupportNotesResponse* resp) override;
  grpc::ServerUnaryReactor* CreateConsent(grpc::CallbackServerContext* ctx,
                                          const v1::CreateConsentRequest* req,
                                          v1::Consent* resp) override;
  grpc::ServerUnaryReactor* WithdrawConsent(
      grpc::CallbackServerContext* ctx, const v1::WithdrawConsentRequest* req,
      v1::Consent* resp) override;
  grpc::ServerUnaryReactor* ListConsents(
      grpc::CallbackServerContext* ctx, const v1::ListConsentsRequest* req,
      v1::ListConsentsResponse* resp) override;
  grpc::ServerUnaryReactor* CreateSupportRecord(
      grpc::CallbackServerContext* ctx,
      const v1::CreateSupportRecordRequest* req,
      v1::SupportRecord* resp) override;
  grpc::ServerUnaryReactor* ListSupportRecords(
      grpc::CallbackServerContext* ctx,
      const v1::ListSupportRecordsRequest* req,
      v1::ListSupportRecordsResponse* resp) override;
  grpc::ServerUnaryReactor* GetHousehold(grpc::CallbackServerContext* ctx,
                                         const v1::GetHouseholdRequest* req,
                                         v1::Household* resp) override;
  grpc::ServerUnaryReactor* UpdateHousehold(
      grpc::CallbackServerContext* ctx, const v1::UpdateHouseholdRequest* req,
      v1::Household* resp) override;

 private:
  CallContext& calls_;
  Support& support_;
};

}  // namespace lotsen::server

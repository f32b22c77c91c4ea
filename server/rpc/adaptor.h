// The body of an adaptor method, for the adaptors' .cc files only
// (case_service.cc and the others): it hands the call to CallContext with
// the method's name from domain/methods.h, so a method missing there does
// not compile, and the request to the service member's function of the same
// shape, `Status Call(const User&, const Req&, Resp*)`.
//
// LOTSEN_RPC offloads the call to the blocking pool; LOTSEN_INLINE_RPC runs
// it on the gRPC thread, for reads of a bounded number of rows only (see
// CallContext::Inline). The service member must outlive the adaptor.
#pragma once

#include "server/domain/methods.h"
#include "server/rpc/call_context.h"

#define LOTSEN_RPC(Service, Method, Member, Call, Req, Resp)                  \
  grpc::ServerUnaryReactor* Service::Method(grpc::CallbackServerContext* ctx, \
                                            const Req* req, Resp* resp) {     \
    return calls_.Offload(                                                    \
        ctx, ::lotsen::server::methods::k##Method, *req, *resp,               \
        [this, req, resp](const ::lotsen::server::User& caller) {             \
          return Member.Call(caller, *req, resp);                             \
        });                                                                   \
  }

#define LOTSEN_INLINE_RPC(Service, Method, Member, Call, Req, Resp)           \
  grpc::ServerUnaryReactor* Service::Method(grpc::CallbackServerContext* ctx, \
                                            const Req* req, Resp* resp) {     \
    return calls_.Inline(ctx, ::lotsen::server::methods::k##Method, *req,     \
                         *resp, [&](const ::lotsen::server::User& caller) {   \
                           return Member.Call(caller, *req, resp);            \
                         });                                                  \
  }

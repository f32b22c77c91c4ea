#include "server/domain/idempotency.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "server/domain/tokens.h"
#include "server/domain/validation.h"

namespace lotsen::server {
namespace {

std::string RequestHash(std::string_view method,
                        const google::protobuf::Message& request) {
  std::string bytes(method);
  bytes += '\0';
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&out);
  }
  return Sha256Hex(bytes);
}

}  // namespace

grpc::Status RunOnce(Tx& tx, const User& caller, std::string_view method,
                     const std::string& request_id,
                     const google::protobuf::Message& request,
                     google::protobuf::Message* response,
                     scheduler::Instant now,
                     const std::function<grpc::Status()>& body) {
  if (request_id.empty()) return body();
  const std::string hash = RequestHash(method, request);
  if (auto seen = tx.FindRequest(caller.id, request_id)) {
    if (seen->request_hash != hash) {
      return Invalid("request_id",
                     "\"" + request_id +
                         "\" was already used for a different request; use a "
                         "new request_id for a new request");
    }
    if (!response->ParseFromString(seen->response)) {
      return grpc::Status(
          grpc::StatusCode::INTERNAL,
          "stored answer for request_id " + request_id + " is unreadable");
    }
    return grpc::Status::OK;
  }
  grpc::Status status = body();
  if (!status.ok()) return status;
  tx.SaveRequest(caller.id, request_id, std::string(method),
                 {hash, response->SerializeAsString()}, now);
  return grpc::Status::OK;
}

}  // namespace lotsen::server

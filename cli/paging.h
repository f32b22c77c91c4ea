// Paging through a List RPC (AIP-158): the one loop every list command runs.
//
// Thread safety: none of its own; ForEachPage runs on the caller's thread and
// is as safe as the callables (and the Client) it is given. Ownership: it
// borrows everything for the duration of the call, writes only the request's
// page_token, and keeps nothing.
#pragma once

#include <grpcpp/grpcpp.h>

#include <type_traits>
#include <utility>

#include "cli/client.h"

namespace lotsen::cli {

// Calls `fetch(req, &page)` for one page after another, hands each page to
// `on_page`, and carries the page's next_page_token into `req` until the
// server gives none. The first page is always fetched with req as given, so a
// caller's own page_token (`case list --page-token`) is where paging starts.
//
// `on_page` may return void, or bool: false stops after that page, for a
// command that shows one page unless asked for all. Returns the first
// non-OK status, or OK; pages handed over before a failure stay handed over,
// since a command may already have printed them.
template <class Resp, class Req, class Fetch, class OnPage>
grpc::Status ForEachPage(Req& req, Fetch&& fetch, OnPage&& on_page) {
  do {
    Resp page;
    grpc::Status status = fetch(std::as_const(req), &page);
    if (!status.ok()) return status;
    if constexpr (std::is_same_v<std::invoke_result_t<OnPage&, const Resp&>,
                                 bool>) {
      if (!on_page(std::as_const(page))) break;
    } else {
      on_page(std::as_const(page));
    }
    req.set_page_token(page.next_page_token());
  } while (!req.page_token().empty());
  return grpc::Status::OK;
}

// The same, each page fetched by `method` of `stub` through client.Call.
// A List only reads, so every page is retry-safe.
template <class Stub, class Req, class Resp, class OnPage>
grpc::Status ForEachPage(const Client& client, Stub& stub,
                         grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                      const Req&, Resp*),
                         Req& req, OnPage&& on_page) {
  return ForEachPage<Resp>(
      req,
      [&](const Req& page_req, Resp* page) {
        return client.Call(true, [&](grpc::ClientContext& cc) {
          return (stub.*method)(&cc, page_req, page);
        });
      },
      std::forward<OnPage>(on_page));
}

}  // namespace lotsen::cli

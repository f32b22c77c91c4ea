// The pilot's demo cases (`admin demo`): a few hundred cases over the last
// two years in every district, with first contacts, the victim's part in the
// process and what the cases came to, so that `lotsen report pilot` has
// something real to count, pilot year against the year before. Generated
// from a fixed seed: the same cases on every machine, relative to today.
#pragma once

#include <map>
#include <string>

#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/domain/deadlines.h"
#include "server/store/store.h"

namespace lotsen::server {

// How many cases LoadPilotDemo makes.
inline constexpr int kPilotDemoCases = 300;

// Makes the cases through the services, as the demo's users in `users`
// (by user name: "lead", the workers, "polis-<district>" and
// "aklagare-<district>" as demo.cc names them). `serial` numbers the police
// reports and moves past those used.
grpc::Status LoadPilotDemo(Store& store, const scheduler::Clock& clock,
                           const DeadlineEngine& engine,
                           std::map<std::string, User>& users, int* serial);

// The demo user name of the police ("polis") or prosecutor ("aklagare") of
// `district`.
std::string DemoLegalUser(v1::Role role, v1::District district);

}  // namespace lotsen::server

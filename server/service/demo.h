// Demo data for newcomers (`lotsen-server admin demo`): users of every role and
// cases at different stages, made through the same services as the API, so
// the demo shows what a real unit would see. Runs once, at startup, before
// the server takes calls; keeps nothing.
#pragma once

#include <ostream>

#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/domain/deadlines.h"
#include "server/store/store.h"

namespace lotsen::server {

// Demo users (a coordinator, three social workers, police and prosecutors
// of every district) and cases at different stages, with the pilot's few
// hundred (demo_pilot.h), made through the same code paths as the API.
// Writes each demo user's token to `out`. Refuses if demo cases exist.
grpc::Status LoadDemo(Store& store, const scheduler::Clock& clock,
                      const DeadlineEngine& engine, std::ostream& out);

}  // namespace lotsen::server

#include "server/rpc/report_service.h"

#include "server/rpc/adaptor.h"

namespace lotsen::server {

// Offloaded: a report reads a whole period of cases.
LOTSEN_RPC(ReportServiceImpl, GetPilotReport, reports_, GetPilot,
           v1::GetPilotReportRequest, v1::PilotReport)

}  // namespace lotsen::server

#include "server/rpc/alert_service.h"

#include "server/rpc/adaptor.h"

namespace lotsen::server {

LOTSEN_RPC(AlertServiceImpl, RunDeadlineSweep, alerts_, Sweep,
           v1::RunDeadlineSweepRequest, v1::RunDeadlineSweepResponse)
LOTSEN_RPC(AlertServiceImpl, ClaimAlerts, alerts_, Claim,
           v1::ClaimAlertsRequest, v1::ClaimAlertsResponse)
LOTSEN_RPC(AlertServiceImpl, AcknowledgeAlerts, alerts_, Acknowledge,
           v1::AcknowledgeAlertsRequest, v1::AcknowledgeAlertsResponse)
LOTSEN_INLINE_RPC(AlertServiceImpl, ListAlerts, alerts_, List,
                  v1::ListAlertsRequest, v1::ListAlertsResponse)

}  // namespace lotsen::server

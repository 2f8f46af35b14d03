// metrics.h — Prometheus text exposition (format 0.0.4) of the tables and engine counters.
//
//   std::string text = render_metrics(reply.services, engine_state);
//   // ulvs_service_connections_total{protocol="tcp",vip="10.0.0.1",port="80",fwmark="0"} 12
//
// Every service series carries protocol, vip, port and fwmark (fwmark services: protocol
// "fwm", vip "", port "0"); real-server series add server="ADDR:PORT".  Counters are the
// ipvsadm --stats numbers, so `ipvsadm -Z` shows up as a counter reset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ctl/model.h"
#include "ipvs/engine.h"

namespace ulvs::daemon {

struct EngineState {
  ipvs::EngineCounters counters;
  uint32_t conns = 0, conn_capacity = 0;
};

std::string render_metrics(const std::vector<ctl::ServiceInfo>& services, const EngineState& e);

}  // namespace ulvs::daemon

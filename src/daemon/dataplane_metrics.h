// dataplane_metrics.h — the data plane's counters as Prometheus metrics: what the pipeline
// did with frames (drops by cause, answers it sent) and each port's ring counters.
//
//   ulvs_dataplane_drops_total{cause="malformed"} 3
//   ulvs_port_rx_frames_total{interface="eth0",queue="0"} 120034
#pragma once

#include <string>

#include "dataplane/io/worker.h"

namespace ulvs::daemon {

std::string render_dataplane_metrics(const dataplane::WorkerCounters& c);

}  // namespace ulvs::daemon

// table_diff.h — the requests that turn the current IPVS table into the desired one, and
// nothing more: a reload (or a health-check change) must leave unchanged services and real
// servers alone so that their connections and counters survive.
//
//   auto want = config::desired_table(cfg, pools);
//   auto have = ctl::call(sock, {.op = ctl::Op::GetServices}).services;
//   for (const ctl::Request& r : config::diff_tables(want, have, managed)) ex.execute(r, now);
//   managed = config::service_keys(want);       // what this config owns, for next time
//
// Rules:
// * A service in `desired` and not in `current` is added (AddService, then its AddDests).
// * A service in both is edited only if its settings differ (scheduler, flags, persistence
//   timeout/mask/engine, client-address mode); its real servers are then synced: AddDest for
//   new ones, EditDest for changed ones (weight, method, thresholds, tunnel), DelDest for the
//   ones the config no longer lists.  Identical real servers get no request.
// * A service in `current` and not in `desired` is deleted only if its key is in `managed`
//   (the keys the previous configuration produced); others (added by hand with ulvsadm) stay.
//   A desired key that already exists is taken over whether managed or not.
// Order, in phases: services added or edited; real servers added; real servers edited;
// real servers deleted; services deleted.  So a service is never emptier than needed: the
// sorry server is in before the pool leaves or drops to weight 0, and the pool is back
// before the sorry server goes.
// Keys compare as the engine stores them: fwmark services by family and mark only.
#pragma once

#include <vector>

#include "ctl/model.h"

namespace ulvs::config {

// A key as the engine compares it (fwmark: family + mark; otherwise family from the address).
ipvs::ServiceKey normalized_key(const ipvs::ServiceKey& k);

// Whether two services' settings are the same for IPVS (the key is not compared).  The
// persistence timeout, mask and engine only count for persistent services.
bool same_service_settings(const ipvs::ServiceConfig& a, const ipvs::ServiceConfig& b);
// Whether two real servers are the same for IPVS (tunnel fields only count for TUN).
bool same_dest_settings(const ipvs::DestConfig& a, const ipvs::DestConfig& b);

std::vector<ctl::Request> diff_tables(const std::vector<ctl::ServiceInfo>& desired,
                                      const std::vector<ctl::ServiceInfo>& current,
                                      const std::vector<ipvs::ServiceKey>& managed);

// The (normalized) keys of a table: pass the desired table's as `managed` next time.
std::vector<ipvs::ServiceKey> service_keys(const std::vector<ctl::ServiceInfo>& table);

}  // namespace ulvs::config

// table_diff.cc — desired vs current IPVS table → the minimal ordered list of requests.
#include "config/table_diff.h"

#include <algorithm>

namespace ulvs::config {

namespace {

ctl::Request service_request(ctl::Op op, const ipvs::ServiceConfig& cfg) {
  ctl::Request r;
  r.op = op;
  r.key = cfg.key;
  r.service = cfg;
  return r;
}

ctl::Request dest_request(ctl::Op op, const ipvs::ServiceKey& key, const ipvs::DestConfig& d) {
  ctl::Request r;
  r.op = op;
  r.key = key;
  r.dest = d;
  return r;
}

const ctl::ServiceInfo* find(const std::vector<ctl::ServiceInfo>& t, const ipvs::ServiceKey& k) {
  const ipvs::ServiceKey n = normalized_key(k);
  for (const ctl::ServiceInfo& s : t)
    if (normalized_key(s.cfg.key) == n) return &s;
  return nullptr;
}

const ctl::DestInfo* find(const std::vector<ctl::DestInfo>& ds, const net::Endpoint& ep) {
  for (const ctl::DestInfo& d : ds)
    if (d.cfg.ep == ep) return &d;
  return nullptr;
}

bool contains(const std::vector<ipvs::ServiceKey>& keys, const ipvs::ServiceKey& k) {
  const ipvs::ServiceKey n = normalized_key(k);
  return std::any_of(keys.begin(), keys.end(),
                     [&](const ipvs::ServiceKey& m) { return normalized_key(m) == n; });
}

}  // namespace

ipvs::ServiceKey normalized_key(const ipvs::ServiceKey& key) {
  ipvs::ServiceKey k = key;
  if (k.is_fwmark()) {
    k.protocol = 0;
    k.addr = net::Addr{};
    k.addr.family = k.family;
    k.port = 0;
  } else {
    k.family = k.addr.family;
  }
  return k;
}

bool same_service_settings(const ipvs::ServiceConfig& a, const ipvs::ServiceConfig& b) {
  if (a.scheduler != b.scheduler || a.flags != b.flags || a.client_addr != b.client_addr)
    return false;
  if (!a.persistent()) return true;  // flags equal: both not persistent
  return a.timeout_s == b.timeout_s && a.netmask == b.netmask && a.pe_name == b.pe_name;
}

bool same_dest_settings(const ipvs::DestConfig& a, const ipvs::DestConfig& b) {
  if (a.ep != b.ep || a.fwd != b.fwd || a.weight != b.weight ||
      a.u_threshold != b.u_threshold || a.l_threshold != b.l_threshold)
    return false;
  if (a.fwd != ipvs::Fwd::Tunnel) return true;
  if (a.tun_type != b.tun_type || a.tun_flags != b.tun_flags) return false;
  return a.tun_type != ipvs::TunType::Gue || a.tun_port == b.tun_port;
}

std::vector<ctl::Request> diff_tables(const std::vector<ctl::ServiceInfo>& desired,
                                      const std::vector<ctl::ServiceInfo>& current,
                                      const std::vector<ipvs::ServiceKey>& managed) {
  // Phases: services added/edited, real servers added, real servers edited, real servers
  // deleted, services deleted.
  std::vector<ctl::Request> svcs, adds, edits, dest_dels, svc_dels;
  std::vector<ipvs::ServiceKey> seen;  // desired keys already handled (a duplicate is ignored)

  for (const ctl::ServiceInfo& want : desired) {
    if (contains(seen, want.cfg.key)) continue;
    seen.push_back(want.cfg.key);
    const ipvs::ServiceKey& key = want.cfg.key;
    const ctl::ServiceInfo* have = find(current, key);
    if (!have) {
      svcs.push_back(service_request(ctl::Op::AddService, want.cfg));
    } else if (!same_service_settings(want.cfg, have->cfg)) {
      svcs.push_back(service_request(ctl::Op::EditService, want.cfg));
    }
    // Real servers: the kernel lists newest first; add in reverse so that a fresh service
    // lists its real servers in the order the desired table gives.
    for (auto it = want.dests.rbegin(); it != want.dests.rend(); ++it) {
      const ipvs::DestConfig& d = it->cfg;
      const ctl::DestInfo* old = have ? find(have->dests, d.ep) : nullptr;
      if (!old) {
        const bool listed_twice = std::any_of(adds.begin(), adds.end(), [&](const ctl::Request& r) {
          return r.op == ctl::Op::AddDest && normalized_key(*r.key) == normalized_key(key) &&
                 r.dest.ep == d.ep;
        });
        if (!listed_twice) adds.push_back(dest_request(ctl::Op::AddDest, key, d));
      } else if (!same_dest_settings(d, old->cfg)) {
        edits.push_back(dest_request(ctl::Op::EditDest, key, d));
      }
    }
    if (have)
      for (const ctl::DestInfo& old : have->dests)
        if (!find(want.dests, old.cfg.ep))
          dest_dels.push_back(dest_request(ctl::Op::DelDest, key, old.cfg));
  }

  for (const ctl::ServiceInfo& have : current)
    if (!find(desired, have.cfg.key) && contains(managed, have.cfg.key))
      svc_dels.push_back(service_request(ctl::Op::DelService, have.cfg));

  for (auto* phase : {&adds, &edits, &dest_dels, &svc_dels})
    svcs.insert(svcs.end(), phase->begin(), phase->end());
  return svcs;
}

std::vector<ipvs::ServiceKey> service_keys(const std::vector<ctl::ServiceInfo>& table) {
  std::vector<ipvs::ServiceKey> keys;
  for (const ctl::ServiceInfo& s : table) keys.push_back(normalized_key(s.cfg.key));
  return keys;
}

}  // namespace ulvs::config

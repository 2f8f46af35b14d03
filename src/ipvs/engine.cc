// engine.cc — the control side of the engine: services, real servers, zeroing, ticks.
#include "ipvs/engine.h"

#include <algorithm>
#include <cerrno>
#include <functional>

#include "ipvs/estimator.h"

namespace ulvs::ipvs {

size_t Engine::KeyHash::operator()(const ServiceKey& k) const {
  size_t h = std::hash<uint64_t>{}(uint64_t(k.fwmark) << 24 | uint64_t(k.port) << 8 | k.protocol);
  for (int i = 0; i < 16; i += 8) {
    uint64_t w;
    std::memcpy(&w, k.addr.bytes.data() + i, 8);
    h = h * 31 + std::hash<uint64_t>{}(w);
  }
  return h ^ static_cast<size_t>(k.family);
}

// A key as the table stores it: fwmark services ignore protocol/address/port.
static ServiceKey normalized(ServiceKey k) {
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

Engine::Engine(EngineOptions opt) : table_(opt.max_conns, opt.hash_seed) {}
Engine::~Engine() = default;

void Engine::sysctl_changed() {
  const sched::SchedSysctl s{sysctl_.lblc_expiration, sysctl_.lblcr_expiration};
  for (auto* list : {&services_, &svc_trash_})
    for (auto& svc : *list) svc->scheduler().set_sysctl(s);
}

int Engine::add_service(const ServiceConfig& in) {
  ServiceConfig cfg = in;
  cfg.key = normalized(cfg.key);
  auto sched = sched::make(cfg.scheduler, {sysctl_.lblc_expiration, sysctl_.lblcr_expiration});
  if (!sched) return -ENOENT;
  if (by_key_.count(cfg.key)) return -EEXIST;
  if (cfg.persistent() && cfg.timeout_s == 0) cfg.timeout_s = kDefaultPersistence;
  auto svc = std::make_unique<Service>(cfg, std::move(sched));
  by_key_[cfg.key] = svc.get();
  if (!cfg.key.is_fwmark() && cfg.key.port == 0) ++port0_services_;
  services_.push_back(std::move(svc));
  return 0;
}

int Engine::edit_service(const ServiceConfig& in) {
  ServiceConfig cfg = in;
  cfg.key = normalized(cfg.key);
  Service* svc = find_service(cfg.key);
  if (!svc) return -ESRCH;
  std::unique_ptr<sched::Scheduler> sched;
  if (cfg.scheduler != svc->config().scheduler) {
    sched = sched::make(cfg.scheduler, {sysctl_.lblc_expiration, sysctl_.lblcr_expiration});
    if (!sched) return -ENOENT;
  }
  if (cfg.persistent() && cfg.timeout_s == 0) cfg.timeout_s = kDefaultPersistence;
  return svc->edit(cfg, std::move(sched));
}

int Engine::del_service(const ServiceKey& in) {
  ServiceKey key = normalized(in);
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return -ESRCH;
  Service* svc = it->second;
  by_key_.erase(it);
  if (!key.is_fwmark() && key.port == 0) --port0_services_;
  svc->del_all_dests(0);
  auto own = std::find_if(services_.begin(), services_.end(),
                          [&](auto& p) { return p.get() == svc; });
  // Connections keep pointing at its real servers until they expire.
  if (svc->refcnt) svc_trash_.push_back(std::move(*own));
  services_.erase(own);
  return 0;
}

void Engine::flush() {
  while (!services_.empty()) del_service(services_.front()->key());
}

Service* Engine::find_service(const ServiceKey& key) const {
  auto it = by_key_.find(normalized(key));
  return it == by_key_.end() ? nullptr : it->second;
}

int Engine::add_dest(const ServiceKey& key, const DestConfig& dc) {
  Service* svc = find_service(key);
  if (!svc) return -ESRCH;
  return svc->add_dest(dc, 0);
}

int Engine::edit_dest(const ServiceKey& key, const DestConfig& dc) {
  Service* svc = find_service(key);
  if (!svc) return -ESRCH;
  return svc->edit_dest(dc);
}

int Engine::del_dest(const ServiceKey& key, const net::Endpoint& ep) {
  Service* svc = find_service(key);
  if (!svc) return -ESRCH;
  return svc->del_dest(ep, last_purge_);
}

int Engine::zero(const ServiceKey* key) {
  auto zero_service = [](Service& s) {
    ipvs::zero(s.stats);
    for (Dest* d : s.dests()) ipvs::zero(d->stats);
  };
  if (key) {
    Service* svc = find_service(*key);
    if (!svc) return -ESRCH;
    zero_service(*svc);
    return 0;
  }
  for (auto& s : services_) zero_service(*s);
  ipvs::zero(total_);
  return 0;
}

void Engine::set_fullnat_locals(std::vector<net::Addr> addrs) {
  table_.set_local_addrs(std::move(addrs));
}

void Engine::tick(TimeMs now) {
  release_pending();
  table_.advance(now, [&](Conn& c) { on_expire(c, now); });
  if (now - last_sched_tick_ >= seconds(1)) {
    last_sched_tick_ = now;
    for (auto& s : services_) s->scheduler().tick(now);
  }
  if (now - last_estimate_ >= kEstimatorPeriod) {
    last_estimate_ = now;
    estimate(total_);
    for (auto& s : services_) {
      estimate(s->stats);
      for (Dest* d : s->dests()) estimate(d->stats);
    }
  }
  if (now - last_purge_ >= seconds(60)) {
    last_purge_ = now;
    size_t gone = 0;
    for (auto& s : services_) gone += s->purge_trash(now);
    for (auto& s : svc_trash_) gone += s->purge_trash(now);
    gone += std::erase_if(svc_trash_, [](auto& s) { return s->refcnt == 0; });
    if (gone) ++purges_;
  }
}

}  // namespace ulvs::ipvs

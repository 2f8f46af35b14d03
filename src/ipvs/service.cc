// service.cc — real-server list maintenance with the kernel's ordering and trash rules.
#include "ipvs/service.h"

#include <algorithm>
#include <cerrno>

namespace ulvs::ipvs {

namespace {
constexpr TimeMs kTrashPeriod = seconds(120);
}

Service::Service(ServiceConfig cfg, std::unique_ptr<sched::Scheduler> scheduler)
    : cfg_(std::move(cfg)), sched_(std::move(scheduler)) {
  sched_->init(dests(), cfg_.sched_flags());
}

Service::~Service() = default;

int Service::edit(const ServiceConfig& cfg, std::unique_ptr<sched::Scheduler> scheduler) {
  bool flags_changed = cfg.sched_flags().fallback != cfg_.sched_flags().fallback ||
                       cfg.sched_flags().port != cfg_.sched_flags().port;
  if (scheduler) {
    if (int err = scheduler->init(dests(), cfg.sched_flags()); err) return err;
    sched_ = std::move(scheduler);
  } else if (flags_changed) {
    sched_->set_flags(dests(), cfg.sched_flags());
  }
  ServiceKey key = cfg_.key;
  cfg_ = cfg;
  cfg_.key = key;
  return 0;
}

Dest* Service::find_dest(const net::Endpoint& ep) const {
  for (Dest* d : list_)
    if (d->cfg.ep == ep) return d;
  return nullptr;
}

// The kernel's __ip_vs_update_dest side effects shared by add and edit.
static void apply(Dest& d, const DestConfig& dc) {
  uint32_t old_u = d.cfg.u_threshold;
  d.cfg = dc;
  if (dc.weight) d.last_weight = dc.weight;
  // An edit clears OVERLOAD when the upper threshold is lifted or raised; the next bind
  // re-evaluates it (§3.15).
  if (dc.u_threshold == 0 || dc.u_threshold > old_u) d.overloaded = false;
}

// The kernel refuses a lower threshold above the upper one, also when the upper is 0 (off).
static bool bad_thresholds(const DestConfig& dc) { return dc.l_threshold > dc.u_threshold; }

int Service::add_dest(const DestConfig& dc, TimeMs now) {
  if (dc.weight < 0) return -ERANGE;
  if (bad_thresholds(dc)) return -ERANGE;
  if (find_dest(dc.ep)) return -EEXIST;

  Dest* d = nullptr;
  auto t = std::find_if(trash_.begin(), trash_.end(),
                        [&](const Trashed& x) { return x.dest->cfg.ep == dc.ep; });
  if (t != trash_.end()) {  // revived: same object, counters and stats carry on
    owned_.push_back(std::move(t->dest));
    trash_.erase(t);
    d = owned_.back().get();
  } else {
    owned_.push_back(std::make_unique<Dest>());
    d = owned_.back().get();
    d->svc = this;
  }
  apply(*d, dc);
  d->last_weight = dc.weight;  // set on add even when 0
  d->available = true;
  list_.insert(list_.begin(), d);
  sched_->add_dest(dests(), *d);
  (void)now;
  return 0;
}

int Service::edit_dest(const DestConfig& dc) {
  if (dc.weight < 0) return -ERANGE;
  if (bad_thresholds(dc)) return -ERANGE;
  Dest* d = find_dest(dc.ep);
  if (!d) return -ENOENT;
  apply(*d, dc);
  sched_->upd_dest(dests(), *d);
  return 0;
}

int Service::del_dest(const net::Endpoint& ep, TimeMs now) {
  Dest* d = find_dest(ep);
  if (!d) return -ENOENT;
  std::erase(list_, d);
  d->available = false;
  sched_->del_dest(dests(), *d);
  auto it = std::find_if(owned_.begin(), owned_.end(), [&](auto& p) { return p.get() == d; });
  trash_.push_back({std::move(*it), -1});  // the 120 s start at the first purge that finds it idle
  (void)now;
  owned_.erase(it);
  return 0;
}

void Service::del_all_dests(TimeMs now) {
  while (!list_.empty()) del_dest(list_.front()->cfg.ep, now);
}

size_t Service::purge_trash(TimeMs now) {
  return std::erase_if(trash_, [&](Trashed& t) {
    if (t.dest->refcnt) {
      t.unreferenced_since = -1;
      return false;
    }
    if (t.unreferenced_since < 0) t.unreferenced_since = now;
    if (now - t.unreferenced_since < kTrashPeriod) return false;
    sched_->forget(*t.dest);
    return true;
  });
}

}  // namespace ulvs::ipvs

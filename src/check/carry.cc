#include "check/carry.h"

namespace ulvs::check {

bool same_virtual_server(const config::VirtualServer& a, const config::VirtualServer& b) {
  if (a.group.empty() != b.group.empty()) return false;
  return a.group.empty() ? a.keys == b.keys : a.group == b.group;
}

// The settings that say what is probed: everything but where it was written and its timing.
static config::Checker what_it_probes(config::Checker c) {
  c.where = {};
  c.delay_loop = c.delay_before_retry = c.warmup = c.connect_timeout = 0;
  c.retry = 0;
  c.log_all_failures = false;
  return c;
}

bool same_check(const config::Checker& a, const config::Checker& b) {
  return what_it_probes(a) == what_it_probes(b);
}

static std::optional<size_t> find_same_check(const std::vector<config::Checker>& old,
                                             const config::Checker& c, std::vector<bool>& taken) {
  for (size_t i = 0; i < old.size(); ++i)
    if (!taken[i] && same_check(old[i], c)) {
      taken[i] = true;  // two identical checkers on one server each carry their own
      return i;
    }
  return std::nullopt;
}

// The first old virtual server that is the same, as keepalived's vs_exist.
static std::optional<size_t> find_same_vs(const config::KeepalivedConfig& old, const config::VirtualServer& vs) {
  for (size_t ov = 0; ov < old.virtual_servers.size(); ++ov)
    if (same_virtual_server(old.virtual_servers[ov], vs)) return ov;
  return std::nullopt;
}

CarryPlan plan_carry(const config::KeepalivedConfig& old, const config::KeepalivedConfig& now) {
  CarryPlan plan;
  for (size_t nv = 0; nv < now.virtual_servers.size(); ++nv) {
    const auto& vs = now.virtual_servers[nv];
    std::optional<size_t> ov = find_same_vs(old, vs);
    plan.vs_from.push_back(ov);
    if (!ov) continue;
    const auto& old_vs = old.virtual_servers[*ov];
    for (size_t nr = 0; nr < vs.real_servers.size(); ++nr)
      for (size_t orr = 0; orr < old_vs.real_servers.size(); ++orr) {
        if (old_vs.real_servers[orr].ep != vs.real_servers[nr].ep) continue;
        const auto& old_checkers = old_vs.real_servers[orr].checkers;
        std::vector<bool> taken(old_checkers.size());
        Carry c{{*ov, orr}, {nv, nr}, {}};
        for (const auto& chk : vs.real_servers[nr].checkers)
          c.checker_from.push_back(find_same_check(old_checkers, chk, taken));
        plan.servers.push_back(std::move(c));
        break;
      }
  }
  return plan;
}

}  // namespace ulvs::check

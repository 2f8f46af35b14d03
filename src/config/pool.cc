// pool.cc — keepalived's ipwrapper.c / ipvswrapper.c pool logic against a modelled IPVS
// service.  Function names follow keepalived's so the two can be read side by side.
#include "config/pool.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <stdexcept>

namespace ulvs::config {

namespace {

namespace sf = ipvs::svc_flag;

// keepalived's real_weight(): what IPVS gets for an effective weight.
int32_t real_weight(int64_t w) {
  if (w < 0) return 0;
  if (w > INT32_MAX) return INT32_MAX;
  return int32_t(w);
}

// Forwarding methods that keep the real server's own port (NAT, and FULLNAT which rewrites
// both addresses the same way); the others use the service's port (0 for fwmark).
bool keeps_port(ipvs::Fwd f) { return f == ipvs::Fwd::Masq || f == ipvs::Fwd::FullNat; }

uint32_t prefix_len(const net::Addr& mask) {
  uint32_t n = 0;
  for (int i = 0; i < 16; i++) {
    int ones = std::countl_one(mask.bytes[i]);
    n += ones;
    if (ones < 8) break;
  }
  return n;
}

ipvs::ServiceKey service_key(const VirtualKey& k) {
  ipvs::ServiceKey key;
  if (k.fwmark) {
    key.family = k.family;
    key.protocol = 0;
    key.addr = net::Addr{};
    key.addr.family = k.family;
    key.port = 0;
    key.fwmark = k.fwmark;
  } else {
    key.family = k.ep.addr.family;
    key.protocol = k.protocol;
    key.addr = k.ep.addr;
    key.port = k.ep.port;
  }
  return key;
}

}  // namespace

ipvs::ServiceConfig service_config(const VirtualServer& vs, const VirtualKey& k) {
  ipvs::ServiceConfig c;
  c.key = service_key(k);
  const bool v6 = c.key.family == net::Family::V6;
  c.scheduler = vs.scheduler;
  c.flags = vs.sched_flags & (sf::kSched1 | sf::kSched2 | sf::kSched3);
  if (vs.ops && (k.fwmark || k.protocol == ipvs::proto::kUdp)) c.flags |= sf::kOnePacket;
  c.netmask = v6 ? 128 : 0xFFFFFFFFu;
  if (vs.persistence_timeout) {
    c.flags |= sf::kPersistent;
    c.timeout_s = vs.persistence_timeout;
    if (const auto& g = vs.persistence_granularity) {
      if (v6) c.netmask = g->is_v6() ? prefix_len(*g) : 128;
      else if (g->is_v4()) c.netmask = g->v4_host();
    }
    c.pe_name = vs.persistence_engine;
  }
  c.client_addr = vs.client_addr;
  return c;
}

// ---- mail defaults: check_data.c validate_check_config ----

bool vs_smtp_alert(const GlobalDefs& g, const VirtualServer& vs) {
  return vs.smtp_alert.value_or(g.smtp_alert_checker.value_or(g.smtp_alert.value_or(false)));
}

// "inconsistent with the defaults for other smtp_alerts in order to maintain backwards
// compatibility" (check_data.c): a real server mails unless told otherwise.
bool rs_smtp_alert(const GlobalDefs& g, const RealServer& rs) {
  return rs.smtp_alert.value_or(g.smtp_alert_checker.value_or(g.smtp_alert.value_or(true)));
}

// ---- construction: check_data.c validation + init_service_vs ----

Pool::Pool(const VirtualServer& vs, const GlobalDefs& g) : vs_(vs) {
  sorry_ = vs_.sorry_server.has_value();
  members_.resize(vs_.real_servers.size() + (sorry_ ? 1 : 0));
  // Before anything below: start-up itself may already mail (quorum up at start).
  vs_alert_ = vs_smtp_alert(g, vs_);
  no_checker_emails_ = g.no_checker_emails;
  for (const RealServer& rs : vs_.real_servers) rs_alert_.push_back(rs_smtp_alert(g, rs));

  int64_t total = 0;
  for (size_t i = 0; i < vs_.real_servers.size(); i++) {
    const RealServer& rs = vs_.real_servers[i];
    Member& m = members_[i];
    m.inhibit = rs.inhibit_on_failure;
    m.weight = rs.weight;
    total += rs.weight;
    m.checker_up.assign(rs.checkers.size(), true);
    m.has_run.assign(rs.checkers.size(), false);
    // "In Alpha mode also mark any checker that hasn't run as failed."
    for (size_t c = 0; c < rs.checkers.size(); c++) {
      if (rs.checkers[c].alpha) {
        m.checker_up[c] = false;
        m.num_failed++;
      }
    }
  }
  if (sorry_) {
    Member& s = members_.back();
    s.inhibit = vs_.sorry_server_inhibit;
    s.weight = 1;  // alloc_ssvr: the sorry server always has weight 1
    for (size_t i = 0; i < vs_.real_servers.size(); i++)
      if (ident(i) == ident(members_.size() - 1)) {
        sorry_duplicates_rs_ = true;
        s.inhibit = members_[i].inhibit;  // "inhibit setting differs" fix-up
      }
  }

  // The quorum can never exceed the servers' total weight, and hysteresis stays below it.
  quorum_ = vs_.quorum;
  hysteresis_ = std::max(vs_.hysteresis, 0);
  if (quorum_ > total) quorum_ = int(std::max<int64_t>(total, 0));
  if (hysteresis_ >= quorum_) hysteresis_ = std::max(quorum_ - 1, 0);
  // set_quorum_states(): no server is alive yet.
  quorum_up_ = 0 >= int64_t(quorum_) + hysteresis_;

  // init_service_rs
  for (size_t i = 0; i < vs_.real_servers.size(); i++) {
    Member& m = members_[i];
    if ((!m.num_failed && !m.alive) || (m.inhibit && !m.set)) {
      ipvs_cmd(Cmd::Add, i);
      if (!m.num_failed) m.alive = true;  // rs_init_notifies is off: no script
    }
  }
  update_quorum_state(true);
  // A sorry server with inhibit is in from the start, with weight 0 while not needed.
  if (sorry_) {
    Member& s = members_.back();
    if (s.inhibit && !s.set) {
      if (sorry_duplicates_rs_) {
        s.set = true;
      } else {
        s.num_failed = 1;
        ipvs_cmd(Cmd::Add, members_.size() - 1);
        s.num_failed = 0;
      }
    }
  }
}

// ---- the modelled kernel ----

const RealServer& Pool::server(size_t who) const {
  return who < vs_.real_servers.size() ? vs_.real_servers[who] : *vs_.sorry_server;
}

static uint16_t dest_port(const VirtualServer& vs, const VirtualKey& key, const RealServer& rs) {
  if (!keeps_port(rs.fwd)) return !key.fwmark ? key.ep.port : vs.fwmark_keeps_rs_port ? rs.ep.port : 0;
  // NAT to port 0 of an address service means the service's port (check_data.c); group
  // members are sent as written.
  if (!rs.ep.port && !key.fwmark && vs.group.empty()) return key.ep.port;
  return rs.ep.port;
}

net::Endpoint Pool::ident(size_t who) const {
  const RealServer& rs = server(who);
  if (vs_.keys.empty()) return rs.ep;
  return {rs.ep.addr, dest_port(vs_, vs_.keys.front(), rs)};
}

ipvs::DestConfig Pool::dest_for(const VirtualKey& key, const Entry& e) const {
  const RealServer& rs = server(e.who);
  ipvs::DestConfig d;
  d.ep = {rs.ep.addr, dest_port(vs_, key, rs)};
  d.fwd = rs.fwd;
  d.weight = e.weight;
  d.u_threshold = rs.uthreshold;
  d.l_threshold = rs.lthreshold;
  d.tun_type = rs.tun_type;
  d.tun_port = rs.tun_port;
  d.tun_flags = rs.tun_flags;
  return d;
}

std::vector<Pool::Entry>::iterator Pool::find_entry(size_t who) {
  const net::Endpoint id = ident(who);
  return std::find_if(ipvs_.begin(), ipvs_.end(),
                      [&](const Entry& e) { return ident(e.who) == id; });
}

// ipvswrapper.c ipvs_cmd + ipvs_talk: inhibit turns a delete into "weight 0" and an add of a
// server already in into an edit; the kernel's EEXIST on add and ENOENT on delete are
// ignored, and an edit of a missing dest adds it.
void Pool::ipvs_cmd(Cmd cmd, size_t who) {
  Member& m = members_[who];
  int32_t weight = real_weight(m.weight);
  if (cmd == Cmd::Del && m.inhibit) {
    weight = 0;
    cmd = Cmd::Edit;
  } else if (cmd == Cmd::Add && m.inhibit && m.set) {
    cmd = Cmd::Edit;
  } else if (cmd == Cmd::Add && !m.set) {
    m.set = true;
    if (m.inhibit && m.num_failed) weight = 0;
  } else if (cmd == Cmd::Del && m.set) {
    m.set = false;
  }

  auto it = find_entry(who);
  switch (cmd) {
    case Cmd::Add:
      if (it == ipvs_.end()) ipvs_.insert(ipvs_.begin(), Entry{who, weight});
      break;
    case Cmd::Edit:
      if (it == ipvs_.end()) ipvs_.insert(ipvs_.begin(), Entry{who, weight});
      else *it = Entry{who, weight};
      break;
    case Cmd::Del:
      if (it != ipvs_.end()) ipvs_.erase(it);
      break;
  }
}

// ---- ipwrapper.c ----

int64_t Pool::weight_sum() const {
  int64_t sum = 0;
  for (size_t i = 0; i < vs_.real_servers.size(); i++)
    if (members_[i].alive) sum += real_weight(members_[i].weight);
  return sum;
}

void Pool::do_rs_notifies(size_t rs) {
  const RealServer& r = vs_.real_servers[rs];
  const bool up = members_[rs].alive;
  const Script& s = up ? r.notify_up : r.notify_down;
  if (!s.empty())
    scripts_.push_back({up ? ScriptRun::NotifyUp : ScriptRun::NotifyDown, s, rs});
}

void Pool::do_vs_notifies(bool init, int64_t threshold, int64_t weight_sum, bool stopping) {
  const Script& s = quorum_up_ ? vs_.quorum_up : vs_.quorum_down;
  if (!s.empty()) scripts_.push_back({quorum_up_ ? ScriptRun::QuorumUp : ScriptRun::QuorumDown, s});
  if (!vs_alert_) return;
  Alert a{.kind = stopping ? Alert::VsShutdown : Alert::VsQuorum, .up = quorum_up_, .init = init};
  a.quorum = quorum_;
  a.hysteresis = hysteresis_;
  a.threshold = threshold;
  a.weight_sum = weight_sum;
  alerts_.push_back(a);
}

// The mail a checker's epilog sends after update_svr_checker_state (check_tcp.c tcp_epilog
// and its siblings): only when the checker itself changed state, except MISC_CHECK which
// also reports its first result; track files (FILE_CHECK) never mail.  With
// `state_changes_only` (no_checker_emails) a change that leaves the server's state as it
// was is not worth a mail.
void Pool::checker_alert(size_t rs, size_t checker, bool checker_was_up, bool rs_was_alive,
                         bool first, bool state_changes_only) {
  if (!rs_alert_[rs]) return;
  const Checker::Type type = vs_.real_servers[rs].checkers[checker].type;
  if (type == Checker::File) return;
  const Member& m = members_[rs];
  const bool up = m.checker_up[checker];
  if (up == checker_was_up && !(first && type == Checker::Misc)) return;
  if (state_changes_only && rs_was_alive == m.alive) return;
  alerts_.push_back({.kind = Alert::RsCheck, .rs = rs, .checker = checker, .checker_up = up, .up = m.alive});
}

void Pool::perform_quorum_state(bool add) {
  for (size_t i = 0; i < vs_.real_servers.size(); i++) {
    if (!members_[i].alive) continue;  // only alive servers move
    if (add) members_[i].alive = false;
    ipvs_cmd(add ? Cmd::Add : Cmd::Del, i);
    members_[i].alive = true;
  }
}

void Pool::update_quorum_state(bool init) {
  const int64_t sum = weight_sum();
  const int64_t threshold = int64_t(quorum_) + (quorum_up_ ? -1 : 1) * int64_t(hysteresis_);
  const bool sorry_in = sorry_active();

  if (!quorum_up_ && sum >= threshold) {
    quorum_up_ = true;
    if (sorry_in) {
      // The sorry server leaves (weight 0 with sorry_server_inhibit), the pool comes back.
      ipvs_cmd(Cmd::Del, members_.size() - 1);
      members_.back().alive = false;
      perform_quorum_state(true);
    }
    do_vs_notifies(init, threshold, sum);
  } else if ((quorum_up_ && (!sum || sum < threshold)) ||
             (init && !quorum_up_ && sorry_ && !sorry_in)) {
    quorum_up_ = false;
    if (sorry_ && !sorry_in) {
      perform_quorum_state(false);
      ipvs_cmd(Cmd::Add, members_.size() - 1);
      members_.back().alive = true;
    }
    do_vs_notifies(init, threshold, sum);
  }
}

void Pool::perform_svr_state(bool alive, size_t rs) {
  Member& m = members_[rs];
  if (m.alive == alive) return;
  // Only pushed to IPVS while the sorry server is not standing in.
  if (quorum_up_ || !sorry_active()) ipvs_cmd(alive ? Cmd::Add : Cmd::Del, rs);
  m.alive = alive;
  do_rs_notifies(rs);
  update_quorum_state(false);
}

void Pool::checker_result(size_t rs, size_t checker, bool up) {
  apply_checker_result(rs, checker, up, no_checker_emails_);
}

void Pool::apply_checker_result(size_t rs, size_t checker, bool up, bool state_changes_only) {
  if (stopped_) return;
  Member& m = members_.at(rs);
  if (checker >= m.checker_up.size()) throw std::out_of_range("Pool::checker_result: checker");
  const bool was_up = m.checker_up[checker], was_alive = m.alive, first = !m.has_run[checker];
  if (was_up == up) {
    if (first) {
      // First result, equal to the starting state: alpha checkers (and failures) notify.
      if (vs_.real_servers[rs].checkers[checker].alpha || !up) do_rs_notifies(rs);
      m.has_run[checker] = true;
      checker_alert(rs, checker, was_up, was_alive, first, state_changes_only);
    }
    return;
  }
  m.has_run[checker] = true;
  if (up) {
    if (m.num_failed <= 1) perform_svr_state(true, rs);
  } else {
    if (m.num_failed == 0) perform_svr_state(false, rs);
  }
  // set_checker_state
  m.checker_up[checker] = up;
  if (!up) m.num_failed++;
  else if (m.num_failed) m.num_failed--;
  checker_alert(rs, checker, was_up, was_alive, first, state_changes_only);
}

// The caller only knows the server's aggregate, so only the checker that turns the server
// around mails (as if no_checker_emails were set): one mail per change, not one per checker.
void Pool::set_alive(size_t rs, bool up) {
  for (size_t c = 0; c < members_.at(rs).checker_up.size(); c++) apply_checker_result(rs, c, up, true);
}

void Pool::set_weight(size_t rs, int64_t weight) {
  if (stopped_) return;
  Member& m = members_.at(rs);
  const int32_t old_w = real_weight(m.weight), new_w = real_weight(weight);
  m.weight = weight;
  if (new_w == old_w) return;
  if (m.set && m.alive && (quorum_up_ || !sorry_active())) ipvs_cmd(Cmd::Edit, rs);
  update_quorum_state(false);
}

void Pool::stop() {
  if (stopped_) return;
  // clear_service_vs with lvs_flush_on_stop off.
  if (sorry_) {
    Member& s = members_.back();
    if (s.set) {
      if (sorry_duplicates_rs_) {
        s.set = false;
      } else {
        const bool sav = s.inhibit;
        s.inhibit = false;
        ipvs_cmd(Cmd::Del, members_.size() - 1);
        s.inhibit = sav;
      }
      s.alive = false;
    }
  }
  for (size_t i = 0; i < vs_.real_servers.size(); i++) {  // clear_service_rs
    Member& m = members_[i];
    if (!m.set) continue;
    const bool sav = m.inhibit;
    m.inhibit = false;
    ipvs_cmd(Cmd::Del, i);
    m.inhibit = sav;
    if (!m.alive) continue;
    m.alive = false;
    if (!vs_.omega) continue;
    do_rs_notifies(i);
    if (rs_alert_[i]) alerts_.push_back({.kind = Alert::RsShutdown, .rs = i});
  }
  // update_vs_notifies(stopping): the threshold it passes is quorum - hysteresis.
  const int64_t sum = weight_sum();
  quorum_up_ = false;
  if (vs_.omega) do_vs_notifies(false, int64_t(quorum_) - hysteresis_, sum, true);
  ipvs_.clear();
  stopped_ = true;
}

// ---- reading ----

std::optional<int32_t> Pool::ipvs_weight(size_t rs) const {
  if (stopped_) return std::nullopt;
  for (const Entry& e : ipvs_)
    if (e.who == rs) return e.weight;
  return std::nullopt;
}

std::optional<int32_t> Pool::sorry_weight() const {
  if (!sorry_) return std::nullopt;
  return ipvs_weight(members_.size() - 1);
}

std::vector<ctl::ServiceInfo> Pool::table() const {
  std::vector<ctl::ServiceInfo> out;
  if (stopped_) return out;
  for (const VirtualKey& key : vs_.keys) {
    ctl::ServiceInfo si;
    si.cfg = service_config(vs_, key);
    for (const Entry& e : ipvs_) si.dests.push_back({.cfg = dest_for(key, e)});
    out.push_back(std::move(si));
  }
  return out;
}

std::vector<ScriptRun> Pool::take_scripts() {
  std::vector<ScriptRun> out;
  out.swap(scripts_);
  return out;
}

std::vector<Alert> Pool::take_alerts() {
  std::vector<Alert> out;
  out.swap(alerts_);
  return out;
}

// ---- the whole configuration ----

PoolStates PoolStates::start(const KeepalivedConfig& cfg) {
  PoolStates st;
  st.pools.reserve(cfg.virtual_servers.size());
  for (const VirtualServer& vs : cfg.virtual_servers) st.pools.emplace_back(vs, cfg.global);
  return st;
}

std::vector<ctl::ServiceInfo> desired_table(const KeepalivedConfig& cfg, const PoolStates& states) {
  std::vector<ctl::ServiceInfo> out;
  for (size_t i = 0; i < cfg.virtual_servers.size(); i++) {
    std::vector<ctl::ServiceInfo> t = i < states.pools.size()
                                          ? states.pools[i].table()
                                          : Pool(cfg.virtual_servers[i]).table();
    for (ctl::ServiceInfo& si : t) {
      auto same = std::find_if(out.begin(), out.end(), [&](const ctl::ServiceInfo& o) {
        return o.cfg.key == si.cfg.key;
      });
      if (same == out.end()) {
        out.push_back(std::move(si));
        continue;
      }
      for (ctl::DestInfo& d : si.dests) {
        bool dup = std::any_of(same->dests.begin(), same->dests.end(),
                               [&](const ctl::DestInfo& o) { return o.cfg.ep == d.cfg.ep; });
        if (!dup) same->dests.push_back(std::move(d));
      }
    }
  }
  return out;
}

std::optional<ctl::Request> timeouts_request(const KeepalivedConfig& cfg) {
  const auto& t = cfg.global.lvs_timeouts;
  if (!t) return std::nullopt;
  ctl::Request r;
  r.op = ctl::Op::SetTimeouts;
  r.timeouts = {(*t)[0], (*t)[1], (*t)[2]};
  return r;
}

}  // namespace ulvs::config

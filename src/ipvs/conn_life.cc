// conn_life.cc — an entry's life: binding to its real server (counters, OVERLOAD), TCP state
// changes with the active/inactive accounting, statistics, expiry and release.
#include "ipvs/engine.h"

namespace ulvs::ipvs {

namespace {
uint32_t total_conns(const Dest& d) { return d.activeconns + d.inactconns; }
}  // namespace

// ip_vs_bind_dest: a new connection starts INACTIVE; a template counts as persistent.
void Engine::bind(Conn& c, Dest& d) {
  c.dest = &d;
  ++d.refcnt;
  ++d.svc->refcnt;
  if (c.is_template()) {
    ++d.persistconns;
  } else {
    c.flags |= conn_flag::kInactive;
    ++d.inactconns;
  }
  if (d.cfg.u_threshold && total_conns(d) >= d.cfg.u_threshold) d.overloaded = true;
}

// ip_vs_unbind_dest: the counters go down and OVERLOAD clears below the low mark.
void Engine::unbind(Conn& c) {
  Dest* d = c.dest;
  if (!d) return;
  if (c.is_template())
    --d->persistconns;
  else if (c.flags & conn_flag::kInactive)
    --d->inactconns;
  else
    --d->activeconns;
  if (d->cfg.l_threshold) {
    if (total_conns(*d) < d->cfg.l_threshold) d->overloaded = false;
  } else if (d->cfg.u_threshold) {
    if (uint64_t(total_conns(*d)) * 4 < uint64_t(d->cfg.u_threshold) * 3) d->overloaded = false;
  } else {
    d->overloaded = false;
  }
  --d->refcnt;
  --d->svc->refcnt;
  c.dest = nullptr;
}

void Engine::set_state(Conn& c, tcp::Dir dir, const PacketMeta& pkt) {
  if (dir == tcp::Dir::Output) c.flags &= ~conn_flag::kNoOutput;
  if (c.protocol != proto::kTcp) {  // UDP: one state, refreshed by every packet
    c.timeout_ms = static_cast<uint32_t>(sysctl_.timeouts.udp);
    if (dir == tcp::Dir::Output && c.control != kNoConn)
      table_.at(c.control).flags |= conn_flag::kAssured;
    return;
  }
  TcpState next = tcp::next_state(dir, tcp::event_of(pkt.tcp_flags), c.tcp_state(),
                                  sysctl_.secure_tcp_table());
  if (Dest* d = c.dest) {  // move between ActiveConn and InActConn
    bool was_inactive = c.flags & conn_flag::kInactive;
    bool active = tcp::is_active(next);
    if (!was_inactive && !active) {
      --d->activeconns, ++d->inactconns;
      c.flags |= conn_flag::kInactive;
    } else if (was_inactive && active) {
      --d->inactconns, ++d->activeconns;
      c.flags &= ~conn_flag::kInactive;
    }
  }
  if (next == TcpState::Established && c.control != kNoConn)
    table_.at(c.control).flags |= conn_flag::kAssured;
  c.state = static_cast<uint8_t>(next);
  c.timeout_ms = static_cast<uint32_t>(sysctl_.timeouts.tcp_state(next));
}

void Engine::count_in(Conn& c, uint32_t bytes) {
  if (!c.dest) return;
  c.dest->stats.count_in(bytes);
  c.dest->svc->stats.count_in(bytes);
  total_.count_in(bytes);
}

void Engine::count_out(Conn& c, uint32_t bytes) {
  if (!c.dest) return;
  c.dest->stats.count_out(bytes);
  c.dest->svc->stats.count_out(bytes);
  total_.count_out(bytes);
}

// The timer fired.  An entry that still controls connections lives on, 60 s at a time.
void Engine::on_expire(Conn& c, TimeMs now) {
  if (c.n_control > 0) {
    c.timeout_ms = 60 * 1000;
    table_.arm(c, now);
    return;
  }
  release(c);
}

void Engine::release(Conn& c) {
  if (c.control != kNoConn) {
    Conn& ct = table_.at(c.control);
    if (ct.n_control) --ct.n_control;
    c.control = kNoConn;
  }
  unbind(c);
  table_.free(c);
}

void Engine::release_pending() {
  if (pending_free_ == kNoConn) return;
  release(table_.at(pending_free_));
  pending_free_ = kNoConn;
}

}  // namespace ulvs::ipvs

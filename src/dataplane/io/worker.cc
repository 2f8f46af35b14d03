// worker.cc — the run-to-completion loop.  Frames are copied out of the ring into buffers
// with 256 bytes of headroom (tunnel headers, TOA) so the ring slot is free at once and
// rewrites never touch the kernel's memory.
#include "dataplane/io/worker.h"

#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <cstring>

#include "dataplane/egress.h"

namespace ulvs::dataplane {

namespace {

constexpr size_t kBatch = 64;
constexpr size_t kHeadroom = 256;
constexpr size_t kBufSize = 10240;         // a 9000-byte jumbo frame plus head- and tailroom
// Per next hop as many frames as the kernel queues for an unresolved neighbour since Linux
// 3.3 (unres_qlen 101, from unres_qlen_bytes); 3 was the old default, and a client opening
// 100 connections at once then lost 47 SYNs per real server to a 1 s retransmit.
constexpr size_t kHeldPerHop = 101, kHeldMax = 4096;
constexpr ipvs::TimeMs kHeldTimeout = 3000;
constexpr int kIdleWaitMs = 100;            // poll() timeout: held frames and config checks

ipvs::TimeMs now_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ipvs::TimeMs(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

struct Worker::Rx {
  std::unique_ptr<uint8_t[]> mem{new uint8_t[kBufSize]};
  xmit::PacketBuf buf;
  size_t first_action = 0, actions = 0;
};

// Replies of a NAT connection come from its real server's endpoint; a fwmark service's
// real server answers from whatever port the client asked for (port 0: any).
static void add_nat_real(Owned& o, const ipvs::Service& svc, const ipvs::Dest& d) {
  if (d.cfg.fwd != ipvs::Fwd::Masq) return;
  const ipvs::ServiceKey& k = svc.key();
  if (k.is_fwmark()) {
    for (uint8_t p : {ipvs::proto::kTcp, ipvs::proto::kUdp}) o.nat_reals.push_back({d.addr(), p, 0});
  } else {
    o.nat_reals.push_back({d.addr(), k.protocol, d.port()});
  }
}

Owned owned_addresses(const ipvs::Engine& engine) {
  Owned o;
  auto add = [&](const ipvs::Service& svc) {
    for (ipvs::Dest* d : svc.dests()) add_nat_real(o, svc, *d);
    svc.for_each_trashed([&](const ipvs::Dest& d) { add_nat_real(o, svc, d); });
  };
  for (const auto& svc : engine.services()) {
    if (!svc->key().is_fwmark()) o.vips.push_back(svc->key().addr);
    add(*svc);
  }
  for (const auto& svc : engine.trashed_services()) add(*svc);
  o.locals = engine.conns().local_addrs();
  std::sort(o.vips.begin(), o.vips.end());
  o.vips.erase(std::unique(o.vips.begin(), o.vips.end()), o.vips.end());
  std::sort(o.nat_reals.begin(), o.nat_reals.end());
  o.nat_reals.erase(std::unique(o.nat_reals.begin(), o.nat_reals.end()), o.nat_reals.end());
  return o;
}

Worker::Worker(WorkerEnv env, std::vector<std::unique_ptr<Port>> ports, int cpu)
    : env_(env), ports_(std::move(ports)), cpu_(cpu), neighbours_(env.kernel),
      pipeline_(*env.engine, ctx_), rx_(kBatch) {
  ctx_.routes = &routes_;
  ctx_.neighbours = &neighbours_;
  refresh_kernel();
  std::lock_guard lock(*env_.engine_mu);
  refresh_config();
}

Worker::~Worker() = default;

void Worker::run(const std::atomic<bool>& stop) {
  if (cpu_ >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu_, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  }
  while (!stop.load(std::memory_order_relaxed)) {
    ipvs::TimeMs now = now_ms();
    if (env_.kernel && env_.kernel->generation() != seen_kernel_) refresh_kernel();
    // Held frames leave before new ones: a MAC just learnt must not let later frames overtake.
    if (!held_.empty()) release_held(now);
    size_t got = poll_ports(now);
    if (now - published_at_ >= 100) publish(now);
    if (!got && !env_.busy_poll) wait_for_frames();
  }
  publish(now_ms());
}

size_t Worker::poll_ports(ipvs::TimeMs now) {
  size_t total = 0;
  for (auto& port : ports_) {
    size_t n = 0;
    port->receive(kBatch, [&](std::span<const uint8_t> frame) {
      if (frame.size() > kBufSize - 2 * kHeadroom) return;  // cannot happen with MTU <= 9000
      Rx& rx = rx_[n++];
      rx.buf = {rx.mem.get(), kBufSize, kHeadroom, frame.size()};
      std::memcpy(rx.buf.data(), frame.data(), frame.size());
    });
    if (n) process_batch(*port, n, now);
    total += n;
  }
  if (total)
    for (auto& port : ports_) port->flush();
  return total;
}

void Worker::process_batch(Port& in, size_t n, ipvs::TimeMs now) {
  actions_.clear();
  {
    std::lock_guard lock(*env_.engine_mu);
    if (env_.config_gen->load(std::memory_order_acquire) != seen_config_) refresh_config();
    for (size_t i = 0; i < n; ++i) {
      rx_[i].first_action = actions_.size();
      pipeline_.process(rx_[i].buf, in.ifindex(), now, actions_);
      rx_[i].actions = actions_.size() - rx_[i].first_action;
    }
  }
  for (size_t i = 0; i < n; ++i)
    for (size_t k = 0; k < rx_[i].actions; ++k) act(in, rx_[i], actions_[rx_[i].first_action + k], now);
  ++batches_;
}

void Worker::act(Port& in, Rx& rx, const Action& a, ipvs::TimeMs now) {
  switch (a.kind) {
    case Action::Tx:
      if (Port* out = port_for(a.iface)) out->send(a.bytes(rx.buf));
      break;
    case Action::ToKernel: in.to_kernel(rx.buf.bytes()); break;
    case Action::Hold: hold(a, a.bytes(rx.buf), now); break;
    case Action::Drop: break;  // counted by the pipeline
  }
}

void Worker::hold(const Action& a, std::span<const uint8_t> frame, ipvs::TimeMs now) {
  size_t same = std::count_if(held_.begin(), held_.end(),
                              [&](const Held& h) { return h.iface == a.iface && h.hop == a.next_hop; });
  if (same >= kHeldPerHop || held_.size() >= kHeldMax) {
    ++held_dropped_;  // the kernel drops the oldest; the newest is as good a victim and cheaper
    return;
  }
  held_.push_back({a.iface, a.next_hop, now, {frame.begin(), frame.end()}});
}

void Worker::release_held(ipvs::TimeMs now) {
  bool sent = false;
  for (auto it = held_.begin(); it != held_.end();) {
    auto mac = neighbours_.lookup(it->iface, it->hop);
    Port* out = port_for(it->iface);
    const Interface* iface = ctx_.interface(it->iface);
    if (mac && out && iface) {
      xmit::PacketBuf b{it->frame.data(), it->frame.size(), 0, it->frame.size()};
      set_macs(b, iface->mac, *mac);
      out->send(it->frame);
      ++held_sent_;
      sent = true;
    } else if (now - it->since < kHeldTimeout) {
      ++it;
      continue;
    } else {
      ++held_dropped_;
    }
    it = held_.erase(it);
  }
  if (sent)
    for (auto& port : ports_) port->flush();
}

// Under engine_mu.
void Worker::refresh_config() {
  seen_config_ = env_.config_gen->load(std::memory_order_acquire);
  ctx_.refresh_vips(*env_.engine);
  ctx_.locals = env_.engine->conns().local_addrs();
}

void Worker::refresh_kernel() {
  if (!env_.kernel) return;
  seen_kernel_ = env_.kernel->generation();
  auto snap = env_.kernel->snapshot();
  routes_.use(snap);
  neighbours_.use(snap);
  // Only the interfaces this worker has ports on are the pipeline's; a route through any
  // other interface is NoRoute for the data plane.
  ctx_.interfaces.clear();
  for (auto& port : ports_) {
    if (ctx_.interface(port->ifindex())) continue;
    for (const Interface& i : snap->interfaces)
      if (i.index == port->ifindex()) ctx_.interfaces.push_back(i);
  }
}

Port* Worker::port_for(uint32_t ifindex) {
  for (auto& p : ports_)
    if (p->ifindex() == ifindex) return p.get();
  return nullptr;
}

void Worker::publish(ipvs::TimeMs now) {
  published_at_ = now;
  WorkerCounters c;
  c.pipeline = pipeline_.counters();
  c.pipeline.drops[int(DropCause::NeighbourUnresolved)] += held_dropped_;
  for (auto& p : ports_) {
    c.ports.push_back(p->stats());
    c.port_names.push_back(p->ifname());
    c.port_queues.push_back(p->queue());
  }
  c.held_sent = held_sent_;
  c.batches = batches_;
  std::lock_guard lock(counters_mu_);
  published_ = std::move(c);
}

WorkerCounters Worker::counters() const {
  std::lock_guard lock(counters_mu_);
  return published_;
}

void Worker::wait_for_frames() {
  pollfd fds[16];
  nfds_t n = 0;
  for (auto& p : ports_)
    if (n < 16) fds[n++] = {p->fd(), POLLIN, 0};
  poll(fds, n, kIdleWaitMs);
}

}  // namespace ulvs::dataplane

// dataplane.cc — opening order: kernel view, then every port (so a bad interface name fails
// before any thread runs), then the workers.
#include "daemon/dataplane.h"

#include <fstream>

#include "daemon/log.h"

namespace ulvs::daemon {

namespace {

bool sysctl_is_zero(const char* path) {
  std::ifstream f(path);
  int v = 0;
  return !(f >> v) || v == 0;  // unreadable (no IPv6): nothing forwards
}

}  // namespace

// AF_PACKET taps: the kernel gets every frame too and, forwarding, would send VIP traffic
// and NAT replies a second time (untranslated).  AF_XDP takes the frames away from it.
bool DataPlane::check_forwarding(std::string& err) const {
  if (!opt_.afpacket) return true;
  if (sysctl_is_zero("/proc/sys/net/ipv4/ip_forward") &&
      sysctl_is_zero("/proc/sys/net/ipv6/conf/all/forwarding"))
    return true;
  err = "--backend afpacket needs the kernel not to forward (sysctl net.ipv4.ip_forward=0 "
        "net.ipv6.conf.all.forwarding=0): it sees every frame ulvsd handles";
  return false;
}

bool DataPlane::start(std::string& err) {
  if (opt_.interfaces.empty()) return true;
  if (!check_forwarding(err)) return false;
  kernel_ = dataplane::KernelView::open(err);
  if (!kernel_) return false;
  for (uint32_t q = 0; q < opt_.queues; ++q) {
    std::vector<std::unique_ptr<dataplane::Port>> ports;
    for (const std::string& ifname : opt_.interfaces) {
      dataplane::PortConfig pc{.ifname = ifname, .queue = q,
                               .backend = opt_.afpacket ? dataplane::Backend::AfPacket
                                                        : dataplane::Backend::AfXdp,
                               .zero_copy = opt_.zero_copy, .busy_poll = opt_.busy_poll,
                               .ring_size = opt_.ring_size};
      auto port = dataplane::open_port(pc, err);
      if (!port) return false;
      ports.push_back(std::move(port));
    }
    int cpu = opt_.cpus.empty() ? -1 : opt_.cpus[q % opt_.cpus.size()];
    workers_.push_back(std::make_unique<dataplane::Worker>(
        dataplane::WorkerEnv{.engine_mu = &ctl_.mutex(), .engine = &ctl_.engine(),
                             .config_gen = &ctl_.changes(), .kernel = kernel_.get(),
                             .busy_poll = opt_.busy_poll},
        std::move(ports), cpu));
  }
  kernel_->start();
  seen_kernel_ = kernel_->generation();
  ctl_.set_on_owned_change([this](ipvs::Engine& e) { steer(e); });
  for (auto& w : workers_) threads_.emplace_back([this, w = w.get()] { w->run(stop_); });
  log("data plane: %zu interface(s) x %u queue(s), %s", opt_.interfaces.size(), opt_.queues,
      opt_.afpacket ? "AF_PACKET" : "AF_XDP");
  return true;
}

// Under the control lock: tell every port what the director owns (the XDP maps).
void DataPlane::steer(ipvs::Engine& engine) {
  dataplane::Owned owned = dataplane::owned_addresses(engine);
  for (auto& w : workers_)
    for (auto& port : w->ports()) port->set_owned(owned);
}

// The XDP program also needs the host's own addresses (replies to its health checks stay
// with the kernel); they are re-read whenever the kernel's view moved.  Deleted real
// servers leave the trash (120 s after their last connection) without a control request:
// the engine's purge generation says when.
void DataPlane::tick() {
  if (!kernel_) return;
  const bool moved = kernel_->generation() != seen_kernel_;
  seen_kernel_ = kernel_->generation();
  ctl_.with_engine([&](ipvs::Engine& e) {
    if (!moved && e.purge_generation() == seen_purges_) return;
    seen_purges_ = e.purge_generation();
    steer(e);
  });
}

void DataPlane::stop() {
  if (running()) ctl_.set_on_owned_change(nullptr);
  stop_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
  workers_.clear();  // closes the ports (XDP programs detached)
  if (kernel_) kernel_->stop();
  kernel_.reset();
}

dataplane::WorkerCounters DataPlane::counters() const {
  dataplane::WorkerCounters sum;
  for (const auto& w : workers_) {
    dataplane::WorkerCounters c = w->counters();
    sum.pipeline += c.pipeline;
    sum.held_sent += c.held_sent;
    sum.batches += c.batches;
    sum.ports.insert(sum.ports.end(), c.ports.begin(), c.ports.end());
    sum.port_names.insert(sum.port_names.end(), c.port_names.begin(), c.port_names.end());
    sum.port_queues.insert(sum.port_queues.end(), c.port_queues.begin(), c.port_queues.end());
  }
  return sum;
}

}  // namespace ulvs::daemon

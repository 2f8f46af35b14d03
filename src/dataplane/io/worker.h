// worker.h — one data-plane thread: reads a batch of frames from its ports, runs each
// through the pipeline, carries out the actions (send, hand to the kernel, hold for a MAC),
// kicks the TX rings once per batch, and sleeps in poll() when there is nothing to do.
//
//   std::atomic<bool> stop{false};
//   Worker w({.engine_mu = &mu, .engine = &engine, .config_gen = &gen, .kernel = kv.get()},
//            std::move(ports), /*cpu=*/1);
//   std::thread t([&] { w.run(stop); });
//   ... w.counters() from any thread ...
//   stop = true; t.join();
//
// The engine is shared with the control plane: the worker takes `engine_mu` once per batch
// (up to 64 frames), not per packet.  Control requests bump `config_gen`; the worker then
// re-reads the VIPs and local addresses.  What XDP steers to the ports (Port::set_owned) is
// the control plane's business: it must change before a request is answered, and a worker
// whose port receives nothing would never notice.
// Routes and neighbours come from KernelView snapshots, re-taken when its generation moves.
//
// Held frames (next hop's MAC unknown, see egress.h): at most 101 per next hop and 4096 in
// all, sent as soon as the kernel resolves the neighbour, dropped (counted
// NeighbourUnresolved) after 3 s — the kernel's own queue (unres_qlen) and timing for an
// unresolved neighbour.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dataplane/context.h"
#include "dataplane/io/kernel_view.h"
#include "dataplane/io/port.h"
#include "dataplane/pipeline.h"
#include "ipvs/engine.h"

namespace ulvs::dataplane {

struct WorkerEnv {
  std::mutex* engine_mu = nullptr;
  ipvs::Engine* engine = nullptr;
  const std::atomic<uint64_t>* config_gen = nullptr;  // moves after every control change
  KernelView* kernel = nullptr;
  bool busy_poll = false;                             // spin instead of sleeping in poll()
};

struct WorkerCounters {
  Counters pipeline;                // what the pipeline did (action.h)
  std::vector<PortStats> ports;     // per port, in the order given
  std::vector<std::string> port_names;   // the port's interface, same order
  std::vector<uint32_t> port_queues;     // the port's queue, same order
  uint64_t held_sent = 0;           // held frames sent once the MAC was known
  uint64_t batches = 0;
};

class Worker {
 public:
  Worker(WorkerEnv env, std::vector<std::unique_ptr<Port>> ports, int cpu = -1);
  ~Worker();

  void run(const std::atomic<bool>& stop);
  WorkerCounters counters() const;  // a copy, published by the worker every 100 ms
  const std::vector<std::unique_ptr<Port>>& ports() const { return ports_; }

 private:
  struct Rx;      // a received frame copied out of the ring, with head- and tailroom
  struct Held {
    uint32_t iface;
    net::Addr hop;
    ipvs::TimeMs since;
    std::vector<uint8_t> frame;
  };

  size_t poll_ports(ipvs::TimeMs now);
  void process_batch(Port& in, size_t n, ipvs::TimeMs now);
  void act(Port& in, Rx& rx, const Action& a, ipvs::TimeMs now);
  void hold(const Action& a, std::span<const uint8_t> frame, ipvs::TimeMs now);
  void release_held(ipvs::TimeMs now);
  void refresh_config();
  void refresh_kernel();
  Port* port_for(uint32_t ifindex);
  void publish(ipvs::TimeMs now);
  void wait_for_frames();

  WorkerEnv env_;
  std::vector<std::unique_ptr<Port>> ports_;
  int cpu_;
  Context ctx_;
  KernelRoutes routes_;
  KernelNeighbours neighbours_;
  Pipeline pipeline_;
  std::vector<Rx> rx_;
  std::vector<Action> actions_;
  std::deque<Held> held_;
  uint64_t seen_config_ = ~0ull, seen_kernel_ = ~0ull;
  uint64_t held_sent_ = 0, held_dropped_ = 0, batches_ = 0;
  ipvs::TimeMs published_at_ = 0;
  mutable std::mutex counters_mu_;
  WorkerCounters published_;
};

// The director's owned addresses as an XDP port needs them (port.h).
Owned owned_addresses(const ipvs::Engine& engine);

}  // namespace ulvs::dataplane

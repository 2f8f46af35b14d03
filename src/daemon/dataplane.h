// dataplane.h — ulvsd's data plane: the kernel view (netlink), one port per interface and
// queue, one worker thread per queue.  Absent when ulvsd runs without --interface.
//
//   DataPlane dp(ctl, opt);
//   if (!dp.start(err)) die(err);     // opens everything first: nothing runs on failure
//   ... dp.counters() for /metrics ...
//   dp.stop();                        // joins the workers, detaches XDP programs
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "daemon/control.h"
#include "daemon/options.h"
#include "dataplane/io/kernel_view.h"
#include "dataplane/io/worker.h"

namespace ulvs::daemon {

class DataPlane {
 public:
  DataPlane(Control& ctl, const Options& opt) : ctl_(ctl), opt_(opt) {}
  ~DataPlane() { stop(); }

  bool start(std::string& err);
  void stop();
  void tick();  // from the main loop: follows the host's own addresses
  bool running() const { return !threads_.empty(); }

  // Summed over workers.
  dataplane::WorkerCounters counters() const;

 private:
  bool check_forwarding(std::string& err) const;
  void steer(ipvs::Engine& engine);

  Control& ctl_;
  const Options& opt_;
  std::unique_ptr<dataplane::KernelView> kernel_;
  std::vector<std::unique_ptr<dataplane::Worker>> workers_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  uint64_t seen_kernel_ = 0;
  uint64_t seen_purges_ = 0;
};

}  // namespace ulvs::daemon

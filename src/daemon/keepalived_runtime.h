// keepalived_runtime.h — ulvsd running a keepalived.conf: the virtual servers become IPVS
// services, health checkers run, and their results move real servers in and out of the pools
// (quorum, sorry server, inhibit_on_failure), exactly as keepalived's checker process does.
//
//   KeepalivedRuntime rt(ctl);
//   rt.load("/etc/keepalived/keepalived.conf");   // start: false (logged) if the file is bad
//   ... SIGHUP: rt.load(path) again: only the difference is applied; a bad file keeps the
//       running configuration ...
//   rt.stop();                                      // with omega: notify_down, quorum_down
//
// Every change of the table goes through Control (the same executor as ulvsadm) as the
// minimal set of requests (config/table_diff.h): unchanged services and real servers keep
// their connections and counters, and real servers in both configurations keep their health
// (a dead one is not re-added, check/carry.h).  Services added by hand with ulvsadm are left
// alone.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "check/check_runner.h"
#include "config/keepalived_model.h"
#include "config/pool.h"
#include "config/reload_news.h"
#include "daemon/control.h"
#include "notify/mailer.h"

namespace ulvs::daemon {

class KeepalivedRuntime {
 public:
  explicit KeepalivedRuntime(Control& ctl) : ctl_(ctl) {}
  ~KeepalivedRuntime();

  bool load(const std::string& path);
  void stop();

  // Whether the file looks like a keepalived.conf rather than ulvsd's JSON request list.
  static bool is_keepalived_file(const std::string& path);

 private:
  void carry_health_locked(const config::KeepalivedConfig& next, config::PoolStates& pools,
                           check::CheckRunner& runner);
  void on_change(check::RsId id, bool alive, int64_t weight);
  void apply_locked(bool first);
  void run_scripts_locked();
  // Mail alerts (global_defs smtp_server / notification_email): the mailer gets the loaded
  // settings; each pool alert becomes a mail (notify/alert_text.h), sent off this thread.
  void configure_mailer_locked();
  void send_alert_locked(const config::VirtualServer& vs, const config::Alert& alert);

  static constexpr int64_t kMailAtStopMs = 5000;  // how long stop() lets omega's mails go out

  Control& ctl_;
  // Per virtual server of a configuration just loaded by a reload: its pool before, when it
  // existed (config/reload_news.h); cleared once the reload's scripts have run.
  std::vector<std::optional<config::Before>> reload_before_;
  std::mutex mu_;
  std::unique_ptr<config::KeepalivedConfig> cfg_;
  config::PoolStates pools_;
  std::unique_ptr<notify::Mailer> mailer_;  // before runner_: outlives the checkers' callbacks
  std::unique_ptr<check::CheckRunner> runner_;
  std::vector<ipvs::ServiceKey> managed_;
};

}  // namespace ulvs::daemon

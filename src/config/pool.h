// pool.h — one virtual_server's pool as keepalived's checker process runs it (ipwrapper.c):
// which real servers are in IPVS and with what weight, quorum up or down, the sorry server,
// and the notify/quorum scripts and mail alerts each change causes.  Pure logic: health
// checks report into it, the caller reads the desired IPVS table out of it (and diffs it,
// table_diff.h).
//
//   config::Pool pool(cfg.virtual_servers[0], cfg.global);  // start-up state (init_service_vs)
//   pool.checker_result(/*rs*/ 1, /*checker*/ 0, false);  // TCP_CHECK of real server 1 failed
//   for (auto& run : pool.take_scripts()) spawn(run.script);   // notify_down, quorum_down ...
//   for (auto& a : pool.take_alerts()) mail(a);                // notify/alert_text.h formats
//   std::vector<ctl::ServiceInfo> want = pool.table();         // one entry per VirtualKey
//
// Semantics are keepalived 2.2.7's, command for command (spec §7.4/7.5):
// * At start every real server is added whose checkers are all up; a checker starts up
//   unless it is alpha.  A server without checkers is always up.  A server with
//   inhibit_on_failure is always added, with weight 0 while a checker is down.
// * Quorum: weight_sum = Σ effective weight of alive servers.  Down → up at
//   weight_sum ≥ quorum + hysteresis (quorum_up; the sorry server leaves and the alive servers
//   come back); up → down at weight_sum == 0 or < quorum − hysteresis (quorum_down; with a
//   sorry server the alive servers leave and it comes in).  Starting with quorum down runs
//   quorum_down (and places the sorry server) only when a sorry server is configured;
//   reaching quorum at start runs quorum_up.
// * While the sorry server is in, real-server changes are remembered but not pushed.
// * "Leaving" IPVS for a server with inhibit_on_failure means weight 0; sorry_server_inhibit
//   keeps the sorry server in with weight 0 while it is not needed.
// * notify_up / notify_down / quorum_up / quorum_down run with no added arguments (the
//   command line as written, keepalived.conf(5)).
// * Mail alerts (smtp_alert) come at the same points, as keepalived 2.2.7 sends them:
//   - RsCheck (smtp.c SMTP_MSG_RS, sent by each checker's epilog in check_*.c after
//     update_svr_checker_state): when a checker changes state (and, for MISC_CHECK, at its
//     first result too), if the real server's smtp_alert is on and either the server's state
//     changed or no_checker_emails is off.  FILE_CHECK never mails.  So it comes after the
//     notify script and after any quorum alert the change caused.
//   - VsQuorum (ipwrapper.c do_vs_notifies): quorum gained or lost, also at start-up
//     ("Starting with quorum up/down"), if the virtual server's smtp_alert is on.
//   - RsShutdown / VsShutdown (ipwrapper.c clear_service_rs / do_vs_notifies stopping): at
//     stop(), with omega only, for each alive real server and then the virtual server.
//   smtp_alert defaults (check_data.c): a real server's is on and a virtual server's off,
//   unless global_defs sets smtp_alert_checker (first) or smtp_alert.
//   set_alive() stands for "every checker reports the same": it mails at most once, for the
//   checker whose result changed the server's state (the caller knows no more than that).
// Quirks kept: keepalived clamps quorum to the total configured weight and hysteresis below
// quorum (check_data.c); a server with inhibit_on_failure that was never put in IPVS comes in
// with weight 0 the first time it is added (ipvs_cmd's num_failed_checkers test).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "config/keepalived_model.h"
#include "ctl/model.h"

namespace ulvs::config {

// A script keepalived would start now.
struct ScriptRun {
  enum Kind { NotifyUp, NotifyDown, QuorumUp, QuorumDown } kind = NotifyUp;
  Script script;
  size_t rs = 0;  // NotifyUp/NotifyDown: index into VirtualServer::real_servers
  friend bool operator==(const ScriptRun& a, const ScriptRun& b) {
    return a.kind == b.kind && a.rs == b.rs && a.script.command == b.script.command &&
           a.script.user == b.script.user && a.script.group == b.script.group;
  }
};

// A mail keepalived would send now (smtp.c smtp_alert); notify/alert_text.h gives its text.
struct Alert {
  enum Kind {
    RsCheck,     // a checker changed real server `rs` (SMTP_MSG_RS)
    RsShutdown,  // real server `rs` removed at stop, omega (SMTP_MSG_RS_SHUT)
    VsQuorum,    // quorum gained or lost (SMTP_MSG_VS)
    VsShutdown,  // the virtual server stopping, omega (SMTP_MSG_VS)
  } kind = RsCheck;
  size_t rs = 0;             // RsCheck, RsShutdown: index into VirtualServer::real_servers
  size_t checker = 0;        // RsCheck: index into RealServer::checkers
  bool checker_up = false;   // RsCheck: what the checker reported (succeed / failed)
  bool up = false;           // RsCheck: the real server's state after; VsQuorum: quorum state
  bool init = false;         // VsQuorum: at start-up ("Starting with quorum ...")
  int quorum = 0, hysteresis = 0;     // VsQuorum: after keepalived's clamping
  int64_t threshold = 0, weight_sum = 0;  // VsQuorum: as update_quorum_state computed them
  friend bool operator==(const Alert&, const Alert&) = default;
};

// Whether keepalived mails about this virtual server's quorum / this real server's checkers
// (check_data.c: the block's smtp_alert, else global smtp_alert_checker, else smtp_alert,
// else off for a virtual server and on for a real server).
bool vs_smtp_alert(const GlobalDefs& g, const VirtualServer& vs);
bool rs_smtp_alert(const GlobalDefs& g, const RealServer& rs);

class Pool {
 public:
  // The state right after keepalived's start-up (check_data validation + init_service_vs):
  // no checker has reported yet.  `g` gives the smtp_alert defaults and no_checker_emails.
  explicit Pool(const VirtualServer& vs, const GlobalDefs& g = {});

  // One checker's result (keepalived's update_svr_checker_state): `checker` indexes
  // real_servers[rs].checkers.  A server is alive iff all its checkers are up.  Repeating the
  // current state changes nothing (except keepalived's first-result notification).
  void checker_result(size_t rs, size_t checker, bool up);
  // Every checker of real server `rs` reports `up`.
  void set_alive(size_t rs, bool up);
  // A new effective weight (MISC_CHECK misc_dynamic, FILE_CHECK): keepalived's update_svr_wgt.
  // Clamped to 0..INT32_MAX for IPVS and for the quorum sum.
  void set_weight(size_t rs, int64_t weight);
  // keepalived stopping: every server leaves IPVS, the services go; with `omega` the
  // notify_down of each alive server and quorum_down run.  table() is empty afterwards.
  void stop();

  bool quorum_up() const { return quorum_up_; }
  bool sorry_active() const { return sorry_ && members_.back().alive; }
  bool alive(size_t rs) const { return members_.at(rs).alive; }
  bool stopped() const { return stopped_; }
  // Σ effective weight of alive real servers (keepalived's weigh_live_realservers).
  int64_t weight_sum() const;
  // The quorum and hysteresis in force (after keepalived's clamping).
  int quorum() const { return quorum_; }
  int hysteresis() const { return hysteresis_; }
  // The IPVS weight real server `rs` has in the table now, nullopt when it is not in it.
  std::optional<int32_t> ipvs_weight(size_t rs) const;
  // The sorry server's weight in the table, nullopt when it is not in it.
  std::optional<int32_t> sorry_weight() const;

  // This virtual server's IPVS services, one per VirtualKey in order, each with its real
  // servers newest first (the kernel's list order).  Empty after stop().
  std::vector<ctl::ServiceInfo> table() const;
  // Scripts to run, in the order keepalived starts them, since the last call.
  std::vector<ScriptRun> take_scripts();
  // Mails to send, in keepalived's order, since the last call.
  std::vector<Alert> take_alerts();

  const VirtualServer& config() const { return vs_; }

 private:
  enum class Cmd { Add, Del, Edit };
  struct Member {  // a real server, or the sorry server (the last member when configured)
    bool alive = false;  // ISALIVE
    bool set = false;    // keepalived's rs->set: put in IPVS by an add
    bool inhibit = false;
    int num_failed = 0;  // checkers down
    int64_t weight = 1;  // effective weight
    std::vector<bool> checker_up, has_run;
  };
  struct Entry {  // one dest of the modelled IPVS service
    size_t who;   // member index
    int32_t weight;
  };

  const RealServer& server(size_t who) const;
  net::Endpoint ident(size_t who) const;  // the dest address the kernel keys it by
  ipvs::DestConfig dest_for(const VirtualKey& key, const Entry& e) const;
  std::vector<Entry>::iterator find_entry(size_t who);

  void ipvs_cmd(Cmd cmd, size_t who);
  void update_quorum_state(bool init);
  void perform_quorum_state(bool add);
  void perform_svr_state(bool alive, size_t rs);
  void do_rs_notifies(size_t rs);
  void do_vs_notifies(bool init, int64_t threshold, int64_t weight_sum, bool stopping = false);
  void checker_alert(size_t rs, size_t checker, bool checker_was_up, bool rs_was_alive,
                     bool first, bool state_changes_only);
  void apply_checker_result(size_t rs, size_t checker, bool up, bool state_changes_only);

  VirtualServer vs_;
  bool sorry_ = false;           // a sorry server is configured (members_.back())
  bool sorry_duplicates_rs_ = false;
  int quorum_ = 1, hysteresis_ = 0;
  bool quorum_up_ = false;
  bool stopped_ = false;
  std::vector<Member> members_;
  std::vector<Entry> ipvs_;      // newest first
  std::vector<ScriptRun> scripts_;
  bool vs_alert_ = false, no_checker_emails_ = false;
  std::vector<bool> rs_alert_;
  std::vector<Alert> alerts_;
};

// The IPVS service a VirtualKey of `vs` makes: scheduler, flags (ops only for UDP and
// fwmark services, as keepalived resets it elsewhere), persistence and its granularity.
ipvs::ServiceConfig service_config(const VirtualServer& vs, const VirtualKey& key);

// One Pool per virtual_server, in config order.
struct PoolStates {
  std::vector<Pool> pools;
  // Every pool at start-up (with cfg.global's mail settings).
  static PoolStates start(const KeepalivedConfig& cfg);
};

// The whole desired IPVS table: every pool's table, virtual_servers in order.  Pool i belongs
// to cfg.virtual_servers[i]; virtual servers without a pool in `states` are taken at their
// start-up state.  A service key made twice (two virtual_servers for one VIP) is listed once,
// with the first one's settings and the real servers of both (first occurrence wins).
std::vector<ctl::ServiceInfo> desired_table(const KeepalivedConfig& cfg, const PoolStates& states);

// global_defs lvs_timeouts as ipvsadm --set (0 keeps a value); nullopt when not configured.
std::optional<ctl::Request> timeouts_request(const KeepalivedConfig& cfg);

}  // namespace ulvs::config

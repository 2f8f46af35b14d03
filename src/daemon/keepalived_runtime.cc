// keepalived_runtime.cc — parse, diff, apply; checkers report into the pools.
#include "daemon/keepalived_runtime.h"

#include <cstring>
#include <fstream>
#include <iterator>

#include "check/carry.h"
#include "check/misc_probe.h"
#include "check/ssl_probe.h"
#include "config/keepalived_parser.h"
#include "config/ldirectord_parser.h"
#include "config/reload_news.h"
#include "ctl/codec.h"
#include "config/table_diff.h"
#include "daemon/log.h"
#include "daemon/script.h"
#include "notify/alert_text.h"

namespace ulvs::daemon {

KeepalivedRuntime::~KeepalivedRuntime() { stop(); }

namespace {

// As keepalived does at load: a MISC_CHECK whose script cannot be run is disabled (the real
// server then counts as up, as one without that checker).
void disable_missing_scripts(config::KeepalivedConfig& cfg) {
  for (auto& vs : cfg.virtual_servers)
    for (auto& rs : vs.real_servers)
      std::erase_if(rs.checkers, [](const config::Checker& c) {
        if (c.type != config::Checker::Misc || check::runnable(c.misc_path.command)) return false;
        log("%s: warning: disabling misc script '%s' since not found/accessible", c.where.str().c_str(),
            c.misc_path.command.c_str());
        return true;
      });
}

}  // namespace

bool KeepalivedRuntime::is_keepalived_file(const std::string& path) {
  std::ifstream in(path);
  char c;
  while (in.get(c))
    if (!std::isspace(static_cast<unsigned char>(c))) return c != '[';  // JSON: an array
  return true;
}

bool KeepalivedRuntime::load(const std::string& path) {
  config::Diagnostics diag;
  std::string text;
  {
    std::ifstream in(path);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  // An ldirectord.cf (a `virtual=` line) goes through its own parser into the same model.
  auto cfg = config::looks_like_ldirectord(text) ? config::load_ldirectord(path, diag)
                                                 : config::load_keepalived(path, diag);
  for (const auto& d : diag)
    log("%s: %s: %s", d.where.str().c_str(), d.level == config::Diagnostic::Error ? "error" : "warning",
        d.message.c_str());
  if (!cfg) {
    log("%s: not applied, the running configuration stays", path.c_str());
    return false;
  }
  if (std::string e = check::ssl_setup_error(*cfg); !e.empty()) {  // keepalived: fatal
    log("%s: error: SSL: %s", path.c_str(), e.c_str());
    log("%s: not applied, the running configuration stays", path.c_str());
    return false;
  }
  disable_missing_scripts(*cfg);
  for (const auto& v : cfg->vrrp)
    log("%s: %s %s parsed; VRRP is not active yet", v.where.str().c_str(), v.kind.c_str(), v.name.c_str());

  // The old checkers report into the old pools: stop them before anything is replaced
  // (outside mu_: their callbacks take it).
  if (runner_) runner_->stop();
  std::unique_ptr<check::CheckRunner> runner;
  {
    std::lock_guard lock(mu_);
    bool first = !cfg_;
    auto next = std::make_unique<config::KeepalivedConfig>(std::move(*cfg));
    config::PoolStates pools = config::PoolStates::start(*next);
    check::RunnerOptions opt;
    opt.reload = !first;
    runner = std::make_unique<check::CheckRunner>(
        check::targets_of(*next), [this](check::RsId id, bool alive, int64_t w) { on_change(id, alive, w); },
        std::move(opt));
    if (!first) carry_health_locked(*next, pools, *runner);
    cfg_ = std::move(next);
    configure_mailer_locked();
    pools_ = std::move(pools);
    apply_locked(first);
  }
  runner_ = std::move(runner);
  runner_->start();
  log("%s: %zu virtual servers, %zu checkers", path.c_str(), cfg_->virtual_servers.size(),
      check::targets_of(*cfg_).size());
  return true;
}

// A reload keeps what the checks found out (check/carry.h): real servers in both
// configurations continue their checkers' verdicts, and their pools start from them.  What
// each pool that existed before looked like is kept in reload_before_, so the first
// run_scripts_locked announces only real changes (config/reload_news.h).
void KeepalivedRuntime::carry_health_locked(const config::KeepalivedConfig& next, config::PoolStates& pools,
                                            check::CheckRunner& runner) {
  check::CarryPlan plan = check::plan_carry(*cfg_, next);
  reload_before_.assign(next.virtual_servers.size(), std::nullopt);
  for (size_t v = 0; v < next.virtual_servers.size(); ++v)
    if (auto ov = plan.vs_from[v]) {
      reload_before_[v] = config::Before{pools_.pools.at(*ov).quorum_up(), {}};
      reload_before_[v]->alive.resize(next.virtual_servers[v].real_servers.size());
    }
  for (const check::Carry& c : plan.servers) {
    const bool was_alive = pools_.pools.at(c.from.vs).alive(c.from.rs);
    if (auto& before = reload_before_.at(c.to.vs)) before->alive.at(c.to.rs) = was_alive;
    if (c.checker_from.empty()) continue;  // no checker: always up, nothing to carry
    std::vector<std::optional<check::CheckState>> old;
    for (const auto& from : c.checker_from)
      old.push_back(from && runner_ ? runner_->state(c.from, *from) : std::nullopt);
    runner.carry(c.to, was_alive, old);
    config::Pool& pool = pools.pools.at(c.to.vs);
    pool.set_weight(c.to.rs, runner.weight(c.to));
    pool.set_alive(c.to.rs, runner.alive(c.to));
  }
}

// keepalived stopping (clear_services): with `omega`, each alive real server's notify_down
// and the quorum_down script run, and their mails go out (given a few seconds).  The table
// itself goes with ulvsd.
void KeepalivedRuntime::stop() {
  if (runner_) runner_->stop();
  runner_.reset();
  std::lock_guard lock(mu_);
  bool any = false;
  for (auto& pool : pools_.pools)
    if (!pool.stopped()) {
      pool.stop();
      any = true;
    }
  if (!any) return;
  run_scripts_locked();
  if (mailer_ && !mailer_->wait_idle(kMailAtStopMs)) log("stopping: mail alerts still queued are dropped");
}

void KeepalivedRuntime::on_change(check::RsId id, bool alive, int64_t weight) {
  std::lock_guard lock(mu_);
  if (!cfg_ || id.vs >= pools_.pools.size()) return;
  config::Pool& pool = pools_.pools[id.vs];
  const auto& rs = cfg_->virtual_servers[id.vs].real_servers.at(id.rs);
  log("%s %s: %s (weight %lld)", cfg_->virtual_servers[id.vs].where.str().c_str(), rs.ep.str().c_str(),
      alive ? "UP" : "DOWN", static_cast<long long>(weight));
  pool.set_weight(id.rs, weight);
  pool.set_alive(id.rs, alive);
  apply_locked(false);
}

// The desired table against what the engine has now; only the difference is sent.
void KeepalivedRuntime::apply_locked(bool first) {
  if (first && cfg_->global.lvs_flush) ctl_.execute({.op = ctl::Op::Flush});
  if (auto t = config::timeouts_request(*cfg_)) ctl_.execute(*t);
  auto desired = config::desired_table(*cfg_, pools_);
  auto current = ctl_.execute({.op = ctl::Op::GetServices}).services;
  for (const ctl::Request& r : config::diff_tables(desired, current, managed_)) {
    ctl::Reply rep = ctl_.execute(r);
    if (rep.error)
      log("applying %s: %s", std::string(ctl::op_name(r.op)).c_str(),
          rep.message.empty() ? std::strerror(-rep.error) : rep.message.c_str());
  }
  managed_ = config::service_keys(desired);
  run_scripts_locked();
}

void KeepalivedRuntime::run_scripts_locked() {
  for (size_t v = 0; v < pools_.pools.size(); ++v) {
    config::Pool& pool = pools_.pools[v];
    auto runs = pool.take_scripts();
    auto alerts = pool.take_alerts();
    if (v < reload_before_.size() && reload_before_[v]) {  // right after a reload: news only
      runs = config::reload_news(std::move(runs), *reload_before_[v], pool);
      alerts = config::reload_news(std::move(alerts), *reload_before_[v], pool);
    }
    for (const config::ScriptRun& run : runs)
      if (!spawn_script(run.script)) log("cannot start script '%s'", run.script.command.c_str());
    // After the scripts, as keepalived mails after notify_exec.
    for (const config::Alert& alert : alerts) send_alert_locked(pool.config(), alert);
  }
  reload_before_.clear();
}

// Created once, reconfigured on reload: mails already queued go out with the settings they
// were posted under.
void KeepalivedRuntime::configure_mailer_locked() {
  notify::MailSettings s = notify::mail_settings(cfg_->global);
  if (mailer_) {
    mailer_->configure(std::move(s));
    return;
  }
  notify::Mailer::Options opt;
  opt.log = [](const std::string& line) { log("%s", line.c_str()); };
  mailer_ = std::make_unique<notify::Mailer>(std::move(s), std::move(opt));
}

void KeepalivedRuntime::send_alert_locked(const config::VirtualServer& vs, const config::Alert& alert) {
  if (!mailer_) return;
  const notify::MailSettings s = mailer_->settings();
  if (!s.enabled()) return;
  mailer_->post(notify::alert_message(s.router_id, vs, alert));
}

}  // namespace ulvs::daemon

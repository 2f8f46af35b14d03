// keepalived_runtime.cc — parse, diff, apply; checkers report into the pools.
#include "daemon/keepalived_runtime.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "config/keepalived_parser.h"
#include "config/ldirectord_parser.h"
#include "ctl/codec.h"
#include "config/table_diff.h"
#include "daemon/log.h"
#include "daemon/script.h"

namespace ulvs::daemon {

KeepalivedRuntime::~KeepalivedRuntime() { stop(); }

namespace {

// The program a command line starts: its first word, looked up in PATH if it has no '/'.
bool runnable(const std::string& command) {
  std::string prog = command.substr(0, command.find_first_of(" \t"));
  if (prog.empty()) return false;
  if (prog.find('/') != std::string::npos) return access(prog.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t at = 0; at <= dirs.size();) {
    size_t colon = dirs.find(':', at);
    if (colon == std::string::npos) colon = dirs.size();
    std::string cand = dirs.substr(at, colon - at) + "/" + prog;
    if (access(cand.c_str(), X_OK) == 0) return true;
    at = colon + 1;
  }
  return false;
}

// As keepalived does at load: a MISC_CHECK whose script cannot be run is disabled (the real
// server then counts as up, as one without that checker).
void disable_missing_scripts(config::KeepalivedConfig& cfg) {
  for (auto& vs : cfg.virtual_servers)
    for (auto& rs : vs.real_servers)
      std::erase_if(rs.checkers, [](const config::Checker& c) {
        if (c.type != config::Checker::Misc || runnable(c.misc_path.command)) return false;
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
    cfg_ = std::make_unique<config::KeepalivedConfig>(std::move(*cfg));
    pools_ = config::PoolStates::start(*cfg_);
    apply_locked(first);
    runner = std::make_unique<check::CheckRunner>(
        check::targets_of(*cfg_), [this](check::RsId id, bool alive, int64_t w) { on_change(id, alive, w); });
  }
  runner_ = std::move(runner);
  runner_->start();
  log("%s: %zu virtual servers, %zu checkers", path.c_str(), cfg_->virtual_servers.size(),
      check::targets_of(*cfg_).size());
  return true;
}

void KeepalivedRuntime::stop() {
  if (runner_) runner_->stop();
  runner_.reset();
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
  for (auto& pool : pools_.pools)
    for (const config::ScriptRun& run : pool.take_scripts())
      if (!spawn_script(run.script)) log("cannot start script '%s'", run.script.command.c_str());
}

}  // namespace ulvs::daemon

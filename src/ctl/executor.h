// executor.h — the one place where control requests touch the engine.
//
// The socket server, the HTTP API and the config loader all hand their Requests here.  Errors
// are the kernel's negative errnos exactly as ipvsadm would get them (the engine's, plus the
// checks ip_vs_ctl.c makes that the engine leaves to its caller), so the CLI can print
// ipvsadm's messages.  Not thread-safe: the caller serializes calls with the engine's mutex.
//
//   ipvs::Engine engine;
//   ctl::Executor ex(engine);
//   Reply r = ex.execute({.op = Op::AddService, .service = cfg}, now_ms);   // r.error == 0
//   r = ex.execute({.op = Op::GetServices}, now_ms);                        // r.services
#pragma once

#include <optional>
#include <vector>

#include "ctl/model.h"
#include "ipvs/engine.h"

namespace ulvs::ctl {

class Executor {
 public:
  explicit Executor(ipvs::Engine& engine) : engine_(engine) {}

  Reply execute(const Request& req, ipvs::TimeMs now);

 private:
  int add_service(const ipvs::ServiceConfig& cfg);
  int edit_service(const ipvs::ServiceConfig& cfg);
  int add_or_edit_dest(const Request& req, bool add);
  int zero(const Request& req);
  int set_timeouts(const Timeouts& t);
  int start_daemon(const SyncDaemon& d);
  int stop_daemon(const SyncDaemon& d);
  int get_services(const Request& req, Reply& rep);
  void get_conns(Reply& rep, ipvs::TimeMs now);
  Timeouts timeouts() const;
  std::vector<SyncDaemon> daemons() const;
  int add_local_addr(const net::Addr& a);
  int del_local_addr(const net::Addr& a);
  int set_sysctl(const SysctlEntry& s);
  int get_sysctls(const std::string& name, Reply& rep) const;

  ipvs::Engine& engine_;
  // Sync daemon settings (the sync protocol itself is future work): one of each role.
  std::optional<SyncDaemon> master_, backup_;
  // FULLNAT local addresses in the order they were added; the engine gets a copy after every
  // change.  Connections store an index into this list, so it only grows at the end and
  // shrinks only where no FULLNAT connection's index would move (del_local_addr).
  std::vector<net::Addr> local_addrs_;
};

}  // namespace ulvs::ctl

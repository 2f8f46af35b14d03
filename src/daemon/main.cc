// main.cc — ulvsd: holds the engine and serves the control API.
//
//   ulvsd --socket /tmp/ulvs.sock &            # foreground, logs "ulvsd: ..." to stderr
//   ULVS_SOCKET=/tmp/ulvs.sock ulvsadm -Ln
//
// One main loop waits for signals with a 100 ms timeout and ticks the engine in between:
// SIGTERM/SIGINT exit (removing the socket file), SIGHUP reloads --config.  The signals are
// blocked in every thread and taken synchronously here, so handlers never race the engine.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include "ctl/server.h"
#include "daemon/config.h"
#include "daemon/control.h"
#include "daemon/dataplane.h"
#include "daemon/dataplane_metrics.h"
#include "daemon/detach.h"
#include "daemon/http.h"
#include "daemon/keepalived_runtime.h"
#include "daemon/log.h"
#include "daemon/options.h"

using namespace ulvs;
using namespace ulvs::daemon;

namespace {

sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, s);
  return set;
}

// --config: a keepalived.conf (health-checked pools, applied as differences) or ulvsd's own
// JSON request list (applied after a flush).
void apply_config(Control& ctl, KeepalivedRuntime& keepalived, const std::string& file,
                  const char* why) {
  if (KeepalivedRuntime::is_keepalived_file(file)) {
    keepalived.load(file);
    return;
  }
  std::string err;
  auto reqs = load_config(file, err);
  if (!reqs) {
    log("%s %s failed, tables unchanged: %s", why, file.c_str(), err.c_str());
    return;
  }
  ConfigResult res = apply_config(ctl, *reqs);
  if (res.failed)
    log("%s %s: %zu of %zu requests failed; first: %s", why, file.c_str(), res.failed,
        reqs->size(), res.first_error.c_str());
  else
    log("%s %s: %zu requests applied", why, file.c_str(), reqs->size());
}

// --laddr: added before --config runs, through the executor like ulvsadm --add-laddr, so
// the same checks apply (unicast, no duplicates, at most 256).
bool add_local_addrs(Control& ctl, const Options& opt) {
  for (const net::Addr& a : opt.local_addrs) {
    ctl::Reply rep = ctl.execute({.op = ctl::Op::AddLocalAddr, .local_addr = a});
    if (rep.error) {
      log("--laddr %s: %s", a.str().c_str(), std::strerror(-rep.error));
      return false;
    }
  }
  return true;
}

// --sysctl: set first, through the executor like ulvsadm --sysctl, so the same names and
// checks apply; an unknown name says "No such file or directory" as sysctl(8) would.
bool set_sysctls(Control& ctl, const Options& opt) {
  for (const auto& [name, value] : opt.sysctls) {
    ctl::Reply rep = ctl.execute({.op = ctl::Op::SetSysctl, .sysctl = {name, value}});
    if (rep.error) {
      log("--sysctl %s=%s: %s", name.c_str(), value.c_str(), std::strerror(-rep.error));
      return false;
    }
  }
  return true;
}

// Waits for signals, ticking the engine every 100 ms.  Returns the exit signal.
int run(Control& ctl, DataPlane& dp, KeepalivedRuntime& keepalived, const Options& opt) {
  sigset_t set = handled_signals();
  const timespec period{0, 100 * 1000 * 1000};
  for (;;) {
    int sig = sigtimedwait(&set, nullptr, &period);
    if (sig == SIGHUP) {
      if (opt.config.empty())
        log("SIGHUP: no --config to reload");
      else
        apply_config(ctl, keepalived, opt.config, "reload of");
    } else if (sig == SIGTERM || sig == SIGINT) {
      return sig;
    }
    ctl.tick();
    dp.tick();
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  std::string err;
  if (!parse_options(argc, argv, opt, err)) {
    std::fprintf(stderr, "ulvsd: %s\n%s", err.c_str(), usage());
    return 2;
  }
  if (opt.help) {
    std::fputs(usage(), stdout);
    return 0;
  }
  if (opt.version) {
    std::printf("%s\n", kVersion);
    return 0;
  }

  // Before any thread exists, so every thread inherits the mask.
  sigset_t set = handled_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  if (opt.detach && !detach()) return 1;
  if (!opt.pidfile.empty() && !write_pidfile(opt.pidfile)) return 1;

  Control ctl({.max_conns = opt.max_conns});
  if (!set_sysctls(ctl, opt) || !add_local_addrs(ctl, opt)) return 2;
  KeepalivedRuntime keepalived(ctl);
  if (!opt.config.empty()) apply_config(ctl, keepalived, opt.config, "load of");

  // The data plane first: when the control socket appears, packets already flow.
  DataPlane dp(ctl, opt);
  if (std::string dp_err; !dp.start(dp_err)) {
    log("data plane: %s", dp_err.c_str());
    return 1;
  }

  ctl::Server server(opt.socket, [&](const ctl::Request& r) { return ctl.execute(r); });
  if (server.start() < 0) {
    log("%s", server.error().c_str());
    return 1;
  }
  log("listening on %s (max %u connections%s)", opt.socket.c_str(), opt.max_conns,
      dp.running() ? "" : ", no data-plane interface");

  std::unique_ptr<HttpApi> http;
  if (opt.http_port) {
    http = std::make_unique<HttpApi>(ctl);
    if (dp.running()) http->set_extra_metrics([&dp] { return render_dataplane_metrics(dp.counters()); });
    if (!http->start(opt.http_host, opt.http_port)) {
      log("cannot serve HTTP on %s:%u", opt.http_host.c_str(), opt.http_port);
      server.stop();
      return 1;
    }
    log("HTTP API and /metrics on %s:%u", opt.http_host.c_str(), opt.http_port);
  }

  int sig = run(ctl, dp, keepalived, opt);
  log("%s: exiting", strsignal(sig));
  keepalived.stop();
  if (http) http->stop();
  dp.stop();
  server.stop();
  if (!opt.pidfile.empty()) unlink(opt.pidfile.c_str());
  return 0;
}

// options.cc — getopt_long over ulvsd's options; no side effects beyond filling Options.
#include "daemon/options.h"

#include <getopt.h>

#include <charconv>

#include "ctl/client.h"
#include "net/addr.h"

namespace ulvs::daemon {

const char* usage() {
  return "Usage: ulvsd [OPTIONS]\n"
         "  --socket PATH      control socket (default $ULVS_SOCKET or /run/ulvs/ulvsd.sock)\n"
         "  --daemon           detach from the terminal (fork, setsid, stdio to /dev/null)\n"
         "  --pidfile FILE     write the daemon's pid here (with --daemon or without)\n"
         "  --config FILE      apply FILE at start and on SIGHUP: a JSON array of requests\n"
         "                     (see docs/API.md; keepalived.conf support comes later)\n"
         "  --http [ADDR:]PORT serve the HTTP/JSON API and /metrics (default address\n"
         "                     127.0.0.1; off unless given)\n"
         "  --max-conns N      connection table size (default 1048576)\n"
         "  --laddr ADDR       a FULLNAT local (source) address; repeat for more (up to\n"
         "                     256; ulvsadm --add-laddr/--del-laddr change them later)\n"
         "  --help, --version\n"
         "Signals: SIGTERM/SIGINT exit cleanly, SIGHUP reloads --config.\n";
}

// "8080", "0.0.0.0:8080", "[::1]:8080".
static bool parse_http(const std::string& s, Options& o) {
  auto ep = net::Endpoint::parse(s);
  if (ep && ep->port) {
    o.http_host = ep->addr.str();
    o.http_port = ep->port;
    return true;
  }
  unsigned port = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
  if (ec != std::errc() || p != s.data() + s.size() || port == 0 || port > 65535) return false;
  o.http_host = "127.0.0.1";
  o.http_port = uint16_t(port);
  return true;
}

bool parse_options(int argc, char** argv, Options& o, std::string& error) {
  enum { kSocket = 256, kDaemon, kPidfile, kConfig, kHttp, kMaxConns, kLaddr, kHelp, kVersion };
  static const option longopts[] = {
      {"socket", required_argument, nullptr, kSocket},
      {"daemon", no_argument, nullptr, kDaemon},
      {"pidfile", required_argument, nullptr, kPidfile},
      {"config", required_argument, nullptr, kConfig},
      {"http", required_argument, nullptr, kHttp},
      {"max-conns", required_argument, nullptr, kMaxConns},
      {"laddr", required_argument, nullptr, kLaddr},
      {"help", no_argument, nullptr, kHelp},
      {"version", no_argument, nullptr, kVersion},
      {nullptr, 0, nullptr, 0}};
  o.socket = ctl::default_socket_path();
  optind = 1;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "h", longopts, nullptr)) != -1) {
    std::string arg = optarg ? optarg : "";
    switch (c) {
      case kSocket: o.socket = arg; break;
      case kDaemon: o.detach = true; break;
      case kPidfile: o.pidfile = arg; break;
      case kConfig: o.config = arg; break;
      case kHttp:
        if (!parse_http(arg, o)) {
          error = "bad --http value '" + arg + "' (expected [ADDR:]PORT)";
          return false;
        }
        break;
      case kMaxConns: {
        unsigned long n = 0;
        auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), n);
        if (ec != std::errc() || p != arg.data() + arg.size() || n == 0 || n > (1ul << 31)) {
          error = "bad --max-conns value '" + arg + "'";
          return false;
        }
        o.max_conns = uint32_t(n);
        break;
      }
      case kLaddr: {
        auto a = net::Addr::parse(arg);
        if (!a) {
          error = "bad --laddr value '" + arg + "' (expected an IPv4 or IPv6 address)";
          return false;
        }
        o.local_addrs.push_back(*a);
        break;
      }
      case 'h':
      case kHelp: o.help = true; break;
      case kVersion: o.version = true; break;
      default:
        error = std::string("unknown or incomplete option '") + argv[optind - 1] + "'";
        return false;
    }
  }
  if (optind < argc) {
    error = std::string("unexpected argument '") + argv[optind] + "'";
    return false;
  }
  return true;
}

}  // namespace ulvs::daemon

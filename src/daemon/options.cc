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
         "  --config FILE      apply FILE at start and on SIGHUP: a keepalived.conf\n"
         "                     (virtual_server, real_server, health checkers; a reload\n"
         "                     applies only the difference) or a JSON array of requests\n"
         "                     (docs/API.md)\n"
         "  --http [ADDR:]PORT serve the HTTP/JSON API and /metrics (default address\n"
         "                     127.0.0.1; off unless given)\n"
         "  --max-conns N      connection table size (default 1048576)\n"
         "  --laddr ADDR       a FULLNAT local (source) address; repeat for more (up to\n"
         "                     256; ulvsadm --add-laddr/--del-laddr change them later)\n"
         "  --sysctl NAME=VALUE\n"
         "                     set /proc/sys/net/ipv4/vs/NAME at start (e.g. sloppy_tcp=1);\n"
         "                     repeat for more (ulvsadm --sysctl changes them later)\n"
         "Data plane (without --interface ulvsd only serves the control API):\n"
         "  --interface IFACE  attach the data plane to IFACE; repeat for more\n"
         "  --backend B        afxdp (default: AF_XDP sockets with ulvs's XDP program,\n"
         "                     which passes everything not for a VIP to the kernel) or\n"
         "                     afpacket (TPACKET_V3 rings; needs ip_forward=0)\n"
         "  --queues N         RX queues per interface, one worker thread each (default 1)\n"
         "  --cpus LIST        pin worker i to the i-th CPU of LIST (e.g. 0,1)\n"
         "  --busy-poll        workers spin instead of sleeping when idle\n"
         "  --zero-copy        AF_XDP zero-copy (falls back to copy mode if refused)\n"
         "  --ring-size N      descriptors per ring (default 2048)\n"
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

static bool parse_uint(const std::string& s, uint32_t lo, uint32_t hi, uint32_t& out) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < lo || v > hi) return false;
  out = v;
  return true;
}

// "0,1,3"
static bool parse_cpus(const std::string& s, std::vector<int>& out) {
  out.clear();
  size_t at = 0;
  while (at <= s.size()) {
    size_t comma = s.find(',', at);
    if (comma == std::string::npos) comma = s.size();
    uint32_t cpu = 0;
    if (!parse_uint(s.substr(at, comma - at), 0, 1023, cpu)) return false;
    out.push_back(int(cpu));
    at = comma + 1;
  }
  return !out.empty();
}

bool parse_options(int argc, char** argv, Options& o, std::string& error) {
  enum { kSocket = 256, kDaemon, kPidfile, kConfig, kHttp, kMaxConns, kLaddr, kHelp, kVersion,
         kInterface, kBackend, kQueues, kCpus, kBusyPoll, kZeroCopy, kRingSize, kSysctl };
  static const option longopts[] = {
      {"socket", required_argument, nullptr, kSocket},
      {"daemon", no_argument, nullptr, kDaemon},
      {"pidfile", required_argument, nullptr, kPidfile},
      {"config", required_argument, nullptr, kConfig},
      {"http", required_argument, nullptr, kHttp},
      {"max-conns", required_argument, nullptr, kMaxConns},
      {"laddr", required_argument, nullptr, kLaddr},
      {"sysctl", required_argument, nullptr, kSysctl},
      {"interface", required_argument, nullptr, kInterface},
      {"backend", required_argument, nullptr, kBackend},
      {"queues", required_argument, nullptr, kQueues},
      {"cpus", required_argument, nullptr, kCpus},
      {"busy-poll", no_argument, nullptr, kBusyPoll},
      {"zero-copy", no_argument, nullptr, kZeroCopy},
      {"ring-size", required_argument, nullptr, kRingSize},
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
      case kSysctl: {  // the name and the value are checked when applied (main.cc)
        size_t eq = arg.find('=');
        if (eq == 0 || eq == std::string::npos) {
          error = "bad --sysctl value '" + arg + "' (expected NAME=VALUE)";
          return false;
        }
        o.sysctls.emplace_back(arg.substr(0, eq), arg.substr(eq + 1));
        break;
      }
      case kInterface:
        if (arg.empty() || arg.size() >= 16) {
          error = "bad --interface name '" + arg + "'";
          return false;
        }
        o.interfaces.push_back(arg);
        break;
      case kBackend:
        if (arg != "afxdp" && arg != "afpacket") {
          error = "bad --backend '" + arg + "' (expected afxdp or afpacket)";
          return false;
        }
        o.afpacket = arg == "afpacket";
        break;
      case kQueues:
        if (!parse_uint(arg, 1, 64, o.queues)) {
          error = "bad --queues value '" + arg + "' (1 to 64)";
          return false;
        }
        break;
      case kRingSize:
        if (!parse_uint(arg, 64, 1 << 16, o.ring_size) || (o.ring_size & (o.ring_size - 1))) {
          error = "bad --ring-size value '" + arg + "' (a power of two, 64 to 65536)";
          return false;
        }
        break;
      case kCpus:
        if (!parse_cpus(arg, o.cpus)) {
          error = "bad --cpus value '" + arg + "' (expected e.g. 0,1,3)";
          return false;
        }
        break;
      case kBusyPoll: o.busy_poll = true; break;
      case kZeroCopy: o.zero_copy = true; break;
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

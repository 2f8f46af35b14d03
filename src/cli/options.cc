// options.cc — ipvsadm.c's parse_options + process_options checks, in the same order.
#include "cli/options.h"

#include <arpa/inet.h>

#include <array>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "cli/help.h"
#include "cli/inet.h"
#include "cli/popt.h"

namespace ulvs::cli {

namespace {

using ipvs::Fwd;
namespace sf = ipvs::svc_flag;

constexpr uint32_t kMaxTimeout = 86400 * 31;

// Option ids: a short option's id is its character, long-only options count up from 128.
enum Tag : int {
  kSet = 128, kStartDaemon, kStopDaemon, kMcastInterface, kTimeoutTag, kDaemonTag, kStatsTag,
  kRateTag, kThresholdsTag, kPersistentConnTag, kSortTag, kNoSortTag, kPeTag, kSctpTag,
  kMcastGroupTag, kMcastPortTag, kMcastTtlTag, kSyncMaxlenTag, kTunInfoTag, kTunTypeTag,
  kTunPortTag, kTunNoCsumTag, kTunCsumTag, kTunRemCsumTag, kSyncIdTag, kFullNatTag,
  kToaTag, kProxyProtocolTag, kAddLaddr, kDelLaddr, kListLaddr, kSysctlTag, kListSysctl,
};

constexpr ArgKind N = ArgKind::None, R = ArgKind::Required, O = ArgKind::Optional;

constexpr PoptOption kTable[] = {
    {"add-service", 'A', N, 'A'}, {"edit-service", 'E', N, 'E'},
    {"delete-service", 'D', N, 'D'}, {"clear", 'C', N, 'C'}, {"list", 'L', N, 'L'},
    {"list", 'l', N, 'l'}, {"zero", 'Z', N, 'Z'}, {"add-server", 'a', N, 'a'},
    {"edit-server", 'e', N, 'e'}, {"delete-server", 'd', N, 'd'}, {"set", 0, N, kSet},
    {"help", 'h', N, 'h'}, {"version", 'v', N, 'v'}, {"restore", 'R', N, 'R'},
    {"save", 'S', N, 'S'}, {"start-daemon", 0, R, kStartDaemon},
    {"stop-daemon", 0, R, kStopDaemon}, {"tcp-service", 't', R, 't'},
    {"udp-service", 'u', R, 'u'}, {"sctp-service", 0, R, kSctpTag},
    {"fwmark-service", 'f', R, 'f'}, {"scheduler", 's', R, 's'},
    {"persistent", 'p', O, 'p'}, {"netmask", 'M', R, 'M'}, {"real-server", 'r', R, 'r'},
    {"masquerading", 'm', N, 'm'}, {"ipip", 'i', N, 'i'}, {"gatewaying", 'g', N, 'g'},
    {"weight", 'w', R, 'w'}, {"u-threshold", 'x', R, 'x'}, {"l-threshold", 'y', R, 'y'},
    {"numeric", 'n', N, 'n'}, {"connection", 'c', N, 'c'},
    {"mcast-interface", 0, R, kMcastInterface}, {"syncid", 0, R, kSyncIdTag},
    {"timeout", 0, N, kTimeoutTag}, {"daemon", 0, N, kDaemonTag}, {"stats", 0, N, kStatsTag},
    {"rate", 0, N, kRateTag}, {"thresholds", 0, N, kThresholdsTag},
    {"persistent-conn", 0, N, kPersistentConnTag}, {"nosort", 0, N, kNoSortTag},
    {"sort", 0, N, kSortTag}, {"exact", 'X', N, 'X'}, {"ipv6", '6', N, '6'},
    {"ops", 'o', N, 'o'}, {"pe", 0, R, kPeTag}, {"sched-flags", 'b', R, 'b'},
    {"mcast-group", 0, R, kMcastGroupTag}, {"mcast-port", 0, R, kMcastPortTag},
    {"mcast-ttl", 0, R, kMcastTtlTag}, {"sync-maxlen", 0, R, kSyncMaxlenTag},
    {"tun-info", 0, N, kTunInfoTag}, {"tun-type", 0, R, kTunTypeTag},
    {"tun-port", 0, R, kTunPortTag}, {"tun-nocsum", 0, N, kTunNoCsumTag},
    {"tun-csum", 0, N, kTunCsumTag}, {"tun-remcsum", 0, N, kTunRemCsumTag},
    // ulvs extensions
    {"fullnat", 0, N, kFullNatTag}, {"toa", 0, N, kToaTag},
    {"proxy-protocol", 0, R, kProxyProtocolTag}, {"add-laddr", 0, R, kAddLaddr},
    {"del-laddr", 0, R, kDelLaddr}, {"list-laddr", 0, N, kListLaddr},
    {"sysctl", 0, R, kSysctlTag}, {"list-sysctl", 0, N, kListSysctl},
};

constexpr const char* kCmdNames[] = {
    "add-service", "edit-service", "delete-service", "flush", "list", "add-server",
    "delete-server", "edit-server", "set", "start-daemon", "stop-daemon", "restore", "save",
    "zero", "add-laddr", "del-laddr", "list-laddr", "sysctl", "list-sysctl",
};

constexpr const char* kOptNames[] = {
    "numeric", "connection", "service-address", "scheduler", "persistent", "netmask",
    "real-server", "forwarding-method", "weight", "u-threshold", "l-threshold",
    "mcast-interface", "timeout", "daemon", "stats", "rate", "thresholds", "persistent-conn",
    "nosort", "syncid", "exact", "ops", "pe", "sched-flags", "mcast-group", "mcast-port",
    "mcast-ttl", "sync-maxlen", "tun-info", "tun-type", "tun-port", "tun-nocsum", "tun-csum",
    "tun-remcsum", "toa", "proxy-protocol",
};
static_assert(std::size(kOptNames) == optc::kCount);

// commands_v_options: '+' required, 'x' illegal, '1' one of a group, ' ' optional.  Columns
// in optc order: n c svc s p M r fwd w x y mc tot dmn st rt thr pc srt sid ex ops pe b grp
// port ttl size tinf type tprt nocs csum remc, then ulvs's toa pp (--toa and
// --proxy-protocol: a '1' group of their own, as no -A/-E option of ipvsadm's is in one).
constexpr const char* kCmdVsOpt[] = {
    "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx11",  // add-service
    "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx11",  // edit-service
    "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // delete-service
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // flush
    " 11xxxxxxxxx11       xxxxxxx xxxxxxx",  // list
    "xx+xxx+    xxxxxxxxxxxxxxxxxx     xx",  // add-server
    "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // delete-server
    "xx+xxx+    xxxxxxxxxxxxxxxxxx     xx",  // edit-server
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // set
    "xxxxxxxxxxx xxxxxxx xxxx    xxxxxxxx",  // start-daemon
    "xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxxxx",  // stop-daemon
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // restore
    " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // save
    "xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // zero
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // add-laddr (ulvs)
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // del-laddr (ulvs)
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // list-laddr (ulvs)
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // sysctl (ulvs)
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",  // list-sysctl (ulvs)
};
static_assert(std::size(kCmdVsOpt) == std::size(kCmdNames));
constexpr bool rows_complete() {
  for (const char* row : kCmdVsOpt)
    if (std::char_traits<char>::length(row) != optc::kCount) return false;
  return true;
}
static_assert(rows_complete(), "every command names a rule for every option");

// tunnel_types_v_options: rows ipip, gue, gre; columns tun-port nocsum csum remcsum.
constexpr const char* kTunVsOpt[] = {"xxxx", "+111", "x11x"};
constexpr int kTunOpts[] = {optc::kTunPort, optc::kTunNoCsum, optc::kTunCsum,
                            optc::kTunRemCsum};
constexpr const char* kTunNames[] = {"ipip", "gue", "gre"};

enum ServiceParse { kNone = 0, kAddr = 1, kPort = 2 };

// An address being parsed: the service key, or the copy of it ipvsadm parses -r into.
struct Target {
  net::Addr addr;
  uint16_t port = 0;
  uint32_t netmask = 0;
};

// ipvsadm's parse_service: [v6]:port, v6, v4[:port] or host[:port]; port number or name.
int parse_service(std::string buf, uint8_t protocol, Target& t) {
  if (buf.find_first_not_of("0123456789") == std::string::npos) return kNone;
  std::optional<std::string> port;
  if (buf[0] == '[') {
    auto close = buf.find(']');
    if (close == std::string::npos || close + 1 >= buf.size() || buf[close + 1] != ':')
      return kNone;
    port = buf.substr(close + 2);
    buf = buf.substr(1, close - 1);
  }
  in6_addr in6{};
  if (inet_pton(AF_INET6, buf.c_str(), &in6) > 0) {
    t.addr = net::Addr::v6_bytes(in6.s6_addr);
    t.netmask = 128;
  } else {
    // Not IPv6: ipvsadm looks for the port after the last ':' again (so "[1.2.3.4]:80"
    // ends up with no port, as in ipvsadm).
    port.reset();
    if (auto colon = buf.rfind(':'); colon != std::string::npos) {
      port = buf.substr(colon + 1);
      buf.resize(colon);
    }
    auto a = parse_ipv4_or_host(buf);
    if (!a) return kNone;
    t.addr = *a;
  }
  if (!port) return kAddr;
  long n = parse_number(*port, 0, 65535);
  if (n == -1) n = service_to_port(*port, protocol);
  if (n == -1) return kNone;
  t.port = static_cast<uint16_t>(n);
  return kAddr | kPort;
}

Cmd command_of(int id) {
  switch (id) {
    case 'A': return Cmd::Add;
    case 'E': return Cmd::Edit;
    case 'D': return Cmd::Del;
    case 'a': return Cmd::AddDest;
    case 'e': return Cmd::EditDest;
    case 'd': return Cmd::DelDest;
    case 'C': return Cmd::Flush;
    case 'L': case 'l': return Cmd::List;
    case 'Z': return Cmd::Zero;
    case kSet: return Cmd::Timeout;
    case 'R': return Cmd::Restore;
    case 'S': return Cmd::Save;
    case kStartDaemon: return Cmd::StartDaemon;
    case kStopDaemon: return Cmd::StopDaemon;
    case kAddLaddr: return Cmd::AddLaddr;
    case kDelLaddr: return Cmd::DelLaddr;
    case kListLaddr: return Cmd::ListLaddr;
    case kSysctlTag: return Cmd::Sysctl;
    case kListSysctl: return Cmd::ListSysctl;
    default: return Cmd::None;
  }
}

// One parse, carried out like ipvsadm: fail() throws the Outcome that exit() would produce.
class Parser {
 public:
  Parser(std::string_view prog, std::span<const std::string> args)
      : prog_(prog), scanner_(kTable, args) {
    c_.svc.key.protocol = 0;     // as ipvsadm's zeroed entry: -r before -t resolves no names
    c_.svc.scheduler.clear();    // "wlc" is filled in later, only for -A/-E
    c_.dest.fwd = Fwd::Route;    // -g is the default method
  }

  Command run() {
    first_option();
    PoptEvent ev;
    while ((ev = scanner_.next()).kind == PoptEvent::Option) option(ev);
    if (ev.kind != PoptEvent::End)
      throw Outcome{.err = ev.word + ": " + ev.error_text() + "\n", .status = 255,
                    .terminates = false};
    leftovers();
    if (!sched_flags_.empty()) apply_sched_flags();
    generic_opt_check();
    command_checks();
    return c_;
  }

 private:
  [[noreturn]] void fail(const std::string& msg) {
    throw Outcome{.err = msg + "\n", .status = 2};
  }
  [[noreturn]] void try_help() {
    throw Outcome{.err = "Try `" + std::string(prog_) + " -h' or '" + std::string(prog_) +
                         " --help' for more information.\n",
                  .status = 255};
  }

  void set_option(int opt) {
    uint64_t bit = uint64_t{1} << opt;
    if (c_.options & bit) fail(std::string("multiple '") + kOptNames[opt] + "' options specified");
    c_.options |= bit;
  }

  void first_option() {
    PoptEvent ev = scanner_.next();
    if (ev.kind != PoptEvent::Option) try_help();
    if (ev.id == 'h')
      throw Outcome{.out = usage_text(prog_, !prog_is_ipvsadm()), .status = 0};
    if (ev.id == 'v') throw Outcome{.out = version_text(), .status = 0};
    c_.cmd = command_of(ev.id);
    if (c_.cmd == Cmd::None) try_help();
    if (c_.cmd == Cmd::StartDaemon || c_.cmd == Cmd::StopDaemon) {
      if (*ev.arg == "master" || *ev.arg == "backup")
        c_.daemon.state = *ev.arg;
      else
        fail(c_.cmd == Cmd::StartDaemon ? "illegal start-daemon parameter specified"
                                        : "illegal start_daemon specified");
    }
    if (c_.cmd == Cmd::AddLaddr || c_.cmd == Cmd::DelLaddr) local_addr(*ev.arg);
    if (c_.cmd == Cmd::Sysctl) sysctl(*ev.arg);
  }

  // NAME=VALUE sets, NAME alone reads; whether NAME exists and VALUE fits is ulvsd's answer.
  void sysctl(const std::string& arg) {
    const size_t eq = arg.find('=');
    c_.sysctl_name = arg.substr(0, eq);
    if (c_.sysctl_name.empty()) fail("illegal sysctl `" + arg + "' specified");
    if (eq != std::string::npos) c_.sysctl_value = arg.substr(eq + 1);
  }

  // A numeric IPv4 or IPv6 address: it becomes the source of packets, so no name lookup.
  void local_addr(const std::string& arg) {
    auto a = net::Addr::parse(arg);
    if (!a) fail("illegal local address `" + arg + "' specified");
    c_.local_addr = *a;
  }

  bool prog_is_ipvsadm() const {
    auto slash = prog_.rfind('/');
    return prog_.substr(slash == std::string_view::npos ? 0 : slash + 1) == "ipvsadm";
  }

  void option(const PoptEvent& ev) {
    const std::string arg = ev.arg.value_or("");
    switch (ev.id) {
      case 't': case 'u': case kSctpTag: service(ev.id, arg); break;
      case 'f': fwmark(arg); break;
      case 's':
        set_option(optc::kScheduler);
        c_.svc.scheduler = arg.substr(0, 15);
        break;
      case 'p':
        set_option(optc::kPersistent);
        c_.svc.flags |= sf::kPersistent;
        c_.svc.timeout_s = ev.arg ? timeout(arg, 1) : ipvs::kDefaultPersistence;
        break;
      case 'M': netmask(arg); break;
      case 'r': real_server(arg); break;
      case 'i': forward(Fwd::Tunnel); break;
      case 'g': forward(Fwd::Route); break;
      case 'm': forward(Fwd::Masq); break;
      case kFullNatTag: forward(Fwd::FullNat); break;
      case 'w':
        set_option(optc::kWeight);
        c_.dest.weight = int32_t(number(arg, 0, INT_MAX, "illegal weight specified"));
        break;
      case 'x':
        set_option(optc::kUThreshold);
        c_.dest.u_threshold = number(arg, 0, INT_MAX, "illegal u_threshold specified");
        break;
      case 'y':
        set_option(optc::kLThreshold);
        c_.dest.l_threshold = number(arg, 0, INT_MAX, "illegal l_threshold specified");
        break;
      case 'c': set_option(optc::kConnection); break;
      case 'n': flag(optc::kNumeric, fmt::kNumeric); break;
      case kMcastInterface:
        set_option(optc::kMcast);
        c_.daemon.mcast_ifn = arg.substr(0, 15);
        break;
      case kSyncIdTag:
        set_option(optc::kSyncId);
        c_.daemon.syncid = number(arg, 0, 255, "illegal syncid specified");
        break;
      case kTimeoutTag: set_option(optc::kTimeout); break;
      case kDaemonTag: set_option(optc::kDaemon); break;
      case kStatsTag: flag(optc::kStats, fmt::kStats); break;
      case kRateTag: flag(optc::kRate, fmt::kRate); break;
      case kThresholdsTag: flag(optc::kThresholds, fmt::kThresholds); break;
      case kPersistentConnTag: flag(optc::kPersistentConn, fmt::kPersistentConn); break;
      case kNoSortTag: flag(optc::kNoSort, fmt::kNoSort); break;
      case kSortTag: break;  // sorting is the default; accepted for compatibility
      case 'X': flag(optc::kExact, fmt::kExact); break;
      case '6': ipv6(); break;
      case 'o':
        set_option(optc::kOnePacket);
        c_.svc.flags |= sf::kOnePacket;
        break;
      case kPeTag:
        set_option(optc::kPe);
        c_.svc.pe_name = arg.substr(0, 32);
        break;
      case 'b':
        set_option(optc::kSchedFlags);
        sched_flags_ = arg.substr(0, 127);
        break;
      case kMcastGroupTag: mcast_group(arg); break;
      case kMcastPortTag:
        set_option(optc::kMcastPort);
        c_.daemon.mcast_port = number(arg, 1, 65535, "illegal mcast-port specified");
        break;
      case kMcastTtlTag:
        set_option(optc::kMcastTtl);
        c_.daemon.mcast_ttl = number(arg, 1, 255, "illegal mcast-ttl specified");
        break;
      case kSyncMaxlenTag:
        set_option(optc::kSyncMaxlen);
        c_.daemon.sync_maxlen = number(arg, 1, 65535 - 20 - 8, "illegal sync-maxlen specified");
        break;
      case kTunInfoTag: flag(optc::kTunInfo, fmt::kTunInfo); break;
      case kTunTypeTag: tun_type(arg); break;
      case kTunPortTag:
        set_option(optc::kTunPort);
        c_.dest.tun_port = number(arg, 1, 65535, "illegal tunnel port specified");
        break;
      case kTunNoCsumTag: set_option(optc::kTunNoCsum); break;  // flags |= 0
      case kTunCsumTag:
        set_option(optc::kTunCsum);
        c_.dest.tun_flags |= 1;
        break;
      case kTunRemCsumTag:
        set_option(optc::kTunRemCsum);
        c_.dest.tun_flags |= 2;
        break;
      case kToaTag:
        set_option(optc::kToa);
        c_.svc.client_addr = ipvs::ClientAddr::Toa;
        break;
      case kProxyProtocolTag: proxy_protocol(arg); break;
      default:  // a command after the first option, -h, -v
        fail("invalid option `" + ev.word + "'");
    }
  }

  void flag(int opt, unsigned format) {
    set_option(opt);
    c_.format |= format;
  }

  long number(const std::string& s, long min, long max, const char* err) {
    long n = parse_number(s, min, max);
    if (n == -1) fail(err);
    return n;
  }

  uint32_t timeout(const std::string& s, long min) {
    long n = parse_number(s, min, kMaxTimeout);
    if (n == -1) fail("invalid timeout value `" + s + "' specified");
    return uint32_t(n);
  }

  void service(int id, const std::string& arg) {
    set_option(optc::kService);
    auto& k = c_.svc.key;
    k.protocol = id == 't' ? ipvs::proto::kTcp : id == 'u' ? ipvs::proto::kUdp
                                                           : ipvs::proto::kSctp;
    Target t{k.addr, k.port, c_.svc.netmask};
    int parsed = parse_service(arg, k.protocol, t);
    k.addr = t.addr;
    k.family = t.addr.family;
    k.port = t.port;
    c_.svc.netmask = t.netmask;
    if (!(parsed & kAddr)) fail("illegal virtual server address[:port] specified");
  }

  void fwmark(const std::string& arg) {
    set_option(optc::kService);
    auto& k = c_.svc.key;
    k.family = net::Family::V4;
    k.protocol = ipvs::proto::kTcp;  // as ipvsadm: a sane value, though unused
    errno = 0;
    char* end = nullptr;
    long l = std::strtol(arg.c_str(), &end, 10);
    if (*end != '\0' || end == arg.c_str() || errno == ERANGE || l <= 0 || l > long(UINT_MAX))
      fail("invalid fwmark value `" + arg + "' specified");
    k.fwmark = uint32_t(l);
  }

  void ipv6() {
    if (!c_.svc.key.fwmark) fail("-6 used before -f\n");
    c_.svc.key.family = net::Family::V6;
    c_.svc.netmask = 128;
  }

  void netmask(const std::string& arg) {
    set_option(optc::kNetmask);
    if (c_.svc.key.family != net::Family::V6) {
      auto a = parse_ipv4_or_host(arg);
      if (!a) fail("illegal virtual server persistent mask specified");
      c_.svc.netmask = a->v4_host();
    } else {
      c_.svc.netmask = uint32_t(std::atoi(arg.c_str()));
      if (c_.svc.netmask < 1 || c_.svc.netmask > 128) fail("illegal ipv6 netmask specified");
    }
  }

  void real_server(const std::string& arg) {
    set_option(optc::kServer);
    Target t{c_.svc.key.addr, c_.svc.key.port, c_.svc.netmask};
    int parsed = parse_service(arg, c_.svc.key.protocol, t);
    c_.dest.ep = {t.addr, t.port};
    if (!(parsed & kAddr)) fail("illegal real server address[:port] specified");
    if (parsed == kAddr) c_.dest.ep.port = c_.svc.key.port;  // copy vport to dport
  }

  void forward(Fwd f) {
    set_option(optc::kForward);
    c_.dest.fwd = f;
  }

  void mcast_group(const std::string& arg) {
    set_option(optc::kMcastGroup);
    if (arg.find(':') != std::string::npos) {
      in6_addr a{};
      if (inet_pton(AF_INET6, arg.c_str(), &a) <= 0 || a.s6_addr[0] != 0xff)
        fail("invalid IPv6 mcast-group `" + arg + "'");
    } else {
      in_addr a{};
      if (inet_pton(AF_INET, arg.c_str(), &a) <= 0 || (ntohl(a.s_addr) >> 28) != 0xe)
        fail("invalid IPv4 mcast-group `" + arg + "'");
    }
    c_.daemon.mcast_group = arg;
  }

  void tun_type(const std::string& arg) {
    set_option(optc::kTunType);
    for (int i = 0; i < 3; ++i)
      if (arg == kTunNames[i]) {
        c_.dest.tun_type = ipvs::TunType(i);
        return;
      }
    fail("illegal tunnel type specified");
  }

  void proxy_protocol(const std::string& arg) {
    set_option(optc::kProxyProtocol);
    if (arg == "v1")
      c_.svc.client_addr = ipvs::ClientAddr::ProxyV1;
    else if (arg == "v2")
      c_.svc.client_addr = ipvs::ClientAddr::ProxyV2;
    else
      fail("illegal proxy-protocol version `" + arg + "' specified (v1 or v2)");
  }

  void leftovers() {
    const auto& left = scanner_.leftovers();
    size_t used = 0;
    if (c_.cmd == Cmd::Timeout) {
      if (left.size() < 3) fail("--set option requires 3 timeout values");
      c_.timeouts = {timeout(left[0], 0), timeout(left[1], 0), timeout(left[2], 0)};
      used = 3;
    }
    if (left.size() > used) fail("unexpected argument " + left[used]);
  }

  // parse_sched_flags: checked against the -s name as given (wlc when none).
  void apply_sched_flags() {
    const std::string sched = c_.svc.scheduler.empty() ? "wlc" : c_.svc.scheduler;
    uint32_t flags = 0;
    size_t pos = 0;
    bool any = false;
    while (pos <= sched_flags_.size()) {
      size_t comma = sched_flags_.find(',', pos);
      std::string f = sched_flags_.substr(pos, comma == std::string::npos ? std::string::npos
                                                                          : comma - pos);
      pos = comma == std::string::npos ? sched_flags_.size() + 1 : comma + 1;
      if (f.empty()) continue;  // strtok skips empty tokens
      any = true;
      flags |= sched_flag(f, sched);
    }
    if (!any) fail("invalid scheduler flag `(null)'");
    c_.svc.flags = (c_.svc.flags & ~(sf::kSched1 | sf::kSched2 | sf::kSched3)) | flags;
  }

  uint32_t sched_flag(const std::string& f, const std::string& sched) {
    struct Known { const char* name; uint32_t bit; const char* needs; };
    static constexpr Known kFlags[] = {
        {"flag-1", sf::kSched1, nullptr}, {"flag-2", sf::kSched2, nullptr},
        {"flag-3", sf::kSched3, nullptr}, {"sh-fallback", sf::kSched1, "sh"},
        {"sh-port", sf::kSched2, "sh"},   {"mh-fallback", sf::kSched1, "mh"},
        {"mh-port", sf::kSched2, "mh"},
    };
    for (const Known& k : kFlags) {
      if (f != k.name) continue;
      if (k.needs && sched != k.needs) fail("incompatible scheduler flag `" + f + "'");
      return k.bit;
    }
    fail("invalid scheduler flag `" + f + "'");
  }

  void generic_opt_check() {
    const int i = int(c_.cmd) - 1;
    const char* row = kCmdVsOpt[i];
    int last = -1;
    for (int j = 0; j < optc::kCount; ++j) {
      if (!c_.has(j)) {
        if (row[j] == '+')
          fail(std::string("You need to supply the '") + kOptNames[j] + "' option for the '" +
               kCmdNames[i] + "' command");
        continue;
      }
      if (row[j] == 'x')
        fail(std::string("Illegal '") + kOptNames[j] + "' option with the '" + kCmdNames[i] +
             "' command");
      if (row[j] == '1') {
        if (last >= 0)
          fail(std::string("The option '") + kOptNames[j] + "' conflicts with the '" +
               kOptNames[last] + "' option in the '" + kCmdNames[i] + "' command");
        last = j;
      }
    }
  }

  void tunnel_opt_check() {
    const int i = int(c_.dest.tun_type);
    int last = -1;
    for (int j = 0; j < 4; ++j) {
      const int k = kTunOpts[j];
      const char rule = kTunVsOpt[i][j];
      if (!c_.has(k)) {
        if (rule == '+')
          fail(std::string("You need to supply the '") + kOptNames[k] + "' option for the '" +
               kTunNames[i] + "' tunnel type");
        continue;
      }
      if (rule == 'x')
        fail(std::string("Illegal '") + kOptNames[k] + "' option with the '" + kTunNames[i] +
             "' tunnel type");
      if (rule == '1') {
        if (last >= 0)
          fail(std::string("The option '") + kOptNames[k] + "' conflicts with the '" +
               kOptNames[last] + "' option in the '" + kTunNames[i] + "' tunnel type");
        last = k;
      }
    }
  }

  void command_checks() {
    auto& s = c_.svc;
    if (c_.cmd == Cmd::Add || c_.cmd == Cmd::Edit) {
      if (!s.key.fwmark && !s.key.port && !s.persistent())
        fail("Zero port specified for non-persistent service");
      if ((s.flags & sf::kOnePacket) && !s.key.fwmark && s.key.protocol != ipvs::proto::kUdp)
        fail("One-Packet Scheduling is only for UDP virtual services");
      if (s.scheduler.empty()) s.scheduler = "wlc";
    }
    if (c_.cmd == Cmd::StartDaemon && c_.daemon.mcast_ifn.empty()) c_.daemon.mcast_ifn = "eth0";
    if (c_.cmd == Cmd::AddDest || c_.cmd == Cmd::EditDest) dest_checks();
    if (c_.cmd == Cmd::List) list_checks();
  }

  void dest_checks() {
    const Fwd f = c_.dest.fwd;
    if (!c_.svc.key.fwmark && (f == Fwd::Tunnel || f == Fwd::Route))
      c_.dest.ep.port = c_.svc.key.port;
    if (c_.dest.ep.addr.family != c_.svc.key.family && f != Fwd::Tunnel)
      fail("Different address family is allowed only for tunneling servers");
    const uint64_t tun = bit(optc::kTunType) | bit(optc::kTunPort) | bit(optc::kTunNoCsum) |
                         bit(optc::kTunCsum) | bit(optc::kTunRemCsum);
    if ((c_.options & tun) && f != Fwd::Tunnel)
      fail("Tunnel options conflict with forward method");
    tunnel_opt_check();
  }

  void list_checks() {
    const uint64_t o = c_.options;
    const uint64_t special = bit(optc::kConnection) | bit(optc::kTimeout) | bit(optc::kDaemon);
    const uint64_t stats = bit(optc::kStats) | bit(optc::kRate) | bit(optc::kThresholds);
    const uint64_t td = bit(optc::kTimeout) | bit(optc::kDaemon);
    if (((o & special) && (o & stats)) || ((o & td) && (o & bit(optc::kPersistentConn))))
      fail("options conflicts in the list command");
  }

  static uint64_t bit(int opt) { return uint64_t{1} << opt; }

  std::string_view prog_;
  PoptScanner scanner_;
  Command c_;
  std::string sched_flags_;
};

}  // namespace

ParseResult parse_command(std::string_view prog, std::span<const std::string> args) {
  try {
    return Parser(prog, args).run();
  } catch (Outcome& o) {
    return std::move(o);
  }
}

}  // namespace ulvs::cli

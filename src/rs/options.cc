// options.cc — parsing and checking the ulvs-rs command line.
#include "rs/options.h"

#include <algorithm>
#include <charconv>
#include <net/if.h>
#include <string_view>

#include "rs/failure.h"

namespace ulvs::rs {

const char* const kUsage =
    "usage: ulvs-rs dr     --vip ADDR [--vip ADDR ...]\n"
    "       ulvs-rs tun    --vip ADDR [--vip ADDR ...] --dev IFACE [--gue-port N]\n"
    "       ulvs-rs down   --vip ADDR [--vip ADDR ...] [--dev IFACE]\n"
    "       ulvs-rs status [--dev IFACE]\n"
    "       ulvs-rs toa    attach [--cgroup PATH] | show | detach\n"
    "\n"
    "Real-server setup for ulvs (and IPVS) directors.\n"
    "  dr      put each VIP on lo (/32, /128); net.ipv4.conf.{all,lo}.arp_ignore=1, arp_announce=2\n"
    "  tun     what dr does, plus rp_filter=0 on all and IFACE, and a tc-BPF program on IFACE's\n"
    "          ingress that strips IPIP, IPv6-in-IP, GRE and (with --gue-port) GUE outer\n"
    "          headers of packets to the VIPs; it stays attached after ulvs-rs exits and its VIP\n"
    "          set is the --vip list of the last `tun`\n"
    "  down    remove the VIPs from lo; with --dev, detach the program (and the clsact qdisc if\n"
    "          nothing else uses it).  The sysctls are left as they are\n"
    "  status  the VIPs on lo, the sysctls and, with --dev, the program and its counters\n"
    "  toa     FULLNAT: the client address a director carries in TCP option 254 (TOA), without\n"
    "          the toa kernel module.  `attach` puts a sock_ops BPF program on the cgroup v2\n"
    "          PATH (default: the cgroup2 mount's root); for each TCP connection accepted by a\n"
    "          socket created in that cgroup it records the TOA of the handshake's final ACK,\n"
    "          until the connection closes.  Program, map and link are pinned in\n"
    "          /sys/fs/bpf/ulvs-rs (bpffs is mounted if needed) and stay after ulvs-rs exits.\n"
    "          `show` prints one line per connection: LOCAL:PORT REMOTE:PORT -> CLIENT:PORT\n"
    "          (REMOTE is the director's address; IPv6 in brackets).  `detach` removes it all.\n"
    "          The cgroup, not the network namespace, decides which sockets are seen.  Run toa\n"
    "          in the host's mount namespace: `ip netns exec` hides /sys/fs/{bpf,cgroup}\n"
    "Exit status: 0 done, 1 a change failed, 2 usage error.\n";

namespace {

Command parse_command(std::string_view s) {
  if (s == "dr") return Command::Dr;
  if (s == "tun") return Command::Tun;
  if (s == "down") return Command::Down;
  if (s == "status") return Command::Status;
  if (s == "help" || s == "--help" || s == "-h") return Command::Help;
  throw UsageError("unknown command '" + std::string(s) + "' (dr, tun, down, status, toa)");
}

Command parse_toa_command(int argc, char** argv) {
  std::string_view s = argc > 2 ? argv[2] : "";
  if (s == "attach") return Command::ToaAttach;
  if (s == "show") return Command::ToaShow;
  if (s == "detach") return Command::ToaDetach;
  if (s == "help" || s == "--help" || s == "-h") return Command::Help;
  if (s.empty()) throw UsageError("toa needs attach, show or detach");
  throw UsageError("unknown toa command '" + std::string(s) + "' (attach, show, detach)");
}

bool is_toa(Command c) { return c == Command::ToaAttach || c == Command::ToaShow || c == Command::ToaDetach; }

net::Addr parse_vip(std::string_view s) {
  auto a = net::Addr::parse(s);
  if (!a || a->is_zero()) throw UsageError("bad VIP address '" + std::string(s) + "'");
  return *a;
}

uint16_t parse_port(std::string_view s) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v == 0 || v > 65535)
    throw UsageError("bad GUE port '" + std::string(s) + "' (1..65535)");
  return uint16_t(v);
}

void check_dev(std::string_view s) {
  if (s.empty() || s.size() >= IF_NAMESIZE || s.find('/') != std::string_view::npos)
    throw UsageError("bad interface name '" + std::string(s) + "'");
}

// Takes "--opt VALUE" or "--opt=VALUE" at argv[i]; advances i past what it used.
bool take(std::string_view name, int argc, char** argv, int& i, std::string_view& value) {
  std::string_view arg = argv[i];
  if (arg.substr(0, name.size()) != name) return false;
  if (arg.size() == name.size()) {
    if (i + 1 >= argc) throw UsageError(std::string(name) + " needs a value");
    value = argv[++i];
    return true;
  }
  if (arg[name.size()] != '=') return false;
  value = arg.substr(name.size() + 1);
  return true;
}

void add_vip(Options& o, net::Addr a) {
  if (std::find(o.vips.begin(), o.vips.end(), a) == o.vips.end()) o.vips.push_back(a);
}

// Which options each command takes and needs.
void check_combination(const Options& o, bool port_given) {
  bool needs_vip = o.command == Command::Dr || o.command == Command::Tun || o.command == Command::Down;
  if (needs_vip && o.vips.empty()) throw UsageError("at least one --vip is needed");
  if (o.command == Command::Status && !o.vips.empty()) throw UsageError("status takes no --vip");
  if (o.command == Command::Tun && o.dev.empty()) throw UsageError("tun needs --dev IFACE");
  if (o.command == Command::Dr && !o.dev.empty()) throw UsageError("dr takes no --dev (did you mean tun?)");
  if (port_given && o.command != Command::Tun) throw UsageError("--gue-port is for tun only");
  if (is_toa(o.command) && (!o.vips.empty() || !o.dev.empty())) throw UsageError("toa takes no --vip or --dev");
  if (!o.cgroup.empty() && o.command != Command::ToaAttach) throw UsageError("--cgroup is for toa attach only");
}

}  // namespace

Options parse_options(int argc, char** argv) {
  if (argc < 2) throw UsageError("no command given");
  Options o;
  int first = 2;
  if (std::string_view(argv[1]) == "toa") {  // the sub-command is argv[2]
    o.command = parse_toa_command(argc, argv);
    if (o.command == Command::Help) return Options{};
    first = 3;
  } else {
    o.command = parse_command(argv[1]);
  }
  bool port_given = false;
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i], value;
    if (arg == "--help" || arg == "-h") return Options{};
    if (take("--vip", argc, argv, i, value)) {
      add_vip(o, parse_vip(value));
    } else if (take("--dev", argc, argv, i, value)) {
      check_dev(value);
      o.dev = value;
    } else if (take("--gue-port", argc, argv, i, value)) {
      o.gue_port = parse_port(value);
      port_given = true;
    } else if (take("--cgroup", argc, argv, i, value)) {
      if (value.empty()) throw UsageError("--cgroup needs a path");
      o.cgroup = value;
    } else {
      throw UsageError("unknown argument '" + std::string(arg) + "'");
    }
  }
  check_combination(o, port_given);
  return o;
}

}  // namespace ulvs::rs

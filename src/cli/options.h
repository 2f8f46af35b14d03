// options.h — ipvsadm's command line (spec §1) parsed into one Command.
//
// Everything ipvsadm checks before it talks to the kernel happens here, in ipvsadm's order,
// with its texts and exit statuses: popt errors, "the first option must be a command", the
// command/option table, address/port/number syntax, -b/-o/-6/tunnel rules.  What can only
// be answered by the tables (does the service exist?) is left to ulvsd.
//
//   auto r = parse_command("ipvsadm", {"-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-m"});
//   std::get<Command>(r).dest.fwd == ipvs::Fwd::Masq
//   auto e = parse_command("ipvsadm", {"-A", "-t", "1.2.3.4:70000"});
//   std::get<Outcome>(e).err == "illegal virtual server address[:port] specified\n", status 2
//
// ulvs extensions, long options ipvsadm does not have (so no ipvsadm line changes meaning):
//   --fullnat                   forwarding method FullNat for -a/-e (a "forwarding-method")
//   --toa, --proxy-protocol v1|v2   client-address conservation, options of -A/-E only
//   --add-laddr ADDR, --del-laddr ADDR, --list-laddr   commands: the FULLNAT local addresses
//   --sysctl NAME=VALUE, --sysctl NAME, --list-sysctl   commands: /proc/sys/net/ipv4/vs knobs
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "ctl/model.h"

namespace ulvs::cli {

enum class Cmd {
  None, Add, Edit, Del, Flush, List, AddDest, DelDest, EditDest, Timeout, StartDaemon,
  StopDaemon, Restore, Save, Zero,
  AddLaddr, DelLaddr, ListLaddr,  // ulvs
  Sysctl, ListSysctl,             // ulvs: --sysctl NAME[=VALUE], --list-sysctl
};

// ipvsadm's OPTC_* numbering: bit i of Command::options is option i.
namespace optc {
enum : int {
  kNumeric, kConnection, kService, kScheduler, kPersistent, kNetmask, kServer, kForward,
  kWeight, kUThreshold, kLThreshold, kMcast, kTimeout, kDaemon, kStats, kRate, kThresholds,
  kPersistentConn, kNoSort, kSyncId, kExact, kOnePacket, kPe, kSchedFlags, kMcastGroup,
  kMcastPort, kMcastTtl, kSyncMaxlen, kTunInfo, kTunType, kTunPort, kTunNoCsum, kTunCsum,
  kTunRemCsum,
  kToa, kProxyProtocol,  // ulvs
  kCount,
};
}

// Listing format flags (ipvsadm's FMT_*).
namespace fmt {
constexpr unsigned kNumeric = 0x1, kRule = 0x2, kStats = 0x4, kRate = 0x8, kThresholds = 0x10,
                   kPersistentConn = 0x20, kNoSort = 0x40, kExact = 0x80, kTunInfo = 0x100;
}

struct Command {
  Cmd cmd = Cmd::None;
  uint64_t options = 0;  // 1 << optc::*
  unsigned format = 0;   // fmt::*
  ipvs::ServiceConfig svc;
  ipvs::DestConfig dest;
  ctl::Timeouts timeouts;
  ctl::SyncDaemon daemon;
  net::Addr local_addr;  // --add-laddr / --del-laddr
  std::string sysctl_name;                  // --sysctl NAME[=VALUE]
  std::optional<std::string> sysctl_value;  // with "=VALUE": set, else print

  bool has(int opt) const { return options & (uint64_t{1} << opt); }
};

// What ipvsadm prints and the status it ends with when the line does not become a command.
struct Outcome {
  std::string out, err;
  int status = 0;
  // true: ipvsadm exit()s (fail(), usage, "Try ..."); false: a popt error, which ipvsadm
  // only reports and returns -1 for, so -R carries on with the next line.
  bool terminates = true;
};

using ParseResult = std::variant<Command, Outcome>;

// args excludes argv[0]; prog is argv[0] (it appears in "Try `prog -h'..." and the usage).
ParseResult parse_command(std::string_view prog, std::span<const std::string> args);

}  // namespace ulvs::cli

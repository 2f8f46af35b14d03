// model.h — the one command model of ulvs's control plane.
//
// ulvsadm, the keepalived.conf loader and the HTTP API all build Requests and read Replies;
// ulvsd executes them against the engine (executor.h).  On the Unix socket each message is one
// line of JSON (codec.h), and carries `version` so old clients get a clear error.
//
//   Request r{.op = Op::AddService, .service = cfg};
//   Reply rep = ctl::call(socket_path, r);      // rep.error == 0 or a negative errno
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ipvs/dest.h"
#include "ipvs/service.h"
#include "ipvs/stats.h"
#include "net/addr.h"

namespace ulvs::ctl {

constexpr int kApiVersion = 1;

enum class Op {
  AddService, EditService, DelService, Flush,
  AddDest, EditDest, DelDest,
  Zero,            // service given: that service; none: everything
  SetTimeouts,     // ipvsadm --set: 0 keeps a value
  StartDaemon, StopDaemon,
  GetInfo,         // version and connection table size
  GetServices,     // all services with their real servers (service given: just that one)
  GetTimeouts, GetDaemons, GetConns,
  // ulvs extensions: the director-wide pool of FULLNAT local (source) addresses.
  AddLocalAddr, DelLocalAddr,  // local_addr
  GetLocalAddrs,               // Reply::local_addrs, in the order they were added
  // ulvs extensions: the /proc/sys/net/ipv4/vs knobs (sysctls.h), read and written as text.
  SetSysctl,                   // sysctl.name = sysctl.value
  GetSysctls,                  // Reply::sysctls; sysctl.name given: just that one
};

// At most this many FULLNAT local addresses: a connection stores its address as an 8-bit
// index into the pool (ipvs::Conn::laddr_idx).
constexpr size_t kMaxLocalAddrs = 256;

struct Timeouts {
  uint32_t tcp = 0, tcpfin = 0, udp = 0;  // seconds
};

struct SyncDaemon {
  std::string state;            // "master" | "backup"
  std::string mcast_ifn = "eth0";
  uint32_t syncid = 0;
  uint32_t sync_maxlen = 0;     // 0: default for the role
  std::string mcast_group;      // empty: 224.0.0.81
  uint16_t mcast_port = 0;      // 0: 8848
  uint8_t mcast_ttl = 0;        // 0: 1
};

// One /proc/sys/net/ipv4/vs file: its name and its contents ("1", "86400").
struct SysctlEntry {
  std::string name, value;
  bool operator==(const SysctlEntry&) const = default;
};

struct Request {
  int version = kApiVersion;
  Op op = Op::GetInfo;
  std::optional<ipvs::ServiceKey> key;   // the service an op is about
  ipvs::ServiceConfig service;           // Add/EditService
  ipvs::DestConfig dest;                 // Add/Edit/DelDest (DelDest uses dest.ep)
  Timeouts timeouts;                     // SetTimeouts
  SyncDaemon daemon;                     // Start/StopDaemon (Stop uses state, syncid)
  net::Addr local_addr;                  // Add/DelLocalAddr
  SysctlEntry sysctl;                    // SetSysctl; GetSysctls (name only, optional)
};

struct DestInfo {
  ipvs::DestConfig cfg;
  uint32_t activeconns = 0, inactconns = 0, persistconns = 0;
  ipvs::Counters stats;  // as shown (since the last -Z)
  ipvs::Rates rates;
};

struct ServiceInfo {
  ipvs::ServiceConfig cfg;
  ipvs::Counters stats;
  ipvs::Rates rates;
  std::vector<DestInfo> dests;  // kernel list order: newest first
};

struct ConnInfo {
  uint8_t protocol = 0;    // 0: fwmark template ("IP")
  std::string state;       // "ESTABLISHED", "UDP", "NONE", "ASSURED", ...
  uint32_t expires_s = 0;  // whole seconds left
  net::Endpoint client, vip, real;
  bool is_template = false;
};

struct Info {
  std::string version = "1.2.1";
  uint32_t conn_tab_size = 4096;
};

struct Reply {
  int version = kApiVersion;
  int error = 0;            // 0 or a negative errno, as the kernel answers ipvsadm
  std::string message;      // human text for errors ulvsd adds (e.g. a bad request)
  Info info;
  std::vector<ServiceInfo> services;
  Timeouts timeouts;
  std::vector<SyncDaemon> daemons;
  std::vector<ConnInfo> conns;
  std::vector<net::Addr> local_addrs;  // GetLocalAddrs
  std::vector<SysctlEntry> sysctls;    // GetSysctls, in the kernel's order (by name)
};

}  // namespace ulvs::ctl

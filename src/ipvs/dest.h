// dest.h — a real server of one virtual service ("dest" in the kernel).
//
// Holds what ipvsadm -a/-e sets (address, port, forwarding method, weight, thresholds) and
// what the connection table maintains (active/inactive/persistent counts, OVERLOAD, stats).
// Schedulers read it; only the connection table and the service edit it.
#pragma once

#include <cstdint>

#include "ipvs/stats.h"
#include "net/addr.h"

namespace ulvs::ipvs {

class Service;

// Forwarding method; the numbers are the kernel's IP_VS_CONN_F_FWD_MASK values, except
// FullNat which the kernel lacks.
enum class Fwd : uint8_t { Masq = 0, Local = 1, Tunnel = 2, Route = 3, Bypass = 4, FullNat = 7 };

enum class TunType : uint8_t { Ipip = 0, Gue = 1, Gre = 2 };

struct DestConfig {
  net::Endpoint ep;  // port 0: use the packet's destination port
  Fwd fwd = Fwd::Masq;
  int32_t weight = 1;
  uint32_t u_threshold = 0;  // -x: 0 = no limit
  uint32_t l_threshold = 0;  // -y
  TunType tun_type = TunType::Ipip;
  uint16_t tun_port = 0;
  uint16_t tun_flags = 0;  // nocsum / csum / remcsum bits as in the kernel
};

struct Dest {
  DestConfig cfg;
  Service* svc = nullptr;

  int32_t last_weight = 0;  // last non-zero weight (set on add even when 0); used by mh
  uint32_t activeconns = 0;
  uint32_t inactconns = 0;
  uint32_t persistconns = 0;
  bool overloaded = false;  // IP_VS_DEST_F_OVERLOAD (thresholds, §3.15)
  bool available = true;    // IP_VS_DEST_F_AVAILABLE: cleared when deleted from the service
  uint32_t refcnt = 0;      // connections and templates bound to it
  Stats stats;

  int32_t weight() const { return cfg.weight; }
  const net::Addr& addr() const { return cfg.ep.addr; }
  uint16_t port() const { return cfg.ep.port; }
  // The overhead lc, wlc, lblc, lblcr and twos compare.
  uint64_t overhead() const { return uint64_t(activeconns) * 256 + inactconns; }
};

}  // namespace ulvs::ipvs

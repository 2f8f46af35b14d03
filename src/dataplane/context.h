// context.h — what the pipeline knows about the director itself: its interfaces, the
// addresses it answers for (VIPs, FULLNAT local addresses), and two lookups the caller
// implements (the kernel's routing table, the neighbour cache), so tests can fake them.
//
//   dataplane::Context ctx;
//   ctx.interfaces = {{.index = 2, .mac = my_mac, .addrs = {dip}, .mtu = 1500}};
//   ctx.locals = fullnat_pool;               // the same list given to Engine::set_fullnat_locals
//   ctx.refresh_vips(engine);                // after every service change
//   ctx.routes = &routes;  ctx.neighbours = &neigh;
//   if (ctx.is_vip(addr)) ...
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ipvs/engine.h"
#include "net/addr.h"
#include "net/ether.h"

namespace ulvs::dataplane {

struct Interface {
  uint32_t index = 0;
  net::Mac mac{};
  std::vector<net::Addr> addrs;  // the director's own addresses (DIPs): traffic to them is
                                 // the host's (SSH, health checks), never the engine's
  uint32_t mtu = 1500;           // largest IP packet
};

// Where a packet to `dst` leaves: the egress interface and the next hop (the gateway, or dst
// itself when on-link).
struct NextHop {
  uint32_t iface = 0;
  net::Addr gateway;
};

class Routes {
 public:
  virtual ~Routes() = default;
  virtual std::optional<NextHop> lookup(const net::Addr& dst) const = 0;
};

class Neighbours {
 public:
  virtual ~Neighbours() = default;
  // The MAC of `addr` on interface `iface`, if known.
  virtual std::optional<net::Mac> lookup(uint32_t iface, const net::Addr& addr) = 0;
  // Unknown: should an ARP request / neighbour solicitation go out now?  The cache rate-limits
  // its own retries (true by default: ask every time).
  virtual bool should_solicit(uint32_t /*iface*/, const net::Addr& /*addr*/) { return true; }
  // A sender seen in an ARP packet (request or reply) on `iface`; the cache may ignore it.
  virtual void learn(uint32_t /*iface*/, const net::Addr& /*addr*/, const net::Mac& /*mac*/) {}
};

struct Context {
  std::vector<Interface> interfaces;
  std::vector<net::Addr> vips;    // sorted; refresh_vips() fills it from the engine
  std::vector<net::Addr> locals;  // FULLNAT local addresses
  Routes* routes = nullptr;
  Neighbours* neighbours = nullptr;

  // The VIPs of the engine's address services (fwmark services have no address to own).
  void refresh_vips(const ipvs::Engine& engine);

  const Interface* interface(uint32_t index) const;
  bool is_vip(const net::Addr& a) const;
  bool is_local(const net::Addr& a) const;
  bool is_own(const net::Addr& a) const;  // an interface address (the host's)
  // Addresses the director answers ARP / echo for itself (not the host's stack).
  bool answers_for(const net::Addr& a) const { return is_vip(a) || is_local(a); }
};

// The interface's first address of family `f`, e.g. the outer source of a tunnel.
std::optional<net::Addr> first_addr(const Interface& i, net::Family f);

}  // namespace ulvs::dataplane

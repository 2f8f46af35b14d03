// kernel_view.h — the director's kernel as the data plane needs it, followed over netlink
// (libmnl): its interfaces (index, MAC, MTU, addresses), its routing table (main table,
// IPv4 and IPv6, longest-prefix match, ECMP: first path) and its neighbour cache.  ulvs does
// not run an ARP/ND client of its own for next hops: it asks the kernel to resolve
// (RTM_NEWNEIGH with NTF_USE, the kernel then probes, retries and expires as usual) and
// reads the answer from the neighbour notifications.
//
//   std::string err;
//   auto kv = KernelView::open(err);               // dumps links, addresses, routes, neighbours
//   kv->start();                                   // a thread follows the notifications
//   std::optional<Interface> eth0 = kv->interface("eth0");
//   auto snap = kv->snapshot();                    // immutable; workers re-take it when
//   if (kv->generation() != seen) ...              // generation() moved
//   snap->routes.lookup(dst);  snap->neighbours.find(ifindex, addr);
//   kv->resolve(ifindex, addr);                    // thread-safe, at most once a second per addr
//
// Workers plug a snapshot into the pipeline through KernelRoutes / KernelNeighbours (below),
// which implement dataplane::Routes / Neighbours.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dataplane/context.h"
#include "net/addr.h"
#include "net/ether.h"

namespace ulvs::dataplane {

// Routes by longest-prefix match over a sorted vector (fine for hundreds of routes).
class RouteTable {
 public:
  struct Entry {
    net::Addr prefix;   // masked
    uint8_t len = 0;    // prefix length
    uint32_t metric = 0;
    NextHop hop;        // hop.gateway: the route's gateway, unused when onlink
    bool onlink = false;  // no gateway: the destination itself is the next hop
  };
  void add(Entry e);                                       // keeps the table ordered
  std::optional<NextHop> lookup(const net::Addr& dst) const;  // on-link: gateway = dst
  size_t size() const { return entries_.size(); }

 private:
  std::vector<Entry> entries_;  // longest prefix first, then lowest metric
};

class NeighbourTable {
 public:
  void set(uint32_t ifindex, const net::Addr& a, const net::Mac& mac);  // usable states only
  void erase(uint32_t ifindex, const net::Addr& a);
  std::optional<net::Mac> find(uint32_t ifindex, const net::Addr& a) const;
  size_t size() const;

 private:
  struct Key;
  std::vector<std::pair<std::pair<uint32_t, net::Addr>, net::Mac>> entries_;  // sorted
};

struct KernelSnapshot {
  RouteTable routes;
  NeighbourTable neighbours;
  std::vector<Interface> interfaces;  // every interface that is up, with its addresses
};

class KernelView {
 public:
  static std::unique_ptr<KernelView> open(std::string& err);
  ~KernelView();

  void start();   // the notification thread
  void stop();

  std::optional<Interface> interface(const std::string& ifname) const;
  std::shared_ptr<const KernelSnapshot> snapshot() const;
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  // Asks the kernel to resolve `a` on `ifindex` (rate-limited per address).
  void resolve(uint32_t ifindex, const net::Addr& a);

 private:
  KernelView() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<uint64_t> generation_{0};
};

// dataplane::Routes over a snapshot.
class KernelRoutes : public Routes {
 public:
  void use(std::shared_ptr<const KernelSnapshot> s) { snap_ = std::move(s); }
  std::optional<NextHop> lookup(const net::Addr& dst) const override;

 private:
  std::shared_ptr<const KernelSnapshot> snap_;
};

// dataplane::Neighbours over a snapshot; unknown addresses are resolved by the kernel, so
// should_solicit() asks KernelView::resolve and returns false (the pipeline sends no ARP of
// its own for next hops).
class KernelNeighbours : public Neighbours {
 public:
  explicit KernelNeighbours(KernelView* kv) : kv_(kv) {}
  void use(std::shared_ptr<const KernelSnapshot> s) { snap_ = std::move(s); }
  std::optional<net::Mac> lookup(uint32_t iface, const net::Addr& addr) override;
  bool should_solicit(uint32_t iface, const net::Addr& addr) override;

 private:
  KernelView* kv_;
  std::shared_ptr<const KernelSnapshot> snap_;
};

}  // namespace ulvs::dataplane

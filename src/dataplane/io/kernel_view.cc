// kernel_view.cc — the kernel's links, addresses, routes and neighbours over rtnetlink.
//
// Three sockets, so no reply is ever mixed with another conversation:
//   monitor  subscribed to the link/address/route/neighbour groups; only the thread reads it.
//   dump     requests full dumps (open(), and the thread's resyncs).
//   request  resolve()'s RTM_NEWNEIGH+NTF_USE, from any worker, under its own mutex.
// The monitor subscribes before the first dump, so nothing that changes during the dump is
// lost: the queued notifications are applied afterwards, and the last one per object wins.
//
// The thread keeps a Model (its private copy of the kernel state), applies link, address and
// neighbour notifications to it as deltas, and builds a new immutable KernelSnapshot when
// something changed (copy-on-write: readers keep the old one for as long as they hold it).
// Routes are re-dumped rather than patched: IPv4 removes the routes of a link that goes down
// or of an address that is deleted without sending RTM_DELROUTE, and IPv6 multipath updates
// arrive per nexthop; a dump after any link, address or route change is always right and
// routes change rarely.  A monitor overrun (ENOBUFS) means lost notifications: everything
// is dumped again.
#include "dataplane/io/kernel_view.h"

#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "dataplane/io/netlink_parse.h"

namespace ulvs::dataplane {
namespace {

constexpr size_t kBufSize = 64 * 1024;       // larger than any one rtnetlink message
constexpr int kMonitorRcvBuf = 4 << 20;      // room for bursts (a link flap, a big flush)
constexpr int kDumpRetries = 5;              // NLM_F_DUMP_INTR: the table changed mid-dump
constexpr int kMaxReadsPerBatch = 256;       // publish at least this often under a flood
constexpr auto kResolveInterval = std::chrono::seconds(1);
constexpr size_t kResolveMemory = 4096;      // forget old resolve times beyond this many

constexpr unsigned kGroups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
                             RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_NEIGH;

// One libmnl socket, closed with its owner.
struct Socket {
  mnl_socket* s = nullptr;
  Socket() = default;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (s) mnl_socket_close(s);
  }
  int fd() const { return mnl_socket_get_fd(s); }
  bool open(unsigned groups, std::string& err) {
    s = mnl_socket_open(NETLINK_ROUTE);
    if (!s) return fail("netlink socket", err);
    if (mnl_socket_bind(s, groups, MNL_SOCKET_AUTOPID) < 0) return fail("netlink bind", err);
    return true;
  }
  static bool fail(const char* what, std::string& err) {
    err = std::string(what) + ": " + std::strerror(errno);
    return false;
  }
};

bool same_route(const RouteTable::Entry& a, const RouteTable::Entry& b) {
  return a.prefix == b.prefix && a.len == b.len && a.metric == b.metric &&
         a.hop.iface == b.hop.iface && a.hop.gateway == b.hop.gateway && a.onlink == b.onlink;
}

bool same_routes(const std::vector<RouteTable::Entry>& a,
                 const std::vector<RouteTable::Entry>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), same_route);
}

// The kernel state as the thread has followed it so far.
struct Model {
  struct Link {
    std::string name;
    net::Mac mac{};
    uint32_t mtu = 0;
    bool up = false;
    std::vector<net::Addr> addrs;  // in the kernel's order: the primary address first
    friend bool operator==(const Link&, const Link&) = default;
  };
  std::map<uint32_t, Link> links;
  std::vector<RouteTable::Entry> routes;  // as dumped; the RouteTable orders them
  NeighbourTable neighbours;

  // Each returns whether the state changed.
  bool apply(const nl::LinkMsg& m) {
    if (m.del) return links.erase(m.index) > 0;
    Link& l = links[m.index];  // an address may have created it already
    Link before = l;
    if (!m.name.empty()) l.name = m.name;
    l.mac = m.mac;
    if (m.mtu) l.mtu = m.mtu;
    l.up = m.up;
    return !(l == before);
  }
  bool apply(const nl::AddrMsg& m) {
    if (m.del) {
      auto l = links.find(m.index);
      if (l == links.end()) return false;
      auto it = std::find(l->second.addrs.begin(), l->second.addrs.end(), m.addr);
      if (it == l->second.addrs.end()) return false;
      l->second.addrs.erase(it);
      return true;
    }
    auto& addrs = links[m.index].addrs;  // the link's own message may come later
    auto it = std::find(addrs.begin(), addrs.end(), m.addr);
    if (it != addrs.end()) return false;  // flags or lifetimes changed: nothing we keep
    addrs.push_back(m.addr);
    return true;
  }
  bool apply(const nl::NeighMsg& m) {
    auto old = neighbours.find(m.index, m.addr);
    if (!nl::neigh_usable(m)) {  // deleted, or no longer usable (incomplete, failed)
      if (!old) return false;
      neighbours.erase(m.index, m.addr);
      return true;
    }
    if (old == m.lladdr) return false;
    neighbours.set(m.index, m.addr, *m.lladdr);
    return true;
  }
};

Interface to_interface(uint32_t index, const Model::Link& l) {
  return Interface{.index = index, .mac = l.mac, .addrs = l.addrs, .mtu = l.mtu ? l.mtu : 1500};
}

std::shared_ptr<const KernelSnapshot> build_snapshot(const Model& m) {
  auto s = std::make_shared<KernelSnapshot>();
  for (const auto& r : m.routes) s->routes.add(r);
  s->neighbours = m.neighbours;
  for (const auto& [index, l] : m.links)
    if (l.up) s->interfaces.push_back(to_interface(index, l));
  return s;
}

// One dump (RTM_GETLINK/ADDR/ROUTE/NEIGH of one family), parsed.  A dump the kernel marks
// inconsistent (NLM_F_DUMP_INTR: the table changed under it) is thrown away and retried.
bool dump(mnl_socket* s, uint16_t type, uint8_t family, uint32_t& seq,
          std::vector<nl::Message>& out, std::string& err) {
  std::vector<char> buf(kBufSize);
  for (int attempt = 0; attempt < kDumpRetries; ++attempt) {
    out.clear();
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = ++seq;
    // Every rtnetlink request header starts with its family byte; give each its full size.
    const size_t hdr = type == RTM_GETLINK    ? sizeof(ifinfomsg)
                       : type == RTM_GETADDR  ? sizeof(ifaddrmsg)
                       : type == RTM_GETROUTE ? sizeof(rtmsg)
                                              : sizeof(ndmsg);
    auto* fam = static_cast<uint8_t*>(mnl_nlmsg_put_extra_header(nlh, hdr));
    fam[0] = family;
    if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0) return Socket::fail("netlink send", err);
    mnl_cb_t cb = [](const nlmsghdr* n, void* data) {
      static_cast<std::vector<nl::Message>*>(data)->push_back(nl::parse(n));
      return MNL_CB_OK;
    };
    const unsigned portid = mnl_socket_get_portid(s);
    int ret;
    do {
      ssize_t n = mnl_socket_recvfrom(s, buf.data(), buf.size());
      if (n < 0) return Socket::fail("netlink recv", err);
      ret = mnl_cb_run(buf.data(), size_t(n), seq, portid, cb, &out);
    } while (ret > 0);
    if (ret == 0) return true;
    if (errno != EINTR) return Socket::fail("netlink dump", err);
    // Interrupted: drop the rest of this dump (the kernel still sends it), then retry.
    while (true) {
      ssize_t n = recv(mnl_socket_get_fd(s), buf.data(), buf.size(), MSG_DONTWAIT);
      if (n <= 0) break;
    }
  }
  err = "netlink dump: the kernel's tables kept changing";
  return false;
}

}  // namespace

struct KernelView::Impl {
  Socket monitor, dumper, request;
  int wake_fd = -1;
  uint32_t dump_seq = 0;
  Model model;  // open()'s, then only the thread's

  mutable std::mutex mu;  // guards snap and by_name
  std::shared_ptr<const KernelSnapshot> snap;
  std::unordered_map<std::string, Interface> by_name;  // every link, up or not

  std::thread thread;

  std::mutex req_mu;  // guards the request socket, req_seq and asked
  uint32_t req_seq = 0;
  std::map<std::pair<uint32_t, net::Addr>, std::chrono::steady_clock::time_point> asked;

  ~Impl() {
    if (wake_fd >= 0) ::close(wake_fd);
  }

  bool init(std::string& err) {
    if (!monitor.open(kGroups, err) || !dumper.open(0, err) || !request.open(0, err))
      return false;
    // Bigger than the default so bursts fit; FORCE needs CAP_NET_ADMIN, the plain one is
    // capped by rmem_max.  Either is only an improvement: an overrun is handled anyway.
    if (setsockopt(monitor.fd(), SOL_SOCKET, SO_RCVBUFFORCE, &kMonitorRcvBuf,
                   sizeof kMonitorRcvBuf) < 0)
      setsockopt(monitor.fd(), SOL_SOCKET, SO_RCVBUF, &kMonitorRcvBuf, sizeof kMonitorRcvBuf);
    wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd < 0) return Socket::fail("eventfd", err);
    if (!dump_all(model, err)) return false;
    publish();
    return true;
  }

  // --- dumps ---

  bool dump_all(Model& m, std::string& err) {
    Model fresh;
    std::vector<nl::Message> msgs;
    auto apply = [&fresh](const nl::Message& msg) {
      if (auto* l = std::get_if<nl::LinkMsg>(&msg)) fresh.apply(*l);
      if (auto* a = std::get_if<nl::AddrMsg>(&msg)) fresh.apply(*a);
      if (auto* ne = std::get_if<nl::NeighMsg>(&msg)) fresh.apply(*ne);
    };
    if (!dump(dumper.s, RTM_GETLINK, AF_UNSPEC, dump_seq, msgs, err)) return false;
    std::for_each(msgs.begin(), msgs.end(), apply);
    for (uint8_t f : {uint8_t(AF_INET), uint8_t(AF_INET6)}) {
      for (uint16_t type : {uint16_t(RTM_GETADDR), uint16_t(RTM_GETNEIGH)}) {
        if (!dump(dumper.s, type, f, dump_seq, msgs, err)) return false;
        std::for_each(msgs.begin(), msgs.end(), apply);
      }
    }
    if (!dump_routes(fresh.routes, err)) return false;
    m = std::move(fresh);
    return true;
  }

  bool dump_routes(std::vector<RouteTable::Entry>& out, std::string& err) {
    std::vector<RouteTable::Entry> routes;
    std::vector<nl::Message> msgs;
    for (uint8_t f : {uint8_t(AF_INET), uint8_t(AF_INET6)}) {
      if (!dump(dumper.s, RTM_GETROUTE, f, dump_seq, msgs, err)) return false;
      for (const auto& msg : msgs)
        if (auto* r = std::get_if<nl::RouteMsg>(&msg))
          if (auto e = nl::route_entry(*r)) routes.push_back(*e);
    }
    out = std::move(routes);
    return true;
  }

  // --- publishing ---

  void publish() {
    auto s = build_snapshot(model);
    std::unordered_map<std::string, Interface> names;
    for (const auto& [index, l] : model.links)
      if (!l.name.empty()) names.emplace(l.name, to_interface(index, l));
    std::lock_guard lock(mu);
    snap = std::move(s);
    by_name = std::move(names);
  }

  // --- the notification thread ---

  struct Batch {
    bool changed = false;        // something the snapshot shows changed
    bool routes_stale = false;   // re-dump the routes
    bool overrun = false;        // notifications were lost: re-dump everything
  };

  void apply(const nlmsghdr* n, Batch& b) {
    nl::Message msg = nl::parse(n);
    if (auto* l = std::get_if<nl::LinkMsg>(&msg)) {
      if (model.apply(*l)) b.changed = b.routes_stale = true;
    } else if (auto* a = std::get_if<nl::AddrMsg>(&msg)) {
      if (model.apply(*a)) b.changed = b.routes_stale = true;
    } else if (std::holds_alternative<nl::RouteMsg>(msg)) {
      b.routes_stale = true;
    } else if (auto* ne = std::get_if<nl::NeighMsg>(&msg)) {
      if (model.apply(*ne)) b.changed = true;
    }
  }

  // Reads every queued notification (up to a batch) without blocking.
  Batch drain(std::vector<char>& buf) {
    Batch b;
    for (int i = 0; i < kMaxReadsPerBatch; ++i) {
      sockaddr_nl from{};
      socklen_t from_len = sizeof from;
      ssize_t n = recvfrom(monitor.fd(), buf.data(), buf.size(), MSG_DONTWAIT,
                           reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n < 0) {
        if (errno == ENOBUFS) {
          b.overrun = true;
          continue;
        }
        break;  // EAGAIN: drained (or an error the next poll reports again)
      }
      if (from.nl_pid != 0) continue;  // only the kernel speaks for the kernel
      mnl_cb_t cb = [](const nlmsghdr* nlh, void* data) {
        auto* self = static_cast<std::pair<Impl*, Batch*>*>(data);
        self->first->apply(nlh, *self->second);
        return MNL_CB_OK;
      };
      std::pair<Impl*, Batch*> ctx{this, &b};
      mnl_cb_run(buf.data(), size_t(n), 0, 0, cb, &ctx);
    }
    return b;
  }

  // Applies a batch's follow-ups; whether a new snapshot is due.
  bool settle(const Batch& b) {
    std::string err;
    if (b.overrun) {
      Model fresh;
      if (dump_all(fresh, err)) model = std::move(fresh);
      return true;
    }
    bool changed = b.changed;
    if (b.routes_stale) {
      std::vector<RouteTable::Entry> routes;
      if (dump_routes(routes, err) && !same_routes(routes, model.routes)) {
        model.routes = std::move(routes);
        changed = true;
      }
    }
    return changed;
  }

  void run(std::atomic<uint64_t>& generation) {
    std::vector<char> buf(kBufSize);
    while (true) {
      pollfd fds[2] = {{monitor.fd(), POLLIN, 0}, {wake_fd, POLLIN, 0}};
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents) return;  // stop()
      if (settle(drain(buf))) {
        publish();
        generation.fetch_add(1, std::memory_order_acq_rel);
      }
    }
  }

  // --- resolve ---

  // Whether `key` may be asked about now; remembers the time if so.
  bool may_ask(const std::pair<uint32_t, net::Addr>& key) {
    const auto now = std::chrono::steady_clock::now();
    auto [it, fresh] = asked.try_emplace(key, now);
    if (!fresh) {
      if (now - it->second < kResolveInterval) return false;
      it->second = now;
    }
    if (asked.size() > kResolveMemory)
      std::erase_if(asked, [&](const auto& e) { return now - e.second >= kResolveInterval; });
    return true;
  }

  // RTM_NEWNEIGH with NTF_USE makes the kernel's neigh_add() call neigh_event_send(), which
  // starts ARP/ND exactly as an outgoing packet would (NLM_F_CREATE creates the entry if
  // need be; ndm_state is ignored).  But on an existing entry it first drops NUD_PERMANENT
  // (__neigh_update with NEIGH_UPDATE_F_USE): a permanent entry becomes INCOMPLETE and loses
  // its address (seen on 6.18).  A worker's snapshot may lag behind an `ip neigh add ...
  // permanent`, so existing entries are never hit blindly:
  //   1. NLM_F_CREATE|NLM_F_EXCL: only a missing entry is created (and resolved);
  //   2. EEXIST: read the entry's state (RTM_GETNEIGH) and, only if the kernel is not
  //      resolving it already and it is not static (FAILED, STALE, NONE), send NTF_USE with
  //      NLM_F_REPLACE to make it resolve again.
  // rtnetlink handles a request inside sendmsg(), so each answer is already queued when
  // sendto() returns: reading it with MSG_DONTWAIT never waits.
  void send_use(uint32_t ifindex, const net::Addr& a) {
    char buf[1024];
    while (recv(request.fd(), buf, sizeof buf, MSG_DONTWAIT) > 0) {  // leftovers, if any
    }
    if (ask(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, NTF_USE, ifindex, a) != EEXIST)
      return;
    std::optional<uint16_t> state = current_state(ifindex, a);
    constexpr uint16_t kRetry = NUD_FAILED | NUD_STALE;
    if (state && (*state == NUD_NONE || (*state & kRetry)))
      ask(RTM_NEWNEIGH, NLM_F_REPLACE | NLM_F_ACK, NTF_USE, ifindex, a);
  }

  // One neighbour request; the error it was answered with (0: done), or -1 when no answer
  // was there.  A reply carrying an entry (RTM_GETNEIGH) goes to `on_entry`.
  int ask(uint16_t type, uint16_t flags, uint8_t ndm_flags, uint32_t ifindex,
          const net::Addr& a, const std::function<void(const nl::NeighMsg&)>& on_entry = {}) {
    char buf[1024];
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    nlh->nlmsg_seq = ++req_seq;
    auto* ndm = static_cast<ndmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ndmsg)));
    ndm->ndm_family = a.is_v4() ? AF_INET : AF_INET6;
    ndm->ndm_ifindex = int(ifindex);
    ndm->ndm_state = NUD_NONE;
    ndm->ndm_flags = ndm_flags;
    mnl_attr_put(nlh, NDA_DST, unsigned(a.size()), a.bytes.data());
    if (send(request.fd(), nlh, nlh->nlmsg_len, MSG_DONTWAIT) < 0) return errno;
    ssize_t n = recv(request.fd(), buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) return -1;
    mnl_cb_t cb = [](const nlmsghdr* m, void* data) {
      nl::Message msg = nl::parse(m);
      auto* f = static_cast<const std::function<void(const nl::NeighMsg&)>*>(data);
      if (auto* ne = std::get_if<nl::NeighMsg>(&msg); ne && *f) (*f)(*ne);
      return MNL_CB_OK;
    };
    auto* cb_data = const_cast<std::function<void(const nl::NeighMsg&)>*>(&on_entry);
    if (mnl_cb_run(buf, size_t(n), req_seq, mnl_socket_get_portid(request.s), cb, cb_data) < 0)
      return errno;
    return 0;
  }

  // The kernel's NUD state of one entry, or nullopt if it has none (or did not say).
  std::optional<uint16_t> current_state(uint32_t ifindex, const net::Addr& a) {
    std::optional<uint16_t> state;
    ask(RTM_GETNEIGH, 0, 0, ifindex, a, [&](const nl::NeighMsg& n) { state = n.state; });
    return state;
  }
};

std::unique_ptr<KernelView> KernelView::open(std::string& err) {
  std::unique_ptr<KernelView> kv(new KernelView);
  kv->impl_ = std::make_unique<Impl>();
  if (!kv->impl_->init(err)) return nullptr;
  // Generation 1 for the first snapshot, so a worker that starts from 0 takes it.
  kv->generation_.store(1, std::memory_order_release);
  return kv;
}

KernelView::~KernelView() { stop(); }

void KernelView::start() {
  if (impl_->thread.joinable()) return;
  uint64_t v;
  while (read(impl_->wake_fd, &v, sizeof v) > 0) {  // forget an earlier stop()
  }
  impl_->thread = std::thread([this] { impl_->run(generation_); });
}

void KernelView::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  const uint64_t one = 1;
  (void)!write(impl_->wake_fd, &one, sizeof one);
  impl_->thread.join();
}

std::optional<Interface> KernelView::interface(const std::string& ifname) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->by_name.find(ifname);
  if (it == impl_->by_name.end()) return std::nullopt;
  return it->second;
}

std::shared_ptr<const KernelSnapshot> KernelView::snapshot() const {
  std::lock_guard lock(impl_->mu);
  return impl_->snap;
}

void KernelView::resolve(uint32_t ifindex, const net::Addr& a) {
  std::lock_guard lock(impl_->req_mu);
  if (!impl_->may_ask({ifindex, a})) return;
  impl_->send_use(ifindex, a);
}

std::optional<NextHop> KernelRoutes::lookup(const net::Addr& dst) const {
  if (!snap_) return std::nullopt;
  return snap_->routes.lookup(dst);
}

std::optional<net::Mac> KernelNeighbours::lookup(uint32_t iface, const net::Addr& addr) {
  if (!snap_) return std::nullopt;
  return snap_->neighbours.find(iface, addr);
}

bool KernelNeighbours::should_solicit(uint32_t iface, const net::Addr& addr) {
  if (kv_) kv_->resolve(iface, addr);
  return false;
}

}  // namespace ulvs::dataplane

// executor.cc — maps each Op to engine calls and fills the listings from the engine.
//
// The engine returns the kernel's errnos for what it checks itself; the checks here are the
// ones ip_vs_ctl.c makes before reaching the service/dest code (address types, families,
// tunnel ports, persistence engines), in the kernel's order, so ipvsadm prints the same
// message a real kernel would provoke.
#include "ctl/executor.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ctl/sysctls.h"

namespace ulvs::ctl {

namespace {

constexpr uint32_t kMaxTimeout = 2678400;  // 31 days, ipvsadm's and the kernel's limit
constexpr int kDefaultMtu = 1500;

bool protocol_ok(uint8_t p) {
  return p == ipvs::proto::kTcp || p == ipvs::proto::kUdp || p == ipvs::proto::kSctp;
}

net::Family family_of(const ipvs::ServiceKey& k) {
  return k.is_fwmark() ? k.family : k.addr.family;
}

// The kernel accepts a real server only at a unicast (or local) address: IPv4 not in 0/8,
// not multicast, not the limited broadcast; IPv6 not ::, not multicast, not link-local.
bool unicast(const net::Addr& a) {
  const auto& b = a.bytes;
  if (a.is_v4()) return b[0] != 0 && (b[0] & 0xF0) != 0xE0 && a.v4_host() != 0xFFFFFFFFu;
  if (a.is_zero() || b[0] == 0xFF) return false;
  return !(b[0] == 0xFE && (b[1] & 0xC0) == 0x80);
}

// The MTU of a host interface, or nullopt when there is no such interface (-ENODEV).
std::optional<int> interface_mtu(const std::string& name) {
  if (name.empty() || name.size() >= IFNAMSIZ || if_nametoindex(name.c_str()) == 0)
    return std::nullopt;
  int mtu = kDefaultMtu;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd >= 0) {
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFMTU, &ifr) == 0) mtu = ifr.ifr_mtu;
    close(fd);
  }
  return mtu;
}

}  // namespace

Reply Executor::execute(const Request& req, ipvs::TimeMs now) {
  Reply rep;
  auto need_key = [&]() {
    if (req.key) return true;
    rep.error = -EINVAL;
    rep.message = "request needs a service key";
    return false;
  };
  switch (req.op) {
    case Op::AddService: rep.error = add_service(req.service); break;
    case Op::EditService: rep.error = edit_service(req.service); break;
    case Op::DelService:
      if (need_key()) rep.error = engine_.del_service(*req.key);
      break;
    case Op::Flush: engine_.flush(); break;
    case Op::AddDest:
    case Op::EditDest:
      if (need_key()) rep.error = add_or_edit_dest(req, req.op == Op::AddDest);
      break;
    case Op::DelDest:
      if (need_key()) rep.error = engine_.del_dest(*req.key, req.dest.ep);
      break;
    case Op::Zero: rep.error = zero(req); break;
    case Op::SetTimeouts: rep.error = set_timeouts(req.timeouts); break;
    case Op::StartDaemon: rep.error = start_daemon(req.daemon); break;
    case Op::StopDaemon: rep.error = stop_daemon(req.daemon); break;
    case Op::GetInfo: break;  // Reply's defaults are the answer
    case Op::GetServices: rep.error = get_services(req, rep); break;
    case Op::GetTimeouts: rep.timeouts = timeouts(); break;
    case Op::GetDaemons: rep.daemons = daemons(); break;
    case Op::GetConns: get_conns(rep, now); break;
    case Op::AddLocalAddr: rep.error = add_local_addr(req.local_addr); break;
    case Op::DelLocalAddr: rep.error = del_local_addr(req.local_addr); break;
    case Op::GetLocalAddrs: rep.local_addrs = local_addrs_; break;
    case Op::SetSysctl: rep.error = set_sysctl(req.sysctl); break;
    case Op::GetSysctls: rep.error = get_sysctls(req.sysctl.name, rep); break;
    default:
      rep.error = -EINVAL;
      rep.message = "unknown op";
  }
  return rep;
}

// ---- services ----

static int check_service(const ipvs::ServiceConfig& cfg) {
  // Fwmark services carry no protocol of their own; we accept 0 ("ip") there as well.
  if (!cfg.key.is_fwmark() && !protocol_ok(cfg.key.protocol)) return -EINVAL;
  if (family_of(cfg.key) == net::Family::V6 && (cfg.netmask < 1 || cfg.netmask > 128))
    return -EINVAL;
  return 0;
}

static bool pe_known(const std::string& pe) { return pe.empty() || pe == "sip"; }

int Executor::add_service(const ipvs::ServiceConfig& cfg) {
  if (int err = check_service(cfg)) return err;
  // The kernel looks the service up before it resolves the scheduler: an existing service
  // with a bad scheduler name answers EEXIST.
  if (engine_.find_service(cfg.key)) return -EEXIST;
  if (!pe_known(cfg.pe_name)) return -ENOENT;
  return engine_.add_service(cfg);
}

int Executor::edit_service(const ipvs::ServiceConfig& cfg) {
  if (int err = check_service(cfg)) return err;
  if (!engine_.find_service(cfg.key)) return -ESRCH;
  if (!pe_known(cfg.pe_name)) return -ENOENT;
  return engine_.edit_service(cfg);
}

int Executor::zero(const Request& req) {
  return engine_.zero(req.key ? &*req.key : nullptr);
}

// ---- real servers ----

int Executor::add_or_edit_dest(const Request& req, bool add) {
  const ipvs::ServiceKey& key = *req.key;
  const ipvs::DestConfig& dc = req.dest;
  ipvs::Service* svc = engine_.find_service(key);
  if (!svc) return -ESRCH;
  // Mixed families only through a tunnel, and never while syncing (the sync protocol
  // cannot carry them).
  if (dc.ep.addr.family != family_of(svc->key())) {
    if (master_ || backup_) return -EINVAL;
    if (dc.fwd != ipvs::Fwd::Tunnel) return -EINVAL;
  }
  if (dc.weight < 0) return -ERANGE;
  if (dc.l_threshold > dc.u_threshold) return -ERANGE;  // the kernel: even when u is 0
  if (dc.fwd == ipvs::Fwd::Tunnel && dc.tun_type == ipvs::TunType::Gue && dc.tun_port == 0)
    return -EINVAL;
  if (!unicast(dc.ep.addr)) return -EINVAL;
  return add ? engine_.add_dest(key, dc) : engine_.edit_dest(key, dc);
}

// ---- timeouts ----

Timeouts Executor::timeouts() const {
  const auto& t = engine_.sysctl().timeouts;
  return {uint32_t(t.tcp_state(ipvs::TcpState::Established) / 1000),
          uint32_t(t.tcp_state(ipvs::TcpState::FinWait) / 1000), uint32_t(t.udp / 1000)};
}

int Executor::set_timeouts(const Timeouts& t) {
  if (t.tcp > kMaxTimeout || t.tcpfin > kMaxTimeout || t.udp > kMaxTimeout) return -EINVAL;
  engine_.sysctl().timeouts.set_tcp_fin_udp(t.tcp, t.tcpfin, t.udp);
  return 0;
}

// ---- /proc/sys/net/ipv4/vs (ulvs extension) ----

int Executor::set_sysctl(const SysctlEntry& s) {
  int err = ctl::set_sysctl(engine_.sysctl(), s.name, s.value);
  if (!err) engine_.sysctl_changed();
  return err;
}

// All of them, or the one named (-ENOENT for a name ulvs does not have).
int Executor::get_sysctls(const std::string& name, Reply& rep) const {
  if (name.empty()) {
    rep.sysctls = ctl::get_sysctls(engine_.sysctl());
    return 0;
  }
  auto value = get_sysctl(engine_.sysctl(), name);
  if (!value) return -ENOENT;
  rep.sysctls.push_back({name, *value});
  return 0;
}

// ---- sync daemons (settings only; the sync protocol is future work) ----

int Executor::start_daemon(const SyncDaemon& in) {
  bool master = in.state == "master";
  if (!master && in.state != "backup") return -EINVAL;
  // The kernel resolves the interface before it looks for a running daemon.
  auto mtu = interface_mtu(in.mcast_ifn);
  if (!mtu) return -ENODEV;
  if (master ? master_ : backup_) return -EEXIST;
  if (in.syncid > 255) return -EINVAL;

  SyncDaemon d = in;
  if (d.mcast_group.empty()) d.mcast_group = "224.0.0.81";
  auto group = net::Addr::parse(d.mcast_group);
  bool multicast = group && (group->is_v4() ? (group->bytes[0] & 0xF0) == 0xE0
                                            : group->bytes[0] == 0xFF);
  if (!multicast) return -EINVAL;
  d.mcast_group = group->str();
  if (d.mcast_port == 0) d.mcast_port = 8848;
  if (d.mcast_ttl == 0) d.mcast_ttl = 1;
  // Message size: IP + UDP headers off the MTU.  The master sends 1500-byte datagrams
  // whatever the interface; the backup accepts what its interface can carry.
  uint32_t hlen = group->is_v6() ? 48 : 28;
  uint32_t most = 65535 - hlen;
  if (d.sync_maxlen)
    d.sync_maxlen = std::clamp<uint32_t>(d.sync_maxlen, master ? 1 : 1024, most);
  else
    d.sync_maxlen = master ? kDefaultMtu - hlen
                           : std::min<uint32_t>(std::max(*mtu, kDefaultMtu) - hlen, most);
  (master ? master_ : backup_) = d;
  return 0;
}

int Executor::stop_daemon(const SyncDaemon& d) {
  if (d.state != "master" && d.state != "backup") return -EINVAL;
  auto& slot = d.state == "master" ? master_ : backup_;
  if (!slot) return -ESRCH;
  slot.reset();
  return 0;
}

std::vector<SyncDaemon> Executor::daemons() const {
  std::vector<SyncDaemon> out;
  if (master_) out.push_back(*master_);
  if (backup_) out.push_back(*backup_);
  return out;
}

// ---- FULLNAT local addresses (ulvs extension) ----

static_assert(kMaxLocalAddrs == size_t{1} << (8 * sizeof(ipvs::Conn::laddr_idx)),
              "the pool must fit the index a connection stores");

// -EEXIST: already in the pool; -EINVAL: not a unicast address (it becomes a packet's
// source); -ENOSPC: the pool is full.
int Executor::add_local_addr(const net::Addr& a) {
  if (!unicast(a)) return -EINVAL;
  if (std::find(local_addrs_.begin(), local_addrs_.end(), a) != local_addrs_.end())
    return -EEXIST;
  if (local_addrs_.size() >= kMaxLocalAddrs) return -ENOSPC;
  local_addrs_.push_back(a);  // at the end: the indices connections hold stay valid
  engine_.set_fullnat_locals(local_addrs_);
  return 0;
}

// -ENOENT: not in the pool.  -EBUSY while a FULLNAT connection uses this address or one
// added after it: the connection table finds replies by the address at the stored index,
// and removing the entry would change the address behind those indices.
int Executor::del_local_addr(const net::Addr& a) {
  auto it = std::find(local_addrs_.begin(), local_addrs_.end(), a);
  if (it == local_addrs_.end()) return -ENOENT;
  const size_t index = size_t(it - local_addrs_.begin());
  bool busy = false;
  engine_.conns().for_each([&](const ipvs::Conn& c) {
    busy |= !c.is_template() && c.fwd() == uint16_t(ipvs::Fwd::FullNat) &&
            size_t{c.laddr_idx} >= index;
  });
  if (busy) return -EBUSY;
  local_addrs_.erase(it);
  engine_.set_fullnat_locals(local_addrs_);
  return 0;
}

// ---- listings ----

static ServiceInfo service_info(const ipvs::Service& svc) {
  ServiceInfo si;
  si.cfg = svc.config();
  si.stats = svc.stats.shown();
  si.rates = svc.stats.rates();
  for (const ipvs::Dest* d : svc.dests()) {
    DestInfo di;
    di.cfg = d->cfg;
    di.activeconns = d->activeconns;
    di.inactconns = d->inactconns;
    di.persistconns = d->persistconns;
    di.stats = d->stats.shown();
    di.rates = d->stats.rates();
    si.dests.push_back(std::move(di));
  }
  return si;
}

int Executor::get_services(const Request& req, Reply& rep) {
  if (req.key) {
    const ipvs::Service* svc = engine_.find_service(*req.key);
    if (!svc) return -ESRCH;
    rep.services.push_back(service_info(*svc));
    return 0;
  }
  for (auto& svc : engine_.services()) rep.services.push_back(service_info(*svc));
  return 0;
}

static std::string conn_state(const ipvs::Conn& c) {
  if (c.is_template()) return c.flags & ipvs::conn_flag::kAssured ? "ASSURED" : "NONE";
  if (c.protocol == ipvs::proto::kTcp) return std::string(ipvs::tcp::state_name(c.tcp_state()));
  if (c.protocol == ipvs::proto::kUdp) return "UDP";
  return "NONE";
}

void Executor::get_conns(Reply& rep, ipvs::TimeMs now) {
  auto& table = engine_.conns();
  table.for_each([&](const ipvs::Conn& c) {
    // A one-packet entry lives until the next packet only and is never hashed: the kernel's
    // listing (a walk of the hash table) never shows it.
    if (c.flags & ipvs::conn_flag::kOnePacket) return;
    ConnInfo ci;
    ci.protocol = c.protocol;
    ci.state = conn_state(c);
    ci.expires_s = uint32_t(table.expires_in(c, now) / 1000);
    ci.client = {c.client(), c.cport};
    ci.vip = {c.vip(), c.vport};  // fwmark templates: the mark, as the kernel stores it
    ci.real = {c.real(), c.dport};
    ci.is_template = c.is_template();
    rep.conns.push_back(std::move(ci));
  });
}

}  // namespace ulvs::ctl

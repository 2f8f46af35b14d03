// executor_test.cc — every op against a real Engine: effects, errnos, listing contents.
#include "ctl/executor.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace ulvs::ctl {
namespace {

using ipvs::Fwd;

net::Endpoint EP(const char* s) { return *net::Endpoint::parse(s); }

ipvs::ServiceKey key(const char* ep, uint8_t proto = ipvs::proto::kTcp) {
  auto e = EP(ep);
  return {e.addr.family, proto, e.addr, e.port, 0};
}

class ExecutorTest : public ::testing::Test {
 protected:
  ipvs::Engine engine{{.max_conns = 1024, .hash_seed = 1}};
  Executor ex{engine};
  ipvs::TimeMs now = 10'000;

  Reply run(Request r) { return ex.execute(r, now); }
  int add_service(const char* ep, const char* sched = "wlc") {
    Request r{.op = Op::AddService};
    r.service.key = key(ep);
    r.service.scheduler = sched;
    if (r.service.key.addr.is_v6()) r.service.netmask = 128;
    return run(r).error;
  }
  int dest_op(Op op, const char* svc, const char* rs, int weight = 1, Fwd fwd = Fwd::Masq) {
    Request r{.op = op, .key = key(svc)};
    r.dest.ep = EP(rs);
    r.dest.weight = weight;
    r.dest.fwd = fwd;
    return run(r).error;
  }
  std::vector<ServiceInfo> services() { return run({.op = Op::GetServices}).services; }
};

TEST_F(ExecutorTest, AddEditDeleteService) {
  EXPECT_EQ(add_service("10.0.0.1:80", "rr"), 0);
  EXPECT_EQ(add_service("10.0.0.1:80", "rr"), -EEXIST);
  EXPECT_EQ(add_service("10.0.0.1:80", "nope"), -EEXIST);  // existence is checked first
  EXPECT_EQ(add_service("10.0.0.2:80", "nope"), -ENOENT);
  EXPECT_EQ(add_service("[2001:db8::1]:80"), 0);

  Request e{.op = Op::EditService};
  e.service.key = key("10.0.0.1:80");
  e.service.scheduler = "wrr";
  e.service.flags = ipvs::svc_flag::kPersistent;
  EXPECT_EQ(run(e).error, 0);
  auto s = services();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].cfg.scheduler, "wrr");
  EXPECT_EQ(s[0].cfg.timeout_s, ipvs::kDefaultPersistence);
  EXPECT_EQ(s[1].cfg.key, key("[2001:db8::1]:80"));

  e.service.key = key("10.0.0.9:80");
  EXPECT_EQ(run(e).error, -ESRCH);

  EXPECT_EQ(run({.op = Op::DelService, .key = key("10.0.0.1:80")}).error, 0);
  EXPECT_EQ(run({.op = Op::DelService, .key = key("10.0.0.1:80")}).error, -ESRCH);
  EXPECT_EQ(run({.op = Op::DelService, .key = key("10.0.0.1:80", ipvs::proto::kUdp)}).error,
            -ESRCH);
  Reply no_key = run({.op = Op::DelService});
  EXPECT_EQ(no_key.error, -EINVAL);
  EXPECT_FALSE(no_key.message.empty());
  EXPECT_EQ(services().size(), 1u);
}

TEST_F(ExecutorTest, ServiceValidation) {
  Request r{.op = Op::AddService};
  r.service.key = key("[2001:db8::1]:80");  // netmask left at 0xFFFFFFFF: not a prefix length
  EXPECT_EQ(run(r).error, -EINVAL);
  r.service.netmask = 129;
  EXPECT_EQ(run(r).error, -EINVAL);
  r.service.netmask = 64;
  r.service.pe_name = "http";
  EXPECT_EQ(run(r).error, -ENOENT);
  r.service.pe_name = "sip";
  EXPECT_EQ(run(r).error, 0);
  r.service.key = key("10.0.0.1:80", 1);  // ICMP
  EXPECT_EQ(run(r).error, -EINVAL);

  Request fwm{.op = Op::AddService};
  fwm.service.key = {.fwmark = 5};
  EXPECT_EQ(run(fwm).error, 0);
  EXPECT_EQ(run(fwm).error, -EEXIST);
  EXPECT_EQ(services().back().cfg.key.fwmark, 5u);
}

TEST_F(ExecutorTest, DestsInKernelOrderWithErrors) {
  ASSERT_EQ(add_service("10.0.0.1:80"), 0);
  EXPECT_EQ(dest_op(Op::AddDest, "10.0.0.1:80", "192.168.1.1:80", 1), 0);
  EXPECT_EQ(dest_op(Op::AddDest, "10.0.0.1:80", "192.168.1.2:80", 2), 0);
  EXPECT_EQ(dest_op(Op::AddDest, "10.0.0.1:80", "192.168.1.2:80", 2), -EEXIST);
  EXPECT_EQ(dest_op(Op::AddDest, "10.0.0.9:80", "192.168.1.2:80"), -ESRCH);
  EXPECT_EQ(dest_op(Op::AddDest, "10.0.0.1:80", "192.168.1.3:80", -1), -ERANGE);
  EXPECT_EQ(dest_op(Op::EditDest, "10.0.0.1:80", "192.168.1.1:80", 7, Fwd::Route), 0);
  EXPECT_EQ(dest_op(Op::EditDest, "10.0.0.1:80", "192.168.1.9:80"), -ENOENT);
  EXPECT_EQ(dest_op(Op::EditDest, "10.0.0.9:80", "192.168.1.1:80"), -ESRCH);

  auto s = services();
  ASSERT_EQ(s[0].dests.size(), 2u);
  EXPECT_EQ(s[0].dests[0].cfg.ep, EP("192.168.1.2:80"));  // newest first
  EXPECT_EQ(s[0].dests[1].cfg.weight, 7);
  EXPECT_EQ(s[0].dests[1].cfg.fwd, Fwd::Route);

  EXPECT_EQ(dest_op(Op::DelDest, "10.0.0.1:80", "192.168.1.2:80"), 0);
  EXPECT_EQ(dest_op(Op::DelDest, "10.0.0.1:80", "192.168.1.2:80"), -ENOENT);
  EXPECT_EQ(dest_op(Op::DelDest, "10.0.0.9:80", "192.168.1.2:80"), -ESRCH);
  EXPECT_EQ(services()[0].dests.size(), 1u);
}

TEST_F(ExecutorTest, KernelDestChecks) {
  ASSERT_EQ(add_service("10.0.0.1:80"), 0);
  Request r{.op = Op::AddDest, .key = key("10.0.0.1:80")};
  r.dest.ep = EP("192.168.1.1:80");
  r.dest.l_threshold = 5;  // above an unset upper threshold: the kernel says ERANGE
  EXPECT_EQ(run(r).error, -ERANGE);
  r.dest.u_threshold = 4;
  EXPECT_EQ(run(r).error, -ERANGE);
  r.dest.u_threshold = 5;
  EXPECT_EQ(run(r).error, 0);

  for (const char* bad : {"0.0.0.0", "0.1.2.3", "224.0.0.1", "255.255.255.255"}) {
    r.dest = {.ep = EP(bad)};
    EXPECT_EQ(run(r).error, -EINVAL) << bad;
  }
  for (const char* good : {"127.0.0.1", "10.0.0.255", "240.0.0.1"}) {
    r.dest = {.ep = EP(good)};
    EXPECT_EQ(run(r).error, 0) << good;
  }
  // Another family only through a tunnel.
  r.dest = {.ep = EP("[2001:db8::5]:80"), .fwd = Fwd::Masq};
  EXPECT_EQ(run(r).error, -EINVAL);
  r.dest.fwd = Fwd::Tunnel;
  EXPECT_EQ(run(r).error, 0);
  // GUE needs a port.
  r.dest = {.ep = EP("192.168.7.7:80"), .fwd = Fwd::Tunnel, .tun_type = ipvs::TunType::Gue};
  EXPECT_EQ(run(r).error, -EINVAL);
  r.dest.tun_port = 6080;
  EXPECT_EQ(run(r).error, 0);

  ASSERT_EQ(add_service("[2001:db8::1]:80"), 0);
  r.key = key("[2001:db8::1]:80");
  for (const char* bad : {"[::]:80", "[ff02::1]:80", "[fe80::1]:80"}) {
    r.dest = {.ep = EP(bad)};
    EXPECT_EQ(run(r).error, -EINVAL) << bad;
  }
  r.dest = {.ep = EP("[::1]:80")};
  EXPECT_EQ(run(r).error, 0);
}

TEST_F(ExecutorTest, MixedFamilyRefusedWhileSyncing) {
  ASSERT_EQ(add_service("10.0.0.1:80"), 0);
  Request d{.op = Op::StartDaemon};
  d.daemon = {.state = "master", .mcast_ifn = "lo"};
  ASSERT_EQ(run(d).error, 0);
  Request r{.op = Op::AddDest, .key = key("10.0.0.1:80")};
  r.dest = {.ep = EP("[2001:db8::5]:80"), .fwd = Fwd::Tunnel};
  EXPECT_EQ(run(r).error, -EINVAL);
}

TEST_F(ExecutorTest, FlushAndGetOne) {
  ASSERT_EQ(add_service("10.0.0.1:80"), 0);
  ASSERT_EQ(add_service("10.0.0.2:80"), 0);
  Reply one = run({.op = Op::GetServices, .key = key("10.0.0.2:80")});
  ASSERT_EQ(one.error, 0);
  ASSERT_EQ(one.services.size(), 1u);
  EXPECT_EQ(one.services[0].cfg.key, key("10.0.0.2:80"));
  EXPECT_EQ(run({.op = Op::GetServices, .key = key("10.0.0.3:80")}).error, -ESRCH);
  EXPECT_EQ(run({.op = Op::Flush}).error, 0);
  EXPECT_TRUE(services().empty());
}

TEST_F(ExecutorTest, StatsConnsAndZero) {
  ASSERT_EQ(add_service("10.0.0.1:80", "rr"), 0);
  ASSERT_EQ(dest_op(Op::AddDest, "10.0.0.1:80", "192.168.1.1:80"), 0);
  ipvs::PacketMeta syn{.protocol = ipvs::proto::kTcp, .saddr = EP("1.2.3.4:5").addr,
                       .daddr = EP("10.0.0.1:80").addr, .sport = 40000, .dport = 80,
                       .tcp_flags = ipvs::tcp::kSyn, .length = 60};
  ASSERT_EQ(engine.process(syn, now).verdict, ipvs::Verdict::Forward);
  now += 2000;
  engine.tick(now);  // the estimator publishes the counters

  auto s = services();
  EXPECT_EQ(s[0].stats.conns, 1u);
  EXPECT_EQ(s[0].stats.inpkts, 1u);
  EXPECT_EQ(s[0].stats.inbytes, 60u);
  EXPECT_EQ(s[0].dests[0].stats.conns, 1u);
  EXPECT_EQ(s[0].dests[0].inactconns + s[0].dests[0].activeconns, 1u);

  Reply c = run({.op = Op::GetConns});
  ASSERT_EQ(c.conns.size(), 1u);
  EXPECT_EQ(c.conns[0].protocol, ipvs::proto::kTcp);
  EXPECT_EQ(c.conns[0].state, "SYN_RECV");
  EXPECT_EQ(c.conns[0].client, EP("1.2.3.4:40000"));
  EXPECT_EQ(c.conns[0].vip, EP("10.0.0.1:80"));
  EXPECT_EQ(c.conns[0].real, EP("192.168.1.1:80"));
  EXPECT_FALSE(c.conns[0].is_template);
  EXPECT_EQ(c.conns[0].expires_s, 58u);  // 60 s SYN_RECV, 2 s gone, rounded down

  EXPECT_EQ(run({.op = Op::Zero, .key = key("10.0.0.9:80")}).error, -ESRCH);
  EXPECT_EQ(run({.op = Op::Zero, .key = key("10.0.0.1:80")}).error, 0);
  EXPECT_EQ(services()[0].stats.conns, 0u);
  EXPECT_EQ(services()[0].dests[0].stats.conns, 0u);
  EXPECT_EQ(run({.op = Op::Zero}).error, 0);
}

TEST_F(ExecutorTest, TemplatesAndUdpConns) {
  Request r{.op = Op::AddService};
  r.service.key = key("10.0.0.1:53", ipvs::proto::kUdp);
  r.service.flags = ipvs::svc_flag::kPersistent;
  ASSERT_EQ(run(r).error, 0);
  Request d{.op = Op::AddDest, .key = r.service.key};
  d.dest.ep = EP("192.168.1.1:53");
  ASSERT_EQ(run(d).error, 0);
  ipvs::PacketMeta dns{.protocol = ipvs::proto::kUdp, .saddr = EP("1.2.3.4:5").addr,
                       .daddr = EP("10.0.0.1:53").addr, .sport = 5353, .dport = 53,
                       .length = 60};
  ASSERT_EQ(engine.process(dns, now).verdict, ipvs::Verdict::Forward);
  Reply c = run({.op = Op::GetConns});
  ASSERT_EQ(c.conns.size(), 2u);
  int templates = 0;
  for (auto& ci : c.conns) {
    if (ci.is_template) {
      ++templates;
      EXPECT_TRUE(ci.state == "NONE" || ci.state == "ASSURED") << ci.state;
      EXPECT_EQ(ci.client.port, 0);
      EXPECT_EQ(ci.expires_s, 360u);
    } else {
      EXPECT_EQ(ci.state, "UDP");
      EXPECT_EQ(ci.expires_s, 300u);
    }
  }
  EXPECT_EQ(templates, 1);
}

TEST_F(ExecutorTest, Timeouts) {
  Reply t = run({.op = Op::GetTimeouts});
  EXPECT_EQ(t.timeouts.tcp, 900u);
  EXPECT_EQ(t.timeouts.tcpfin, 120u);
  EXPECT_EQ(t.timeouts.udp, 300u);
  EXPECT_EQ(run({.op = Op::SetTimeouts, .timeouts = {1000, 0, 30}}).error, 0);
  t = run({.op = Op::GetTimeouts});
  EXPECT_EQ(t.timeouts.tcp, 1000u);
  EXPECT_EQ(t.timeouts.tcpfin, 120u);  // 0 keeps
  EXPECT_EQ(t.timeouts.udp, 30u);
  EXPECT_EQ(run({.op = Op::SetTimeouts, .timeouts = {2678401, 0, 0}}).error, -EINVAL);
  EXPECT_EQ(run({.op = Op::SetTimeouts, .timeouts = {2678400, 0, 0}}).error, 0);
}

TEST_F(ExecutorTest, SyncDaemons) {
  EXPECT_TRUE(run({.op = Op::GetDaemons}).daemons.empty());
  Request m{.op = Op::StartDaemon};
  m.daemon = {.state = "master", .mcast_ifn = "lo", .syncid = 3};
  EXPECT_EQ(run(m).error, 0);
  EXPECT_EQ(run(m).error, -EEXIST);

  Request b{.op = Op::StartDaemon};
  b.daemon = {.state = "backup", .mcast_ifn = "lo", .sync_maxlen = 100,
              .mcast_group = "ff02::1"};
  EXPECT_EQ(run(b).error, 0);

  auto ds = run({.op = Op::GetDaemons}).daemons;
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].state, "master");
  EXPECT_EQ(ds[0].mcast_ifn, "lo");
  EXPECT_EQ(ds[0].syncid, 3u);
  EXPECT_EQ(ds[0].sync_maxlen, 1472u);  // 1500 - IPv4 - UDP, whatever lo's MTU
  EXPECT_EQ(ds[0].mcast_group, "224.0.0.81");
  EXPECT_EQ(ds[0].mcast_port, 8848);
  EXPECT_EQ(ds[0].mcast_ttl, 1);
  EXPECT_EQ(ds[1].state, "backup");
  EXPECT_EQ(ds[1].sync_maxlen, 1024u);  // clamped up to the backup's minimum
  EXPECT_EQ(ds[1].mcast_group, "ff02::1");

  Request stop{.op = Op::StopDaemon};
  stop.daemon.state = "backup";
  EXPECT_EQ(run(stop).error, 0);
  EXPECT_EQ(run(stop).error, -ESRCH);
  // A backup on lo (MTU 65536) accepts the largest datagram.
  b.daemon = {.state = "backup", .mcast_ifn = "lo"};
  EXPECT_EQ(run(b).error, 0);
  EXPECT_EQ(run({.op = Op::GetDaemons}).daemons[1].sync_maxlen, 65507u);

  Request bad = m;
  bad.daemon.state = "slave";
  EXPECT_EQ(run(bad).error, -EINVAL);
  stop.daemon.state = "master";
  EXPECT_EQ(run(stop).error, 0);
  m.daemon.mcast_ifn = "no-such-if0";
  EXPECT_EQ(run(m).error, -ENODEV);
  m.daemon.mcast_ifn = "lo";
  m.daemon.mcast_group = "10.0.0.1";  // not multicast
  EXPECT_EQ(run(m).error, -EINVAL);
}

TEST_F(ExecutorTest, Info) {
  Reply i = run({.op = Op::GetInfo});
  EXPECT_EQ(i.error, 0);
  EXPECT_EQ(i.info.version, "1.2.1");
  EXPECT_EQ(i.info.conn_tab_size, 4096u);
}

}  // namespace
}  // namespace ulvs::ctl

namespace ulvs::ctl {
namespace {

class LocalAddrTest : public ExecutorTest {
 protected:
  static net::Addr A(const char* s) { return *net::Addr::parse(s); }
  int add(const char* a) { return run({.op = Op::AddLocalAddr, .local_addr = A(a)}).error; }
  int del(const char* a) { return run({.op = Op::DelLocalAddr, .local_addr = A(a)}).error; }
  std::vector<net::Addr> pool() { return run({.op = Op::GetLocalAddrs}).local_addrs; }

  // A FULLNAT connection from client port `cport`; returns its local address and port.
  std::pair<net::Addr, uint16_t> fullnat_conn(uint16_t cport) {
    ipvs::PacketMeta syn{.protocol = ipvs::proto::kTcp, .saddr = A("1.2.3.4"),
                         .daddr = A("10.0.0.1"), .sport = cport, .dport = 80,
                         .tcp_flags = ipvs::tcp::kSyn, .length = 60};
    ipvs::Decision d = engine.process(syn, now);
    EXPECT_EQ(d.verdict, ipvs::Verdict::Forward);
    if (!d.conn) return {};
    return {engine.conns().local_addr(*d.conn), d.conn->lport};
  }
  // The real server's answer to a local address:port finds its connection.
  bool reply_found(const std::pair<net::Addr, uint16_t>& local) {
    ipvs::PacketMeta ack{.protocol = ipvs::proto::kTcp, .saddr = A("192.168.1.1"),
                         .daddr = local.first, .sport = 80, .dport = local.second,
                         .tcp_flags = ipvs::tcp::kSyn | ipvs::tcp::kAck, .length = 60};
    return engine.process(ack, now).verdict == ipvs::Verdict::Reply;
  }
};

TEST_F(LocalAddrTest, AddListDeleteWithErrors) {
  EXPECT_TRUE(pool().empty());
  EXPECT_EQ(add("10.0.1.1"), 0);
  EXPECT_EQ(add("2001:db8::1"), 0);
  EXPECT_EQ(add("10.0.1.2"), 0);
  EXPECT_EQ(pool(), (std::vector{A("10.0.1.1"), A("2001:db8::1"), A("10.0.1.2")}));  // as added
  EXPECT_EQ(add("10.0.1.1"), -EEXIST);
  for (const char* bad : {"0.0.0.0", "224.0.0.1", "255.255.255.255", "::", "ff02::1", "fe80::1"})
    EXPECT_EQ(add(bad), -EINVAL) << bad;
  EXPECT_EQ(del("10.0.1.9"), -ENOENT);
  EXPECT_EQ(del("2001:db8::1"), 0);
  EXPECT_EQ(pool(), (std::vector{A("10.0.1.1"), A("10.0.1.2")}));
  EXPECT_EQ(engine.conns().local_addr_count(), 2u);  // the engine has the same pool
  // Flush is about services: the pool stays.
  EXPECT_EQ(run({.op = Op::Flush}).error, 0);
  EXPECT_EQ(pool().size(), 2u);
}

TEST_F(LocalAddrTest, PoolHoldsAtMost256) {
  for (uint32_t i = 0; i < kMaxLocalAddrs; ++i)
    ASSERT_EQ(run({.op = Op::AddLocalAddr, .local_addr = net::Addr::v4(0x0A010000 + i + 1)}).error,
              0);
  EXPECT_EQ(add("10.2.0.1"), -ENOSPC);
  EXPECT_EQ(pool().size(), kMaxLocalAddrs);
}

TEST_F(LocalAddrTest, DeleteRefusedWhileConnectionsHoldThePosition) {
  ASSERT_EQ(add_service("10.0.0.1:80", "rr"), 0);
  ASSERT_EQ(dest_op(Op::AddDest, "10.0.0.1:80", "192.168.1.1:80", 1, Fwd::FullNat), 0);
  ASSERT_EQ(add("10.0.1.1"), 0);
  ASSERT_EQ(add("10.0.1.2"), 0);
  ASSERT_EQ(add("10.0.1.3"), 0);
  auto first = fullnat_conn(40000);
  ASSERT_EQ(first.first, A("10.0.1.1"));

  // Addresses after every connection's position can go; the one in use and those before
  // a used one cannot.
  EXPECT_EQ(del("10.0.1.3"), 0);
  EXPECT_EQ(del("10.0.1.2"), 0);
  EXPECT_EQ(del("10.0.1.1"), -EBUSY);
  EXPECT_TRUE(reply_found(first));

  ASSERT_EQ(add("10.0.1.2"), 0);  // appended: the first connection's position is unchanged
  auto second = fullnat_conn(40001);
  ASSERT_EQ(second.first, A("10.0.1.2"));
  EXPECT_EQ(del("10.0.1.1"), -EBUSY);  // would move the second connection's address
  EXPECT_EQ(del("10.0.1.2"), -EBUSY);
  EXPECT_TRUE(reply_found(first));
  EXPECT_TRUE(reply_found(second));
  EXPECT_EQ(pool(), (std::vector{A("10.0.1.1"), A("10.0.1.2")}));

  // Once the connections are gone, so is the restriction.
  EXPECT_EQ(run({.op = Op::Flush}).error, 0);
  now += 3'600'000;
  engine.tick(now);
  EXPECT_EQ(del("10.0.1.1"), 0);
  EXPECT_EQ(pool(), std::vector{A("10.0.1.2")});
}

TEST_F(ExecutorTest, ClientAddrIsStoredAndEditReplacesIt) {
  Request r{.op = Op::AddService};
  r.service.key = key("10.0.0.1:80");
  r.service.client_addr = ipvs::ClientAddr::ProxyV2;
  ASSERT_EQ(run(r).error, 0);
  EXPECT_EQ(services()[0].cfg.client_addr, ipvs::ClientAddr::ProxyV2);
  r.op = Op::EditService;
  r.service.client_addr = ipvs::ClientAddr::None;
  ASSERT_EQ(run(r).error, 0);
  EXPECT_EQ(services()[0].cfg.client_addr, ipvs::ClientAddr::None);
}

TEST_F(ExecutorTest, OnePacketEntriesAreNotListed) {
  Request r{.op = Op::AddService};
  r.service.key = key("10.0.0.1:53", ipvs::proto::kUdp);
  r.service.flags = ipvs::svc_flag::kOnePacket;
  ASSERT_EQ(run(r).error, 0);
  Request d{.op = Op::AddDest, .key = r.service.key};
  d.dest.ep = EP("192.168.1.1:53");
  ASSERT_EQ(run(d).error, 0);
  ipvs::PacketMeta dns{.protocol = ipvs::proto::kUdp, .saddr = EP("1.2.3.4:5").addr,
                       .daddr = EP("10.0.0.1:53").addr, .sport = 5353, .dport = 53,
                       .length = 60};
  // Until the next packet (or tick) the entry still exists in the pool: it must not show.
  ASSERT_EQ(engine.process(dns, now).verdict, ipvs::Verdict::Forward);
  EXPECT_TRUE(run({.op = Op::GetConns}).conns.empty());
}

}  // namespace
}  // namespace ulvs::ctl

namespace ulvs::ctl {
namespace {

class SysctlTest : public ExecutorTest {
 protected:
  int set(const char* name, const char* value) {
    return run({.op = Op::SetSysctl, .sysctl = {name, value}}).error;
  }
  Reply get(const char* name = "") { return run({.op = Op::GetSysctls, .sysctl = {name, ""}}); }
  ipvs::Decision send(uint16_t cport, uint8_t flags) {
    ipvs::PacketMeta p{.protocol = ipvs::proto::kTcp, .saddr = *net::Addr::parse("1.2.3.4"),
                       .daddr = *net::Addr::parse("10.0.0.1"), .sport = cport, .dport = 80,
                       .tcp_flags = flags, .length = 60};
    return engine.process(p, now);
  }
  ipvs::Decision ack(uint16_t cport) { return send(cport, ipvs::tcp::kAck); }
  // The state after a client's SYN and ACK (no server answer seen, as with a NAT handshake
  // still under way): ESTABLISHED with the normal table, SYN_RECV with the secure one.
  ipvs::TcpState syn_then_ack(uint16_t cport) {
    send(cport, ipvs::tcp::kSyn);
    ipvs::Decision d = ack(cport);
    return d.conn ? d.conn->tcp_state() : ipvs::TcpState::None;
  }
};

TEST_F(SysctlTest, SetGetListAndErrors) {
  Reply all = get();
  EXPECT_EQ(all.error, 0);
  ASSERT_EQ(all.sysctls.size(), 7u);
  EXPECT_EQ(all.sysctls.front(), (SysctlEntry{"conn_reuse_mode", "1"}));
  EXPECT_EQ(all.sysctls.back(), (SysctlEntry{"sloppy_tcp", "0"}));

  EXPECT_EQ(set("lblc_expiration", "600\n"), 0);
  EXPECT_EQ(engine.sysctl().lblc_expiration, ipvs::seconds(600));
  Reply one = get("lblc_expiration");
  EXPECT_EQ(one.error, 0);
  EXPECT_EQ(one.sysctls, (std::vector<SysctlEntry>{{"lblc_expiration", "600"}}));

  EXPECT_EQ(set("drop_entry", "1"), -ENOENT);
  EXPECT_EQ(get("drop_entry").error, -ENOENT);
  EXPECT_TRUE(get("drop_entry").sysctls.empty());
  EXPECT_EQ(set("secure_tcp", "7"), -EINVAL);
  EXPECT_EQ(set("sloppy_tcp", "yes"), -EINVAL);
  EXPECT_EQ(get("secure_tcp").sysctls.at(0).value, "0");
  // Flush is about services: the sysctls stay.
  EXPECT_EQ(run({.op = Op::Flush}).error, 0);
  EXPECT_EQ(get("lblc_expiration").sysctls.at(0).value, "600");
}

TEST_F(SysctlTest, TakesEffectOnTheRunningEngine) {
  ASSERT_EQ(add_service("10.0.0.1:80", "rr"), 0);
  ASSERT_EQ(dest_op(Op::AddDest, "10.0.0.1:80", "192.168.1.1:80"), 0);
  EXPECT_EQ(ack(40000).verdict, ipvs::Verdict::Pass);  // mid-flow: not scheduled by default
  EXPECT_EQ(set("sloppy_tcp", "1"), 0);
  EXPECT_EQ(ack(40001).verdict, ipvs::Verdict::Forward);
  EXPECT_EQ(set("sloppy_tcp", "0"), 0);
  EXPECT_EQ(ack(40002).verdict, ipvs::Verdict::Pass);

  EXPECT_EQ(syn_then_ack(41000), ipvs::TcpState::Established);
  EXPECT_EQ(set("secure_tcp", "3"), 0);
  EXPECT_EQ(syn_then_ack(41001), ipvs::TcpState::SynRecv);
  EXPECT_EQ(set("secure_tcp", "1"), 0);  // automatic, and memory is never short
  EXPECT_EQ(syn_then_ack(41002), ipvs::TcpState::Established);
}

}  // namespace
}  // namespace ulvs::ctl

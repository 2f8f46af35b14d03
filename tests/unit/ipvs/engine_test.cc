// Engine: the packet path of a NAT / DR director, counters, expiry and the sysctls of §4.6.
#include "ipvs/engine_fixture.h"

using namespace ulvs;
using namespace ulvs::ipvs;
using namespace ulvs::ipvs::testing;

namespace {
const char* kVip = "10.0.0.100:80";
}

class Nat : public EngineTest {
 protected:
  ServiceKey k = tcp(kVip);
  void SetUp() override {
    service(k, "rr");
    dest(k, "192.168.10.1:8080");
    dest(k, "192.168.10.2:8080");
    dest(k, "192.168.10.3:8080");
  }
  // ACK then RST: SYN_RECV ignores a client RST, ESTABLISHED moves to CLOSE.
  void reset(const char* client) {
    ack(client, kVip);
    send(client, kVip, tcp::kRst);
  }
  Dest& rs(int n) {
    std::string ep = "192.168.10." + std::to_string(n) + ":8080";
    return *e.find_service(k)->find_dest(EP(ep.c_str()));
  }
};

TEST_F(Nat, RoundRobinFollowsKernelListOrder) {
  // Added 1, 2, 3: the kernel's list is 3, 2, 1.
  EXPECT_EQ(to(syn("1.1.1.1:1001", kVip)), "192.168.10.3:8080");
  EXPECT_EQ(to(syn("1.1.1.1:1002", kVip)), "192.168.10.2:8080");
  EXPECT_EQ(to(syn("1.1.1.1:1003", kVip)), "192.168.10.1:8080");
  EXPECT_EQ(to(syn("1.1.1.1:1004", kVip)), "192.168.10.3:8080");
}

TEST_F(Nat, PacketsOfAConnectionStickAndRepliesMatch) {
  Decision d = syn("1.1.1.1:1001", kVip);
  ASSERT_EQ(d.verdict, Verdict::Forward);
  Conn* c = d.conn;
  syn("1.1.1.1:1002", kVip);  // moves the rr cursor
  EXPECT_EQ(ack("1.1.1.1:1001", kVip).conn, c);
  Decision r = send("192.168.10.3:8080", "1.1.1.1:1001", tcp::kAck);
  EXPECT_EQ(r.verdict, Verdict::Reply);
  EXPECT_EQ(r.conn, c);
  EXPECT_EQ(c->vip(), IP("10.0.0.100"));
  EXPECT_EQ(c->vport, 80);
}

TEST_F(Nat, ActiveAndInactiveFollowTheHandshakeAndClose) {
  Dest& d = rs(3);
  syn("1.1.1.1:1001", kVip);
  EXPECT_EQ(d.activeconns, 1u);  // SYN_RECV is active (Linux >= 4.8)
  EXPECT_EQ(d.inactconns, 0u);
  send("192.168.10.3:8080", "1.1.1.1:1001", tcp::kSyn | tcp::kAck);
  ack("1.1.1.1:1001", kVip);
  Conn* c = e.conns().lookup_in(6, IP("1.1.1.1"), 1001, IP("10.0.0.100"), 80);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->tcp_state(), TcpState::Established);
  EXPECT_EQ(c->timeout_ms, 900000u);
  send("1.1.1.1:1001", kVip, tcp::kFin | tcp::kAck);
  EXPECT_EQ(c->tcp_state(), TcpState::CloseWait);
  EXPECT_EQ(d.activeconns, 0u);
  EXPECT_EQ(d.inactconns, 1u);
  send("192.168.10.3:8080", "1.1.1.1:1001", tcp::kFin | tcp::kAck);
  ack("1.1.1.1:1001", kVip);
  EXPECT_EQ(c->tcp_state(), TcpState::TimeWait);
  advance(seconds(119));
  EXPECT_EQ(d.inactconns, 1u);
  advance(seconds(2));
  EXPECT_EQ(d.inactconns, 0u);
  EXPECT_EQ(e.conns().size(), 0u);
}

TEST_F(Nat, UnansweredSynExpiresAfterSixtySeconds) {
  syn("1.1.1.1:1001", kVip);
  advance(seconds(59));
  EXPECT_EQ(e.conns().size(), 1u);
  advance(seconds(2));
  EXPECT_EQ(e.conns().size(), 0u);
  EXPECT_EQ(rs(3).activeconns, 0u);
}

TEST_F(Nat, SetTimeoutsChangeEstablishedAndFinWait) {
  e.sysctl().timeouts.set_tcp_fin_udp(30, 0, 0);
  syn("1.1.1.1:1001", kVip);
  ack("1.1.1.1:1001", kVip);
  advance(seconds(29));
  EXPECT_EQ(e.conns().size(), 1u);
  advance(seconds(2));
  EXPECT_EQ(e.conns().size(), 0u);
}

TEST_F(Nat, NonSynWithoutEntryPassesUntouched) {
  EXPECT_EQ(ack("1.1.1.1:1001", kVip).verdict, Verdict::Pass);
  EXPECT_EQ(send("1.1.1.1:1001", kVip, tcp::kSyn | tcp::kRst).verdict, Verdict::Pass);
  EXPECT_EQ(syn("1.1.1.1:1001", "10.0.0.100:443").verdict, Verdict::Pass);  // no service
  EXPECT_EQ(e.conns().size(), 0u);
  EXPECT_EQ(e.counters().passed, 3u);
}

TEST_F(Nat, SloppyTcpSchedulesMidFlowSegments) {
  e.sysctl().sloppy_tcp = true;
  Decision d = ack("1.1.1.1:1001", kVip);
  EXPECT_EQ(d.verdict, Verdict::Forward);
  EXPECT_EQ(d.conn->tcp_state(), TcpState::Established);
  EXPECT_EQ(send("1.1.1.1:1002", kVip, tcp::kRst).verdict, Verdict::Pass);  // never RST
}

TEST_F(Nat, NoAvailableServerIsUnreachable) {
  for (int n = 1; n <= 3; ++n) {
    DestConfig dc = rs(n).cfg;
    dc.weight = 0;
    ASSERT_EQ(e.edit_dest(k, dc), 0);
  }
  EXPECT_EQ(syn("1.1.1.1:1001", kVip).verdict, Verdict::Unreachable);
  EXPECT_EQ(e.counters().no_dest, 1u);
}

TEST_F(Nat, QuiescedServerKeepsItsConnections) {
  Decision d = syn("1.1.1.1:1001", kVip);
  DestConfig dc = rs(3).cfg;
  dc.weight = 0;
  ASSERT_EQ(e.edit_dest(k, dc), 0);
  EXPECT_EQ(ack("1.1.1.1:1001", kVip).conn, d.conn);
  EXPECT_EQ(to(syn("1.1.1.1:1002", kVip)), "192.168.10.2:8080");
}

TEST_F(Nat, FullTableIsACountedDrop) {
  Engine small({.max_conns = 2, .hash_seed = 1});
  ServiceConfig cfg{k, "rr", 0, 0, 0xFFFFFFFF, {}};
  ASSERT_EQ(small.add_service(cfg), 0);
  ASSERT_EQ(small.add_dest(k, {.ep = EP("192.168.10.1:80")}), 0);
  EXPECT_EQ(small.process(pkt("1.1.1.1:1", kVip, tcp::kSyn), now).verdict, Verdict::Forward);
  EXPECT_EQ(small.process(pkt("1.1.1.1:2", kVip, tcp::kSyn), now).verdict, Verdict::Forward);
  Decision d = small.process(pkt("1.1.1.1:3", kVip, tcp::kSyn), now);
  EXPECT_EQ(d.verdict, Verdict::Drop);
  EXPECT_EQ(d.reason, DropReason::TableFull);
  EXPECT_EQ(small.counters().table_full, 1u);
  // The drop did not disturb the existing entries.
  EXPECT_EQ(small.process(pkt("1.1.1.1:1", kVip, tcp::kAck), now).verdict, Verdict::Forward);
}

TEST_F(Nat, StatisticsCountEveryPacketAndByte) {
  syn("1.1.1.1:1001", kVip);                                    // 60 bytes in
  send("192.168.10.3:8080", "1.1.1.1:1001", tcp::kSyn | tcp::kAck);  // 60 out
  ack("1.1.1.1:1001", kVip);                                    // 60 in
  advance(seconds(2));  // one estimator pass makes them visible
  Service& svc = *e.find_service(k);
  EXPECT_EQ(rs(3).stats.shown(), (Counters{1, 2, 1, 120, 60}));
  EXPECT_EQ(svc.stats.shown(), (Counters{1, 2, 1, 120, 60}));
  EXPECT_EQ(e.total().shown(), (Counters{1, 2, 1, 120, 60}));
  EXPECT_EQ(rs(2).stats.shown(), Counters{});
  e.zero(nullptr);
  EXPECT_EQ(svc.stats.shown(), Counters{});
}

TEST_F(Nat, ThresholdsOverloadAndRecover) {
  // rs3 takes at most 2 connections (-x 2); it recovers below 75 %.
  DestConfig dc = rs(3).cfg;
  dc.u_threshold = 2;
  ASSERT_EQ(e.edit_dest(k, dc), 0);
  ASSERT_EQ(e.edit_service({k, "wlc", 0, 0, 0xFFFFFFFF, {}}), 0);
  // wlc with all idle picks the list head (rs3) until it is loaded.
  EXPECT_EQ(to(syn("1.1.1.1:1", kVip)), "192.168.10.3:8080");
  EXPECT_FALSE(rs(3).overloaded);
  reset("1.1.1.1:1");  // CLOSE: inactive, still counted in the total
  EXPECT_EQ(to(syn("1.1.1.1:2", kVip)), "192.168.10.2:8080");  // rs3 has overhead 1 now
  reset("1.1.1.1:2");
  EXPECT_EQ(to(syn("1.1.1.1:3", kVip)), "192.168.10.1:8080");
  reset("1.1.1.1:3");
  EXPECT_EQ(to(syn("1.1.1.1:4", kVip)), "192.168.10.3:8080");  // ties again: head first
  EXPECT_TRUE(rs(3).overloaded);                                // total 2 >= 2
  reset("1.1.1.1:4");
  for (int p = 5; p < 9; ++p) {
    EXPECT_NE(to(syn(("1.1.1.1:" + std::to_string(p)).c_str(), kVip)), "192.168.10.3:8080");
  }
  advance(seconds(11));  // every CLOSE entry expires: total 0 < 2*3/4
  EXPECT_FALSE(rs(3).overloaded);
}

TEST_F(Nat, DeletedServerDropsUntilItsEntriesAgeOut) {
  Decision d = syn("1.1.1.1:1001", kVip);
  ASSERT_EQ(to(d), "192.168.10.3:8080");
  ASSERT_EQ(e.del_dest(k, EP("192.168.10.3:8080")), 0);
  Decision again = ack("1.1.1.1:1001", kVip);
  EXPECT_EQ(again.verdict, Verdict::Drop);
  EXPECT_EQ(again.reason, DropReason::DestUnavailable);
  advance(seconds(61));  // the timer was not refreshed by the dropped packet
  EXPECT_EQ(e.conns().size(), 0u);
}

TEST_F(Nat, ExpireNodestConnReschedules) {
  e.sysctl().expire_nodest_conn = true;
  syn("1.1.1.1:1001", kVip);
  ASSERT_EQ(e.del_dest(k, EP("192.168.10.3:8080")), 0);
  Decision d = syn("1.1.1.1:1001", kVip);  // retransmitted SYN: goes to a live server
  EXPECT_EQ(d.verdict, Verdict::Forward);
  EXPECT_NE(to(d), "192.168.10.3:8080");
  EXPECT_EQ(e.conns().size(), 1u);
}

TEST_F(Nat, RevivedServerKeepsItsCounters) {
  syn("1.1.1.1:1001", kVip);
  Dest* before = &rs(3);
  ASSERT_EQ(e.del_dest(k, EP("192.168.10.3:8080")), 0);
  ASSERT_EQ(e.add_dest(k, {.ep = EP("192.168.10.3:8080")}), 0);
  EXPECT_EQ(&rs(3), before);
  EXPECT_EQ(rs(3).activeconns, 1u);
  EXPECT_EQ(ack("1.1.1.1:1001", kVip).verdict, Verdict::Forward);
}

TEST_F(Nat, SynOnTimeWaitEntryIsScheduledAfresh) {
  Decision d = syn("1.1.1.1:1001", kVip);
  Conn* c = d.conn;
  reset("1.1.1.1:1001");
  ASSERT_EQ(c->tcp_state(), TcpState::Close);
  Decision again = syn("1.1.1.1:1001", kVip);  // port reuse: conn_reuse_mode 1
  EXPECT_EQ(to(again), "192.168.10.2:8080");     // rr moved on
  EXPECT_EQ(e.conns().size(), 1u);
  e.sysctl().conn_reuse_mode = 0;
  reset("1.1.1.1:1001");
  EXPECT_EQ(to(syn("1.1.1.1:1001", kVip)), "192.168.10.2:8080");  // reused as is
}

TEST_F(Nat, ServiceDeletionKeepsConnectionsSafe) {
  syn("1.1.1.1:1001", kVip);
  ASSERT_EQ(e.del_service(k), 0);
  EXPECT_EQ(e.find_service(k), nullptr);
  EXPECT_EQ(ack("1.1.1.1:1001", kVip).verdict, Verdict::Drop);
  advance(seconds(200));
  EXPECT_EQ(e.conns().size(), 0u);
  EXPECT_EQ(syn("1.1.1.1:1002", kVip).verdict, Verdict::Pass);
}

class DirectRouting : public EngineTest {
 protected:
  ServiceKey k = tcp(kVip);
  void SetUp() override {
    service(k, "rr");
    dest(k, "192.168.10.1:80", 1, Fwd::Route);
  }
};

TEST_F(DirectRouting, InputOnlyTableAndNoReplyKey) {
  Decision d = syn("1.1.1.1:1001", kVip);
  ASSERT_EQ(d.verdict, Verdict::Forward);
  EXPECT_EQ(d.conn->fwd(), static_cast<uint16_t>(Fwd::Route));
  ack("1.1.1.1:1001", kVip);
  send("1.1.1.1:1001", kVip, tcp::kFin | tcp::kAck);
  EXPECT_EQ(d.conn->tcp_state(), TcpState::FinWait);  // DR ends in FIN_WAIT
  EXPECT_EQ(send("192.168.10.1:80", "1.1.1.1:1001", tcp::kAck).verdict, Verdict::Pass);
}

TEST_F(DirectRouting, ReuseMode2ReschedulesFinWait) {
  syn("1.1.1.1:1001", kVip);
  ack("1.1.1.1:1001", kVip);
  send("1.1.1.1:1001", kVip, tcp::kFin | tcp::kAck);
  Conn* old = e.conns().lookup_in(6, IP("1.1.1.1"), 1001, IP("10.0.0.100"), 80);
  // Mode 1 keeps the FIN_WAIT entry: the SYN moves it on through the table.
  EXPECT_EQ(syn("1.1.1.1:1001", kVip).conn, old);
  e.sysctl().conn_reuse_mode = 3;
  ack("1.1.1.1:1001", kVip);  // SYN_RECV -> ESTABLISHED -> FIN_WAIT again
  send("1.1.1.1:1001", kVip, tcp::kFin | tcp::kAck);
  ASSERT_EQ(old->tcp_state(), TcpState::FinWait);
  Decision d = syn("1.1.1.1:1001", kVip);
  EXPECT_EQ(d.conn->tcp_state(), TcpState::SynRecv);
  EXPECT_EQ(d.conn->in_pkts, 1u);  // a fresh entry
}

class Udp : public EngineTest {
 protected:
  ServiceKey k = udp("10.0.0.100:53");
};

TEST_F(Udp, AlwaysInactiveWithFiveMinuteTimeout) {
  service(k, "rr");
  Dest& d = dest(k, "192.168.10.1:53");
  Decision x = udp_send("1.1.1.1:5000", "10.0.0.100:53");
  ASSERT_EQ(x.verdict, Verdict::Forward);
  EXPECT_EQ(d.inactconns, 1u);
  EXPECT_EQ(d.activeconns, 0u);
  EXPECT_EQ(send("192.168.10.1:53", "1.1.1.1:5000", 0, proto::kUdp).verdict, Verdict::Reply);
  advance(seconds(299));
  EXPECT_EQ(e.conns().size(), 1u);
  advance(seconds(2));
  EXPECT_EQ(e.conns().size(), 0u);
  EXPECT_EQ(d.inactconns, 0u);
}

TEST_F(Udp, OnePacketSchedulingSchedulesEveryDatagram) {
  service(k, "rr", svc_flag::kOnePacket);
  dest(k, "192.168.10.1:53");
  dest(k, "192.168.10.2:53");
  std::vector<std::string> got;
  for (int i = 0; i < 4; ++i) got.push_back(to(udp_send("1.1.1.1:5000", "10.0.0.100:53")));
  EXPECT_EQ(got, (std::vector<std::string>{"192.168.10.2:53", "192.168.10.1:53",
                                           "192.168.10.2:53", "192.168.10.1:53"}));
  e.tick(now);
  EXPECT_EQ(e.conns().size(), 0u);
  advance(seconds(2));
  EXPECT_EQ(e.find_service(k)->stats.shown().conns, 4u);
}

TEST(EngineControl, ErrorsAreTheKernelsErrnos) {
  Engine e;
  ServiceKey k{net::Family::V4, proto::kTcp, IP("10.0.0.1"), 80, 0};
  EXPECT_EQ(e.add_service({k, "nosuch", 0, 0, 0xFFFFFFFF, {}}), -ENOENT);
  EXPECT_EQ(e.add_service({k, "wlc", 0, 0, 0xFFFFFFFF, {}}), 0);
  EXPECT_EQ(e.add_service({k, "rr", 0, 0, 0xFFFFFFFF, {}}), -EEXIST);
  EXPECT_EQ(e.add_dest(k, {.ep = EP("10.0.0.2:80"), .weight = -1}), -ERANGE);
  EXPECT_EQ(e.add_dest(k, {.ep = EP("10.0.0.2:80"), .u_threshold = 5, .l_threshold = 6}), -ERANGE);
  EXPECT_EQ(e.add_dest(k, {.ep = EP("10.0.0.2:80"), .l_threshold = 6}), -ERANGE);  // -x 0 -y 6
  EXPECT_EQ(e.add_service({{net::Family::V4, proto::kTcp, IP("10.0.0.3"), 80, 0}, "none", 0, 0, 0xFFFFFFFF, {}}), 0);
  EXPECT_EQ(e.add_dest(k, {.ep = EP("10.0.0.2:80")}), 0);
  EXPECT_EQ(e.add_dest(k, {.ep = EP("10.0.0.2:80")}), -EEXIST);
  EXPECT_EQ(e.edit_dest(k, {.ep = EP("10.0.0.3:80")}), -ENOENT);
  EXPECT_EQ(e.del_dest(k, EP("10.0.0.3:80")), -ENOENT);
  ServiceKey other{net::Family::V4, proto::kTcp, IP("10.0.0.9"), 80, 0};
  EXPECT_EQ(e.add_dest(other, {.ep = EP("10.0.0.2:80")}), -ESRCH);
  EXPECT_EQ(e.del_service(other), -ESRCH);
  EXPECT_EQ(e.edit_service({other, "rr", 0, 0, 0xFFFFFFFF, {}}), -ESRCH);
  // -p without a value is 360 s, not 300.
  ASSERT_EQ(e.edit_service({k, "rr", svc_flag::kPersistent, 0, 0xFFFFFFFF, {}}), 0);
  EXPECT_EQ(e.find_service(k)->config().timeout_s, 360u);
  EXPECT_EQ(e.find_service(k)->config().scheduler, "rr");
  e.flush();
  EXPECT_TRUE(e.services().empty());
}

class FullNat : public EngineTest {
 protected:
  ServiceKey k = tcp(kVip);
  void SetUp() override {
    e.set_fullnat_locals({IP("192.168.20.1"), IP("192.168.20.2")});
    service(k, "rr");
    dest(k, "192.168.10.1:80", 1, Fwd::FullNat);
  }
};

TEST_F(FullNat, EachConnectionGetsItsOwnLocalPortAndRepliesFindIt) {
  Decision a = syn("1.1.1.1:1001", kVip);
  Decision b = syn("1.1.1.2:1001", kVip);
  ASSERT_EQ(a.verdict, Verdict::Forward);
  ASSERT_EQ(b.verdict, Verdict::Forward);
  const net::Addr la = e.conns().local_addr(*a.conn), lb = e.conns().local_addr(*b.conn);
  EXPECT_FALSE(la == lb && a.conn->lport == b.conn->lport);
  PacketMeta reply = pkt("192.168.10.1:80", "0.0.0.0:0", tcp::kSyn | tcp::kAck);
  reply.daddr = lb;
  reply.dport = b.conn->lport;
  Decision r = e.process(reply, now);
  EXPECT_EQ(r.verdict, Verdict::Reply);
  EXPECT_EQ(r.conn, b.conn);
}

TEST(FullNatNoLocals, WithoutLocalAddressesConnectionsAreDropped) {
  Engine e;
  ServiceKey k{net::Family::V4, proto::kTcp, IP("10.0.0.100"), 80, 0};
  ASSERT_EQ(e.add_service({k, "rr", 0, 0, 0xFFFFFFFF, {}}), 0);
  ASSERT_EQ(e.add_dest(k, {.ep = EP("192.168.10.1:80"), .fwd = Fwd::FullNat}), 0);
  PacketMeta p = syn_meta("1.1.1.1:1000", "10.0.0.100:80");
  Decision d = e.process(p, 0);
  EXPECT_EQ(d.verdict, Verdict::Drop);
  EXPECT_EQ(d.reason, DropReason::NoLocalPort);
  EXPECT_EQ(e.conns().size(), 0u);
  EXPECT_EQ(e.find_service(k)->dests()[0]->inactconns, 0u);
}

TEST(Ipv6Service, SchedulesAndTracksIpv6) {
  Engine e;
  ServiceKey k{net::Family::V6, proto::kTcp, IP("2001:db8::100"), 80, 0};
  ASSERT_EQ(e.add_service({k, "rr", 0, 0, 128, {}}), 0);
  ASSERT_EQ(e.add_dest(k, {.ep = EP("[2001:db8::2]:8080")}), 0);
  PacketMeta p = syn_meta("[2001:db8::1]:1000", "[2001:db8::100]:80");
  Decision d = e.process(p, 0);
  ASSERT_EQ(d.verdict, Verdict::Forward);
  EXPECT_EQ(d.conn->real(), IP("2001:db8::2"));
  EXPECT_EQ(d.conn->dport, 8080);
}

// A deleted real server cached by lblc stays alive in the trash until forgotten; after the
// trash period the cache no longer names it and the next packet is scheduled afresh.
TEST(LocalityTrash, CachedDeletedServerIsForgottenBeforeItIsFreed) {
  Engine e({.max_conns = 64, .hash_seed = 1});
  ServiceKey k{net::Family::V4, proto::kTcp, IP("10.0.0.100"), 80, 0};
  ASSERT_EQ(e.add_service({k, "lblc", 0, 0, 0xFFFFFFFF, {}}), 0);
  ASSERT_EQ(e.add_dest(k, {.ep = EP("192.168.10.1:80"), .fwd = Fwd::Route}), 0);
  ASSERT_EQ(e.add_dest(k, {.ep = EP("192.168.10.2:80"), .fwd = Fwd::Route}), 0);
  PacketMeta p = syn_meta("1.1.1.1:1000", "10.0.0.100:80");
  TimeMs now = 0;
  Decision d = e.process(p, now);
  ASSERT_EQ(d.verdict, Verdict::Forward);
  net::Addr first = d.conn->real();
  ASSERT_EQ(e.del_dest(k, {first, 80}), 0);
  Service* svc = e.find_service(k);
  EXPECT_EQ(svc->trash_size(), 1u);
  const uint64_t purges = e.purge_generation();
  for (; now < seconds(400); now += 1000) e.tick(now);  // entries expire, trash is purged
  EXPECT_EQ(svc->trash_size(), 0u);
  EXPECT_EQ(e.purge_generation(), purges + 1);  // the data plane re-steers on this
  for (TimeMs end = now + seconds(200); now < end; now += 1000) e.tick(now);
  EXPECT_EQ(e.purge_generation(), purges + 1);  // purges that free nothing are not news
  p.sport = 1001;
  Decision again = e.process(p, now);  // ASan would flag a read of the freed dest here
  ASSERT_EQ(again.verdict, Verdict::Forward);
  EXPECT_NE(again.conn->real(), first);
}

TEST_F(Nat, DecisionCarriesTheStateBeforeThePacket) {
  Decision d = syn("1.1.1.1:1001", kVip);
  EXPECT_EQ(d.prev_state, TcpState::None);
  Decision r = send("192.168.10.3:8080", "1.1.1.1:1001", tcp::kSyn | tcp::kAck);
  EXPECT_EQ(r.prev_state, TcpState::SynRecv);
  Decision a = ack("1.1.1.1:1001", kVip);
  EXPECT_EQ(a.prev_state, TcpState::SynRecv);
  EXPECT_EQ(a.conn->tcp_state(), TcpState::Established);
}

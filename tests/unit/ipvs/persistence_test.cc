// Persistence templates (spec §4.5): grouping, refresh, lifetime, invalidation.
#include "ipvs/engine_fixture.h"

using namespace ulvs;
using namespace ulvs::ipvs;
using namespace ulvs::ipvs::testing;

namespace {
const char* kVip = "10.0.0.100:80";
}

class Persistent : public EngineTest {
 protected:
  ServiceKey k = tcp(kVip);
  void SetUp() override {
    service(k, "rr", svc_flag::kPersistent, 300, 0xFFFFFF00);  // -p 300 -M 255.255.255.0
    dest(k, "192.168.10.1:80");
    dest(k, "192.168.10.2:80");
  }
  Conn* find_template(const char* client) {
    return e.conns().lookup_template(proto::kTcp, IP(client), IP("10.0.0.100"), 80);
  }
};

TEST_F(Persistent, SameClientNetworkSticksToOneServer) {
  std::string first = to(syn("1.1.1.1:1001", kVip));
  EXPECT_EQ(first, "192.168.10.2:80");
  EXPECT_EQ(to(syn("1.1.1.1:1002", kVip)), first);
  EXPECT_EQ(to(syn("1.1.1.77:1003", kVip)), first);      // same /24
  EXPECT_EQ(to(syn("1.1.2.1:1004", kVip)), "192.168.10.1:80");  // other /24: scheduled
  Conn* t = find_template("1.1.1.0");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->n_control, 3u);
  EXPECT_EQ(t->dport, 80);
  EXPECT_EQ(e.find_service(k)->find_dest(EP("192.168.10.2:80"))->persistconns, 1u);
  advance(seconds(2));
  EXPECT_EQ(e.find_service(k)->stats.shown().conns, 4u);  // templates are not counted
}

TEST_F(Persistent, TemplateOutlivesTimeoutWhileConnectionsLive) {
  syn("1.1.1.1:1001", kVip);
  ack("1.1.1.1:1001", kVip);  // ESTABLISHED: 900 s
  Conn* t = find_template("1.1.1.0");
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->flags & conn_flag::kAssured);
  advance(seconds(301));
  ASSERT_EQ(find_template("1.1.1.0"), t);  // re-armed for 60 s at a time
  EXPECT_EQ(t->timeout_ms, 60000u);
  send("1.1.1.1:1001", kVip, tcp::kRst);  // the connection closes: CLOSE, 10 s
  advance(seconds(11));
  EXPECT_EQ(t->n_control, 0u);
  advance(seconds(60));
  EXPECT_EQ(find_template("1.1.1.0"), nullptr);
  EXPECT_EQ(e.conns().size(), 0u);
}

TEST_F(Persistent, NewConnectionsRefreshTheTemplate) {
  syn("1.1.1.1:1001", kVip);
  send("1.1.1.1:1001", kVip, tcp::kRst);
  advance(seconds(250));
  syn("1.1.1.1:1002", kVip);  // re-arms the template to now + 300 s
  send("1.1.1.1:1002", kVip, tcp::kRst);
  advance(seconds(250));
  EXPECT_NE(find_template("1.1.1.0"), nullptr);
  advance(seconds(60));
  EXPECT_EQ(find_template("1.1.1.0"), nullptr);
  // Packets of existing connections do not refresh it: covered by the expiry above, where
  // the RST packets did not move the template's timer.
}

TEST_F(Persistent, QuiescedServerStillGetsItsPersistentClients) {
  std::string first = to(syn("1.1.1.1:1001", kVip));
  Dest* d = e.find_service(k)->find_dest(EP(first.c_str()));
  DestConfig dc = d->cfg;
  dc.weight = 0;
  ASSERT_EQ(e.edit_dest(k, dc), 0);
  EXPECT_EQ(to(syn("1.1.1.1:1002", kVip)), first);
  // expire_quiescent_template: the template is invalidated and the client rescheduled.
  e.sysctl().expire_quiescent_template = true;
  std::string moved = to(syn("1.1.1.1:1003", kVip));
  EXPECT_NE(moved, first);
  EXPECT_EQ(to(syn("1.1.1.1:1004", kVip)), moved);
}

TEST_F(Persistent, OverloadedServerStillGetsItsPersistentClients) {
  std::string first = to(syn("1.1.1.1:1001", kVip));
  Dest* d = e.find_service(k)->find_dest(EP(first.c_str()));
  d->overloaded = true;
  EXPECT_EQ(to(syn("1.1.1.1:1002", kVip)), first);
}

TEST_F(Persistent, DeletedServerInvalidatesTheTemplate) {
  std::string first = to(syn("1.1.1.1:1001", kVip));
  ASSERT_EQ(e.del_dest(k, EP(first.c_str())), 0);
  Conn* old = nullptr;
  e.conns().for_each([&](Conn& c) {
    if (c.is_template()) old = &c;
  });
  ASSERT_NE(old, nullptr);
  std::string now_to = to(syn("1.1.1.1:1002", kVip));
  EXPECT_NE(now_to, first);
  EXPECT_EQ(old->dport, 0xFFFF);  // -Lnc shows the invalidated template with port 65535
  EXPECT_TRUE(old->flags & conn_flag::kInvalid);
  EXPECT_EQ(to(syn("1.1.1.1:1003", kVip)), now_to);
}

TEST(PersistentPort0, ConnectionsKeepTheClientsDestinationPort) {
  Engine e;
  ServiceKey k{net::Family::V4, proto::kTcp, IP("10.0.0.100"), 0, 0};
  ASSERT_EQ(e.add_service({k, "rr", svc_flag::kPersistent, 0, 0xFFFFFFFF, {}}), 0);
  ASSERT_EQ(e.add_dest(k, {.ep = EP("192.168.10.1:0"), .fwd = Fwd::Route}), 0);
  PacketMeta p = syn_meta("1.1.1.1:1000", "10.0.0.100:443");
  Decision d = e.process(p, 0);
  ASSERT_EQ(d.verdict, Verdict::Forward);
  EXPECT_EQ(d.conn->dport, 443);
  // The template is keyed with vport 0 and stores dport 0.
  Conn* t = e.conns().lookup_template(proto::kTcp, IP("1.1.1.1"), IP("10.0.0.100"), 0);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->dport, 0);
}

TEST(NonPersistentPort0, IsUnreachable) {
  Engine e;
  ServiceKey k{net::Family::V4, proto::kTcp, IP("10.0.0.100"), 0, 0};
  ASSERT_EQ(e.add_service({k, "rr", 0, 0, 0xFFFFFFFF, {}}), 0);
  ASSERT_EQ(e.add_dest(k, {.ep = EP("192.168.10.1:0"), .fwd = Fwd::Route}), 0);
  PacketMeta p = syn_meta("1.1.1.1:1000", "10.0.0.100:443");
  EXPECT_EQ(e.process(p, 0).verdict, Verdict::Unreachable);
}

TEST(FwmarkPersistence, OneTemplateCoversEveryPortOfTheMark) {
  Engine e;
  ServiceKey k;
  k.fwmark = 7;
  ASSERT_EQ(e.add_service({k, "rr", svc_flag::kPersistent, 600, 0xFFFFFFFF, {}}), 0);
  ASSERT_EQ(e.add_dest(k, {.ep = EP("192.168.10.1:0"), .fwd = Fwd::Route}), 0);
  ASSERT_EQ(e.add_dest(k, {.ep = EP("192.168.10.2:0"), .fwd = Fwd::Route}), 0);
  auto go = [&](uint16_t dport, uint16_t sport) {
    PacketMeta p;
    p.saddr = IP("1.1.1.1");
    p.sport = sport;
    p.daddr = IP("10.0.0.100");
    p.dport = dport;
    p.tcp_flags = tcp::kSyn;
    p.fwmark = 7;
    Decision d = e.process(p, 0);
    return d.conn ? d.conn->real().str() + ":" + std::to_string(d.conn->dport) : "-";
  };
  EXPECT_EQ(go(80, 1000), "192.168.10.2:80");
  EXPECT_EQ(go(443, 1001), "192.168.10.2:443");
  EXPECT_EQ(go(8080, 1002), "192.168.10.2:8080");
  int templates = 0;
  e.conns().for_each([&](Conn& c) {
    if (c.is_template()) {
      ++templates;
      EXPECT_EQ(c.protocol, 0);  // IPPROTO_IP
      EXPECT_EQ(c.vip(), IP("0.0.0.7"));
    }
  });
  EXPECT_EQ(templates, 1);
}

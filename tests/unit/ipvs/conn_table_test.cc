// Connection table: pool bounds, two-way lookup, and the timing wheel against a plain model.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "ipvs/conn_table.h"
#include "ipvs/dest.h"

using namespace ulvs;
using namespace ulvs::ipvs;

namespace {
net::Addr A(const char* s) { return *net::Addr::parse(s); }

Conn* add(ConnTable& t, const char* client, uint16_t cport, const char* vip, uint16_t vport,
          const char* real, uint16_t rport, Fwd fwd = Fwd::Masq) {
  Conn* c = t.alloc();
  if (!c) return nullptr;
  c->family = static_cast<uint8_t>(A(client).family);
  c->protocol = 6;
  c->caddr = A(client).bytes;
  c->cport = cport;
  c->vaddr = A(vip).bytes;
  c->vport = vport;
  c->daddr = A(real).bytes;
  c->dport = rport;
  c->flags |= static_cast<uint16_t>(fwd);
  if (fwd == Fwd::Route) c->flags |= conn_flag::kNoOutput;
  t.hash(*c);
  return c;
}
}  // namespace

TEST(ConnTable, EntryIsSmall) { EXPECT_LE(sizeof(Conn), 128u); }

TEST(ConnTable, LooksUpBothDirections) {
  ConnTable t(64, 7);
  Conn* c = add(t, "1.1.1.1", 40000, "10.0.0.100", 80, "192.168.10.2", 8080);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(t.lookup_in(6, A("1.1.1.1"), 40000, A("10.0.0.100"), 80), c);
  EXPECT_EQ(t.lookup_out(6, A("192.168.10.2"), 8080, A("1.1.1.1"), 40000), c);
  // Wrong port, protocol, direction: misses.
  EXPECT_EQ(t.lookup_in(6, A("1.1.1.1"), 40001, A("10.0.0.100"), 80), nullptr);
  EXPECT_EQ(t.lookup_in(17, A("1.1.1.1"), 40000, A("10.0.0.100"), 80), nullptr);
  EXPECT_EQ(t.lookup_in(6, A("192.168.10.2"), 8080, A("1.1.1.1"), 40000), nullptr);
  EXPECT_EQ(t.lookup_out(6, A("1.1.1.1"), 40000, A("10.0.0.100"), 80), nullptr);
  t.free(*c);
  EXPECT_EQ(t.lookup_in(6, A("1.1.1.1"), 40000, A("10.0.0.100"), 80), nullptr);
  EXPECT_EQ(t.lookup_out(6, A("192.168.10.2"), 8080, A("1.1.1.1"), 40000), nullptr);
  EXPECT_EQ(t.size(), 0u);
}

TEST(ConnTable, DirectRoutingEntriesHaveNoReplyKey) {
  ConnTable t(64, 7);
  add(t, "1.1.1.1", 40000, "10.0.0.100", 80, "192.168.10.2", 80, Fwd::Route);
  EXPECT_EQ(t.lookup_out(6, A("192.168.10.2"), 80, A("1.1.1.1"), 40000), nullptr);
  EXPECT_NE(t.lookup_in(6, A("1.1.1.1"), 40000, A("10.0.0.100"), 80), nullptr);
}

TEST(ConnTable, Ipv6AndIpv4DoNotMix) {
  ConnTable t(64, 7);
  Conn* c6 = add(t, "2001:db8::1", 1000, "2001:db8::100", 80, "2001:db8::2", 80);
  EXPECT_EQ(t.lookup_in(6, A("2001:db8::1"), 1000, A("2001:db8::100"), 80), c6);
  EXPECT_EQ(t.lookup_out(6, A("2001:db8::2"), 80, A("2001:db8::1"), 1000), c6);
  EXPECT_EQ(t.lookup_in(6, A("0.0.0.0"), 1000, A("0.0.0.0"), 80), nullptr);
}

TEST(ConnTable, TemplatesAreSeparateFromConnections) {
  ConnTable t(64, 7);
  Conn* c = add(t, "1.1.1.0", 0, "10.0.0.100", 80, "192.168.10.2", 80);
  c->flags |= conn_flag::kTemplate;
  t.unhash(*c);
  t.hash(*c);
  EXPECT_EQ(t.lookup_template(6, A("1.1.1.0"), A("10.0.0.100"), 80), c);
  EXPECT_EQ(t.lookup_in(6, A("1.1.1.0"), 0, A("10.0.0.100"), 80), nullptr);
  c->flags |= conn_flag::kInvalid;  // invalidated templates are skipped
  EXPECT_EQ(t.lookup_template(6, A("1.1.1.0"), A("10.0.0.100"), 80), nullptr);
}

TEST(ConnTable, FullPoolFailsAndCounts) {
  ConnTable t(8, 7);
  for (int i = 0; i < 8; ++i) ASSERT_NE(add(t, "1.1.1.1", 1000 + i, "10.0.0.100", 80, "2.2.2.2", 80), nullptr);
  EXPECT_EQ(t.alloc(), nullptr);
  EXPECT_EQ(t.alloc(), nullptr);
  EXPECT_EQ(t.alloc_failures(), 2u);
  t.free(*t.lookup_in(6, A("1.1.1.1"), 1003, A("10.0.0.100"), 80));
  EXPECT_NE(t.alloc(), nullptr);
  for (int i = 0; i < 8; ++i)
    if (i != 3) {
      EXPECT_NE(t.lookup_in(6, A("1.1.1.1"), 1000 + i, A("10.0.0.100"), 80), nullptr);
    }
}

TEST(ConnTable, ManyEntriesAllFoundAfterRandomRemovals) {
  ConnTable t(5000, 11);
  std::mt19937 rng(5);
  std::map<uint16_t, Conn*> live;
  for (uint16_t p = 1; p <= 5000; ++p) live[p] = add(t, "1.1.1.1", p, "10.0.0.100", 80, "2.2.2.2", 80);
  for (int i = 0; i < 2500; ++i) {
    auto it = live.begin();
    std::advance(it, rng() % live.size());
    t.free(*it->second);
    live.erase(it);
  }
  for (uint16_t p = 1; p <= 5000; ++p) {
    Conn* got = t.lookup_in(6, A("1.1.1.1"), p, A("10.0.0.100"), 80);
    EXPECT_EQ(got, live.count(p) ? live[p] : nullptr) << p;
  }
  EXPECT_EQ(t.size(), live.size());
}

TEST(TimerWheel, ExpiresAtTheRightTick) {
  ConnTable t(16, 7);
  Conn* c = add(t, "1.1.1.1", 1, "10.0.0.100", 80, "2.2.2.2", 80);
  c->timeout_ms = 60000;
  t.arm(*c, 0);
  std::vector<TimeMs> fired;
  TimeMs now = 0;
  for (; now <= 70000 && fired.empty(); now += 100)
    t.advance(now, [&](Conn& x) { fired.push_back(now); t.free(x); });
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0], 60000);
}

TEST(TimerWheel, ShorterTimeoutMovesTheEntryEarlier) {
  ConnTable t(16, 7);
  Conn* c = add(t, "1.1.1.1", 1, "10.0.0.100", 80, "2.2.2.2", 80);
  c->timeout_ms = 900000;  // beyond the wheel's span
  t.arm(*c, 0);
  c->timeout_ms = 10000;
  t.arm(*c, 5000);  // e.g. ESTABLISHED -> CLOSE
  TimeMs fired = -1;
  for (TimeMs now = 0; now <= 20000 && fired < 0; now += 100)
    t.advance(now, [&](Conn& x) { fired = now; t.free(x); });
  EXPECT_EQ(fired, 15000);
}

// Random arms and re-arms against a plain model of expiry times, including timeouts beyond
// the wheel's span and long gaps between advances.
TEST(TimerWheel, MatchesAModelUnderRandomTraffic) {
  ConnTable t(512, 3);
  std::mt19937 rng(99);
  std::map<ConnId, TimeMs> model;  // id -> expiry (ms, tick-rounded)
  TimeMs now = 0;
  auto tick_round = [](TimeMs t) { return (t + 99) / 100 * 100; };
  for (int step = 0; step < 20000; ++step) {
    int op = rng() % 10;
    if (op < 3 && t.size() < 500) {
      Conn* c = add(t, "1.1.1.1", uint16_t(step), "10.0.0.100", 80, "2.2.2.2", 80);
      c->timeout_ms = 100 * (1 + rng() % 12000);  // up to 20 minutes
      t.arm(*c, now);
      model[t.id(*c)] = tick_round(now + c->timeout_ms);
    } else if (op < 6 && !model.empty()) {
      auto it = model.begin();
      std::advance(it, rng() % model.size());
      Conn& c = t.at(it->first);
      c.timeout_ms = 100 * (1 + rng() % 12000);
      t.arm(c, now);
      it->second = tick_round(now + c.timeout_ms);
    } else {
      now += (rng() % 50 == 0) ? 100 * (rng() % 20000) : 100 * (rng() % 30);
      std::set<ConnId> fired;
      t.advance(now, [&](Conn& c) { fired.insert(t.id(c)); t.free(c); });
      for (auto it = model.begin(); it != model.end();) {
        bool due = it->second <= now;
        ASSERT_EQ(due, fired.count(it->first) == 1) << "id " << it->first << " at " << now;
        it = due ? model.erase(it) : std::next(it);
      }
      ASSERT_EQ(fired.size() + model.size(), t.size() + fired.size());
    }
  }
}

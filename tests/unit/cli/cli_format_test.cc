// cli_format_test.cc — listings: large numbers, truncation, trailing spaces, sort quirks.
#include <gtest/gtest.h>

#include "cli/format.h"
#include "cli/options.h"
#include "cli/sort.h"

using namespace ulvs;
using namespace ulvs::cli;

namespace {

ctl::ServiceInfo tcp_service(const char* addr, uint16_t port) {
  ctl::ServiceInfo s;
  s.cfg.key = {.protocol = ipvs::proto::kTcp, .addr = *net::Addr::parse(addr), .port = port};
  return s;
}

ctl::DestInfo dest(const char* ep, int weight = 1) {
  ctl::DestInfo d;
  d.cfg.ep = *net::Endpoint::parse(ep);
  d.cfg.fwd = ipvs::Fwd::Masq;
  d.cfg.weight = weight;
  return d;
}

}  // namespace

TEST(Format, LargeNumbers) {
  EXPECT_EQ(format_largenum(0, 0), "        0");
  EXPECT_EQ(format_largenum(99999999, 0), " 99999999");
  EXPECT_EQ(format_largenum(100000000, 0), "  100000K");
  EXPECT_EQ(format_largenum(999999999, 0), "  999999K");
  EXPECT_EQ(format_largenum(1000000000, 0), "    1000M");
  EXPECT_EQ(format_largenum(99999999999ULL, 0), "   99999M");
  EXPECT_EQ(format_largenum(100000000000ULL, 0), "     100G");
  EXPECT_EQ(format_largenum(99999999999999ULL, 0), "   99999G");
  EXPECT_EQ(format_largenum(100000000000000ULL, 0), "     100T");
  EXPECT_EQ(format_largenum(12345, fmt::kExact), "    12345");
  EXPECT_EQ(format_largenum(123456789, fmt::kExact), " 123456789");
  EXPECT_EQ(format_largenum(18446744073709551615ULL, fmt::kExact), " 18446744073709551615");
}

TEST(Format, IssueExampleWithTrailingSpaces) {
  ctl::ServiceInfo s = tcp_service("172.16.45.1", 80);
  s.dests = {dest("172.16.45.2:80", 3), dest("172.16.45.10:8080", 2)};
  s.dests[0].activeconns = 4294967295u;
  EXPECT_EQ(format_list({}, {s}, fmt::kNumeric),
            "IP Virtual Server version 1.2.1 (size=4096)\n"
            "Prot LocalAddress:Port Scheduler Flags\n"
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
            "TCP  172.16.45.1:80 wlc\n"
            "  -> 172.16.45.2:80               Masq    3      4294967295 0         \n"
            "  -> 172.16.45.10:8080            Masq    2      0          0         \n");
}

TEST(Format, StatsRateAndExact) {
  ctl::ServiceInfo s = tcp_service("10.0.0.1", 80);
  s.stats = {1234, 98765, 87654, 123456789, 9876543210ULL};
  s.rates = {12, 340, 320, 45000, 380000};
  ctl::DestInfo d = dest("192.168.10.1:80");
  d.stats = {617, 49382, 43827, 61728394, 4938271605ULL};
  d.rates = {6, 170, 123456789, 22500, 190000};
  s.dests = {d};
  EXPECT_EQ(format_one(s, fmt::kNumeric | fmt::kStats),
            "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
            "  -> RemoteAddress:Port\n"
            "TCP  10.0.0.1:80                      1234    98765    87654  123456K    9876M\n"
            "  -> 192.168.10.1:80                   617    49382    43827 61728394    4938M\n");
  // Real-server rate rows print cps/inpps/outpps plainly (no K, no --exact).
  EXPECT_EQ(format_one(s, fmt::kNumeric | fmt::kRate),
            "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
            "  -> RemoteAddress:Port\n"
            "TCP  10.0.0.1:80                        12      340      320    45000   380000\n"
            "  -> 192.168.10.1:80                     6      170 123456789    22500   190000\n");
  EXPECT_NE(format_one(s, fmt::kNumeric | fmt::kStats | fmt::kExact)
                .find("TCP  10.0.0.1:80                      1234    98765    87654 123456789 "
                      "9876543210\n"),
            std::string::npos);
}

TEST(Format, ColumnsHoldTheLongestNumericAddresses) {
  // The 33/28-character cuts only bite on resolved host names (not testable without a
  // resolver entry); numeric IPv4 always fits, IPv6 is never cut and pushes the columns.
  ctl::ServiceInfo s;
  s.cfg.key = {.protocol = ipvs::proto::kSctp, .addr = *net::Addr::parse("255.255.255.255"),
               .port = 65535};
  s.dests = {dest("255.255.255.254:65535"),
             dest("[2001:db8:1234:5678:9abc:def0:1234:5678]:65535")};
  std::string out = format_one(s, fmt::kNumeric | fmt::kStats);
  const std::string zero = "        0";  // a 9-wide number column
  EXPECT_NE(out.find("\nSCTP 255.255.255.255:65535" + std::string(33 - 26, ' ') + zero),
            std::string::npos);
  EXPECT_NE(out.find("\n  -> 255.255.255.254:65535" + std::string(28 - 21, ' ') + zero),
            std::string::npos);
  EXPECT_NE(out.find("\n  -> [2001:db8:1234:5678:9abc:def0:1234:5678]:65535        0"),
            std::string::npos);
}

TEST(Format, ServiceFlagsAndSave) {
  ctl::ServiceInfo s;
  s.cfg.key = {.protocol = ipvs::proto::kUdp, .addr = *net::Addr::parse("10.0.0.1"), .port = 53};
  s.cfg.scheduler = "sh";
  s.cfg.flags = ipvs::svc_flag::kPersistent | ipvs::svc_flag::kOnePacket |
                ipvs::svc_flag::kSched1 | ipvs::svc_flag::kSched2;
  s.cfg.timeout_s = 360;
  s.cfg.netmask = 0xFFFFFF00;
  ctl::DestInfo d = dest("192.168.10.4:53");
  d.cfg.fwd = ipvs::Fwd::FullNat;
  s.dests = {d};
  EXPECT_EQ(format_one(s, fmt::kNumeric),
            "Prot LocalAddress:Port Scheduler Flags\n"
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
            "UDP  10.0.0.1:53 sh (sh-fallback,sh-port) persistent 360 mask 255.255.255.0 ops\n"
            "  -> 192.168.10.4:53              FullNat 1      0          0         \n");
  EXPECT_EQ(format_list({}, {s}, fmt::kNumeric | fmt::kRule),
            "-A -u 10.0.0.1:53 -s sh -p 360 -M 255.255.255.0 -o -b sh-fallback,sh-port\n"
            "-a -u 10.0.0.1:53 -r 192.168.10.4:53 --fullnat -w 1\n");
}

TEST(Format, TimeoutsDaemonsConns) {
  EXPECT_EQ(format_timeouts({900, 120, 300}), "Timeout (tcp tcpfin udp): 900 120 300\n");
  ctl::SyncDaemon m{.state = "master", .sync_maxlen = 1472, .mcast_group = "224.0.0.81",
                    .mcast_port = 8848, .mcast_ttl = 1};
  ctl::SyncDaemon b{.state = "backup", .mcast_ifn = "lo", .syncid = 3};
  EXPECT_EQ(format_daemons({b, m}),
            "master sync daemon (mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, "
            "port=8848, ttl=1)\nbackup sync daemon (mcast=lo, syncid=3)\n");
  ctl::ConnInfo c{.protocol = ipvs::proto::kTcp, .state = "ESTABLISHED", .expires_s = 6001,
                  .client = *net::Endpoint::parse("172.16.0.5:51234"),
                  .vip = *net::Endpoint::parse("10.0.0.1:80"),
                  .real = *net::Endpoint::parse("192.168.10.1:80")};
  ctl::ConnInfo t{.protocol = 0, .state = "NONE", .expires_s = 59,
                  .client = *net::Endpoint::parse("172.16.0.0:0"),
                  .vip = *net::Endpoint::parse("0.0.0.1:0"),
                  .real = *net::Endpoint::parse("192.168.10.1:0"), .is_template = true};
  EXPECT_EQ(format_conns({c, t}, fmt::kNumeric),
            "IPVS connection entries\n"
            "pro expire state       source             virtual            destination\n"
            "TCP 100:01 ESTABLISHED 172.16.0.5:51234   10.0.0.1:80        192.168.10.1:80\n"
            "IP  00:59  NONE        172.16.0.0:0       0.0.0.1:0          192.168.10.1:0\n");
}

TEST(Sort, Ipv4WrapAroundQuirk) {
  // 192.168.1.1 - 10.0.0.1 > 2^31: as an int it is negative, so 192.168.1.1 sorts first.
  ctl::ServiceInfo a = tcp_service("10.0.0.1", 80), b = tcp_service("192.168.1.1", 80);
  EXPECT_LT(compare_services(b.cfg, a.cfg), 0);
  EXPECT_GT(compare_services(a.cfg, b.cfg), 0);
  std::vector<ctl::ServiceInfo> v = {a, b, tcp_service("10.0.0.1", 443), tcp_service("1.1.1.1", 80)};
  sort_services(v);
  std::vector<std::string> order;
  for (auto& s : v) order.push_back(s.cfg.key.addr.str() + ":" + std::to_string(s.cfg.key.port));
  // What glibc's merge sort makes of the non-transitive order (checked against ipvsadm).
  EXPECT_EQ(order, (std::vector<std::string>{"192.168.1.1:80", "1.1.1.1:80", "10.0.0.1:80",
                                             "10.0.0.1:443"}));
}

TEST(Sort, FamiliesProtocolsFwmarksAndDests) {
  ctl::ServiceInfo v6 = tcp_service("2001:db8::1", 80);
  v6.cfg.key.family = net::Family::V6;
  ctl::ServiceInfo udp = tcp_service("10.0.0.1", 80);
  udp.cfg.key.protocol = ipvs::proto::kUdp;
  ctl::ServiceInfo fwm;
  fwm.cfg.key.fwmark = 1;
  std::vector<ctl::ServiceInfo> v = {fwm, v6, udp, tcp_service("10.0.0.2", 80)};
  sort_services(v);
  EXPECT_EQ(v[0].cfg.key.protocol, ipvs::proto::kTcp);
  EXPECT_EQ(v[1].cfg.key.protocol, ipvs::proto::kUdp);
  EXPECT_TRUE(v[2].cfg.key.addr.is_v6());
  EXPECT_EQ(v[3].cfg.key.fwmark, 1u);
  std::vector<ctl::DestInfo> d = {dest("10.1.1.1:81"), dest("10.1.1.1:79"), dest("10.1.1.2:1")};
  sort_dests(d);
  EXPECT_EQ(d[0].cfg.ep.str(), "10.1.1.1:79");
  EXPECT_EQ(d[2].cfg.ep.str(), "10.1.1.2:1");
}

TEST(Format, ClientAddressOnlyWhenSet) {
  ctl::ServiceInfo plain = tcp_service("10.0.0.1", 80);
  ctl::ServiceInfo toa = tcp_service("10.0.0.2", 80);
  toa.cfg.client_addr = ipvs::ClientAddr::Toa;
  ctl::ServiceInfo v1 = tcp_service("10.0.0.3", 80);
  v1.cfg.client_addr = ipvs::ClientAddr::ProxyV1;
  ctl::ServiceInfo v2;
  v2.cfg.key = {.protocol = ipvs::proto::kUdp, .addr = *net::Addr::parse("10.0.0.4"), .port = 53};
  v2.cfg.flags = ipvs::svc_flag::kOnePacket;
  v2.cfg.client_addr = ipvs::ClientAddr::ProxyV2;
  EXPECT_EQ(format_list({}, {plain, toa, v1, v2}, fmt::kNumeric),
            "IP Virtual Server version 1.2.1 (size=4096)\n"
            "Prot LocalAddress:Port Scheduler Flags\n"
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
            "TCP  10.0.0.1:80 wlc\n"
            "TCP  10.0.0.2:80 wlc toa\n"
            "TCP  10.0.0.3:80 wlc proxy-protocol v1\n"
            "UDP  10.0.0.4:53 wlc ops proxy-protocol v2\n");
  EXPECT_EQ(format_one(toa, fmt::kNumeric),
            "Prot LocalAddress:Port Scheduler Flags\n"
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
            "TCP  10.0.0.2:80 wlc toa\n");
  EXPECT_EQ(format_list({}, {plain, toa, v1, v2}, fmt::kNumeric | fmt::kRule),
            "-A -t 10.0.0.1:80 -s wlc\n"
            "-A -t 10.0.0.2:80 -s wlc --toa\n"
            "-A -t 10.0.0.3:80 -s wlc --proxy-protocol v1\n"
            "-A -u 10.0.0.4:53 -s wlc -o --proxy-protocol v2\n");
  // The --stats columns have no room for flags, as ipvsadm's.
  EXPECT_EQ(format_one(toa, fmt::kNumeric | fmt::kStats).find("toa"), std::string::npos);
}

// metrics_test.cc — the Prometheus text: families, labels, escaping, values.
#include "daemon/metrics.h"

#include <gtest/gtest.h>

namespace ulvs::daemon {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

std::vector<ctl::ServiceInfo> sample() {
  ctl::ServiceInfo s;
  s.cfg.key = {.protocol = ipvs::proto::kUdp, .addr = *net::Addr::parse("2001:db8::1"),
               .port = 53};
  s.cfg.key.family = net::Family::V6;
  s.cfg.scheduler = "wrr";
  s.stats = {5, 6, 7, 8, 9};
  ctl::DestInfo d;
  d.cfg.ep = *net::Endpoint::parse("[2001:db8::2]:53");
  d.cfg.fwd = ipvs::Fwd::Tunnel;
  d.cfg.weight = 4;
  d.activeconns = 2;
  d.inactconns = 3;
  d.persistconns = 1;
  d.stats = {1, 2, 3, 4, 5};
  s.dests = {d};
  ctl::ServiceInfo f;
  f.cfg.key = {.protocol = 0, .fwmark = 9};
  f.cfg.scheduler = "we\"ird\\";  // escaped in labels
  f.cfg.flags = ipvs::svc_flag::kPersistent;
  return {s, f};
}

TEST(Metrics, ServiceAndServerSeries) {
  EngineState e{.counters = {.table_full = 3, .passed = 11}, .conns = 7, .conn_capacity = 1024};
  std::string t = render_metrics(sample(), e);
  const std::string svc = R"(protocol="udp",vip="2001:db8::1",port="53",fwmark="0")";
  EXPECT_TRUE(has_line(t, "ulvs_service_info{" + svc + R"(,scheduler="wrr",persistent="false"} 1)"));
  EXPECT_TRUE(has_line(t, "ulvs_service_connections_total{" + svc + "} 5"));
  EXPECT_TRUE(has_line(t, "ulvs_service_out_bytes_total{" + svc + "} 9"));
  const std::string rs = svc + R"(,server="[2001:db8::2]:53")";
  EXPECT_TRUE(has_line(t, "ulvs_server_info{" + rs + R"(,forward="tunnel"} 1)"));
  EXPECT_TRUE(has_line(t, "ulvs_server_weight{" + rs + "} 4"));
  EXPECT_TRUE(has_line(t, "ulvs_server_active_connections{" + rs + "} 2"));
  EXPECT_TRUE(has_line(t, "ulvs_server_inactive_connections{" + rs + "} 3"));
  EXPECT_TRUE(has_line(t, "ulvs_server_persistent_connections{" + rs + "} 1"));
  EXPECT_TRUE(has_line(t, "ulvs_server_in_packets_total{" + rs + "} 2"));
  EXPECT_TRUE(has_line(
      t, R"(ulvs_service_info{protocol="fwm",vip="",port="0",fwmark="9",scheduler="we\"ird\\",persistent="true"} 1)"));
  EXPECT_TRUE(has_line(t, R"(ulvs_drops_total{reason="table_full"} 3)"));
  EXPECT_TRUE(has_line(t, "ulvs_passed_packets_total 11"));
  EXPECT_TRUE(has_line(t, "ulvs_connections 7"));
  EXPECT_TRUE(has_line(t, "ulvs_connection_table_capacity 1024"));
  EXPECT_TRUE(has_line(t, "# TYPE ulvs_server_weight gauge"));
  EXPECT_TRUE(has_line(t, "# TYPE ulvs_service_in_bytes_total counter"));
}

TEST(Metrics, EmptyTablesStillDescribeFamilies) {
  std::string t = render_metrics({}, {});
  EXPECT_TRUE(has_line(t, "# TYPE ulvs_service_connections_total counter"));
  EXPECT_TRUE(has_line(t, R"(ulvs_drops_total{reason="no_dest"} 0)"));
  EXPECT_EQ(t.back(), '\n');
}

}  // namespace
}  // namespace ulvs::daemon

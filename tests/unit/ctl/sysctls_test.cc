// sysctls_test.cc — the /proc/sys/net/ipv4/vs name table: names and order, defaults, the
// kernel's integer parsing, and each knob's range and stored value.
#include "ctl/sysctls.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace ulvs::ctl {
namespace {

TEST(Sysctls, NamesInTheKernelsOrderWithDefaults) {
  ipvs::Sysctl s;
  std::vector<SysctlEntry> want = {
      {"conn_reuse_mode", "1"},  {"expire_nodest_conn", "0"}, {"expire_quiescent_template", "0"},
      {"lblc_expiration", "86400"}, {"lblcr_expiration", "86400"}, {"secure_tcp", "0"},
      {"sloppy_tcp", "0"}};
  EXPECT_EQ(get_sysctls(s), want);
  ASSERT_EQ(sysctl_names().size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(sysctl_names()[i], want[i].name);
    EXPECT_EQ(get_sysctl(s, want[i].name), want[i].value);
    if (i) {
      EXPECT_LT(want[i - 1].name, want[i].name);  // sorted, as the kernel lists them
    }
  }
}

TEST(Sysctls, EachNameReachesItsField) {
  ipvs::Sysctl s;
  EXPECT_EQ(set_sysctl(s, "expire_nodest_conn", "1"), 0);
  EXPECT_EQ(s.expire_nodest_conn, 1);
  EXPECT_EQ(set_sysctl(s, "expire_quiescent_template", "1"), 0);
  EXPECT_EQ(s.expire_quiescent_template, 1);
  EXPECT_EQ(set_sysctl(s, "sloppy_tcp", "1"), 0);
  EXPECT_EQ(s.sloppy_tcp, 1);
  EXPECT_EQ(set_sysctl(s, "secure_tcp", "3"), 0);
  EXPECT_EQ(s.secure_tcp, 3);
  EXPECT_TRUE(s.secure_tcp_table());
  EXPECT_EQ(set_sysctl(s, "conn_reuse_mode", "0"), 0);
  EXPECT_EQ(s.conn_reuse_mode, 0);
  EXPECT_EQ(set_sysctl(s, "lblc_expiration", "600"), 0);
  EXPECT_EQ(s.lblc_expiration, ipvs::seconds(600));
  EXPECT_EQ(set_sysctl(s, "lblcr_expiration", "60"), 0);
  EXPECT_EQ(s.lblcr_expiration, ipvs::seconds(60));
  EXPECT_EQ(get_sysctl(s, "lblc_expiration"), "600");
  EXPECT_EQ(get_sysctl(s, "lblcr_expiration"), "60");
  // The timeouts of --set are not /proc files.
  EXPECT_EQ(s.timeouts.udp, ipvs::seconds(300));
}

TEST(Sysctls, UnknownNames) {
  ipvs::Sysctl s;
  for (const char* n : {"", "drop_entry", "SLOPPY_TCP", "sloppy_tcp ", "net.ipv4.vs.sloppy_tcp"}) {
    EXPECT_EQ(set_sysctl(s, n, "1"), -ENOENT) << n;
    EXPECT_EQ(get_sysctl(s, n), std::nullopt) << n;
  }
  EXPECT_EQ(set_sysctl(s, "drop_entry", "junk"), -ENOENT);  // the name is looked up first
}

TEST(Sysctls, IntegersParseAsTheKernelsProcDointvec) {
  ipvs::Sysctl s;
  auto value = [&](const char* text) -> std::optional<int> {
    s.sloppy_tcp = -7;
    if (set_sysctl(s, "sloppy_tcp", text)) return std::nullopt;
    return s.sloppy_tcp;
  };
  EXPECT_EQ(value("1"), 1);
  EXPECT_EQ(value("1\n"), 1);  // what echo writes
  EXPECT_EQ(value("  \t2 \n"), 2);
  EXPECT_EQ(value("0x10"), 16);  // strtoul base 0
  EXPECT_EQ(value("010"), 8);
  EXPECT_EQ(value("0"), 0);
  EXPECT_EQ(value("-5"), -5);
  EXPECT_EQ(value("2147483647"), 2147483647);
  EXPECT_EQ(value("-2147483648"), -2147483647 - 1);
  for (const char* bad : {"", " ", "\n", "-", "+1", "1x", "1 2", "abc", "0x", "09", "1.5",
                          "2147483648", "-2147483649", "99999999999999999999"}) {
    EXPECT_EQ(value(bad), std::nullopt) << "[" << bad << "]";
    EXPECT_EQ(s.sloppy_tcp, -7) << "a refused value changes nothing: " << bad;
  }
}

TEST(Sysctls, SwitchesKeepAnyIntAsWritten) {
  ipvs::Sysctl s;
  EXPECT_EQ(set_sysctl(s, "expire_nodest_conn", "5"), 0);
  EXPECT_EQ(get_sysctl(s, "expire_nodest_conn"), "5");
  EXPECT_TRUE(s.expire_nodest_conn);
  EXPECT_EQ(set_sysctl(s, "conn_reuse_mode", "-1"), 0);  // proc_dointvec: no range
  EXPECT_EQ(get_sysctl(s, "conn_reuse_mode"), "-1");
  EXPECT_EQ(set_sysctl(s, "conn_reuse_mode", "4"), 0);
  EXPECT_EQ(s.conn_reuse_mode, 4);
}

TEST(Sysctls, SecureTcpIsADefenceMode) {
  ipvs::Sysctl s;
  EXPECT_EQ(set_sysctl(s, "secure_tcp", "4"), -EINVAL);
  EXPECT_EQ(set_sysctl(s, "secure_tcp", "-1"), -EINVAL);
  EXPECT_EQ(s.secure_tcp, 0);
  EXPECT_EQ(set_sysctl(s, "secure_tcp", "1"), 0);  // automatic: on only when memory is short
  EXPECT_EQ(get_sysctl(s, "secure_tcp"), "1");
  EXPECT_FALSE(s.secure_tcp_table());
  EXPECT_EQ(set_sysctl(s, "secure_tcp", "2"), 0);  // memory is not short: back to 1 at once
  EXPECT_EQ(get_sysctl(s, "secure_tcp"), "1");
  EXPECT_FALSE(s.secure_tcp_table());
  EXPECT_EQ(set_sysctl(s, "secure_tcp", "3"), 0);
  EXPECT_EQ(get_sysctl(s, "secure_tcp"), "3");
  EXPECT_TRUE(s.secure_tcp_table());
  EXPECT_EQ(set_sysctl(s, "secure_tcp", "0"), 0);
  EXPECT_FALSE(s.secure_tcp_table());
}

TEST(Sysctls, ExpirationsAreSecondsWithinIntJiffies) {
  ipvs::Sysctl s;
  EXPECT_EQ(set_sysctl(s, "lblc_expiration", "2147483"), 0);  // INT_MAX / 1000
  EXPECT_EQ(s.lblc_expiration, ipvs::seconds(2147483));
  EXPECT_EQ(set_sysctl(s, "lblc_expiration", "2147484"), -EINVAL);
  EXPECT_EQ(set_sysctl(s, "lblcr_expiration", "-2147484"), -EINVAL);
  EXPECT_EQ(get_sysctl(s, "lblc_expiration"), "2147483");
  EXPECT_EQ(set_sysctl(s, "lblcr_expiration", "-30"), 0);  // the kernel takes it too
  EXPECT_EQ(get_sysctl(s, "lblcr_expiration"), "-30");
  EXPECT_EQ(set_sysctl(s, "lblcr_expiration", "0"), 0);
  EXPECT_EQ(s.lblcr_expiration, 0);
}

}  // namespace
}  // namespace ulvs::ctl

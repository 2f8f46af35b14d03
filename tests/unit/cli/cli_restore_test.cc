// cli_restore_test.cc — the -R line reader, -R through run_ulvsadm, and an in-process
// -S | -R round trip of 1000 services x 10 real servers.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/format.h"
#include "cli/options.h"
#include "cli/request.h"
#include "cli/restore.h"
#include "cli/run.h"

using namespace ulvs;
using namespace ulvs::cli;

TEST(RestoreReader, SplitsLinesDropsIpvsadmAndBlankLines) {
  std::istringstream in("-A -t 10.0.0.1:80\n\n  ipvsadm\t-C \r\nipvsadm\n-L -n");
  using W = std::vector<std::string>;
  EXPECT_EQ(read_restore_line(in), W({"-A", "-t", "10.0.0.1:80"}));
  EXPECT_EQ(read_restore_line(in), W{});
  EXPECT_EQ(read_restore_line(in), W({"-C"}));
  EXPECT_EQ(read_restore_line(in), W{});
  EXPECT_EQ(read_restore_line(in), W({"-L", "-n"}));  // no final newline: still a line
  EXPECT_EQ(read_restore_line(in), std::nullopt);
  std::istringstream trailing("-C  ");  // config_stream.c drops this one
  EXPECT_EQ(read_restore_line(trailing), std::nullopt);
}

namespace {

// A fake ulvsd: records table-changing requests, fails the ones marked to fail.
struct FakeDaemon {
  std::vector<ctl::Request> seen;
  Transport transport() {
    return [this](const ctl::Request& r) {
      ctl::Reply rep;
      if (r.op == ctl::Op::GetInfo) return rep;
      seen.push_back(r);
      if (r.op == ctl::Op::AddService && r.service.key.port == 666) rep.error = -EEXIST;
      return rep;
    };
  }
};

int run(FakeDaemon& d, std::vector<std::string> args, const std::string& input, std::string& out,
        std::string& err) {
  std::istringstream in(input);
  std::ostringstream o, e;
  int status = run_ulvsadm("ipvsadm", args, d.transport(), in, o, e);
  out = o.str();
  err = e.str();
  return status;
}

}  // namespace

TEST(Restore, KernelErrorsContinueFailAborts) {
  FakeDaemon d;
  std::string out, err;
  EXPECT_EQ(run(d, {"-R"}, "-A -t 10.0.0.1:666\n-A -t 10.0.0.2:80\n", out, err), 0);
  EXPECT_EQ(err, "Service already exists\n");
  EXPECT_EQ(d.seen.size(), 2u);
  d.seen.clear();
  EXPECT_EQ(run(d, {"-R"}, "-A -t 10.0.0.3:80\n-A -t 1.2.3.4:70000\n-A -t 10.0.0.4:80\n", out,
                err), 2);
  EXPECT_EQ(err, "illegal virtual server address[:port] specified\n");
  EXPECT_EQ(d.seen.size(), 1u);
  EXPECT_EQ(run(d, {"-R"}, "-R\n", out, err), 255);  // no -R inside -R
  EXPECT_EQ(err, "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
  EXPECT_EQ(run(d, {"-R"}, "-A -t 10.0.0.5:80 --x\n", out, err), 255);  // popt: last line
  EXPECT_EQ(err, "--x: unknown option\n");
}

TEST(Restore, UnreachableDaemon) {
  Transport down = [](const ctl::Request&) {
    ctl::Reply r;
    r.error = -ECONNREFUSED;
    r.message = "cannot reach ulvsd at /x.sock: No such file or directory";
    return r;
  };
  std::istringstream in;
  std::ostringstream o, e;
  EXPECT_EQ(run_ulvsadm("ipvsadm", std::vector<std::string>{"-L", "-n"}, down, in, o, e), 2);
  EXPECT_EQ(e.str().rfind("Can't initialize ipvs: cannot reach ulvsd at /x.sock", 0), 0u);
}

TEST(Restore, SaveRestoreRoundTrip1000x10) {
  std::vector<ctl::ServiceInfo> table;
  const char* scheds[] = {"wlc", "rr", "sh", "mh", "wrr"};
  for (uint32_t i = 0; i < 1000; ++i) {
    ctl::ServiceInfo s;
    auto& c = s.cfg;
    if (i % 10 == 9) {
      c.key.fwmark = i + 1;
      c.key.family = i % 20 == 9 ? net::Family::V6 : net::Family::V4;
      if (c.key.family == net::Family::V6) c.netmask = 128;
    } else if (i % 10 == 8) {
      c.key = {.family = net::Family::V6, .protocol = ipvs::proto::kTcp,
               .addr = *net::Addr::parse("2001:db8::" + std::to_string(i)), .port = 443};
      c.netmask = 128;
    } else {
      c.key = {.protocol = i % 3 == 0 ? ipvs::proto::kUdp : ipvs::proto::kTcp,
               .addr = net::Addr::v4(0x0A000000 + i), .port = uint16_t(80 + i % 7)};
    }
    c.scheduler = scheds[i % 5];
    if (i % 4 == 0) {
      c.flags |= ipvs::svc_flag::kPersistent;
      c.timeout_s = 60 + i;
      if (i % 8 == 0) c.netmask = c.key.family == net::Family::V6 ? 64 : 0xFFFFFF00;
    }
    if (c.scheduler == "sh") c.flags |= ipvs::svc_flag::kSched1;
    if (i % 10 == 9 || c.key.protocol == ipvs::proto::kUdp) c.flags |= ipvs::svc_flag::kOnePacket;
    c.client_addr = ipvs::ClientAddr(i % 4);  // ulvs: none, toa, proxy v1, proxy v2
    const bool v6 = c.key.family == net::Family::V6;
    for (uint32_t j = 0; j < 10; ++j) {
      ctl::DestInfo d;
      d.cfg.ep.addr = v6 ? *net::Addr::parse("2001:db8:1::" + std::to_string(i * 10 + j + 1))
                         : net::Addr::v4(0xC0A80000 + i * 10 + j + 1);
      d.cfg.ep.port = c.key.fwmark ? 0 : c.key.port;
      d.cfg.weight = int32_t(j * 1000);
      const ipvs::Fwd fwds[] = {ipvs::Fwd::Masq, ipvs::Fwd::Route, ipvs::Fwd::Tunnel,
                                ipvs::Fwd::FullNat};
      d.cfg.fwd = fwds[j % 4];
      if (d.cfg.fwd == ipvs::Fwd::Tunnel) {
        d.cfg.tun_type = ipvs::TunType(j % 3);
        if (d.cfg.tun_type == ipvs::TunType::Gue) d.cfg.tun_port = 6080;
        if (d.cfg.tun_type != ipvs::TunType::Ipip) d.cfg.tun_flags = 1;
      }
      s.dests.push_back(d);
    }
    table.push_back(s);
  }

  std::string saved = format_list({}, table, fmt::kNumeric | fmt::kRule);
  std::istringstream lines(saved);
  std::vector<ctl::Request> requests;
  while (auto words = read_restore_line(lines)) {
    ParseResult r = parse_command("ipvsadm", *words);
    ASSERT_TRUE(std::holds_alternative<Command>(r)) << std::get<Outcome>(r).err;
    requests.push_back(make_request(std::get<Command>(r)));
  }
  ASSERT_EQ(requests.size(), 1000u * 11);

  // Every service and real server comes back with the same settings (in listing order).
  size_t matched_services = 0, matched_dests = 0;
  for (const ctl::ServiceInfo& s : table) {
    for (const ctl::Request& r : requests) {
      if (r.op == ctl::Op::AddService && r.service.key == s.cfg.key) {
        EXPECT_EQ(r.service.scheduler, s.cfg.scheduler);
        EXPECT_EQ(r.service.flags, s.cfg.flags);
        EXPECT_EQ(r.service.timeout_s, s.cfg.timeout_s);
        EXPECT_EQ(r.service.netmask, s.cfg.netmask);
        EXPECT_EQ(r.service.client_addr, s.cfg.client_addr);
        ++matched_services;
      }
      if (r.op != ctl::Op::AddDest || !(*r.key == s.cfg.key)) continue;
      for (const ctl::DestInfo& d : s.dests) {
        if (!(d.cfg.ep == r.dest.ep)) continue;
        EXPECT_EQ(r.dest.fwd, d.cfg.fwd);
        EXPECT_EQ(r.dest.weight, d.cfg.weight);
        EXPECT_EQ(r.dest.tun_type, d.cfg.tun_type);
        EXPECT_EQ(r.dest.tun_port, d.cfg.tun_port);
        EXPECT_EQ(r.dest.tun_flags, d.cfg.tun_flags);
        ++matched_dests;
      }
    }
  }
  EXPECT_EQ(matched_services, 1000u);
  EXPECT_EQ(matched_dests, 10000u);
}

TEST(Run, LocalAddressCommands) {
  // A fake pool with ulvsd's answers.
  std::vector<net::Addr> pool = {*net::Addr::parse("10.0.1.1"), *net::Addr::parse("2001:db8::1")};
  Transport t = [&](const ctl::Request& r) {
    ctl::Reply rep;
    if (r.op == ctl::Op::GetLocalAddrs) rep.local_addrs = pool;
    if (r.op == ctl::Op::AddLocalAddr) rep.error = -EEXIST;
    if (r.op == ctl::Op::DelLocalAddr)
      rep.error = r.local_addr == pool[0] ? -EBUSY : -ENOENT;
    return rep;
  };
  auto run_cli = [&](std::vector<std::string> args, std::string& out, std::string& err) {
    std::istringstream in;
    std::ostringstream o, e;
    int status = run_ulvsadm("ulvsadm", args, t, in, o, e);
    out = o.str();
    err = e.str();
    return status;
  };
  std::string out, err;
  EXPECT_EQ(run_cli({"--list-laddr"}, out, err), 0);
  EXPECT_EQ(out, "10.0.1.1\n2001:db8::1\n");
  EXPECT_EQ(err, "");
  EXPECT_EQ(run_cli({"--add-laddr", "10.0.1.1"}, out, err), 255);
  EXPECT_EQ(err, "Local address already exists\n");
  EXPECT_EQ(run_cli({"--del-laddr", "10.0.1.1"}, out, err), 255);
  EXPECT_EQ(err, "Local address in use by FULLNAT connections\n");
  EXPECT_EQ(run_cli({"--del-laddr", "10.0.1.9"}, out, err), 255);
  EXPECT_EQ(err, "No such local address\n");
  EXPECT_EQ(out, "");
}

TEST(Run, SysctlCommands) {
  // A fake ulvsd with two knobs.
  std::vector<ctl::SysctlEntry> knobs = {{"conn_reuse_mode", "1"}, {"sloppy_tcp", "0"}};
  std::vector<ctl::Request> seen;
  Transport t = [&](const ctl::Request& r) {
    ctl::Reply rep;
    if (r.op != ctl::Op::GetInfo) seen.push_back(r);
    if (r.op == ctl::Op::GetSysctls) {
      for (auto& k : knobs)
        if (r.sysctl.name.empty() || r.sysctl.name == k.name) rep.sysctls.push_back(k);
      if (rep.sysctls.empty()) rep.error = -ENOENT;
    }
    if (r.op == ctl::Op::SetSysctl)
      rep.error = r.sysctl.name == "drop_entry" ? -ENOENT : r.sysctl.value == "x" ? -EINVAL : 0;
    return rep;
  };
  auto run_cli = [&](std::vector<std::string> args, std::string& out, std::string& err) {
    std::istringstream in;
    std::ostringstream o, e;
    int status = run_ulvsadm("ulvsadm", args, t, in, o, e);
    out = o.str();
    err = e.str();
    return status;
  };
  std::string out, err;
  EXPECT_EQ(run_cli({"--list-sysctl"}, out, err), 0);
  EXPECT_EQ(out, "conn_reuse_mode = 1\nsloppy_tcp = 0\n");
  EXPECT_EQ(run_cli({"--sysctl", "sloppy_tcp"}, out, err), 0);
  EXPECT_EQ(out, "0\n");  // the value alone, as cat prints the /proc file
  EXPECT_EQ(run_cli({"--sysctl", "sloppy_tcp=1"}, out, err), 0);
  EXPECT_EQ(out, "");
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().op, ctl::Op::SetSysctl);
  EXPECT_EQ(seen.back().sysctl, (ctl::SysctlEntry{"sloppy_tcp", "1"}));
  EXPECT_EQ(run_cli({"--sysctl", "drop_entry=1"}, out, err), 255);
  EXPECT_EQ(err, "No such sysctl\n");
  EXPECT_EQ(run_cli({"--sysctl", "sloppy_tcp=x"}, out, err), 255);
  EXPECT_EQ(err, "Invalid argument\n");
  EXPECT_EQ(run_cli({"--sysctl", "drop_entry"}, out, err), 1);  // a read, as -L's failures
  EXPECT_EQ(err, "No such sysctl\n");
  EXPECT_EQ(out, "");
}

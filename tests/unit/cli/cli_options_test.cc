// cli_options_test.cc — ipvsadm's grammar: popt scanning, every error class, the option table.
#include <gtest/gtest.h>

#include <initializer_list>

#include "cli/options.h"
#include "cli/popt.h"
#include "cli/request.h"

using namespace ulvs;
using namespace ulvs::cli;

namespace {

ParseResult parse(std::initializer_list<const char*> words) {
  std::vector<std::string> args(words.begin(), words.end());
  return parse_command("ipvsadm", args);
}

Command ok(std::initializer_list<const char*> words) {
  ParseResult r = parse(words);
  if (auto* o = std::get_if<Outcome>(&r)) ADD_FAILURE() << "unexpected error: " << o->err;
  return std::get<Command>(r);
}

Outcome bad(std::initializer_list<const char*> words) {
  ParseResult r = parse(words);
  EXPECT_TRUE(std::holds_alternative<Outcome>(r));
  return std::holds_alternative<Outcome>(r) ? std::get<Outcome>(r) : Outcome{};
}

void expect_fail(std::initializer_list<const char*> words, const std::string& text) {
  Outcome o = bad(words);
  EXPECT_EQ(o.err, text + "\n");
  EXPECT_EQ(o.status, 2);
  EXPECT_TRUE(o.terminates);
}

}  // namespace

TEST(Popt, ClustersGluedArgumentsAndLeftovers) {
  const PoptOption table[] = {{"list", 'L', ArgKind::None, 'L'},
                              {"numeric", 'n', ArgKind::None, 'n'},
                              {"tcp-service", 't', ArgKind::Required, 't'},
                              {"persistent", 'p', ArgKind::Optional, 'p'}};
  std::vector<std::string> args = {"-Ln", "x", "-t1.2.3.4", "-p=5", "--persistent", "-n", "--",
                                   "-y"};
  PoptScanner s(table, args);
  std::vector<std::pair<int, std::string>> got;
  for (auto ev = s.next(); ev.kind == PoptEvent::Option; ev = s.next())
    got.emplace_back(ev.id, ev.arg.value_or("-"));
  std::vector<std::pair<int, std::string>> want = {
      {'L', "-"}, {'n', "-"}, {'t', "1.2.3.4"}, {'p', "5"}, {'p', "-"}, {'n', "-"}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(s.leftovers(), (std::vector<std::string>{"x", "-y"}));
}

TEST(Options, IssueExample) {
  Command c = ok({"-a", "-t", "172.16.45.1:80", "-r", "172.16.45.10:8080", "-m", "-w", "2"});
  EXPECT_EQ(c.cmd, Cmd::AddDest);
  EXPECT_EQ(c.svc.key.addr.str(), "172.16.45.1");
  EXPECT_EQ(c.svc.key.port, 80);
  EXPECT_EQ(c.dest.ep.str(), "172.16.45.10:8080");
  EXPECT_EQ(c.dest.fwd, ipvs::Fwd::Masq);
  EXPECT_EQ(c.dest.weight, 2);
  // Real port defaults to the service's; -g/-i force it.
  EXPECT_EQ(ok({"-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-m"}).dest.ep.port, 80);
  EXPECT_EQ(ok({"-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2:99", "-g"}).dest.ep.port, 80);
}

TEST(Options, ClusteringAndLongForms) {
  Command c = ok({"-Lnc"});
  EXPECT_EQ(c.cmd, Cmd::List);
  EXPECT_TRUE(c.has(optc::kNumeric));
  EXPECT_TRUE(c.has(optc::kConnection));
  EXPECT_EQ(ok({"-At", "10.0.0.1:80"}).svc.key.port, 80);
  EXPECT_EQ(ok({"--add-service", "--tcp-service=10.0.0.1:81"}).svc.key.port, 81);
  EXPECT_EQ(ok({"-A", "-t", "10.0.0.1:80", "--scheduler=rr"}).svc.scheduler, "rr");
}

TEST(Options, PersistentTakesAnOptionalValue) {
  EXPECT_EQ(ok({"-A", "-t", "10.0.0.1:80", "-p"}).svc.timeout_s, 360u);
  EXPECT_EQ(ok({"-A", "-t", "10.0.0.1:80", "-p", "100"}).svc.timeout_s, 100u);
  EXPECT_EQ(ok({"-A", "-t", "10.0.0.1:80", "-p100"}).svc.timeout_s, 100u);
  EXPECT_EQ(ok({"-A", "-t", "10.0.0.1:80", "-p=200"}).svc.timeout_s, 200u);
  Command c = ok({"-A", "-t", "10.0.0.1:80", "-p", "-s", "rr"});
  EXPECT_EQ(c.svc.timeout_s, 360u);
  EXPECT_EQ(c.svc.scheduler, "rr");
  expect_fail({"-A", "-t", "10.0.0.1:80", "-p", "0"}, "invalid timeout value `0' specified");
  expect_fail({"-A", "-t", "10.0.0.1:80", "-p", "2678401"},
              "invalid timeout value `2678401' specified");
}

TEST(Options, FirstOptionMustBeACommand) {
  for (auto words : {std::initializer_list<const char*>{"-nL"}, {"--foo"}, {"foo"}, {"-X"}}) {
    Outcome o = bad(words);
    EXPECT_EQ(o.err, "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
    EXPECT_EQ(o.status, 255);
  }
}

TEST(Options, PoptErrorsAreReportedNotFatal) {
  Outcome o = bad({"-L", "--numer"});
  EXPECT_EQ(o.err, "--numer: unknown option\n");
  EXPECT_EQ(o.status, 255);
  EXPECT_FALSE(o.terminates);  // -R carries on
  EXPECT_EQ(bad({"-Lq"}).err, "-Lq: unknown option\n");
  EXPECT_EQ(bad({"-A", "-t"}).err, "-t: missing argument\n");
  EXPECT_EQ(bad({"-At"}).err, "-At: missing argument\n");
  EXPECT_EQ(bad({"-L", "--stats=1"}).err, "--stats=1: option does not take an argument\n");
}

TEST(Options, FailErrors) {
  expect_fail({"-A", "-s", "rr"}, "You need to supply the 'service-address' option for the "
                                  "'add-service' command");
  expect_fail({"-A", "-t", "1.2.3.4:70000"}, "illegal virtual server address[:port] specified");
  expect_fail({"-A", "-t", "80"}, "illegal virtual server address[:port] specified");
  expect_fail({"-A", "-t", "[::1]"}, "illegal virtual server address[:port] specified");
  expect_fail({"-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-w", "-1"},
              "illegal weight specified");
  expect_fail({"-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-w", "2147483648"},
              "illegal weight specified");
  expect_fail({"-L", "-A"}, "invalid option `-A'");
  expect_fail({"-L", "-n", "-n"}, "multiple 'numeric' options specified");
  expect_fail({"-A", "-t", "10.0.0.1:80", "-u", "10.0.0.1:80"},
              "multiple 'service-address' options specified");
  expect_fail({"-L", "foo"}, "unexpected argument foo");
  expect_fail({"-A", "-t", "10.0.0.1:80", "-w", "3"},
              "Illegal 'weight' option with the 'add-service' command");
  expect_fail({"-L", "--timeout", "--daemon"},
              "The option 'daemon' conflicts with the 'timeout' option in the 'list' command");
  expect_fail({"-L", "-c", "--stats"}, "options conflicts in the list command");
  expect_fail({"-A", "-t", "10.0.0.1"}, "Zero port specified for non-persistent service");
  expect_fail({"-A", "-t", "10.0.0.1:80", "-o"},
              "One-Packet Scheduling is only for UDP virtual services");
  expect_fail({"-A", "-t", "10.0.0.1:80", "-b", "sh-port"}, "incompatible scheduler flag `sh-port'");
  expect_fail({"-A", "-t", "10.0.0.1:80", "-b", "x"}, "invalid scheduler flag `x'");
  expect_fail({"-A", "-6", "-f", "1"}, "-6 used before -f\n");
  expect_fail({"-A", "-f", "0"}, "invalid fwmark value `0' specified");
  expect_fail({"--set", "1", "2"}, "--set option requires 3 timeout values");
  expect_fail({"--start-daemon", "primary"}, "illegal start-daemon parameter specified");
  expect_fail({"--stop-daemon", "primary"}, "illegal start_daemon specified");
  expect_fail({"-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "--tun-csum"},
              "Tunnel options conflict with forward method");
  expect_fail({"-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "-i", "--tun-type", "gue"},
              "You need to supply the 'tun-port' option for the 'gue' tunnel type");
  expect_fail({"-a", "-t", "10.0.0.1:80", "-r", "[::2]:80", "-m"},
              "Different address family is allowed only for tunneling servers");
}

TEST(Options, HelpAndVersion) {
  Outcome h = bad({"-h"});
  EXPECT_EQ(h.status, 0);
  EXPECT_EQ(h.out.rfind("ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n", 0), 0u);
  EXPECT_EQ(h.out.find("ulvs extensions"), std::string::npos);  // invoked as ipvsadm
  EXPECT_NE(std::get<Outcome>(parse_command("/usr/sbin/ulvsadm", std::vector<std::string>{"-h"}))
                .out.find("--fullnat"),
            std::string::npos);
  EXPECT_EQ(bad({"--version"}).out,
            "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)\n");
}

TEST(Options, ServiceFlagsNetmasksAndExtensions) {
  Command c = ok({"-A", "-u", "10.0.0.1:53", "-o", "-p", "10", "-M", "255.255.0.0", "-b",
                  "sh-port", "-s", "sh"});
  EXPECT_EQ(c.svc.flags, ipvs::svc_flag::kPersistent | ipvs::svc_flag::kOnePacket |
                             ipvs::svc_flag::kSched2);
  EXPECT_EQ(c.svc.netmask, 0xFFFF0000u);
  Command f = ok({"-A", "-f", "7", "-6", "-p", "-M", "64"});
  EXPECT_EQ(f.svc.key.fwmark, 7u);
  EXPECT_EQ(f.svc.key.family, net::Family::V6);
  EXPECT_EQ(f.svc.netmask, 64u);
  Command fn = ok({"-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2:8080", "--fullnat"});
  EXPECT_EQ(fn.dest.fwd, ipvs::Fwd::FullNat);
  EXPECT_EQ(fn.dest.ep.port, 8080);
  Command t = ok({"-a", "-f", "1", "-r", "10.0.0.2", "-i", "--tun-type", "gue", "--tun-port",
                  "6080", "--tun-remcsum"});
  EXPECT_EQ(t.dest.tun_type, ipvs::TunType::Gue);
  EXPECT_EQ(t.dest.tun_port, 6080);
  EXPECT_EQ(t.dest.tun_flags, 2);
  EXPECT_EQ(t.dest.ep.port, 0);  // fwmark: port 0 kept
}

TEST(Options, Requests) {
  ctl::Request r = make_request(ok({"-D", "-t", "10.0.0.1:80"}));
  EXPECT_EQ(r.op, ctl::Op::DelService);
  ASSERT_TRUE(r.key);
  EXPECT_EQ(r.key->port, 80);
  EXPECT_FALSE(make_request(ok({"-Z"})).key);
  ctl::Request s = make_request(ok({"--set", "10", "0", "30"}));
  EXPECT_EQ(s.op, ctl::Op::SetTimeouts);
  EXPECT_EQ(s.timeouts.tcp, 10u);
  EXPECT_EQ(s.timeouts.udp, 30u);
  ctl::Request d = make_request(ok({"--start-daemon", "backup", "--syncid", "3"}));
  EXPECT_EQ(d.daemon.state, "backup");
  EXPECT_EQ(d.daemon.mcast_ifn, "eth0");
  EXPECT_EQ(d.daemon.syncid, 3u);
}

TEST(Options, ClientAddressConservation) {
  EXPECT_EQ(ok({"-A", "-t", "10.0.0.1:80"}).svc.client_addr, ipvs::ClientAddr::None);
  EXPECT_EQ(ok({"-A", "-t", "10.0.0.1:80", "--toa"}).svc.client_addr, ipvs::ClientAddr::Toa);
  EXPECT_EQ(ok({"-E", "-t", "10.0.0.1:80", "--proxy-protocol", "v1"}).svc.client_addr,
            ipvs::ClientAddr::ProxyV1);
  EXPECT_EQ(ok({"-A", "-f", "3", "--proxy-protocol=v2", "-s", "rr"}).svc.client_addr,
            ipvs::ClientAddr::ProxyV2);
  // -E replaces: no option means None, as for every other -E setting.
  ctl::Request e = make_request(ok({"-E", "-t", "10.0.0.1:80", "-s", "rr"}));
  EXPECT_EQ(e.service.client_addr, ipvs::ClientAddr::None);
  ctl::Request a = make_request(ok({"-A", "-t", "10.0.0.1:80", "--toa"}));
  EXPECT_EQ(a.service.client_addr, ipvs::ClientAddr::Toa);
}

TEST(Options, ClientAddressErrors) {
  expect_fail({"-A", "-t", "10.0.0.1:80", "--proxy-protocol", "v3"},
              "illegal proxy-protocol version `v3' specified (v1 or v2)");
  expect_fail({"-A", "-t", "10.0.0.1:80", "--toa", "--proxy-protocol", "v1"},
              "The option 'proxy-protocol' conflicts with the 'toa' option in the "
              "'add-service' command");
  expect_fail({"-E", "-t", "10.0.0.1:80", "--toa", "--toa"}, "multiple 'toa' options specified");
  expect_fail({"-a", "-t", "10.0.0.1:80", "-r", "10.0.0.2", "--toa"},
              "Illegal 'toa' option with the 'add-server' command");
  expect_fail({"-L", "--proxy-protocol", "v2"},
              "Illegal 'proxy-protocol' option with the 'list' command");
  expect_fail({"-D", "-t", "10.0.0.1:80", "--toa"},
              "Illegal 'toa' option with the 'delete-service' command");
  EXPECT_EQ(bad({"-A", "-t", "10.0.0.1:80", "--proxy-protocol"}).err,
            "--proxy-protocol: missing argument\n");
}

TEST(Options, LocalAddressCommands) {
  Command add = ok({"--add-laddr", "10.0.1.1"});
  EXPECT_EQ(add.cmd, Cmd::AddLaddr);
  EXPECT_EQ(add.local_addr, *net::Addr::parse("10.0.1.1"));
  ctl::Request r = make_request(add);
  EXPECT_EQ(r.op, ctl::Op::AddLocalAddr);
  EXPECT_EQ(r.local_addr, *net::Addr::parse("10.0.1.1"));
  ctl::Request d = make_request(ok({"--del-laddr=2001:db8::7"}));
  EXPECT_EQ(d.op, ctl::Op::DelLocalAddr);
  EXPECT_EQ(d.local_addr, *net::Addr::parse("2001:db8::7"));
  EXPECT_EQ(make_request(ok({"--list-laddr"})).op, ctl::Op::GetLocalAddrs);

  expect_fail({"--add-laddr", "host.example"}, "illegal local address `host.example' specified");
  expect_fail({"--list-laddr", "-n"}, "Illegal 'numeric' option with the 'list-laddr' command");
  expect_fail({"--del-laddr", "10.0.1.1", "-t", "10.0.0.1:80"},
              "Illegal 'service-address' option with the 'del-laddr' command");
  expect_fail({"-L", "--list-laddr"}, "invalid option `--list-laddr'");  // commands come first
  // As ipvsadm's --start-daemon: a first option popt cannot read sends the user to -h.
  EXPECT_EQ(bad({"--add-laddr"}).err,
            "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
}

TEST(Options, Sysctl) {
  Command set = ok({"--sysctl", "sloppy_tcp=1"});
  EXPECT_EQ(set.cmd, Cmd::Sysctl);
  EXPECT_EQ(set.sysctl_name, "sloppy_tcp");
  EXPECT_EQ(set.sysctl_value, "1");
  ctl::Request r = make_request(set);
  EXPECT_EQ(r.op, ctl::Op::SetSysctl);
  EXPECT_EQ(r.sysctl, (ctl::SysctlEntry{"sloppy_tcp", "1"}));
  // --opt=arg splits at the first '=' only; the value is passed on as written.
  r = make_request(ok({"--sysctl=lblc_expiration= 600"}));
  EXPECT_EQ(r.sysctl, (ctl::SysctlEntry{"lblc_expiration", " 600"}));
  r = make_request(ok({"--sysctl", "secure_tcp="}));  // empty: ulvsd answers EINVAL
  EXPECT_EQ(r.op, ctl::Op::SetSysctl);
  EXPECT_EQ(r.sysctl, (ctl::SysctlEntry{"secure_tcp", ""}));

  Command get = ok({"--sysctl", "conn_reuse_mode"});
  EXPECT_EQ(get.cmd, Cmd::Sysctl);
  EXPECT_FALSE(get.sysctl_value);
  r = make_request(get);
  EXPECT_EQ(r.op, ctl::Op::GetSysctls);
  EXPECT_EQ(r.sysctl.name, "conn_reuse_mode");
  r = make_request(ok({"--list-sysctl"}));
  EXPECT_EQ(r.op, ctl::Op::GetSysctls);
  EXPECT_EQ(r.sysctl.name, "");

  expect_fail({"--sysctl", "=1"}, "illegal sysctl `=1' specified");
  expect_fail({"--sysctl", ""}, "illegal sysctl `' specified");
  expect_fail({"--sysctl", "sloppy_tcp=1", "-n"},
              "Illegal 'numeric' option with the 'sysctl' command");
  expect_fail({"--list-sysctl", "-n"}, "Illegal 'numeric' option with the 'list-sysctl' command");
  expect_fail({"--list-sysctl", "sloppy_tcp"}, "unexpected argument sloppy_tcp");
  expect_fail({"-L", "--sysctl", "a"}, "invalid option `--sysctl'");
  EXPECT_EQ(bad({"--sysctl"}).err, "Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n");
}

TEST(Options, ExtensionsInUlvsadmHelpOnly) {
  std::string h = std::get<Outcome>(parse_command("ulvsadm", std::vector<std::string>{"-h"})).out;
  for (const char* opt : {"--toa", "--proxy-protocol v1|v2", "--add-laddr", "--del-laddr",
                          "--list-laddr", "--sysctl name=value", "--list-sysctl"})
    EXPECT_NE(h.find(opt), std::string::npos) << opt;
  EXPECT_EQ(bad({"-h"}).out.find("--toa"), std::string::npos);  // invoked as ipvsadm
}

// afxdp_port_test.cc — the AF_XDP port on a veth pair in a private network namespace (root
// only; skipped otherwise).  Frames are injected on the peer `xb` with an AF_PACKET socket;
// what the XDP program steers must come out of port->receive() byte-identical, what it passes
// must reach the kernel (an AF_PACKET tap on `xa` sees frames only after XDP_PASS).
//
// The test unshares the network and mount namespaces, remounts /sys and mounts bpffs on
// /sys/fs/bpf (libxdp pins its multi-program dispatcher there), so the host sees nothing.
// ULVS_TEST_NO_BPFFS=1 skips the bpffs mount (libxdp then attaches the program alone).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "dataplane/io/port.h"

namespace ulvs::dataplane {
namespace {

using Frame = std::vector<uint8_t>;
using Mac = std::array<uint8_t, 6>;

std::string run(const std::string& cmd) {
  std::string out;
  if (FILE* f = popen((cmd + " 2>&1").c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, f)) out += buf;
    pclose(f);
  }
  return out;
}

// --- frame builders (checksums left zero: nothing on the path checks them) ---

void put16(Frame& f, uint16_t v) {
  f.push_back(v >> 8);
  f.push_back(v & 0xff);
}
void put(Frame& f, const void* p, size_t n) {
  auto* b = static_cast<const uint8_t*>(p);
  f.insert(f.end(), b, b + n);
}
void put_addr(Frame& f, const net::Addr& a) { put(f, a.bytes.data(), a.size()); }

Frame eth(const Mac& dst, const Mac& src, uint16_t type, std::vector<uint16_t> vlans = {}) {
  Frame f;
  put(f, dst.data(), 6);
  put(f, src.data(), 6);
  for (uint16_t vid : vlans) {
    put16(f, ETH_P_8021Q);
    put16(f, vid);
  }
  put16(f, type);
  return f;
}

Frame udp4(const Mac& dst, const Mac& src, const char* saddr, const char* daddr,
           std::vector<uint16_t> vlans = {}) {
  Frame f = eth(dst, src, ETH_P_IP, vlans);
  const char payload[] = "ulvs afxdp test payload";
  uint16_t udp_len = 8 + sizeof payload;
  f.insert(f.end(), {0x45, 0x00});
  put16(f, 20 + udp_len);
  f.insert(f.end(), {0x12, 0x34, 0x40, 0x00, 64, IPPROTO_UDP, 0, 0});
  put_addr(f, *net::Addr::parse(saddr));
  put_addr(f, *net::Addr::parse(daddr));
  put16(f, 40000);
  put16(f, 53);
  put16(f, udp_len);
  put16(f, 0);
  put(f, payload, sizeof payload);
  return f;
}

Frame udp6(const Mac& dst, const Mac& src, const char* saddr, const char* daddr) {
  Frame f = eth(dst, src, ETH_P_IPV6);
  const char payload[] = "ulvs afxdp v6";
  uint16_t udp_len = 8 + sizeof payload;
  f.insert(f.end(), {0x60, 0, 0, 0});
  put16(f, udp_len);
  f.insert(f.end(), {IPPROTO_UDP, 64});
  put_addr(f, *net::Addr::parse(saddr));
  put_addr(f, *net::Addr::parse(daddr));
  put16(f, 40000);
  put16(f, 80);
  put16(f, udp_len);
  put16(f, 0);
  put(f, payload, sizeof payload);
  return f;
}

Frame arp_request(const Mac& src, const char* sip, const char* tip) {
  Frame f = eth({0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, src, ETH_P_ARP);
  put16(f, 1);
  put16(f, ETH_P_IP);
  f.insert(f.end(), {6, 4});
  put16(f, 1);
  put(f, src.data(), 6);
  put_addr(f, *net::Addr::parse(sip));
  f.insert(f.end(), 6, 0);
  put_addr(f, *net::Addr::parse(tip));
  return f;
}

// Neighbour solicitation for `target`, to its solicited-node group.
Frame neighbour_solicitation(const Mac& src, const char* saddr, const char* target) {
  net::Addr t = *net::Addr::parse(target);
  Frame f = eth({0x33, 0x33, 0xff, t.bytes[13], t.bytes[14], t.bytes[15]}, src, ETH_P_IPV6);
  f.insert(f.end(), {0x60, 0, 0, 0});
  put16(f, 32);
  f.insert(f.end(), {IPPROTO_ICMPV6, 255});
  put_addr(f, *net::Addr::parse(saddr));
  f.insert(f.end(), {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  f.insert(f.end(), {0xff, t.bytes[13], t.bytes[14], t.bytes[15]});
  f.insert(f.end(), {135, 0, 0, 0, 0, 0, 0, 0});
  put_addr(f, t);
  f.insert(f.end(), {1, 1});   // source link-layer address option
  put(f, src.data(), 6);
  return f;
}

// --- raw sockets ---

class Raw {
 public:
  explicit Raw(const char* ifname) {
    fd_ = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = static_cast<int>(if_nametoindex(ifname));
    if (fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&sll), sizeof sll) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~Raw() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  bool send(const Frame& f) { return ::send(fd_, f.data(), f.size(), 0) == ssize_t(f.size()); }
  // Frames received by the interface (not the ones it sent), until `stop` or the timeout.
  std::vector<Frame> read_until(const Frame& stop, int timeout_ms = 2000) {
    std::vector<Frame> got;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      uint8_t buf[4096];
      sockaddr_ll from{};
      socklen_t len = sizeof from;
      ssize_t n = recvfrom(fd_, buf, sizeof buf, MSG_DONTWAIT,
                           reinterpret_cast<sockaddr*>(&from), &len);
      if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING) continue;
      got.emplace_back(buf, buf + n);
      if (got.back() == stop) break;
    }
    return got;
  }

 private:
  int fd_ = -1;
};

Mac mac_of(const char* ifname) {
  Mac m{};
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  ifreq ifr{};
  strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  if (ioctl(s, SIOCGIFHWADDR, &ifr) == 0) memcpy(m.data(), ifr.ifr_hwaddr.sa_data, 6);
  close(s);
  return m;
}

// Frames out of the port until `stop` (or the timeout).
std::vector<Frame> receive_until(Port& port, const Frame& stop, int timeout_ms = 2000) {
  std::vector<Frame> got;
  bool done = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!done && std::chrono::steady_clock::now() < deadline) {
    pollfd p{port.fd(), POLLIN, 0};
    poll(&p, 1, 50);
    port.receive(64, [&](std::span<const uint8_t> f) {
      got.emplace_back(f.begin(), f.end());
      if (got.back() == stop) done = true;
    });
  }
  return got;
}

bool contains(const std::vector<Frame>& v, const Frame& f) {
  return std::find(v.begin(), v.end(), f) != v.end();
}

std::string link(const char* ifname) { return run(std::string("ip link show dev ") + ifname); }
bool has_xdp(const char* ifname) { return link(ifname).find("xdp") != std::string::npos; }

class AfXdpPortTest : public ::testing::Test {
 protected:
  static inline std::string setup_error;
  static inline bool set_up = false;

  static void SetUpTestSuite() {
    if (geteuid() != 0) {
      setup_error = "needs root";
      return;
    }
    if (unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) {
      setup_error = std::string("unshare: ") + strerror(errno);
      return;
    }
    mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    mount("sysfs", "/sys", "sysfs", 0, nullptr);   // this namespace's /sys/class/net
    if (!getenv("ULVS_TEST_NO_BPFFS") && mount("bpf", "/sys/fs/bpf", "bpf", 0, nullptr) != 0)
      fprintf(stderr, "bpffs mount: %s (libxdp falls back to a single program)\n", strerror(errno));
    std::string out = run(
        "ip link add name xa type veth peer name xb"   // one queue: every frame reaches queue 0
        " && ip link add name xc numrxqueues 2 numtxqueues 2 type veth peer name xd"
        " && ip link set xa up && ip link set xb up && ip link set xc up && ip link set xd up"
        " && ip link set lo up"

        " && ip addr add 10.0.1.1/24 dev xa");
    if (!out.empty() || if_nametoindex("xa") == 0) {
      setup_error = "veth: " + out;
      return;
    }
    set_up = true;
  }

  void SetUp() override {
    if (!set_up) GTEST_SKIP() << setup_error;
    a_mac = mac_of("xa");
    b_mac = mac_of("xb");
  }

  std::unique_ptr<Port> open(uint32_t queue = 0, const char* ifname = "xa", bool zero_copy = false,
                             bool busy_poll = false) {
    std::string err;
    auto p = open_afxdp_port({.ifname = ifname, .queue = queue, .backend = Backend::AfXdp,
                              .zero_copy = zero_copy, .busy_poll = busy_poll},
                             err);
    EXPECT_TRUE(p) << err;
    return p;
  }

  static Owned owned() {
    Owned o;
    o.vips = {*net::Addr::parse("10.0.0.100"), *net::Addr::parse("fd00::100")};
    o.locals = {*net::Addr::parse("10.0.2.2")};
    // Real servers' service endpoints (the frames below come from UDP port 40000):
    // 10.0.1.5 any port, 10.0.1.6 port 40000, 10.0.1.7 port 53 and TCP 40000.
    o.nat_reals = {{*net::Addr::parse("10.0.1.5"), IPPROTO_UDP, 0},
                   {*net::Addr::parse("10.0.1.6"), IPPROTO_UDP, 40000},
                   {*net::Addr::parse("10.0.1.7"), IPPROTO_UDP, 53},
                   {*net::Addr::parse("10.0.1.7"), IPPROTO_TCP, 40000}};
    return o;
  }

  Mac a_mac{}, b_mac{};
};

TEST_F(AfXdpPortTest, SteersOwnedFramesToTheSocketAndTheRestToTheKernel) {
  auto port = open();
  ASSERT_TRUE(port);
  EXPECT_EQ(port->ifname(), "xa");
  EXPECT_EQ(port->ifindex(), if_nametoindex("xa"));
  EXPECT_TRUE(has_xdp("xa")) << link("xa");
  port->set_owned(owned());

  Raw b("xb"), tap_a("xa");
  ASSERT_TRUE(b.ok() && tap_a.ok());

  // To the socket: owned destinations, ARP/ND for them, NAT replies to a client.
  std::vector<Frame> steered = {
      udp4(a_mac, b_mac, "192.0.2.1", "10.0.0.100"),                       // to a VIP
      udp4(a_mac, b_mac, "192.0.2.1", "10.0.0.100", {10, 20}),             // QinQ-tagged
      udp4(a_mac, b_mac, "192.0.2.1", "10.0.2.2"),                         // to a local address
      udp4(a_mac, b_mac, "10.0.1.5", "198.51.100.7"),                      // NAT reply
      udp4(a_mac, b_mac, "10.0.1.6", "198.51.100.7"),                      // from its endpoint
      arp_request(b_mac, "10.0.1.2", "10.0.0.100"),                        // who-has VIP
      udp6(a_mac, b_mac, "2001:db8::1", "fd00::100"),                      // to a v6 VIP
      neighbour_solicitation(b_mac, "fe80::2", "fd00::100"),               // NS for it
  };
  // To the kernel: everything else.
  std::vector<Frame> passed = {
      udp4(a_mac, b_mac, "192.0.2.1", "10.0.0.200"),                       // not ours
      udp4(a_mac, b_mac, "10.0.1.5", "10.0.1.1"),                          // health check reply
      udp4(a_mac, b_mac, "10.0.1.7", "198.51.100.7"),                      // the RS's own traffic
      arp_request(b_mac, "10.0.1.2", "10.0.1.1"),                          // who-has the host
      udp6(a_mac, b_mac, "2001:db8::1", "fd00::200"),
      neighbour_solicitation(b_mac, "fe80::2", "fd00::200"),
  };
  // Interleaved, each list ending with a marker of the other kind's path.
  for (size_t i = 0; i < std::max(steered.size(), passed.size()); i++) {
    if (i < steered.size()) {
      ASSERT_TRUE(b.send(steered[i]));
    }
    if (i < passed.size()) {
      ASSERT_TRUE(b.send(passed[i]));
    }
  }
  Frame port_marker = udp4(a_mac, b_mac, "192.0.2.9", "10.0.0.100");
  Frame kernel_marker = udp4(a_mac, b_mac, "192.0.2.9", "10.0.0.201");
  ASSERT_TRUE(b.send(port_marker));
  ASSERT_TRUE(b.send(kernel_marker));

  std::vector<Frame> got = receive_until(*port, port_marker);
  std::vector<Frame> kernel = tap_a.read_until(kernel_marker);
  ASSERT_TRUE(contains(got, port_marker)) << got.size() << " frames from the port";
  ASSERT_TRUE(contains(kernel, kernel_marker)) << kernel.size() << " frames seen by the kernel";
  for (size_t i = 0; i < steered.size(); i++) {
    EXPECT_TRUE(contains(got, steered[i])) << "steered frame " << i;   // byte-identical
    EXPECT_FALSE(contains(kernel, steered[i])) << "steered frame " << i << " reached the kernel";
  }
  for (size_t i = 0; i < passed.size(); i++) {
    EXPECT_FALSE(contains(got, passed[i])) << "passed frame " << i << " reached the port";
    EXPECT_TRUE(contains(kernel, passed[i])) << "passed frame " << i;
  }
  PortStats s = port->stats();
  EXPECT_EQ(s.rx, got.size());
  EXPECT_EQ(s.rx_dropped, 0u);

  // to_kernel cannot re-inject: counted.
  port->to_kernel(got.front());
  EXPECT_EQ(port->stats().kernel_lost, 1u);
}

TEST_F(AfXdpPortTest, SetOwnedRemovesStaleAddresses) {
  auto port = open(0, "xa", false, /*busy_poll=*/true);   // and: no need_wakeup
  ASSERT_TRUE(port);
  port->set_owned(owned());
  Owned only_new;
  only_new.vips = {*net::Addr::parse("10.0.0.101")};
  port->set_owned(only_new);

  Raw b("xb");
  Frame old_vip = udp4(a_mac, b_mac, "192.0.2.1", "10.0.0.100");
  Frame new_vip = udp4(a_mac, b_mac, "192.0.2.1", "10.0.0.101");
  ASSERT_TRUE(b.send(old_vip));
  ASSERT_TRUE(b.send(new_vip));
  std::vector<Frame> got = receive_until(*port, new_vip);
  EXPECT_TRUE(contains(got, new_vip));
  EXPECT_FALSE(contains(got, old_vip));
}

TEST_F(AfXdpPortTest, SentFramesReachThePeer) {
  auto port = open(0, "xa", /*zero_copy=*/true);   // veth refuses zero-copy: copy mode
  ASSERT_TRUE(port);
  Raw b("xb");
  std::vector<Frame> frames;
  for (int i = 0; i < 100; i++) {   // more than one copy-mode sendto() budget (32)
    frames.push_back(udp4(b_mac, a_mac, "10.0.0.100", "192.0.2.1"));
    frames.back().back() = static_cast<uint8_t>(i);
    ASSERT_TRUE(port->send(frames.back()));
  }
  port->flush();
  std::vector<Frame> got = b.read_until(frames.back());
  for (int i = 0; i < 100; i++) EXPECT_TRUE(contains(got, frames[i])) << "frame " << i;
  EXPECT_EQ(port->stats().tx, 100u);
  EXPECT_EQ(port->stats().tx_dropped, 0u);
  EXPECT_FALSE(port->send(Frame(5000, 0)));   // larger than a UMEM frame
  EXPECT_EQ(port->stats().tx_dropped, 1u);
}

TEST_F(AfXdpPortTest, PortsOfOneInterfaceShareTheProgramAndTheLastOneDetachesIt) {
  // xc has two RX queues: one port each.
  auto q0 = open(0, "xc");
  auto q1 = open(1, "xc");
  ASSERT_TRUE(q0 && q1);
  EXPECT_TRUE(has_xdp("xc"));
  q0.reset();
  EXPECT_TRUE(has_xdp("xc"));
  q1.reset();
  EXPECT_FALSE(has_xdp("xc")) << link("xc");

  // And again from scratch.
  auto again = open(0, "xc");
  ASSERT_TRUE(again);
  EXPECT_TRUE(has_xdp("xc"));
  again.reset();
  EXPECT_FALSE(has_xdp("xc"));
}

TEST_F(AfXdpPortTest, FallsBackToSkbModeWhenTheDriverHasNoNativeXdp) {
  auto port = open(0, "lo");   // loopback has no native XDP
  ASSERT_TRUE(port);
  EXPECT_NE(link("lo").find("xdpgeneric"), std::string::npos) << link("lo");
  port.reset();
  EXPECT_FALSE(has_xdp("lo")) << link("lo");
}

TEST_F(AfXdpPortTest, BadConfigurationIsAnError) {
  std::string err;
  EXPECT_FALSE(open_afxdp_port({.ifname = "nosuchif0"}, err));
  EXPECT_NE(err, "");
  err.clear();
  EXPECT_FALSE(open_afxdp_port({.ifname = "xa", .ring_size = 1000}, err));
  EXPECT_NE(err, "");
  EXPECT_FALSE(has_xdp("xa"));
}

}  // namespace
}  // namespace ulvs::dataplane

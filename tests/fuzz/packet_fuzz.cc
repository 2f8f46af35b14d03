// packet_fuzz.cc — libFuzzer target for the packet layer: parse_frame, parse_ip_packet and
// every view run on the input (copied into a buffer of exactly its size so ASan sees any
// overread); whatever parses has every accessor touched.
//
//   ./packet_fuzz -max_total_time=30 corpus/
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "net/arp.h"
#include "net/checksum.h"
#include "net/ether.h"
#include "net/frame.h"
#include "net/icmp.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/tcp.h"
#include "net/udp.h"

using namespace ulvs::net;

namespace {

// Keeps the compiler from dropping reads whose results are unused.
volatile uint64_t g_sink;
void use(uint64_t v) { g_sink = g_sink + v; }
void use(const Addr& a) { use(a.fold()); }
void use(const Mac& m) { use(m[0] + m[5]); }
void use(std::span<uint8_t> s) {
  if (!s.empty()) use(s.front() + s.back());
}

void touch(const ParsedFrame& f, size_t size) {
  use(f.src);
  use(f.dst);
  use(f.inner.src);
  use(f.inner.dst);
  use(f.src_port + f.dst_port + f.tcp_flags + f.icmp_type + f.icmp_code + f.ttl + f.l4_proto);
  use(f.inner.src_port + f.inner.dst_port);
  if (f.l3_offset > size || f.l4_offset > size || uint64_t(f.payload_offset) + f.payload_len > size ||
      f.inner.l4_offset > size)
    __builtin_trap();  // an offset outside the frame is a bug even if nothing read it
}

void touch(TcpView t) {
  use(t.src_port() + t.dst_port() + t.seq() + t.ack_seq() + t.header_len() + t.flags() +
      t.window() + t.checksum() + t.urgent_ptr() + t.has(tcp_flag::SYN));
  for (const TcpOption& o : t.options()) {
    use(o.kind + o.len + o.offset);
    use(o.value);
  }
  use(t.options().well_formed());
  use(t.mss().value_or(0));
  use(t.payload());
}

void touch(UdpView u) {
  use(u.src_port() + u.dst_port() + u.length() + u.checksum());
  use(u.payload());
}

void touch(IcmpView i) {
  use(i.type() + i.code() + i.checksum() + i.rest() + i.echo_id() + i.echo_seq() + i.mtu() +
      i.is_error() + i.is_echo_request() + i.is_echo_reply());
  use(i.payload());
}

void touch_l4(std::span<uint8_t> l4, uint8_t proto, Family fam) {
  if (auto t = TcpView::parse(l4)) touch(*t);
  if (auto u = UdpView::parse(l4)) touch(*u);
  if (auto i = IcmpView::parse(l4, fam)) {
    touch(*i);
    if (i->is_error()) {
      if (auto q4 = Ipv4View::parse_quoted(i->payload())) use(q4->src());
      if (auto q6 = Ipv6View::parse_quoted(i->payload())) use(q6->dst());
    }
  }
  use(proto);
}

void touch(Ipv4View ip) {
  use(ip.version() + ip.header_len() + ip.tos() + ip.total_len() + ip.id() + ip.dont_fragment() +
      ip.more_fragments() + ip.frag_offset() + ip.is_fragment() + ip.ttl() + ip.protocol() +
      ip.checksum() + ip.checksum_ok());
  use(ip.src());
  use(ip.dst());
  use(ip.options());
  touch_l4(ip.payload(), ip.protocol(), Family::V4);
}

void touch(Ipv6View ip) {
  use(ip.version() + ip.traffic_class() + ip.flow_label() + ip.payload_len() + ip.next_header() +
      ip.hop_limit() + ip.upper_protocol() + ip.header_len() + ip.is_fragment() +
      ip.frag_offset() + ip.more_fragments() + ip.frag_id());
  use(ip.src());
  use(ip.dst());
  use(ip.ext_headers());
  touch_l4(ip.payload(), ip.upper_protocol(), Family::V6);
}

void touch_l3(std::span<uint8_t> b) {
  if (auto ip = Ipv4View::parse(b)) touch(*ip);
  if (auto ip = Ipv4View::parse_quoted(b)) touch(*ip);
  if (auto ip = Ipv6View::parse(b)) touch(*ip);
  if (auto ip = Ipv6View::parse_quoted(b)) touch(*ip);
  if (auto arp = ArpView::parse(b)) {
    use(arp->op());
    use(arp->sender_mac());
    use(arp->target_mac());
    use(arp->sender_ip());
    use(arp->target_ip());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<uint8_t> buf(data, data + size);  // exact size: no slack to hide an overread
  std::span<uint8_t> b(buf);

  touch(parse_frame(b), size);
  touch(parse_ip_packet(b), size);

  if (auto eth = EtherView::parse(b)) {
    use(eth->dst());
    use(eth->src());
    use(eth->ethertype() + eth->header_len());
    for (int i = 0; i < eth->vlan_count(); ++i) use(eth->vlan_id(i) + eth->vlan_pcp(i) + eth->vlan_tpid(i));
    touch_l3(eth->payload());
  }
  touch_l3(b);  // raw IP / ARP from byte 0
  touch_l4(b, 0, Family::V4);
  touch_l4(b, 0, Family::V6);
  use(internet_checksum(b));
  return 0;
}

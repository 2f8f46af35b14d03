// builder.cc — frames assembled front to back; checksums computed once the bytes are final.
#include "net/builder.h"

#include "net/checksum.h"
#include "net/icmp.h"
#include "net/wire.h"

namespace ulvs::net {
namespace {

using Bytes = std::vector<uint8_t>;

void put16(Bytes& out, uint16_t v) {
  out.push_back(uint8_t(v >> 8));
  out.push_back(uint8_t(v));
}
void put32(Bytes& out, uint32_t v) {
  put16(out, uint16_t(v >> 16));
  put16(out, uint16_t(v));
}
void put(Bytes& out, std::span<const uint8_t> b) { out.insert(out.end(), b.begin(), b.end()); }
void put_addr(Bytes& out, const Addr& a) { put(out, {a.bytes.data(), size_t(a.size())}); }

// Options areas are counted in 4-byte words.
Bytes pad4(Bytes v) {
  while (v.size() % 4) v.push_back(0);
  return v;
}

void put_ethernet(Bytes& out, const Mac& src, const Mac& dst, std::span<const uint16_t> vlans,
                  uint16_t type) {
  put(out, dst);
  put(out, src);
  for (size_t i = 0; i < vlans.size(); ++i) {
    bool s_tag = vlans.size() > 1 && i == 0;  // QinQ: the outer tag is the service tag
    put16(out, s_tag ? ethertype::QinQ : ethertype::Vlan);
    put16(out, vlans[i] & 0x0fff);
  }
  put16(out, type);
}

void put_ipv4(Bytes& out, const FrameSpec& f, uint8_t proto, size_t l4_len) {
  Bytes opts = pad4(f.ip_options);
  size_t hl = 20 + opts.size();
  size_t start = out.size();
  out.push_back(uint8_t(0x40 | hl / 4));
  out.push_back(f.tos);
  put16(out, uint16_t(hl + l4_len));
  uint16_t frag = f.dont_fragment ? 0x4000 : 0;
  if (f.fragment) frag |= uint16_t((f.fragment->more ? 0x2000 : 0) | (f.fragment->offset / 8 & 0x1fff));
  put16(out, f.fragment ? uint16_t(f.fragment->id) : f.ip_id);
  put16(out, frag);
  out.push_back(f.ttl);
  out.push_back(proto);
  put16(out, 0);
  put_addr(out, f.src);
  put_addr(out, f.dst);
  put(out, opts);
  store16(&out[start + 10], ipv4_header_checksum({&out[start], hl}));
}

void put_ipv6(Bytes& out, const FrameSpec& f, uint8_t proto, size_t l4_len) {
  size_t ext = f.fragment ? 8 : 0;
  put32(out, 0x60000000u | uint32_t(f.tos) << 20);
  put16(out, uint16_t(ext + l4_len));
  out.push_back(f.fragment ? ipproto::Fragment : proto);
  out.push_back(f.ttl);
  put_addr(out, f.src);
  put_addr(out, f.dst);
  if (f.fragment) {
    out.push_back(proto);
    out.push_back(0);
    put16(out, uint16_t((f.fragment->offset & 0xfff8) | (f.fragment->more ? 1 : 0)));
    put32(out, f.fragment->id);
  }
}

uint8_t icmp_proto(const Addr& a) { return a.is_v4() ? ipproto::Icmp : ipproto::Icmpv6; }

}  // namespace

Bytes build_ip(const FrameSpec& f, uint8_t proto, std::span<const uint8_t> l4) {
  Bytes out;
  out.reserve(14 + 4 * f.vlans.size() + 48 + f.ip_options.size() + l4.size());
  if (f.ethernet)
    put_ethernet(out, f.src_mac, f.dst_mac, f.vlans, f.src.is_v4() ? ethertype::Ipv4 : ethertype::Ipv6);
  if (f.src.is_v4())
    put_ipv4(out, f, proto, l4.size());
  else
    put_ipv6(out, f, proto, l4.size());
  put(out, l4);
  return out;
}

Bytes build_tcp(const FrameSpec& f, const TcpSpec& t) {
  Bytes opts = pad4(t.options);
  Bytes seg;
  put16(seg, t.src_port);
  put16(seg, t.dst_port);
  put32(seg, t.seq);
  put32(seg, t.ack);
  seg.push_back(uint8_t((20 + opts.size()) / 4 << 4));
  seg.push_back(t.flags);
  put16(seg, t.window);
  put16(seg, 0);
  put16(seg, t.urgent_ptr);
  put(seg, opts);
  put(seg, t.payload);
  store16(&seg[16], tcp_checksum(f.src, f.dst, seg));
  return build_ip(f, ipproto::Tcp, seg);
}

Bytes build_udp(const FrameSpec& f, const UdpSpec& u) {
  Bytes seg;
  put16(seg, u.src_port);
  put16(seg, u.dst_port);
  put16(seg, uint16_t(8 + u.payload.size()));
  put16(seg, 0);
  put(seg, u.payload);
  if (!u.no_checksum) store16(&seg[6], udp_checksum(f.src, f.dst, seg));
  return build_ip(f, ipproto::Udp, seg);
}

Bytes build_icmp(const FrameSpec& f, const IcmpSpec& m) {
  Bytes msg{m.type, m.code, 0, 0};
  put32(msg, m.rest);
  put(msg, m.payload);
  uint16_t c = f.src.is_v4() ? icmp_checksum(msg) : icmpv6_checksum(f.src, f.dst, msg);
  store16(&msg[2], c);
  return build_ip(f, icmp_proto(f.src), msg);
}

Bytes build_icmp_echo(const FrameSpec& f, bool reply, uint16_t id, uint16_t seq,
                      std::span<const uint8_t> data) {
  uint8_t type = f.src.is_v4() ? (reply ? icmp4::EchoReply : icmp4::EchoRequest)
                               : (reply ? icmp6::EchoReply : icmp6::EchoRequest);
  return build_icmp(f, {.type = type, .code = 0, .rest = uint32_t(id) << 16 | seq,
                        .payload = Bytes(data.begin(), data.end())});
}

Bytes build_arp(uint16_t op, const Mac& sender_mac, const Addr& sender_ip, const Mac& target_mac,
                const Addr& target_ip, const Mac& eth_dst, std::span<const uint16_t> vlans) {
  Bytes out;
  put_ethernet(out, sender_mac, eth_dst, vlans, ethertype::Arp);
  put16(out, 1);  // Ethernet
  put16(out, ethertype::Ipv4);
  out.push_back(6);
  out.push_back(4);
  put16(out, op);
  put(out, sender_mac);
  put(out, {sender_ip.bytes.data(), 4});
  put(out, target_mac);
  put(out, {target_ip.bytes.data(), 4});
  return out;
}

Bytes build_arp_request(const Mac& sender_mac, const Addr& sender_ip, const Addr& target_ip,
                        std::span<const uint16_t> vlans) {
  return build_arp(1, sender_mac, sender_ip, Mac{}, target_ip, kBroadcastMac, vlans);
}

Bytes build_arp_reply(const Mac& sender_mac, const Addr& sender_ip, const Mac& target_mac,
                      const Addr& target_ip, std::span<const uint16_t> vlans) {
  return build_arp(2, sender_mac, sender_ip, target_mac, target_ip, target_mac, vlans);
}

Bytes mss_option(uint16_t mss) { return {tcp_opt::Mss, 4, uint8_t(mss >> 8), uint8_t(mss)}; }

Bytes from_hex(std::string_view hex) {
  Bytes out;
  int hi = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else if (c == ' ' || c == '\n' || c == '\t' || c == ':' || c == '\r') continue;
    else return {};
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(uint8_t(hi << 4 | v));
      hi = -1;
    }
  }
  if (hi >= 0) return {};
  return out;
}

}  // namespace ulvs::net

// toa.cc — rebuilds the TCP option area with the TOA option and patches checksums by the
// difference between the old and new bytes (RFC 1624), never summing the payload again.
#include "xmit/toa.h"

#include <array>
#include <cstring>
#include <initializer_list>
#include <optional>

#include "net/checksum.h"
#include "net/tcp.h"
#include "net/wire.h"
#include "xmit/frame_ref.h"

namespace ulvs::xmit {
namespace {

constexpr size_t kTcpMin = 20;
constexpr size_t kMaxOptions = 40;

struct OptionArea {
  std::array<uint8_t, kMaxOptions> b{};
  size_t len = 0;
  bool put(std::span<const uint8_t> bytes) {
    if (len + bytes.size() > kMaxOptions) return false;
    std::memcpy(b.data() + len, bytes.data(), bytes.size());
    len += bytes.size();
    return true;
  }
  std::span<const uint8_t> bytes() const { return {b.data(), len}; }
};

bool dropped(uint8_t kind, std::initializer_list<uint8_t> drop) {
  for (uint8_t k : drop)
    if (k == kind) return true;
  return kind == kToaKind;  // never forward a client's own TOA
}

// The kept options, NOP padding to a 4-byte boundary, then TOA; nullopt if it does not fit.
std::optional<OptionArea> build_area(const net::TcpOptions& opts, std::span<const uint8_t> toa,
                                     std::initializer_list<uint8_t> drop) {
  OptionArea a;
  for (const net::TcpOption& o : opts) {
    if (dropped(o.kind, drop)) continue;
    if (!a.put(opts.bytes().subspan(o.offset, o.len))) return std::nullopt;
  }
  static constexpr uint8_t kNops[3] = {net::tcp_opt::Nop, net::tcp_opt::Nop, net::tcp_opt::Nop};
  if (!a.put({kNops, (4 - a.len % 4) % 4}) || !a.put(toa)) return std::nullopt;
  return a;
}

std::optional<OptionArea> fit_toa(const net::TcpOptions& opts, std::span<const uint8_t> toa) {
  using namespace net::tcp_opt;
  for (auto drop : {std::initializer_list<uint8_t>{}, {Timestamp}, {Timestamp, SackPermitted},
                    {Timestamp, SackPermitted, Nop}})
    if (auto a = build_area(opts, toa, drop)) return a;
  return std::nullopt;
}

std::array<uint8_t, 20> toa_option(const net::Addr& client, uint16_t port) {
  std::array<uint8_t, 20> o{};
  o[0] = kToaKind;
  o[1] = toa_len(client.family);
  net::store16(&o[2], port);
  std::memcpy(&o[4], client.bytes.data(), size_t(client.size()));
  return o;
}

// One's-complement "minus": the value to add to remove `v`'s sum.
uint16_t neg(uint64_t sum) { return uint16_t(~net::csum_fold(sum)); }
uint64_t len_sum(size_t len) { return (len >> 16) + (len & 0xffff); }

struct TcpRef {
  IpRef ip;
  std::span<uint8_t> tcp;
  size_t hl;
};

std::optional<TcpRef> locate_tcp(PacketBuf& buf, const net::ParsedFrame& p, Status& why) {
  why = Status::Malformed;
  auto r = locate_ip(buf.bytes(), p);
  if (!r) return std::nullopt;
  if (!p.has_l4() || p.l4_proto != net::ipproto::Tcp) {
    why = Status::Unsupported;
    return std::nullopt;
  }
  if (r->l4.size() < kTcpMin) return std::nullopt;
  size_t hl = size_t(r->l4[12] >> 4) * 4;
  if (hl < kTcpMin || hl > r->l4.size()) return std::nullopt;
  net::TcpOptions opts(r->l4.subspan(kTcpMin, hl - kTcpMin));
  if (!opts.well_formed()) return std::nullopt;
  return TcpRef{*r, r->l4, hl};
}

}  // namespace

Status toa_insert(PacketBuf& buf, const net::ParsedFrame& p, const net::Addr& client,
                  uint16_t client_port, uint32_t mtu) {
  Status why;
  auto t = locate_tcp(buf, p, why);
  if (!t) return why;
  auto toa = toa_option(client, client_port);
  std::span<uint8_t> old_opts = t->tcp.subspan(kTcpMin, t->hl - kTcpMin);
  auto area = fit_toa(net::TcpOptions(old_opts), {toa.data(), toa_len(client.family)});
  if (!area) return Status::OptionSpace;

  ptrdiff_t delta = ptrdiff_t(area->len) - ptrdiff_t(old_opts.size());
  size_t ip_len = t->ip.ip.size() + delta, tcp_len = t->tcp.size() + delta;
  bool v4 = t->ip.fam == net::Family::V4;
  if ((v4 ? ip_len : ip_len - 40) > 0xffff || (mtu && ip_len > mtu)) return Status::MtuExceeded;

  // The new checksum, from the old one and the bytes that change (the payload only moves, by
  // a multiple of 4, so its sum is the same).
  uint16_t old_word = net::load16(&t->tcp[12]);
  uint16_t new_word = uint16_t((kTcpMin + area->len) / 4 << 12 | (old_word & 0x0fff));
  uint64_t s = uint16_t(~net::load16(&t->tcp[16]));
  s += neg(net::csum_partial(old_opts)) + net::csum_partial(area->bytes());
  s += neg(old_word) + uint64_t(new_word);
  s += neg(len_sum(t->tcp.size())) + len_sum(tcp_len);
  uint16_t check = uint16_t(~net::csum_fold(s));

  size_t l3 = t->ip.l3_offset, l4 = l3 + t->ip.hl, old_end = l4 + t->hl;
  buf.trim(l3 + t->ip.ip.size());  // Ethernet padding must not end up inside the packet
  bool moved = delta >= 0 ? buf.insert(old_end, size_t(delta)) : buf.erase(old_end + delta, size_t(-delta));
  if (!moved) return Status::NoRoom;

  uint8_t* ip = buf.data() + l3;
  uint8_t* tcp = buf.data() + l4;
  if (v4) {
    net::store16(&ip[10], net::csum_replace16(net::load16(&ip[10]), net::load16(&ip[2]), uint16_t(ip_len)));
    net::store16(&ip[2], uint16_t(ip_len));
  } else {
    net::store16(&ip[4], uint16_t(ip_len - 40));
  }
  std::memcpy(tcp + kTcpMin, area->b.data(), area->len);
  net::store16(&tcp[12], new_word);
  net::store16(&tcp[16], check);
  return Status::Ok;
}

Status mss_clamp(PacketBuf& buf, const net::ParsedFrame& p, uint16_t delta) {
  Status why;
  auto t = locate_tcp(buf, p, why);
  if (!t) return why;
  auto mss = net::TcpOptions(t->tcp.subspan(kTcpMin, t->hl - kTcpMin)).find(net::tcp_opt::Mss);
  if (!mss || mss->len != 4) return Status::Ok;
  uint16_t old_mss = net::load16(mss->value.data());
  if (old_mss <= delta) return Status::Ok;

  // The value may sit at an odd offset: patch the checksum over the whole words it touches.
  size_t pos = kTcpMin + mss->offset + 2, start = pos & ~size_t(1), n = pos & 1 ? 4 : 2;
  std::array<uint8_t, 4> before{};
  std::memcpy(before.data(), &t->tcp[start], n);
  net::store16(&t->tcp[pos], uint16_t(old_mss - delta));
  uint16_t c = net::csum_replace_bytes(net::load16(&t->tcp[16]), {before.data(), n}, t->tcp.subspan(start, n));
  net::store16(&t->tcp[16], c);
  return Status::Ok;
}

}  // namespace ulvs::xmit

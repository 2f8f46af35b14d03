// seq_adjust.cc — rewrites seq / ack / SACK edges in place, checksum by RFC 1624.
#include "xmit/seq_adjust.h"

#include <array>
#include <cstring>

#include "net/checksum.h"
#include "net/tcp.h"
#include "net/wire.h"
#include "xmit/frame_ref.h"

namespace ulvs::xmit {
namespace {

constexpr size_t kTcpMin = 20;

// Stores `v` at tcp[pos] (any alignment: a SACK option may start at an odd offset) and patches
// the checksum over the whole 16-bit words it touches.
void put32(std::span<uint8_t> tcp, size_t pos, uint32_t v) {
  size_t start = pos & ~size_t(1), n = pos & 1 ? 6 : 4;
  std::array<uint8_t, 6> before{};
  std::memcpy(before.data(), &tcp[start], n);
  net::store32(&tcp[pos], v);
  net::store16(&tcp[16], net::csum_replace_bytes(net::load16(&tcp[16]), {before.data(), n},
                                                 tcp.subspan(start, n)));
}

}  // namespace

Status seq_adjust_in(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c) {
  if (!c.pp_delta) return Status::Ok;
  auto t = locate_tcp_segment(buf.bytes(), p);
  if (!t) return Status::Malformed;
  std::span<uint8_t> tcp = t->ip.l4;
  uint32_t seq = net::load32(&tcp[4]);
  uint32_t moved = seq_to_server(seq, tcp[13] & net::tcp_flag::SYN, c.pp_seq, c.pp_delta);
  if (moved != seq) put32(tcp, 4, moved);
  return Status::Ok;
}

Status seq_adjust_out(PacketBuf& buf, const net::ParsedFrame& p, const ipvs::Conn& c) {
  if (!c.pp_delta) return Status::Ok;
  auto t = locate_tcp_segment(buf.bytes(), p);
  if (!t) return Status::Malformed;
  std::span<uint8_t> tcp = t->ip.l4;
  auto map = [&](size_t pos) {
    uint32_t v = net::load32(&tcp[pos]), m = ack_to_client(v, c.pp_seq, c.pp_delta);
    if (m != v) put32(tcp, pos, m);
  };
  if (tcp[13] & net::tcp_flag::ACK) map(8);
  // SACK blocks (left, right edges) up to the first malformed option, if any.
  for (const net::TcpOption& o : net::TcpOptions(tcp.subspan(kTcpMin, t->hl - kTcpMin))) {
    if (o.kind != net::tcp_opt::Sack) continue;
    for (size_t e = 0; e + 4 <= o.value.size(); e += 4) map(kTcpMin + o.offset + 2 + e);
  }
  return Status::Ok;
}

}  // namespace ulvs::xmit

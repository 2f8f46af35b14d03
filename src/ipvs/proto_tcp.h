// proto_tcp.h — the IPVS TCP state machine (ip_vs_proto_tcp.c) as a table.
//
// A connection's TCP state moves on each segment according to the segment's direction and its
// most significant flag (RST > SYN > FIN > ACK).  Only the director's view counts: a DR
// connection never sees the server's packets, so it uses the INPUT-ONLY row set.
//
//   auto s = tcp::next_state(tcp::Dir::Input, tcp::event_of(TCP_SYN), TcpState::None, false);
//   // s == TcpState::SynRecv
#pragma once

#include <cstdint>
#include <string_view>

namespace ulvs::ipvs {

// Numbered as the kernel numbers them (IP_VS_TCP_S_*); -Lc and the sync protocol use them.
enum class TcpState : uint8_t {
  None = 0, Established, SynSent, SynRecv, FinWait, TimeWait, Close, CloseWait, LastAck,
  Listen, SynAck, Count
};
constexpr int kTcpStateCount = static_cast<int>(TcpState::Count);

namespace tcp {

// TCP flag bits as in the header's 13th byte.
constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;

// Which row set applies: Input = client->server with replies seen (NAT), Output =
// server->client, InputOnly = client->server while no reply has been seen (DR/TUN).
enum class Dir : uint8_t { Input = 0, Output = 1, InputOnly = 2 };

// Table columns are events; None = a segment with none of SYN/FIN/ACK/RST (moves to CLOSE).
enum class Event : uint8_t { Syn = 0, Fin = 1, Ack = 2, Rst = 3, None = 4 };

Event event_of(uint8_t flags);
TcpState next_state(Dir dir, Event ev, TcpState cur, bool secure_table);

// ESTABLISHED, SYN_SENT, SYN_RECV and SYNACK count in ActiveConn (Linux >= 4.8).
bool is_active(TcpState s);

// "ESTABLISHED", ...; "ERR!" out of range — the strings ipvsadm -Lc prints.
std::string_view state_name(TcpState s);

}  // namespace tcp
}  // namespace ulvs::ipvs

// proto_tcp.cc — the transition tables of ip_vs_proto_tcp.c (spec §4.2).
#include "ipvs/proto_tcp.h"

#include <array>

namespace ulvs::ipvs::tcp {
namespace {

using S = TcpState;
constexpr S sNO = S::None, sES = S::Established, sSS = S::SynSent, sSR = S::SynRecv,
            sFW = S::FinWait, sTW = S::TimeWait, sCL = S::Close, sCW = S::CloseWait,
            sLA = S::LastAck, sLI = S::Listen, sSA = S::SynAck;

using Row = std::array<S, kTcpStateCount>;  // indexed by the current state
using Table = std::array<Row, 12>;          // [dir * 4 + event]

// Columns:            NONE ESTAB SYN_SENT SYN_RECV FIN_WAIT TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK LISTEN SYNACK
constexpr Table kNormal = {{
    /* INPUT syn */    {sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR},
    /* INPUT fin */    {sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW},
    /* INPUT ack */    {sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES},
    /* INPUT rst */    {sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR},
    /* OUTPUT syn */   {sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR},
    /* OUTPUT fin */   {sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW},
    /* OUTPUT ack */   {sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES},
    /* OUTPUT rst */   {sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL},
    /* IN-ONLY syn */  {sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR},
    /* IN-ONLY fin */  {sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW},
    /* IN-ONLY ack */  {sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES},
    /* IN-ONLY rst */  {sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL},
}};

// secure_tcp: the same table with the cells of spec §4.2 changed, so that NAT reaches
// ESTABLISHED only after the handshake completed.
constexpr Table make_secure() {
  Table t = kNormal;
  auto at = [&t](Dir d, Event e, S cur) -> S& {
    return t[static_cast<int>(d) * 4 + static_cast<int>(e)][static_cast<int>(cur)];
  };
  at(Dir::Input, Event::Syn, sSA) = sSA;
  at(Dir::Input, Event::Fin, sSA) = sSA;
  at(Dir::Input, Event::Ack, sSR) = sSR;
  at(Dir::Input, Event::Ack, sSA) = sSA;
  at(Dir::Input, Event::Rst, sSA) = sCL;
  at(Dir::Output, Event::Syn, sSR) = sSA;
  at(Dir::Output, Event::Syn, sSA) = sSA;
  for (S cur : {sNO, sFW, sTW, sCL, sCW, sLA, sLI, sSA}) at(Dir::InputOnly, Event::Syn, cur) = sSA;
  return t;
}
constexpr Table kSecure = make_secure();

constexpr std::array<std::string_view, kTcpStateCount> kNames = {
    "NONE",  "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT", "TIME_WAIT",
    "CLOSE", "CLOSE_WAIT",  "LAST_ACK",   "LISTEN",   "SYNACK"};

}  // namespace

Event event_of(uint8_t flags) {
  if (flags & kRst) return Event::Rst;
  if (flags & kSyn) return Event::Syn;
  if (flags & kFin) return Event::Fin;
  if (flags & kAck) return Event::Ack;
  return Event::None;
}

TcpState next_state(Dir dir, Event ev, TcpState cur, bool secure_table) {
  if (ev == Event::None) return TcpState::Close;
  if (cur >= TcpState::Count) return TcpState::Close;
  const Table& t = secure_table ? kSecure : kNormal;
  return t[static_cast<int>(dir) * 4 + static_cast<int>(ev)][static_cast<int>(cur)];
}

bool is_active(TcpState s) {
  return s == TcpState::Established || s == TcpState::SynSent || s == TcpState::SynRecv ||
         s == TcpState::SynAck;
}

std::string_view state_name(TcpState s) {
  auto i = static_cast<size_t>(s);
  return i < kNames.size() ? kNames[i] : "ERR!";
}

}  // namespace ulvs::ipvs::tcp

// The TCP state table against the spec's table (§4.2), row by row, and typical traces.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "ipvs/proto_tcp.h"

using namespace ulvs::ipvs;
using tcp::Dir;
using tcp::Event;

namespace {

// The spec's table, transcribed as text so it can be checked cell by cell.
const char* kSpecRows[] = {
    "SR ES ES SR SR SR SR SR SR SR SR",  // INPUT syn
    "CL CW SS TW TW TW CL CW LA LI TW",  // INPUT fin
    "ES ES SS ES FW TW CL CW CL LI ES",  // INPUT ack
    "CL CL CL SR CL CL CL CL LA LI SR",  // INPUT rst
    "SS ES SS SR SS SS SS SS SS LI SR",  // OUTPUT syn
    "TW FW SS TW FW TW CL TW LA LI TW",  // OUTPUT fin
    "ES ES SS ES FW TW CL CW LA ES ES",  // OUTPUT ack
    "CL CL SS CL CL TW CL CL CL CL CL",  // OUTPUT rst
    "SR ES ES SR SR SR SR SR SR SR SR",  // IN-ONLY syn
    "CL FW SS TW FW TW CL CW LA LI TW",  // IN-ONLY fin
    "ES ES SS ES FW TW CL CW CL LI ES",  // IN-ONLY ack
    "CL CL CL SR CL CL CL CL LA LI CL",  // IN-ONLY rst
};

TcpState parse(const std::string& s) {
  const std::vector<std::string> abbr = {"NO", "ES", "SS", "SR", "FW", "TW",
                                         "CL", "CW", "LA", "LI", "SA"};
  for (size_t i = 0; i < abbr.size(); ++i)
    if (abbr[i] == s) return static_cast<TcpState>(i);
  ADD_FAILURE() << "bad abbreviation " << s;
  return TcpState::None;
}

TcpState run(std::initializer_list<std::pair<Dir, uint8_t>> steps, bool secure = false) {
  TcpState s = TcpState::None;
  for (auto [d, flags] : steps) s = tcp::next_state(d, tcp::event_of(flags), s, secure);
  return s;
}

}  // namespace

TEST(TcpStateTable, EveryCellMatchesTheSpec) {
  for (int row = 0; row < 12; ++row) {
    std::istringstream in(kSpecRows[row]);
    for (int col = 0; col < kTcpStateCount; ++col) {
      std::string cell;
      in >> cell;
      Dir dir = static_cast<Dir>(row / 4);
      Event ev = static_cast<Event>(row % 4);
      EXPECT_EQ(tcp::next_state(dir, ev, static_cast<TcpState>(col), false), parse(cell))
          << "row " << row << " col " << col;
    }
  }
}

TEST(TcpStateTable, EventPriorityIsRstSynFinAck) {
  EXPECT_EQ(tcp::event_of(tcp::kRst | tcp::kSyn | tcp::kFin | tcp::kAck), Event::Rst);
  EXPECT_EQ(tcp::event_of(tcp::kSyn | tcp::kAck), Event::Syn);
  EXPECT_EQ(tcp::event_of(tcp::kFin | tcp::kAck), Event::Fin);
  EXPECT_EQ(tcp::event_of(tcp::kAck | tcp::kPsh), Event::Ack);
  EXPECT_EQ(tcp::event_of(tcp::kPsh), Event::None);
  // A segment with none of the four flags closes the entry, whatever the state.
  EXPECT_EQ(tcp::next_state(Dir::Input, Event::None, TcpState::Established, false), TcpState::Close);
}

TEST(TcpStateTable, NatTraceClientClosesFirst) {
  using namespace tcp;
  EXPECT_EQ(run({{Dir::Input, kSyn}}), TcpState::SynRecv);
  EXPECT_EQ(run({{Dir::Input, kSyn}, {Dir::Output, kSyn | kAck}}), TcpState::SynRecv);
  EXPECT_EQ(run({{Dir::Input, kSyn}, {Dir::Output, kSyn | kAck}, {Dir::Input, kAck}}),
            TcpState::Established);
  EXPECT_EQ(run({{Dir::Input, kSyn}, {Dir::Output, kSyn | kAck}, {Dir::Input, kAck},
                 {Dir::Input, kFin | kAck}}),
            TcpState::CloseWait);
  EXPECT_EQ(run({{Dir::Input, kSyn}, {Dir::Output, kSyn | kAck}, {Dir::Input, kAck},
                 {Dir::Input, kFin | kAck}, {Dir::Output, kFin | kAck}, {Dir::Input, kAck}}),
            TcpState::TimeWait);
}

TEST(TcpStateTable, DrTraceEndsInFinWait) {
  using namespace tcp;
  EXPECT_EQ(run({{Dir::InputOnly, kSyn}, {Dir::InputOnly, kAck}}), TcpState::Established);
  EXPECT_EQ(run({{Dir::InputOnly, kSyn}, {Dir::InputOnly, kAck}, {Dir::InputOnly, kFin | kAck},
                 {Dir::InputOnly, kAck}}),
            TcpState::FinWait);
  EXPECT_EQ(run({{Dir::InputOnly, kSyn}, {Dir::InputOnly, kAck}, {Dir::InputOnly, kRst}}),
            TcpState::Close);
}

TEST(TcpStateTable, SecureTableDelaysEstablished) {
  using namespace tcp;
  // NAT: SYN -> SYN_RECV, SYN+ACK -> SYNACK, client ACK stays, server ACK -> ESTABLISHED.
  EXPECT_EQ(run({{Dir::Input, kSyn}, {Dir::Output, kSyn | kAck}}, true), TcpState::SynAck);
  EXPECT_EQ(run({{Dir::Input, kSyn}, {Dir::Output, kSyn | kAck}, {Dir::Input, kAck}}, true),
            TcpState::SynAck);
  EXPECT_EQ(run({{Dir::Input, kSyn}, {Dir::Output, kSyn | kAck}, {Dir::Input, kAck},
                 {Dir::Output, kAck}}, true),
            TcpState::Established);
  EXPECT_EQ(run({{Dir::Input, kSyn}, {Dir::Input, kAck}}, true), TcpState::SynRecv);
  // DR: the first SYN leads to SYNACK.
  EXPECT_EQ(run({{Dir::InputOnly, kSyn}}, true), TcpState::SynAck);
  EXPECT_EQ(run({{Dir::InputOnly, kSyn}, {Dir::InputOnly, kAck}}, true), TcpState::Established);
}

TEST(TcpStateTable, ActiveStatesAndNames) {
  std::vector<TcpState> active;
  for (int i = 0; i < kTcpStateCount; ++i)
    if (tcp::is_active(static_cast<TcpState>(i))) active.push_back(static_cast<TcpState>(i));
  EXPECT_EQ(active, (std::vector<TcpState>{TcpState::Established, TcpState::SynSent,
                                           TcpState::SynRecv, TcpState::SynAck}));
  EXPECT_EQ(tcp::state_name(TcpState::CloseWait), "CLOSE_WAIT");
  EXPECT_EQ(tcp::state_name(TcpState::SynAck), "SYNACK");
  EXPECT_EQ(tcp::state_name(static_cast<TcpState>(42)), "ERR!");
}

// status.h — what a forwarding function tells its caller: done, or why the frame must not go.
//
//   xmit::Status s = xmit::nat_in(buf, parsed, conn);
//   if (s != xmit::Status::Ok) count_drop(xmit::to_string(s));
//
// Every function in src/xmit returns one; none of them crashes or reads out of bounds on odd
// input.  On a status other than Ok the frame is left unchanged unless the function says
// otherwise.
#pragma once

#include <cstdint>

namespace ulvs::xmit {

enum class Status : uint8_t {
  Ok = 0,
  Malformed,      // the frame (or the ParsedFrame given for it) is not what it claims to be
  Unsupported,    // well-formed but not handled (protocol, family mix, tunnel type)
  NoRoom,         // the buffer lacks headroom/tailroom for the bytes to add
  FragNeeded,     // TUN: too big with DF set → answer ICMP frag-needed / packet-too-big
  MustFragment,   // TUN: encapsulated, bigger than the MTU, DF clear → fragment the outer packet
  OptionSpace,    // TOA: no room in the 40-byte TCP option space, even after pruning
  MtuExceeded,    // TOA: the grown frame would exceed the egress MTU
};

constexpr const char* to_string(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::Malformed: return "malformed";
    case Status::Unsupported: return "unsupported";
    case Status::NoRoom: return "no room";
    case Status::FragNeeded: return "fragmentation needed";
    case Status::MustFragment: return "must fragment";
    case Status::OptionSpace: return "no TCP option space";
    case Status::MtuExceeded: return "MTU exceeded";
  }
  return "?";
}

}  // namespace ulvs::xmit

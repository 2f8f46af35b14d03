// partial_csum.h — finishing a checksum the sender's stack left to the NIC (CHECKSUM_PARTIAL).
//
// A local TCP/UDP stack with checksum offload puts only the folded pseudo-header sum in the
// checksum field and leaves the rest to the hardware.  On veth, AF_PACKET hands such frames
// to us as they are (TP_STATUS_CSUMNOTREADY); the director must finish the sum before it
// rewrites and forwards the frame, or the real server drops it.
//
//   if (status & TP_STATUS_CSUMNOTREADY) net::complete_partial_checksum(frame);
#pragma once

#include <cstdint>
#include <span>

namespace ulvs::net {

// Completes the TCP or UDP checksum of `frame` (Ethernet first) whose checksum field holds
// the pseudo-header sum: field = ~fold(sum of the whole L4 segment, field included).
// False (frame untouched) when the frame is not a whole, unfragmented TCP/UDP packet.
bool complete_partial_checksum(std::span<uint8_t> frame);

}  // namespace ulvs::net

// sysctl.h — the director-wide knobs of /proc/sys/net/ipv4/vs and `ipvsadm --set`.
//
// Defaults are the kernel's (spec §4.2, §4.7).  Timeouts are milliseconds.
//
//   Sysctl s;  s.timeouts.set_tcp_fin_udp(900, 120, 300);   // ipvsadm --set 900 120 300
#pragma once

#include <array>
#include <cstdint>

#include "ipvs/clock.h"
#include "ipvs/proto_tcp.h"

namespace ulvs::ipvs {

struct Timeouts {
  std::array<TimeMs, kTcpStateCount> tcp = {
      seconds(2),   seconds(900), seconds(120), seconds(60),  seconds(120), seconds(120),
      seconds(10),  seconds(60),  seconds(30),  seconds(120), seconds(120)};
  TimeMs udp = seconds(300);

  TimeMs tcp_state(TcpState s) const { return tcp[static_cast<size_t>(s)]; }
  // ipvsadm --set tcp tcpfin udp (seconds); 0 leaves a value unchanged.
  void set_tcp_fin_udp(int64_t tcp_s, int64_t tcpfin_s, int64_t udp_s) {
    if (tcp_s) tcp[static_cast<size_t>(TcpState::Established)] = seconds(tcp_s);
    if (tcpfin_s) tcp[static_cast<size_t>(TcpState::FinWait)] = seconds(tcpfin_s);
    if (udp_s) udp = seconds(udp_s);
  }
};

struct Sysctl {
  Timeouts timeouts;
  bool expire_nodest_conn = false;
  bool expire_quiescent_template = false;
  bool sloppy_tcp = false;     // schedule mid-flow (non-SYN, non-RST) segments
  bool secure_tcp = false;     // use the secure TCP state table
  uint8_t conn_reuse_mode = 1; // bit 0: reuse TIME_WAIT/CLOSE, bit 1: also DR FIN_WAIT
  TimeMs lblc_expiration = seconds(24 * 60 * 60);
  TimeMs lblcr_expiration = seconds(24 * 60 * 60);
};

}  // namespace ulvs::ipvs

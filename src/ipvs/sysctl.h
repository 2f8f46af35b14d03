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

// The ints hold what was written to the /proc file (ulvsadm --sysctl, src/ctl/sysctls.h),
// as the kernel's do: any nonzero value turns a switch on.
struct Sysctl {
  Timeouts timeouts;
  int expire_nodest_conn = 0;
  int expire_quiescent_template = 0;
  int sloppy_tcp = 0;       // schedule mid-flow (non-SYN, non-RST) segments
  int secure_tcp = 0;       // defence mode 0..3; the secure TCP state table is used from 2 on
  int conn_reuse_mode = 1;  // nonzero: reuse TIME_WAIT/CLOSE, bit 1: also DR FIN_WAIT
  TimeMs lblc_expiration = seconds(24 * 60 * 60);
  TimeMs lblcr_expiration = seconds(24 * 60 * 60);

  // Modes 1 and 2 switch between 1 and 2 on memory pressure, which ulvs does not have:
  // only 3 keeps the secure table on.
  bool secure_tcp_table() const { return secure_tcp >= 2; }
};

}  // namespace ulvs::ipvs

// ldirectord_parser.h — ldirectord.cf → KeepalivedConfig (issue 5): the same model the
// keepalived.conf parser fills, so pools, checkers and the table diff run unchanged.
//
//   # /etc/ha.d/ldirectord.cf
//   checktimeout=3
//   quiescent=yes
//   virtual=192.168.6.240:80
//           real=192.168.6.2:80 gate 2
//           real=192.168.6.3:80 masq "/alive.html" "OK"
//           fallback=127.0.0.1:80 gate
//           service=http
//           request="index.html"
//           receive="Test Page"
//           scheduler=rr
//           persistent=600
//           netmask=255.255.255.0
//
//   config::Diagnostics diag;
//   auto cfg = config::load_ldirectord("/etc/ha.d/ldirectord.cf", diag);
//
// Layout as ldirectord reads it: a line `virtual=` at column 0 opens a virtual service, the
// indented lines after it belong to it; any other line at column 0 is a global setting
// (checktimeout, negotiatetimeout, checkinterval, failurecount, fallback, quiescent, emailalert,
// ...), which applies to every virtual service wherever it appears.  `#` starts a comment.
//
// Mapping (defaults are ldirectord 4.12's, the version ../shared/oracle/ldirectord-oracle runs):
//   virtual=IP:PORT | MARK    → one VirtualKey (protocol tcp; udp for port 53; fwm for a mark)
//   real=IP[->IP2][:PORT] gate|masq|ipip [WEIGHT] ["REQUEST" "RECEIVE"] [l:N] [u:N]
//                             → RealServer (Route / Masq / Tunnel; weight 1; no port: the
//                               virtual's; a range adds one per address)
//   fallback=IP[:PORT] [gate|masq|ipip] → sorry_server (gate, weight 1, the virtual's port);
//                             a global fallback= serves every virtual= but fwmark ones (as
//                             ldirectord, whose global fallback exists for tcp / udp only)
//   IPv6 (ldirectord's own keywords, addresses in brackets):
//     virtual6=[IPv6]:PORT | MARK → an IPv6 service (a mark: ipvsadm -f MARK -6)
//     real6=[IPv6][:PORT] ..., fallback6=[IPv6][:PORT] ... → as real= / fallback= (no ranges);
//     real= / fallback= under a virtual6= (or real6= / fallback6= under a virtual=) are Errors;
//     a global fallback6= serves the virtual6= services, fallback= the virtual= ones.
//   scheduler= (wrr)  persistent= → persistence_timeout  netmask= → persistence_granularity
//     (a dotted quad; under virtual6= a prefix length 1..128, kept as the mask it stands for)
//   protocol=tcp|udp|fwm  ops=yes → ops
//   checktype=negotiate (default) | connect | ping | on | off | external | N:
//     negotiate, service http / http_proxy → HTTP_GET, https → SSL_GET (url = request,
//       regex = receive, virtualhost); service none → no checker (ldirectord's check_none
//       always succeeds); any other service → TCP_CHECK (PING_CHECK on udp) with a Warning,
//       as ulvs negotiates http/https only.  service defaults from the port (80 http, 443
//       https, 25 smtp, 53 dns, ...; a fwmark: none).
//     connect → TCP_CHECK (PING_CHECK for udp, as ldirectord)   ping → PING_CHECK
//     on → no checker (always up)   off → no real server at all (ldirectord never adds them;
//       a fallback is in at once)
//     external → MISC_CHECK "checkcommand VIP VPORT RIP RPORT" (IPv6 in brackets, as ldirectord)
//     N → approximated by the negotiate check (ldirectord negotiates every N-th time and
//       connects otherwise); a Warning says so.
//   checkport= → connect_port   checkinterval= (10) → delay_loop and delay_before_retry
//   checktimeout= (5) → connect_timeout of connect/ping, negotiatetimeout= (30) of negotiate,
//     each the other's default, as ldirectord   failurecount= (1) → retry = N-1
//   quiescent=yes → inhibit_on_failure (default no)   emailalert= → global.notification_email
//   connecttimeout= (ldirectord rejects it as deprecated) → both timeouts, with a Warning.
//
// An unknown keyword is a Warning (file:line); a malformed value (bad address, port, method,
// number, yes/no, checktype, service) or a real= before any virtual= is an Error and the
// result is nullopt.
// Known limit: ldirectord shares the state of a real server listed under several virtual
// services with the same check; ulvs checks each (virtual, real) pair on its own.  A port on a
// gate/ipip real of a fwmark service is kept, as ipvsadm keeps it (keepalived drops it).
#pragma once

#include <optional>
#include <string>

#include "config/keepalived_model.h"

namespace ulvs::config {

std::optional<KeepalivedConfig> load_ldirectord(const std::string& path, Diagnostics& diag);

// The same from text (tests); `name` is used in messages.
std::optional<KeepalivedConfig> parse_ldirectord_text(const std::string& text, const std::string& name,
                                                      Diagnostics& diag);

// True when `text` has a line `virtual=` / `virtual6=` (keepalived.conf never does).
bool looks_like_ldirectord(const std::string& text);

}  // namespace ulvs::config

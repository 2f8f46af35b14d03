// parse_global.h — global_defs (spec §7.2).
//
//   global_defs {
//       router_id LVS_1
//       notification_email { ops@example.com noc@example.com }
//       notification_email_from lvs@example.com
//       smtp_server 10.0.0.25 2525
//       smtp_helo_name lvs1.example.com
//       smtp_connect_timeout 30
//       smtp_alert_checker on        # default of every virtual_server/real_server smtp_alert
//       no_checker_emails            # mail only when a checker changes a server's state
//       lvs_timeouts tcp 900 tcpfin 120 udp 300
//       script_user nobody nogroup
//   }
//
// The other keywords keepalived documents (vrrp_*, notify fifos, process priorities, SNMP,
// DBus, nftables/iptables...) are accepted without effect; anything else is a Warning.
//
// The top-level SSL block (keepalived's check_parser.c) is a global setting too:
//
//   SSL {
//       password secret               # of the key file
//       ca /etc/keepalived/ca.pem     # loaded, never enforced
//       certificate /etc/keepalived/client.pem
//       key /etc/keepalived/client.key
//   }
#pragma once

#include "config/parse_values.h"

namespace ulvs::config {

void parse_global_defs(ParseCtx& ctx, const Statement& blk, GlobalDefs& g, bool& checker_log_all_failures);
void parse_ssl(ParseCtx& ctx, const Statement& blk, GlobalDefs& g);

}  // namespace ulvs::config

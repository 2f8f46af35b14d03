// parse_virtual_server.h — virtual_server, its real_server blocks and virtual_server_group
// (spec §7.3–7.5), with the cascade virtual_server → real_server → checker applied.
//
//   virtual_server_group WEB {                 virtual_server group WEB {
//       10.0.0.1 80                                lb_algo wrr
//       192.168.200.3-10 80      # last octet       lb_kind TUN type gue port 6080 csum
//       10.1.0.0/30 443          # CIDR             protocol TCP
//       2001:db8::2-9 80         # last group, hex  real_server 192.168.1.2 80 { weight 2 TCP_CHECK {} }
//       fwmark 7 inet6                          }
//   }
//
// ulvs extensions, FULLNAT only: `lb_kind FULLNAT` (alias FNAT), and in virtual_server `toa`
// or `proxy_protocol v1|v2` — how the real servers learn the client's address once the
// director has rewritten the source.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/parse_cascade.h"
#include "config/parse_values.h"

namespace ulvs::config {

using Groups = std::map<std::string, std::vector<VirtualKey>>;

// `lb_kind NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]|FULLNAT|FNAT`.
std::optional<FwdSpec> parse_lb_kind(ParseCtx& ctx, const Statement& st);

// One group member line → keys (protocol left TCP; the virtual_server sets it).
std::vector<VirtualKey> parse_group_member(ParseCtx& ctx, const Statement& st);
std::vector<VirtualKey> parse_vs_group(ParseCtx& ctx, const Statement& blk);

// `root` carries global defaults (checker_log_all_failures).  nullopt when the header is
// unusable; body errors are reported through ctx (ctx.failed) but a VS is still returned.
std::optional<VirtualServer> parse_virtual_server(ParseCtx& ctx, const Statement& blk,
                                                  const Groups& groups, const Cascade& root);

}  // namespace ulvs::config

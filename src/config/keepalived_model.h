// keepalived_model.h — what a keepalived.conf (or ldirectord.cf) says about LVS, after
// parsing and before anything is applied: plain data, defaults already cascaded
// (virtual_server → real_server → checker, spec §7.4–7.6).
//
//   config::Diagnostics diag;
//   std::optional<config::KeepalivedConfig> cfg = config::load_keepalived("/etc/keepalived/keepalived.conf", diag);
//   for (auto& vs : cfg->virtual_servers) for (auto& rs : vs.real_servers) ...
//
// Times are milliseconds.  Addresses are net::Addr / net::Endpoint.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ipvs/dest.h"
#include "ipvs/service.h"
#include "net/addr.h"

namespace ulvs::config {

using TimeMs = int64_t;

// Where a statement came from, for messages: "keepalived.conf:42".
struct Where {
  std::string file;
  int line = 0;
  std::string str() const { return file + ":" + std::to_string(line); }
  friend bool operator==(const Where&, const Where&) = default;
};

struct Diagnostic {
  enum Level { Warning, Error } level = Warning;
  Where where;
  std::string message;
};
using Diagnostics = std::vector<Diagnostic>;

// A script keepalived runs (notify_up, quorum_down, misc_path): the command line as written.
struct Script {
  std::string command;     // e.g. "/usr/local/bin/notify.sh up"
  std::string user, group; // empty: the script_user / root
  bool empty() const { return command.empty(); }
  friend bool operator==(const Script&, const Script&) = default;
};

struct UrlCheck {
  std::string path = "/";
  std::string digest;                      // 32 hex chars (MD5 of the body), empty: none
  std::vector<std::pair<int, int>> status; // ranges; empty: 200-299
  std::string virtualhost;                 // empty: the checker's
  std::string regex;                       // empty: none
  bool regex_no_match = false;
  friend bool operator==(const UrlCheck&, const UrlCheck&) = default;
};

// The top-level SSL { } block: the client side of every SSL_GET (keepalived's check_ssl.c).
// Empty fields: not set.  Like keepalived, the peer is never verified, even with a ca.
struct SslClient {
  std::string password;                    // of the key file
  std::string ca;                          // loaded but not enforced
  std::string certificate;                 // PEM chain presented to the server
  std::string key;                         // PEM private key (encrypted: password)
  friend bool operator==(const SslClient&, const SslClient&) = default;
};

struct Checker {
  enum Type { Tcp, Http, Ssl, Misc, Dns, Smtp, Udp, Ping, File } type = Tcp;
  Where where;
  // Common (network checkers)
  std::optional<net::Addr> connect_ip;     // default: the real server's address
  uint16_t connect_port = 0;               // 0: the real server's port
  std::optional<net::Addr> bindto;
  std::string bind_if;
  uint16_t bind_port = 0;
  uint32_t fwmark = 0;
  TimeMs connect_timeout = 5000;
  int retry = 1;                           // attempts after the first failure before down
  TimeMs delay_before_retry = 1000;
  TimeMs delay_loop = 60000;
  TimeMs warmup = 0;                       // random initial delay up to this (0: none)
  bool alpha = false;                      // starts down
  bool log_all_failures = false;
  // HTTP_GET / SSL_GET
  std::vector<UrlCheck> urls;
  std::string virtualhost;
  std::string http_protocol = "1.0";       // 1.0 | 1.0C | 1.1
  bool enable_sni = false;
  SslClient ssl;                           // SSL_GET only: the global SSL block, copied
  // MISC_CHECK
  Script misc_path;
  TimeMs misc_timeout = 0;                 // 0: delay_loop
  bool misc_dynamic = false;
  // DNS_CHECK
  std::string dns_type = "SOA", dns_name = ".";
  // SMTP_CHECK
  std::string helo_name;
  // UDP_CHECK
  std::vector<uint8_t> payload;
  std::optional<std::vector<uint8_t>> require_reply;
  int min_reply_length = 0, max_reply_length = 0;
  // FILE_CHECK
  std::string track_file;
  bool file_dynamic = false;
  int file_weight = 0;
  bool file_reverse = false;
  friend bool operator==(const Checker&, const Checker&) = default;
};

struct RealServer {
  Where where;
  net::Endpoint ep;                        // port 0 for fwmark services without a port
  ipvs::Fwd fwd = ipvs::Fwd::Masq;         // lvs_method / lb_kind (cascaded)
  ipvs::TunType tun_type{};                // TUN: ipip | gue | gre
  uint16_t tun_port = 0;
  uint16_t tun_flags = 0;
  int32_t weight = 1;
  uint32_t uthreshold = 0, lthreshold = 0;
  bool inhibit_on_failure = false;
  bool alpha = false;
  Script notify_up, notify_down;
  // smtp_alert as written; unset: global smtp_alert_checker, else smtp_alert, else on
  // (keepalived's check_data.c; resolved by config::rs_smtp_alert, pool.h).
  std::optional<bool> smtp_alert;
  std::vector<Checker> checkers;           // none: always up
};

// One IPVS service key of a virtual_server (a group expands to several).
struct VirtualKey {
  uint8_t protocol = ipvs::proto::kTcp;
  net::Endpoint ep;                        // address services
  uint32_t fwmark = 0;                     // fwmark services
  net::Family family = net::Family::V4;    // fwmark services (ip_family)
  friend bool operator==(const VirtualKey&, const VirtualKey&) = default;
};

struct VirtualServer {
  Where where;
  std::string group;                       // virtual_server group NAME ("" otherwise)
  std::vector<VirtualKey> keys;            // the IPVS services it makes (one unless a group)
  std::string scheduler = "wlc";
  uint32_t sched_flags = 0;                // flag-1..3, sh-port, ...
  bool ops = false;
  uint32_t persistence_timeout = 0;        // seconds; 0: not persistent
  std::optional<net::Addr> persistence_granularity;  // netmask (IPv4) / prefix as mask (IPv6)
  std::string persistence_engine;
  ipvs::ClientAddr client_addr = ipvs::ClientAddr::None;  // FULLNAT extensions (toa, proxy)
  TimeMs delay_loop = 60000;
  std::string virtualhost;
  bool alpha = false, omega = false, ha_suspend = false;
  int quorum = 1, hysteresis = 0;
  Script quorum_up, quorum_down;
  std::optional<RealServer> sorry_server;
  bool sorry_server_inhibit = false;
  // smtp_alert as written; unset: global smtp_alert_checker, else smtp_alert, else off
  // (quorum mails; resolved by config::vs_smtp_alert, pool.h).
  std::optional<bool> smtp_alert;
  // A gate/ipip real server of a fwmark service keeps its port: ldirectord hands it to
  // ipvsadm, which keeps it; keepalived sends port 0.  Set by the ldirectord parser.
  bool fwmark_keeps_rs_port = false;
  std::vector<RealServer> real_servers;
};

struct GlobalDefs {
  std::string router_id;
  std::vector<std::string> notification_email;
  std::string notification_email_from;     // empty: user@local name (notify/mail_settings.h)
  std::string smtp_server;                 // host, empty: no mail
  uint16_t smtp_port = 25;
  std::string smtp_helo_name;              // empty: the local name
  TimeMs smtp_connect_timeout = 30000;     // each step of the SMTP dialogue
  std::optional<bool> smtp_alert, smtp_alert_checker;  // unset: see RealServer/VirtualServer
  bool no_checker_emails = false;          // mail only when a checker changes the server's state
  std::optional<std::array<uint32_t, 3>> lvs_timeouts;  // tcp, tcpfin, udp seconds (0: unchanged)
  bool lvs_flush = false;
  std::string script_user, script_group;
  bool enable_script_security = false;
  SslClient ssl;                           // the top-level SSL { } block
};

// vrrp_* blocks are kept (by name) for the fail-over issue; not active yet.
struct VrrpBlock {
  std::string kind;                        // vrrp_instance | vrrp_sync_group | vrrp_script
  std::string name;
  Where where;
};

struct KeepalivedConfig {
  GlobalDefs global;
  std::vector<VirtualServer> virtual_servers;
  std::vector<VrrpBlock> vrrp;
  std::vector<std::string> files;          // every file read (includes), for reload checks
};

}  // namespace ulvs::config

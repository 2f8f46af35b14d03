// parse_global.cc — see parse_global.h.
#include "config/parse_global.h"

#include <algorithm>
#include <array>

namespace ulvs::config {
namespace {

// Documented global_defs keywords ulvs accepts without using them (yet).
bool silently_accepted(const std::string& k) {
  static const char* exact[] = {
      "smtp_alert_vrrp", "lvs_sync_daemon", "lvs_flush_on_stop",
      "notify_fifo", "notify_fifo_script", "lvs_notify_fifo", "lvs_notify_fifo_script",
      "default_interface", "dynamic_interfaces", "max_auto_priority", "min_auto_priority_delay",
      "no_email_faults", "startup_script", "startup_script_timeout", "shutdown_script",
      "shutdown_script_timeout", "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets",
      "instance", "use_pid_dir", "linkbeat_use_polling", "disable_local_igmp",
      "local_name_resolution", "umask", "rs_init_notifies",
      "rx_bufs_multiplier", "reload_check_config", "reload_time_file", "reload_repeat",
      "reload_file", "tmp_config_directory", "data_use_instance", "config_save_dir",
      "random_seed", "fifo_write_vrrp_states_on_reload", "process_monitor_rcv_bufs",
      "process_monitor_rcv_bufs_force", "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_cmd_rcv_bufs_force",
      "lvs_netlink_monitor_rcv_bufs", "lvs_netlink_monitor_rcv_bufs_force", "vrrp_strict",
      "enable_traps", "snmp_socket"};
  if (std::any_of(std::begin(exact), std::end(exact), [&](const char* e) { return k == e; })) return true;
  static const char* prefixes[] = {"vrrp_", "checker_", "bfd_", "snmp_", "enable_snmp", "enable_dbus",
                                   "dbus_", "nftables", "iptables", "ipset", "lvs_sync_daemon",
                                   "notify_fifo", "track_process"};
  return std::any_of(std::begin(prefixes), std::end(prefixes), [&](const char* p) { return k.starts_with(p); });
}

void lvs_timeouts(ParseCtx& ctx, const Statement& st, GlobalDefs& g) {
  std::array<uint32_t, 3> t{0, 0, 0};
  if (!ctx.need(st, 2, 6)) return;
  for (size_t i = 0; i < st.nargs(); i += 2) {
    const std::string& name = st.arg(i);
    int slot = name == "tcp" ? 0 : name == "tcpfin" ? 1 : name == "udp" ? 2 : -1;
    if (slot < 0) { ctx.error(st, "unknown timeout '" + name + "' (tcp|tcpfin|udp)"); return; }
    auto v = ctx.integer(st, i + 1, 0, 86400 * 31);
    if (!v) return;
    t[slot] = uint32_t(*v);
  }
  g.lvs_timeouts = t;
}

// keepalived (global_parser.c) turns 0 into 1 s: a zero timeout would fail every mail.
void smtp_connect_timeout(ParseCtx& ctx, const Statement& st, GlobalDefs& g) {
  auto t = ctx.timer(st, 0);
  if (!t) return;
  if (*t <= 0) {
    ctx.warn(st, "must be greater than 0, using 1 s (as keepalived)");
    t = 1000;
  }
  g.smtp_connect_timeout = *t;
}

}  // namespace

void parse_global_defs(ParseCtx& ctx, const Statement& blk, GlobalDefs& g, bool& log_all) {
  for (const Statement& st : blk.block) {
    const std::string& k = st.keyword();
    if (k == "router_id") { if (ctx.need(st, 1, 1)) g.router_id = st.arg(0); }
    else if (k == "notification_email") {
      for (size_t i = 0; i < st.nargs(); ++i) g.notification_email.push_back(st.arg(i));
      for (const Statement& e : st.block) g.notification_email.insert(g.notification_email.end(), e.words.begin(), e.words.end());
    }
    else if (k == "notification_email_from") { if (ctx.need(st, 1, 1)) g.notification_email_from = st.arg(0); }
    else if (k == "smtp_server") {
      if (!ctx.need(st, 1, 2)) continue;
      g.smtp_server = st.arg(0);
      if (st.nargs() > 1) if (auto p = ctx.port(st, 1)) g.smtp_port = *p;
    }
    else if (k == "smtp_helo_name") { if (ctx.need(st, 1, 1)) g.smtp_helo_name = st.arg(0); }
    else if (k == "smtp_connect_timeout") smtp_connect_timeout(ctx, st, g);
    else if (k == "smtp_alert") { if (auto b = ctx.flag(st)) g.smtp_alert = *b; }
    else if (k == "smtp_alert_checker") { if (auto b = ctx.flag(st)) g.smtp_alert_checker = *b; }
    else if (k == "no_checker_emails") { if (auto b = ctx.flag(st)) g.no_checker_emails = *b; }
    else if (k == "lvs_timeouts") lvs_timeouts(ctx, st, g);
    else if (k == "lvs_flush") g.lvs_flush = true;
    else if (k == "script_user") {
      if (!ctx.need(st, 1, 2)) continue;
      g.script_user = st.arg(0);
      if (st.nargs() > 1) g.script_group = st.arg(1);
    }
    else if (k == "enable_script_security") g.enable_script_security = true;
    else if (k == "checker_log_all_failures") { if (auto b = ctx.flag(st)) log_all = *b; }
    else if (!silently_accepted(k)) ctx.unknown(st, "global_defs");
  }
}

// A second block replaces the first, as keepalived does ("SSL context already specified").
void parse_ssl(ParseCtx& ctx, const Statement& blk, GlobalDefs& g) {
  if (g.ssl != SslClient{}) ctx.warn(blk, "already specified - replacing");
  g.ssl = {};
  for (const Statement& st : blk.block) {
    const std::string& k = st.keyword();
    std::string* field = k == "password" ? &g.ssl.password : k == "ca" ? &g.ssl.ca
                       : k == "certificate" ? &g.ssl.certificate : k == "key" ? &g.ssl.key : nullptr;
    if (!field) ctx.unknown(st, "SSL");
    else if (ctx.need(st, 1, 1)) *field = st.arg(0);
  }
}

}  // namespace ulvs::config

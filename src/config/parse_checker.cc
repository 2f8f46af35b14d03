// parse_checker.cc — see parse_checker.h.
#include "config/parse_checker.h"

#include <algorithm>
#include <cctype>

namespace ulvs::config {
namespace {

const char* type_name(Checker::Type t) {
  static const char* names[] = {"TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "DNS_CHECK",
                                "SMTP_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK"};
  return names[t];
}

std::string join_args(const Statement& st, size_t from) {
  std::string s;
  for (size_t i = from; i < st.nargs(); ++i) s += (s.empty() ? "" : " ") + st.arg(i);
  return s;
}

// connect_ip, connect_port, bindto, ..., retry, delay_before_retry: true when handled.
bool common_option(ParseCtx& ctx, const Statement& st, CheckerDraft& d) {
  const std::string& k = st.keyword();
  Checker& c = d.c;
  if (k == "connect_ip") { if (auto a = ctx.addr(st, 0)) c.connect_ip = a; }
  else if (k == "connect_port") { if (auto p = ctx.port(st, 0)) c.connect_port = *p; }
  else if (k == "bindto") { if (auto a = ctx.addr(st, 0)) c.bindto = a; }
  else if (k == "bind_if") { if (ctx.need(st, 1, 1)) c.bind_if = st.arg(0); }
  else if (k == "bind_port") { if (auto p = ctx.port(st, 0)) c.bind_port = *p; }
  else if (k == "fwmark") { if (auto v = ctx.integer(st, 0, 0, UINT32_MAX)) c.fwmark = uint32_t(*v); }
  else if (k == "connect_timeout") { if (auto t = ctx.timer(st, 0)) d.set.connect_timeout = t; }
  else if (k == "retry" || k == "nb_get_retry") { if (auto v = ctx.integer(st, 0, 0, INT32_MAX)) d.set.retry = int(*v); }
  else if (k == "delay_before_retry") { if (auto t = ctx.timer(st, 0)) d.set.delay_before_retry = t; }
  else if (k == "warmup") { if (auto t = ctx.timer(st, 0)) d.set.warmup = t; }
  else if (k == "delay_loop") { if (auto t = ctx.timer(st, 0)) d.set.delay_loop = t; }
  else if (k == "alpha") { if (auto b = ctx.flag(st)) d.set.alpha = b; }
  else if (k == "log_all_failures") { if (auto b = ctx.flag(st)) d.set.log_all_failures = b; }
  else return false;
  return true;
}

// status_code 200 201-299 404 ...
void parse_status(ParseCtx& ctx, const Statement& st, UrlCheck& u) {
  if (!ctx.need(st, 1, SIZE_MAX)) return;
  for (size_t i = 0; i < st.nargs(); ++i) {
    const std::string& a = st.arg(i);
    auto dash = a.find('-');
    auto lo = parse_int(a.substr(0, dash), 100, 599);
    auto hi = dash == std::string::npos ? lo : parse_int(a.substr(dash + 1), 100, 599);
    if (!lo || !hi || *hi < *lo) { ctx.error(st, "bad status code '" + a + "' (N or N-M, 100..599)"); return; }
    u.status.push_back({int(*lo), int(*hi)});
  }
}

UrlCheck parse_url(ParseCtx& ctx, const Statement& blk) {
  UrlCheck u;
  for (const Statement& st : blk.block) {
    const std::string& k = st.keyword();
    if (k == "path") { if (ctx.need(st, 1, 1)) u.path = st.arg(0); }
    else if (k == "digest") {
      if (!ctx.need(st, 1, 1)) continue;
      std::string d = st.arg(0);
      std::transform(d.begin(), d.end(), d.begin(), [](unsigned char ch) { return std::tolower(ch); });
      if (d.size() != 32 || d.find_first_not_of("0123456789abcdef") != std::string::npos)
        ctx.error(st, "bad digest '" + st.arg(0) + "' (32 hex digits expected)");
      else u.digest = d;
    }
    else if (k == "status_code") parse_status(ctx, st, u);
    else if (k == "virtualhost") { if (ctx.need(st, 1, 1)) u.virtualhost = st.arg(0); }
    else if (k == "regex") { if (ctx.need(st, 1, 1)) u.regex = st.arg(0); }
    else if (k == "regex_no_match") u.regex_no_match = true;
    else if (k == "regex_options" || k == "regex_stack" || k == "regex_min_offset" ||
             k == "regex_max_offset" || k == "fast_recovery") {}  // accepted, not used
    else ctx.unknown(st, "url");
  }
  return u;
}

bool http_option(ParseCtx& ctx, const Statement& st, Checker& c) {
  const std::string& k = st.keyword();
  if (k == "url") { if (!st.has_block) ctx.error(st, "needs a { ... } block"); else c.urls.push_back(parse_url(ctx, st)); }
  else if (k == "virtualhost") return false;  // cascaded: handled by the caller
  else if (k == "http_protocol") {
    if (!ctx.need(st, 1, 1)) return true;
    const std::string& v = st.arg(0);
    if (v == "1.0" || v == "1.0C" || v == "1.1") c.http_protocol = v;
    else if (v == "0") c.http_protocol = "1.0";
    else ctx.error(st, "bad http_protocol '" + v + "' (1.0|1.0C|1.1)");
  }
  else if (k == "enable_sni") { if (auto b = ctx.flag(st)) c.enable_sni = *b; }
  else if (k == "fast_recovery") {}
  else return false;
  return true;
}

bool misc_option(ParseCtx& ctx, const Statement& st, Checker& c) {
  const std::string& k = st.keyword();
  if (k == "misc_path") { if (ctx.need(st, 1, SIZE_MAX)) c.misc_path.command = join_args(st, 0); }
  else if (k == "misc_timeout") { if (auto t = ctx.timer(st, 0)) c.misc_timeout = *t; }
  else if (k == "misc_dynamic") c.misc_dynamic = true;
  else if (k == "user") {
    if (!ctx.need(st, 1, 2)) return true;
    c.misc_path.user = st.arg(0);
    if (st.nargs() > 1) c.misc_path.group = st.arg(1);
  }
  else return false;
  return true;
}

bool dns_option(ParseCtx& ctx, const Statement& st, Checker& c) {
  const std::string& k = st.keyword();
  if (k == "type") {
    if (!ctx.need(st, 1, 1)) return true;
    std::string t = st.arg(0);
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char ch) { return std::toupper(ch); });
    static const char* types[] = {"A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA"};
    if (std::find_if(std::begin(types), std::end(types), [&](const char* x) { return t == x; }) == std::end(types))
      ctx.error(st, "unknown DNS type '" + st.arg(0) + "' (A|NS|CNAME|SOA|MX|TXT|AAAA)");
    else c.dns_type = t;
  }
  else if (k == "name") { if (ctx.need(st, 1, 1)) c.dns_name = st.arg(0); }
  else return false;
  return true;
}

// Legacy SMTP_CHECK `host { connect_ip ... connect_port ... bindto ... }`: each becomes a
// checker of its own (with_hosts below).
bool smtp_option(ParseCtx& ctx, const Statement& st, CheckerDraft& d, std::vector<CheckerDraft>& hosts) {
  const std::string& k = st.keyword();
  if (k == "helo_name") { if (ctx.need(st, 1, 1)) d.c.helo_name = st.arg(0); }
  else if (k == "host") {
    CheckerDraft h;
    for (const Statement& o : st.block)
      if (!common_option(ctx, o, h)) ctx.unknown(o, "SMTP_CHECK host");
    hosts.push_back(std::move(h));
  }
  else return false;
  return true;
}

bool sets_connection(const CheckerDraft& d) {
  const Checker& c = d.c;
  return c.connect_ip || c.connect_port || c.bindto || c.bind_port || !c.bind_if.empty() || c.fwmark ||
         d.set.connect_timeout;
}

// keepalived's smtp_check_end_handler: the SMTP_CHECK (if it has a connection of its own),
// then one copy per host with the host's connection and its zero-filled timeout.
std::vector<CheckerDraft> with_hosts(const CheckerDraft& d, const std::vector<CheckerDraft>& hosts) {
  std::vector<CheckerDraft> out;
  if (hosts.empty() || sets_connection(d)) out.push_back(d);
  for (const CheckerDraft& h : hosts) {
    CheckerDraft x = d;
    x.c.connect_ip = h.c.connect_ip;
    x.c.connect_port = h.c.connect_port;
    x.c.bindto = h.c.bindto;
    x.c.bind_port = h.c.bind_port;
    x.c.bind_if = h.c.bind_if;
    x.c.fwmark = h.c.fwmark;
    x.set.connect_timeout = h.set.connect_timeout.value_or(0);
    out.push_back(std::move(x));
  }
  return out;
}

std::optional<std::vector<uint8_t>> hex_args(ParseCtx& ctx, const Statement& st) {
  std::string all;
  for (size_t i = 0; i < st.nargs(); ++i) all += st.arg(i);
  all.erase(std::remove(all.begin(), all.end(), ':'), all.end());
  auto h = parse_hex(all);
  if (!h) ctx.error(st, "bad hex string '" + join_args(st, 0) + "'");
  return h;
}

bool udp_option(ParseCtx& ctx, const Statement& st, Checker& c) {
  const std::string& k = st.keyword();
  if (k == "payload") { if (ctx.need(st, 1, SIZE_MAX)) if (auto h = hex_args(ctx, st)) c.payload = *h; }
  else if (k == "require_reply") {
    if (st.nargs() == 0) c.require_reply = std::vector<uint8_t>{};
    else if (auto h = hex_args(ctx, st)) c.require_reply = *h;
  }
  else if (k == "min_reply_length") { if (auto v = ctx.integer(st, 0, 0, 65535)) c.min_reply_length = int(*v); }
  else if (k == "max_reply_length") { if (auto v = ctx.integer(st, 0, 0, 65535)) c.max_reply_length = int(*v); }
  else return false;
  return true;
}

bool file_option(ParseCtx& ctx, const Statement& st, Checker& c) {
  const std::string& k = st.keyword();
  if (k == "track_file") { if (ctx.need(st, 1, 1)) c.track_file = st.arg(0); }
  else if (k == "dynamic") c.file_dynamic = true;
  else if (k == "weight") {
    if (auto v = ctx.integer(st, 0, -254, 254)) c.file_weight = int(*v);
    if (st.nargs() > 1) {
      if (st.arg(1) == "reverse") c.file_reverse = true;
      else if (st.arg(1) != "noreverse") ctx.error(st, "expected 'reverse' after the weight, not '" + st.arg(1) + "'");
    }
  }
  else return false;
  return true;
}

}  // namespace

std::optional<Checker::Type> checker_type(std::string_view k) {
  for (int t = Checker::Tcp; t <= Checker::File; ++t)
    if (k == type_name(Checker::Type(t))) return Checker::Type(t);
  return std::nullopt;
}

std::vector<CheckerDraft> parse_checker(ParseCtx& ctx, const Statement& blk, Checker::Type type) {
  CheckerDraft d;
  d.c.type = type;
  d.c.where = blk.where;
  std::vector<CheckerDraft> hosts;
  for (const Statement& st : blk.block) {
    bool done = false;
    switch (type) {
      case Checker::Http:
      case Checker::Ssl:
        done = http_option(ctx, st, d.c);
        if (!done && st.keyword() == "virtualhost") {
          if (ctx.need(st, 1, 1)) d.set.virtualhost = st.arg(0);
          done = true;
        }
        break;
      case Checker::Misc: done = misc_option(ctx, st, d.c); break;
      case Checker::Dns: done = dns_option(ctx, st, d.c); break;
      case Checker::Smtp: done = smtp_option(ctx, st, d, hosts); break;
      case Checker::Udp: done = udp_option(ctx, st, d.c); break;
      case Checker::File: done = file_option(ctx, st, d.c); break;
      default: break;
    }
    if (!done && !common_option(ctx, st, d)) ctx.unknown(st, type_name(type));
  }
  if (type == Checker::Misc && d.c.misc_path.empty()) ctx.error(blk.where, "MISC_CHECK: misc_path is missing");
  if (type == Checker::File && d.c.track_file.empty()) ctx.error(blk.where, "FILE_CHECK: track_file is missing");
  if (!hosts.empty()) ctx.warn(blk.where, "SMTP_CHECK host blocks are deprecated: each is checked as an SMTP_CHECK of its own");
  return with_hosts(d, hosts);
}

Checker resolve_checker(const CheckerDraft& d, const Cascade& up) {
  Cascade e = over(d.set, up);
  Checker c = d.c;
  c.delay_loop = e.delay_loop.value_or(60000);
  c.connect_timeout = e.connect_timeout.value_or(5000);
  int def_retry = c.type == Checker::Dns ? 3 : c.type == Checker::Misc ? 0 : 1;
  c.retry = e.retry.value_or(def_retry);
  TimeMs def_dbr = (c.type == Checker::Http || c.type == Checker::Ssl) ? 3000
                   : c.type == Checker::Dns ? c.delay_loop : 1000;
  c.delay_before_retry = e.delay_before_retry.value_or(def_dbr);
  c.warmup = e.warmup.value_or(c.delay_loop);
  c.alpha = e.alpha.value_or(false);
  c.log_all_failures = e.log_all_failures.value_or(false);
  c.virtualhost = e.virtualhost.value_or("");
  return c;
}

}  // namespace ulvs::config

// keepalived_parser.cc — see keepalived_parser.h.  Top level: lex (with includes), build the
// block tree, then dispatch each top-level block to its parser.
#include "config/keepalived_parser.h"

#include <unistd.h>

#include "config/lexer.h"
#include "config/parse_global.h"
#include "config/parse_tree.h"
#include "config/parse_values.h"
#include "config/parse_virtual_server.h"

namespace ulvs::config {
namespace {

std::string short_hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "";
  std::string h(buf);
  return h.substr(0, h.find('.'));
}

LexOptions lex_options(const ParseOptions& opt) {
  return {opt.config_id ? *opt.config_id : short_hostname()};
}

bool is_vrrp_kind(const std::string& k) {
  return k == "vrrp_instance" || k == "vrrp_sync_group" || k == "vrrp_script";
}

// Top-level blocks ulvs knows but does not implement: warned about, skipped.
bool is_unsupported_block(const std::string& k) {
  static const char* names[] = {"static_ipaddress", "static_routes", "static_rules", "vrrp_track_process",
                                "vrrp_track_file", "track_file", "garp_group", "bfd_instance",
                                "linkbeat_use_polling", "net_namespace", "instance"};
  for (auto* n : names) if (k == n) return true;
  return false;
}

void parse_vrrp(ParseCtx& ctx, const Statement& st, KeepalivedConfig& cfg) {
  if (!st.has_block) { ctx.error(st, "needs a { ... } block"); return; }
  VrrpBlock v{st.keyword(), st.nargs() ? st.arg(0) : "", st.where};
  if (v.name.empty()) ctx.error(st, "missing name");
  ctx.warn(st, "'" + v.name + "' not active yet (VRRP is a later issue)");
  cfg.vrrp.push_back(std::move(v));
}

// Every SSL_GET carries the SSL block's settings, so its probe needs no global state; done
// after the whole file because keepalived lets the block come after the virtual_servers.
void give_ssl_client(KeepalivedConfig& cfg) {
  auto give = [&](RealServer& rs) {
    for (Checker& c : rs.checkers)
      if (c.type == Checker::Ssl) c.ssl = cfg.global.ssl;
  };
  for (VirtualServer& vs : cfg.virtual_servers) {
    for (RealServer& rs : vs.real_servers) give(rs);
    if (vs.sorry_server) give(*vs.sorry_server);
  }
}

std::optional<KeepalivedConfig> parse_tree(const std::vector<Statement>& tree, ParseCtx& ctx,
                                           KeepalivedConfig cfg) {
  bool log_all = false;
  Groups groups;
  for (const Statement& st : tree)  // groups first: a virtual_server may name a later one
    if (st.keyword() == "virtual_server_group") {
      if (!ctx.need(st, 1, 1)) continue;
      if (groups.count(st.arg(0))) ctx.error(st, "group '" + st.arg(0) + "' defined twice");
      groups[st.arg(0)] = parse_vs_group(ctx, st);
    } else if (st.keyword() == "global_defs") {
      parse_global_defs(ctx, st, cfg.global, log_all);
    } else if (st.keyword() == "SSL") {
      parse_ssl(ctx, st, cfg.global);
    }
  Cascade root;
  if (log_all) root.log_all_failures = true;
  for (const Statement& st : tree) {
    const std::string& k = st.keyword();
    if (k == "virtual_server_group" || k == "global_defs" || k == "SSL") continue;
    if (k == "virtual_server") {
      if (!st.has_block) { ctx.error(st, "needs a { ... } block"); continue; }
      if (auto vs = parse_virtual_server(ctx, st, groups, root)) cfg.virtual_servers.push_back(std::move(*vs));
    } else if (is_vrrp_kind(k)) {
      parse_vrrp(ctx, st, cfg);
    } else if (is_unsupported_block(k)) {
      ctx.warn(st, "not supported by ulvs (ignored)");
    } else {
      ctx.unknown(st, "the top level");
    }
  }
  if (ctx.failed) return std::nullopt;
  give_ssl_client(cfg);
  return cfg;
}

std::optional<KeepalivedConfig> finish(bool lexed, const std::vector<Token>& toks, Diagnostics& diag,
                                       std::vector<std::string> files) {
  auto tree = build_tree(toks, diag);
  if (!lexed || !tree) return std::nullopt;
  ParseCtx ctx{diag};
  KeepalivedConfig cfg;
  cfg.files = std::move(files);
  return parse_tree(*tree, ctx, std::move(cfg));
}

}  // namespace

std::optional<KeepalivedConfig> load_keepalived(const std::string& path, Diagnostics& diag,
                                                const ParseOptions& opt) {
  std::vector<Token> toks;
  std::vector<std::string> files;
  bool ok = lex_file(path, lex_options(opt), toks, diag, files);
  return finish(ok, toks, diag, std::move(files));
}

std::optional<KeepalivedConfig> parse_keepalived_text(const std::string& text, const std::string& name,
                                                      Diagnostics& diag, const ParseOptions& opt,
                                                      const std::string& dir) {
  std::vector<Token> toks;
  std::vector<std::string> files;
  bool ok = lex_text(text, name, dir, lex_options(opt), toks, diag, files);
  return finish(ok, toks, diag, std::move(files));
}

}  // namespace ulvs::config

// persistence.cc — persistent services: a client (grouped by netmask) keeps its real server
// for as long as its template lives (ip_vs_sched_persist, spec §4.5).
//
// The template is an entry keyed <proto, masked client, 0, vip, vport> (or the fwmark), bound
// to the chosen real server.  Every new connection of the client reuses its dest and pushes
// the template's expiry out again; the scheduler is not consulted while it is valid.
#include "ipvs/engine.h"

namespace ulvs::ipvs {

namespace {

struct TemplateKey {
  uint8_t protocol;
  net::Addr vaddr;
  uint16_t vport;
  bool keep_dport;  // normal services store the dest port; FTP, port-0 and fwmark store 0
};

TemplateKey template_key(const ServiceKey& k, const PacketMeta& pkt) {
  if (k.is_fwmark()) {
    net::Addr mark = net::Addr::v4(k.fwmark);  // the kernel stores the mark in the address
    mark.family = k.family;
    return {0, mark, 0, false};
  }
  if (k.port == 21 || pkt.dport != k.port) return {pkt.protocol, pkt.daddr, 0, false};
  return {pkt.protocol, pkt.daddr, k.port, true};
}

}  // namespace

// A template is used only while its real server is in the service and, with
// expire_quiescent_template, not quiesced.
bool Engine::template_valid(const Conn& ct) const {
  if (!ct.dest || !ct.dest->available) return false;
  return !(sysctl_.expire_quiescent_template && ct.dest->weight() == 0);
}

Conn* Engine::schedule_persistent(Service& svc, const PacketMeta& pkt, TimeMs now,
                                  Decision& fail) {
  const ServiceConfig& cfg = svc.config();
  net::Addr client = pkt.saddr.masked(cfg.netmask);
  TemplateKey tk = template_key(cfg.key, pkt);

  Conn* ct = table_.lookup_template(tk.protocol, client, tk.vaddr, tk.vport);
  if (ct && !template_valid(*ct)) {
    // Invalidated, not removed: -Lc keeps showing it with port 65535 until it times out,
    // and its timer is no longer refreshed.
    ct->flags |= conn_flag::kInvalid;
    ct->dport = 0xFFFF;
    ct = nullptr;
  }
  if (!ct) {
    Dest* d = svc.schedule({pkt.protocol, pkt.saddr, pkt.daddr, pkt.sport, pkt.dport, false}, now);
    if (!d) {
      ++counters_.no_dest;
      fail = {Verdict::Unreachable, DropReason::None, nullptr};
      return nullptr;
    }
    ct = table_.alloc();
    if (!ct) {
      ++counters_.table_full;
      fail = {Verdict::Drop, DropReason::TableFull, nullptr};
      return nullptr;
    }
    ct->family = static_cast<uint8_t>(client.family);
    ct->protocol = tk.protocol;
    ct->caddr = client.bytes;
    ct->vaddr = tk.vaddr.bytes;
    ct->vport = tk.vport;
    ct->daddr = d->addr().bytes;
    ct->dport = tk.keep_dport ? d->port() : 0;
    ct->fwmark = pkt.fwmark;
    ct->flags |= conn_flag::kTemplate | (static_cast<uint16_t>(d->cfg.fwd) & conn_flag::kFwdMask);
    ct->timeout_ms = cfg.timeout_s * 1000;
    bind(*ct, *d);
    table_.hash(*ct);
  }

  Dest& d = *ct->dest;
  uint16_t dport = (pkt.dport == cfg.key.port && d.port()) ? d.port() : pkt.dport;
  ConnId tid = table_.id(*ct);
  Conn* c = new_conn(svc, d, pkt, dport, now, fail);
  ct = &table_.at(tid);
  if (!c) {
    table_.arm(*ct, now);
    return nullptr;
  }
  c->control = tid;
  ++ct->n_control;
  table_.arm(*ct, now);  // only new connections refresh a template
  return c;
}

}  // namespace ulvs::ipvs

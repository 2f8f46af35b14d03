// metrics.cc — one HELP/TYPE header per family, then a line per service or real server.
#include "daemon/metrics.h"
#include "daemon/metrics_writer.h"

#include <functional>
#include <sstream>

#include "ctl/codec.h"

namespace ulvs::daemon {

namespace {

// Label values escape backslash, double quote and newline (the exposition format's rule).
std::string escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string service_labels(const ipvs::ServiceKey& k) {
  bool fwm = k.is_fwmark();
  std::string proto = fwm ? (k.family == net::Family::V6 ? "fwm6" : "fwm")
                          : ctl::protocol_name(k.protocol);
  return "protocol=\"" + proto + "\",vip=\"" + (fwm ? "" : escape(k.addr.str())) +
         "\",port=\"" + std::to_string(fwm ? 0 : k.port) + "\",fwmark=\"" +
         std::to_string(k.fwmark) + "\"";
}

std::string server_labels(const ctl::ServiceInfo& s, const ctl::DestInfo& d) {
  return service_labels(s.cfg.key) + ",server=\"" + escape(d.cfg.ep.str()) + "\"";
}

struct CounterField {
  const char* suffix;
  const char* help;
  uint64_t ipvs::Counters::*field;
};
constexpr CounterField kCounters[] = {
    {"connections_total", "Connections scheduled", &ipvs::Counters::conns},
    {"in_packets_total", "Packets from clients", &ipvs::Counters::inpkts},
    {"out_packets_total", "Packets from real servers", &ipvs::Counters::outpkts},
    {"in_bytes_total", "Bytes from clients", &ipvs::Counters::inbytes},
    {"out_bytes_total", "Bytes from real servers", &ipvs::Counters::outbytes},
};

void service_metrics(MetricsWriter& w, const std::vector<ctl::ServiceInfo>& services) {
  w.family("ulvs_service_info", "gauge", "Virtual service settings (value always 1)");
  for (auto& s : services)
    w.sample("ulvs_service_info",
             service_labels(s.cfg.key) + ",scheduler=\"" + escape(s.cfg.scheduler) +
                 "\",persistent=\"" + (s.cfg.persistent() ? "true" : "false") + "\"",
             1);
  for (auto& c : kCounters) {
    std::string name = std::string("ulvs_service_") + c.suffix;
    w.family(name.c_str(), "counter", c.help);
    for (auto& s : services) w.sample(name.c_str(), service_labels(s.cfg.key), s.stats.*c.field);
  }
}

void server_metrics(MetricsWriter& w, const std::vector<ctl::ServiceInfo>& services) {
  auto each = [&](const char* name, const char* type, const char* help,
                  const std::function<uint64_t(const ctl::DestInfo&)>& value,
                  const std::function<std::string(const ctl::DestInfo&)>& extra = {}) {
    w.family(name, type, help);
    for (auto& s : services)
      for (auto& d : s.dests)
        w.sample(name, server_labels(s, d) + (extra ? extra(d) : ""), value(d));
  };
  each("ulvs_server_info", "gauge", "Real server settings (value always 1)",
       [](auto&) { return 1; },
       [](auto& d) { return ",forward=\"" + std::string(ctl::fwd_name(d.cfg.fwd)) + "\""; });
  // A negative weight cannot be configured (ERANGE), so the unsigned cast is safe.
  each("ulvs_server_weight", "gauge", "Scheduling weight (0: quiesced)",
       [](auto& d) { return uint64_t(d.cfg.weight); });
  each("ulvs_server_active_connections", "gauge", "ActiveConn as ipvsadm shows it",
       [](auto& d) { return d.activeconns; });
  each("ulvs_server_inactive_connections", "gauge", "InActConn as ipvsadm shows it",
       [](auto& d) { return d.inactconns; });
  each("ulvs_server_persistent_connections", "gauge", "Persistence templates bound to it",
       [](auto& d) { return d.persistconns; });
  for (auto& c : kCounters) {
    std::string name = std::string("ulvs_server_") + c.suffix;
    each(name.c_str(), "counter", c.help, [&](auto& d) { return d.stats.*c.field; });
  }
}

void engine_metrics(MetricsWriter& w, const EngineState& e) {
  w.family("ulvs_drops_total", "counter", "Packets the engine dropped, by reason");
  w.sample("ulvs_drops_total", "reason=\"table_full\"", e.counters.table_full);
  w.sample("ulvs_drops_total", "reason=\"no_dest\"", e.counters.no_dest);
  w.sample("ulvs_drops_total", "reason=\"dest_unavailable\"", e.counters.dest_unavailable);
  w.sample("ulvs_drops_total", "reason=\"no_local_port\"", e.counters.no_local_port);
  w.family("ulvs_passed_packets_total", "counter", "Packets not for any service");
  w.sample("ulvs_passed_packets_total", "", e.counters.passed);
  w.family("ulvs_connections", "gauge", "Entries in the connection table (with templates)");
  w.sample("ulvs_connections", "", e.conns);
  w.family("ulvs_connection_table_capacity", "gauge", "Size of the connection table");
  w.sample("ulvs_connection_table_capacity", "", e.conn_capacity);
}

}  // namespace

std::string render_metrics(const std::vector<ctl::ServiceInfo>& services, const EngineState& e) {
  MetricsWriter w;
  service_metrics(w, services);
  server_metrics(w, services);
  engine_metrics(w, e);
  return w.str();
}

}  // namespace ulvs::daemon

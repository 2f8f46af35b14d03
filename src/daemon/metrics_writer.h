// metrics_writer.h — Prometheus text exposition, one family header then its samples.
//
//   MetricsWriter w;
//   w.family("ulvs_drops_total", "counter", "Packets dropped, by reason");
//   w.sample("ulvs_drops_total", "reason=\"table_full\"", 3);
//   std::string text = w.str();
#pragma once

#include <cstdint>
#include <sstream>
#include <string>

namespace ulvs::daemon {

class MetricsWriter {
 public:
  void family(const char* name, const char* type, const char* help) {
    out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  }
  void sample(const char* name, const std::string& labels, uint64_t v) {
    out_ << name;
    if (!labels.empty()) out_ << '{' << labels << '}';
    out_ << ' ' << v << '\n';
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

}  // namespace ulvs::daemon

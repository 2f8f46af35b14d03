// registry.cc — scheduler names to factories.
#include "sched/scheduler.h"

namespace ulvs::sched {

std::unique_ptr<Scheduler> make(std::string_view name, const SchedSysctl& sysctl) {
  if (name == "rr") return make_rr();
  if (name == "wrr") return make_wrr();
  if (name == "lc") return make_lc();
  if (name == "wlc") return make_wlc();
  if (name == "sed") return make_sed();
  if (name == "nq") return make_nq();
  if (name == "fo") return make_fo();
  if (name == "ovf") return make_ovf();
  if (name == "twos") return make_twos();
  if (name == "lblc") return make_lblc(sysctl);
  if (name == "lblcr") return make_lblcr(sysctl);
  if (name == "dh") return make_dh();
  if (name == "sh") return make_sh();
  if (name == "mh") return make_mh();
  if (name == "none") return make_none();
  return nullptr;
}

const std::vector<std::string>& names() {
  static const std::vector<std::string> all = {"rr",  "wrr",  "lc",    "wlc", "sed",
                                               "nq",  "fo",   "ovf",   "twos", "lblc",
                                               "lblcr", "dh", "sh",    "mh", "none"};
  return all;
}

}  // namespace ulvs::sched

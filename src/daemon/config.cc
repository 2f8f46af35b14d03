// config.cc — read, validate as a whole (so a broken file never half-applies), then apply.
#include "daemon/config.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "ctl/codec.h"
#include "daemon/control.h"

namespace ulvs::daemon {

std::optional<std::vector<ctl::Request>> load_config(const std::string& path,
                                                     std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text.str());
  } catch (const std::exception& e) {
    error = path + ": malformed JSON: " + e.what();
    return std::nullopt;
  }
  if (!j.is_array()) {
    error = path + ": expected a JSON array of requests";
    return std::nullopt;
  }
  std::vector<ctl::Request> reqs;
  for (size_t i = 0; i < j.size(); ++i) {
    try {
      nlohmann::json r = j[i];
      if (r.is_object() && !r.contains("version")) r["version"] = ctl::kApiVersion;
      reqs.push_back(ctl::request_from_json(r));
    } catch (const std::exception& e) {
      error = path + ": request " + std::to_string(i + 1) + ": " + e.what();
      return std::nullopt;
    }
  }
  return reqs;
}

ConfigResult apply_config(Control& ctl, const std::vector<ctl::Request>& reqs) {
  ConfigResult res;
  ctl.execute({.op = ctl::Op::Flush});
  for (size_t i = 0; i < reqs.size(); ++i) {
    ctl::Reply rep = ctl.execute(reqs[i]);
    if (rep.error == 0) continue;
    // The flush leaves the FULLNAT local addresses alone, so on a reload the file's
    // add_local_addr finds its address already there: that is the state it asks for.
    if (reqs[i].op == ctl::Op::AddLocalAddr && rep.error == -EEXIST) continue;
    if (res.failed++ == 0)
      res.first_error = "request " + std::to_string(i + 1) + " (" +
                        std::string(ctl::op_name(reqs[i].op)) + "): " +
                        (rep.message.empty() ? std::strerror(-rep.error) : rep.message);
  }
  return res;
}

}  // namespace ulvs::daemon

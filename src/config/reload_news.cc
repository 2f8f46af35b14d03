#include "config/reload_news.h"

namespace ulvs::config {
namespace {

// What an event is about: the quorum (nullopt) or a real server.
std::optional<size_t> subject(const ScriptRun& r) {
  if (r.kind == ScriptRun::QuorumUp || r.kind == ScriptRun::QuorumDown) return std::nullopt;
  return r.rs;
}
std::optional<size_t> subject(const Alert& a) {
  if (a.kind == Alert::VsQuorum || a.kind == Alert::VsShutdown) return std::nullopt;
  return a.rs;
}

bool changed(std::optional<size_t> about, const Before& before, const Pool& after) {
  if (!about) return after.quorum_up() != before.quorum_up;
  if (*about >= before.alive.size() || !before.alive[*about]) return true;  // a new server
  return after.alive(*about) != *before.alive[*about];
}

template <class Event>
std::vector<Event> filter(std::vector<Event> events, const Before& before, const Pool& after) {
  std::vector<Event> kept;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto about = subject(events[i]);
    const bool new_server = about && (*about >= before.alive.size() || !before.alive[*about]);
    bool last = true;
    for (size_t j = i + 1; j < events.size() && last; ++j) last = subject(events[j]) != about;
    if (new_server || (last && changed(about, before, after))) kept.push_back(std::move(events[i]));
  }
  return kept;
}

}  // namespace

std::vector<ScriptRun> reload_news(std::vector<ScriptRun> runs, const Before& before, const Pool& after) {
  return filter(std::move(runs), before, after);
}

std::vector<Alert> reload_news(std::vector<Alert> alerts, const Before& before, const Pool& after) {
  return filter(std::move(alerts), before, after);
}

}  // namespace ulvs::config

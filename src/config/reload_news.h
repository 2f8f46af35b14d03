// reload_news.h — which of the scripts and mails a reloaded pool produced are news.
//
// A reload builds each pool afresh and replays the health the checks already knew
// (check/carry.h), so a pool that existed before may "reach" states it was already in: a
// quorum_up at start, a notify_down for a server that was already down.  keepalived's reload
// runs a notify only when a state really changes (clear_diff_rs, migrate_checkers,
// update_quorum_state with the old quorum state), and so does this filter:
//
//   config::Before before{.quorum_up = old_pool.quorum_up(), .alive = {...}};
//   auto runs = config::reload_news(new_pool.take_scripts(), before, new_pool);
//   auto mail = config::reload_news(new_pool.take_alerts(), before, new_pool);
//
// Kept: for the quorum and for each real server, the last event of the replay, and only when
// the state it ends in differs from the state before the reload.  Events about real servers
// that are new in this configuration are all kept.
#pragma once

#include <optional>
#include <vector>

#include "config/pool.h"

namespace ulvs::config {

struct Before {
  bool quorum_up = false;
  std::vector<std::optional<bool>> alive;  // per real server of the new pool; nullopt: new
};

std::vector<ScriptRun> reload_news(std::vector<ScriptRun> runs, const Before& before, const Pool& after);
std::vector<Alert> reload_news(std::vector<Alert> alerts, const Before& before, const Pool& after);

}  // namespace ulvs::config

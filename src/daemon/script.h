// script.h — running the scripts a configuration names (notify_up, quorum_down, ...): in the
// background, through /bin/sh -c as keepalived does, as the configured user when given.
//
//   spawn_script({.command = "/usr/local/bin/notify.sh up"});   // returns at once
#pragma once

#include "config/keepalived_model.h"

namespace ulvs::daemon {

// Starts the script detached (double fork: nothing to reap); false if it could not start.
bool spawn_script(const config::Script& s);

}  // namespace ulvs::daemon

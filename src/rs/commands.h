// commands.h — the ulvs-rs commands; each prints what it changed and throws Failure
// when a change fails (the changes made before it stay; running the command again is safe).
#pragma once

#include <ostream>

#include "rs/options.h"

namespace ulvs::rs {

void run_dr(const Options& o, std::ostream& out);
void run_tun(const Options& o, std::ostream& out);
void run_down(const Options& o, std::ostream& out);
void run_status(const Options& o, std::ostream& out);
void run_toa_attach(const Options& o, std::ostream& out);
void run_toa_show(const Options& o, std::ostream& out);
void run_toa_detach(const Options& o, std::ostream& out);

}  // namespace ulvs::rs

// clsact.h — the clsact qdisc that carries tc-BPF programs on an interface's ingress.
// ulvs-rs creates it when missing and, on `down`, removes it only when no filter of anyone
// else is left on it (ingress or egress).
#pragma once

#include "rs/netlink.h"

namespace ulvs::rs {

void ensure_clsact(int ifindex);  // throws Failure
// True if it was removed.
bool remove_clsact_if_unused(Netlink& nl, int ifindex);

}  // namespace ulvs::rs

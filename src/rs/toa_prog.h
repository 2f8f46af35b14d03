// toa_prog.h — bpf/toa_sockops.bpf.c on a cgroup v2: the client addresses that a FULLNAT
// director carries in TOA (TCP option 254), read from each passive connection's final
// handshake ACK into an LRU map keyed by the connection as the server sees it.
//
// The program is attached through a bpf_link (BPF_CGROUP_SOCK_OPS) and the link, the program
// and the map are pinned in kToaPinDir, so the attachment outlives ulvs-rs; `toa show` reads
// the pinned map and `toa detach` detaches the link and removes the pins.  Only sockets
// created by processes in the cgroup (or below it) are seen: a server must be started there.
//
// bpffs is mounted on /sys/fs/bpf if nothing is.  Under `ip netns exec` (which remounts /sys
// in a private mount namespace) neither the host's cgroup2 mount nor its bpffs is visible, and
// pins made there vanish with the command: run `ulvs-rs toa` in the host's mount namespace.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "net/addr.h"

namespace ulvs::rs {

inline constexpr const char* kBpffs = "/sys/fs/bpf";
inline constexpr const char* kToaPinDir = "/sys/fs/bpf/ulvs-rs";
inline constexpr const char* kToaProgName = "ulvs_toa";

// One connection: local and remote as the server sees them (remote = the director's FULLNAT
// local address), and the client the director put in TOA.
struct ToaEntry {
  net::Endpoint local, remote, client;
};

// The first cgroup2 mount point in /proc/mounts; throws Failure if there is none.
std::string cgroup2_mount();

// Attaches to the cgroup directory `cgroup`.  False if it already was attached there; throws
// Failure if it is attached to another cgroup (detach first) or a step fails.
bool attach_toa(const std::string& cgroup);
// Detaches and removes the pins; false if nothing was attached.
bool detach_toa();
// The map's entries, sorted.  Throws Failure when not attached.
std::vector<ToaEntry> toa_entries();

}  // namespace ulvs::rs

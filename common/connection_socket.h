#pragma once

#include <string>

namespace ollama_exporter {

// CivetWeb 1.15 keeps each connection's socket private. These find it in
// this process's descriptor table (Linux: /proc/self/fd) by the
// connection's two IPv4 ends, for what CivetWeb cannot do: tell that the
// peer hung up while the handler has nothing to read or write.

// The descriptor of this process's TCP connection whose local port is
// `local_port` and whose peer is `peer_address` (dotted quad) port
// `peer_port`; -1 when there is none (or /proc is unreadable). The pair of
// ends names one connection. The descriptor is borrowed: its owner (CivetWeb)
// closes it. Thread safety: any thread.
int FindConnectionSocket(int local_port, const std::string& peer_address,
                         int peer_port);

// True once the peer of connected socket `fd` has closed or reset the
// connection, or the socket failed. Never blocks. POLLRDHUP: an HTTP
// client shuts down its sending side only when it closes; a pipelined next
// request shows as readable only.
bool PeerHasClosed(int fd);

}  // namespace ollama_exporter

#pragma once

#include "common/status.h"

namespace ollama_exporter::testing {

// A TCP socket listening on 127.0.0.1 at a port the kernel picked; the
// caller owns *fd. kUnavailable, with the system's reason, on failure.
Status ListenOnLoopback(int backlog, int* fd, int* port);

// A port on 127.0.0.1 that was free a moment ago: bound, read and
// released. Use it at once, to start a server there or as an address that
// refuses connections; another process may take it meanwhile.
Status PickFreeLoopbackPort(int* port);

}  // namespace ollama_exporter::testing

#pragma once

#include <memory>
#include <string>

#include "proxy/proxy_server.h"
#include "relay_recording_observer.h"
#include "relay_scripted_upstream.h"

namespace ollama_exporter::proxy::testing {

// A scripted upstream, a recording observer factory and a ProxyServer on
// 127.0.0.1:0 relaying to the upstream (plus `upstream_prefix`). Fails the
// test (REQUIRE) when any of them cannot start.
class RelayRig {
 public:
  explicit RelayRig(ProxyServerOptions options = {},
                    const std::string& upstream_prefix = "");

  // "http://127.0.0.1:<proxy port><target>".
  std::string Url(const std::string& target) const;

  ScriptedUpstream& upstream() { return *upstream_; }

  RecordingObserverFactory& observers() { return observers_; }

  void StopProxy() { proxy_.reset(); }

 private:
  std::unique_ptr<ScriptedUpstream> upstream_;
  RecordingObserverFactory observers_;
  std::unique_ptr<ProxyServer> proxy_;
  std::string proxy_address_;
};

}  // namespace ollama_exporter::proxy::testing

#include "relay_rig.h"

#include <catch2/catch.hpp>

namespace ollama_exporter::proxy::testing {

RelayRig::RelayRig(ProxyServerOptions options,
                   const std::string& upstream_prefix) {
  Status status = ScriptedUpstream::Start(&upstream_);
  INFO(status.ToString());
  REQUIRE(status.ok());
  options.listen_address = "127.0.0.1:0";
  options.upstream_url = upstream_->url() + upstream_prefix;
  status = ProxyServer::Start(options, &observers_, &proxy_);
  INFO(status.ToString());
  REQUIRE(status.ok());
  proxy_address_ = proxy_->bound_address();
}

std::string RelayRig::Url(const std::string& target) const {
  return "http://" + proxy_address_ + target;
}

}  // namespace ollama_exporter::proxy::testing

#include "client_case.h"

#include <vector>

#include "subprocess.h"

namespace ollama_exporter::clients {
namespace {

// Node's start and both libraries' import take about 0.4 s; a request
// that hangs is cut by the gate's timer or the openai client's 15 s.
constexpr int kClientTimeoutMs = 20000;

}  // namespace

Status RunClientCase(const ClientCase& client_case, nlohmann::json* result) {
  const std::vector<std::string> argv = {
      OE_NODE_BINARY,
      std::string(OE_CLIENTS_DIR) + "/run_case.mjs",
      client_case.name,
      "--proxy=" + client_case.proxy_url,
      "--fake=" + client_case.fake_url,
      "--model=" + client_case.model,
      "--release-after=" + std::to_string(client_case.release_after),
      "--gate-timeout-ms=" + std::to_string(client_case.gate_timeout_ms),
  };
  integration::ProcessResult ran;
  Status status = integration::RunProcess(argv, "", kClientTimeoutMs, &ran);
  if (!status.ok()) {
    return status.WithContext(client_case.name + "; stderr: " + ran.err);
  }
  if (ran.exit_code != 0) {
    return Status::FailedPrecondition(client_case.name + ": node exited " +
                                      std::to_string(ran.exit_code) +
                                      "; stderr: " + ran.err);
  }
  nlohmann::json parsed = nlohmann::json::parse(ran.out, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Status::FailedPrecondition(
        client_case.name + ": output is not a JSON object: " + ran.out +
        "; stderr: " + ran.err);
  }
  *result = std::move(parsed);
  return Status::Ok();
}

}  // namespace ollama_exporter::clients

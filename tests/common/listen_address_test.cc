#include "common/listen_address.h"

#include <string>

#include <catch2/catch.hpp>

namespace ollama_exporter {
namespace {

// "<listening_ports> <host>", or the error message with the address in
// front, as the server and the flag parser report it.
std::string Parsed(const std::string& text) {
  ListenAddress address;
  Status status = ParseListenAddress(text, &address);
  return status.ok()
             ? address.listening_ports + " " + address.host
             : "invalid listen address \"" + text + "\": " + status.message();
}

TEST_CASE("ParseListenAddress turns Go-style addresses into CivetWeb's",
          "[http]") {
  CHECK(Parsed(":11436") == "11436 0.0.0.0");
  CHECK(Parsed("11436") == "11436 0.0.0.0");
  CHECK(Parsed("127.0.0.1:0") == "127.0.0.1:0 127.0.0.1");
  CHECK(Parsed("0.0.0.0:9100") == "0.0.0.0:9100 0.0.0.0");
  CHECK(Parsed("localhost:65535") == "localhost:65535 localhost");
}

TEST_CASE("ParseListenAddress refuses IPv6 with the reason", "[http]") {
  const std::string why =
      "\": IPv6 is not supported: Debian's CivetWeb is built without IPv6; "
      "use an IPv4 address such as 127.0.0.1";
  CHECK(Parsed("[::1]:1") == "invalid listen address \"[::1]:1" + why);
  CHECK(Parsed("[::]:9100") == "invalid listen address \"[::]:9100" + why);
  CHECK(Parsed("::1:80") == "invalid listen address \"::1:80" + why);
}

TEST_CASE("ParseListenAddress refuses bad ports and hosts", "[http]") {
  for (const char* bad :
       {"", ":", "host:", "127.0.0.1:65536", "127.0.0.1:-1", ":8080s", ":8080r",
        "+8080", "99999999999999999999", "127.0.0.1:8 0"}) {
    INFO(bad);
    CHECK(Parsed(bad) == "invalid listen address \"" + std::string(bad) +
                             "\": the port must be a number from 0 to 65535");
  }
  for (const char* bad : {"a;b:80", "host name:80", "h/x:80", "h\n:80"}) {
    INFO(bad);
    CHECK(Parsed(bad) ==
          "invalid listen address \"" + std::string(bad) +
              "\": the host must be an IPv4 address or a host name");
  }
}

TEST_CASE("ParseListenAddress takes only dotted-quad IPv4 addresses",
          "[http]") {
  const std::string why = "\": the host must be an IPv4 address or a host name";
  CHECK(Parsed("999.1.1.1:11439") ==
        "invalid listen address \"999.1.1.1:11439" + why);
  CHECK(Parsed("127.1:11439") == "invalid listen address \"127.1:11439" + why);
  CHECK(Parsed("1.2.3.4.5:80") ==
        "invalid listen address \"1.2.3.4.5:80" + why);
  CHECK(Parsed("1..2.3:80") == "invalid listen address \"1..2.3:80" + why);
  CHECK(Parsed("255.255.255.255:80") == "255.255.255.255:80 255.255.255.255");
  CHECK(Parsed("gpu-box.lan:80") == "gpu-box.lan:80 gpu-box.lan");
}

TEST_CASE("ParseListenAddress names a scheme or a list as the problem",
          "[http]") {
  CHECK(Parsed("http://127.0.0.1:11439") ==
        "invalid listen address \"http://127.0.0.1:11439\": give host:port "
        "without a scheme");
  CHECK(Parsed("127.0.0.1:1,127.0.0.1:2") ==
        "invalid listen address \"127.0.0.1:1,127.0.0.1:2\": only one "
        "address can be given");
}

}  // namespace
}  // namespace ollama_exporter

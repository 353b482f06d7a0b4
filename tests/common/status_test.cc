#include "common/status.h"

#include <catch2/catch.hpp>

namespace ollama_exporter {
namespace {

TEST_CASE("Status is OK by default and prints as OK", "[common]") {
  Status status;
  CHECK(status.ok());
  CHECK(status.code() == StatusCode::kOk);
  CHECK(status.ToString() == "OK");
}

TEST_CASE("Status prints its code name before the message", "[common]") {
  CHECK(Status::InvalidArgument("bad hours").ToString() ==
        "invalid argument: bad hours");
  CHECK(Status::DeadlineExceeded("GET /api/ps after 5s").ToString() ==
        "deadline exceeded: GET /api/ps after 5s");
  CHECK(Status::DataLoss("x").code() == StatusCode::kDataLoss);
  CHECK_FALSE(Status::Internal("x").ok());
}

TEST_CASE("Status context goes before the message and keeps the code",
          "[common]") {
  Status status = Status::Unavailable("connection refused")
                      .WithContext("GET /api/tags")
                      .WithContext("poll");
  CHECK(status.code() == StatusCode::kUnavailable);
  CHECK(status.message() == "poll: GET /api/tags: connection refused");
  CHECK(Status::Ok().WithContext("ignored").ToString() == "OK");
}

}  // namespace
}  // namespace ollama_exporter

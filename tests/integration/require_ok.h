#pragma once

#include <catch2/catch.hpp>

#include "common/status.h"

// Fails the test case with the expression and the status text unless the
// Status is OK.
#define REQUIRE_OK(expr)                                        \
  do {                                                          \
    const ::ollama_exporter::Status oe_require_status = (expr); \
    if (!oe_require_status.ok()) {                              \
      FAIL(#expr << " -> " << oe_require_status.ToString());    \
    }                                                           \
  } while (false)

// Like REQUIRE_OK, but the test case goes on.
#define CHECK_OK(expr)                                           \
  do {                                                           \
    const ::ollama_exporter::Status oe_check_status = (expr);    \
    if (!oe_check_status.ok()) {                                 \
      FAIL_CHECK(#expr << " -> " << oe_check_status.ToString()); \
    }                                                            \
  } while (false)

// A parser run in a child process: what it sends arrives, its Error keeps its message, and
// its crash or early end becomes an Error here while this process goes on.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <fstream>

#include "runtime/error.hpp"
#include "runtime/model/isolated.hpp"
#include "runtime/model/keras_weights.hpp"

using namespace cnn::runtime;
using Catch::Matchers::Contains;

TEST_CASE("what the child sends arrives whole") {
  std::vector<float> got(100000);
  run_isolated(
      "f",
      [](PipeWriter& out) {
        out.text("hello");
        std::vector<float> v(100000);
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
        out.bytes(v.data(), v.size() * sizeof(float));  // more than a pipe holds
      },
      [&](PipeReader& in) {
        CHECK(in.text(10) == "hello");
        in.bytes(got.data(), got.size() * sizeof(float));
      });
  CHECK(got[99999] == 99999.0f);
}

TEST_CASE("the child's Error is rethrown with its message") {
  CHECK_THROWS_WITH(run_isolated(
                        "f", [](PipeWriter&) { throw Error("f: no attribute layer_names"); },
                        [](PipeReader& in) { in.u64(); }),
                    "f: no attribute layer_names");
}

TEST_CASE("a child that crashes or ends early is an Error, and this process goes on") {
  CHECK_THROWS_WITH(
      run_isolated(
          "bad.h5", [](PipeWriter&) { std::raise(SIGSEGV); }, [](PipeReader& in) { in.u64(); }),
      Contains("bad.h5: the reader crashed on it"));  // a signal, or a sanitizer's exit
  CHECK_THROWS_WITH(run_isolated(
                        "short.h5", [](PipeWriter& out) { out.u64(1); },
                        [](PipeReader& in) {
                          in.u64();
                          in.u64();
                        }),
                    Contains("short.h5: the reader crashed on it"));
  CHECK_THROWS_WITH(run_isolated(
                        "big.h5", [](PipeWriter& out) { out.text(std::string(100, 'x')); },
                        [](PipeReader& in) { in.text(10); }),
                    Contains("big.h5"));
}

TEST_CASE("the caller's own Error passes through") {
  CHECK_THROWS_WITH(run_isolated(
                        "f", [](PipeWriter& out) { out.u64(7); },
                        [](PipeReader& in) {
                          if (in.u64() == 7) throw Error("seven");
                        }),
                    "seven");
}

#include <catch2/catch.hpp>

#include <vector>

#include "runtime/train/distributed.hpp"

using cnn::runtime::Communicator;
using cnn::runtime::shard_of;

TEST_CASE("shards cover a batch in order, without overlap, differing by at most one") {
  for (int ranks : {1, 2, 3, 7}) {
    for (std::size_t n : {0u, 1u, 5u, 64u, 65u}) {
      INFO(ranks << " ranks, " << n << " samples");
      std::size_t next = 100;
      std::size_t smallest = n, largest = 0;
      for (int r = 0; r < ranks; ++r) {
        const auto [first, last] = shard_of(100, 100 + n, r, ranks);
        CHECK(first == next);
        next = last;
        smallest = std::min(smallest, last - first);
        largest = std::max(largest, last - first);
      }
      CHECK(next == 100 + n);
      CHECK(largest - smallest <= 1);
    }
  }
  // The larger shards come first: 17 samples over 2 ranks are 9 and 8.
  CHECK(shard_of(0, 17, 0, 2) == std::pair<std::size_t, std::size_t>{0, 9});
  CHECK(shard_of(0, 17, 1, 2) == std::pair<std::size_t, std::size_t>{9, 17});
}

TEST_CASE("outside mpirun the world is one process and collectives change nothing") {
  const Communicator& world = Communicator::world();
  CHECK(world.size() == 1);
  CHECK(world.rank() == 0);
  CHECK(world.is_root());
  std::vector<float> values{1.5f, -2.0f};
  std::vector<double> totals{3.0};
  world.sum(values);
  world.sum(totals);
  world.broadcast(values);
  CHECK(values == std::vector<float>{1.5f, -2.0f});
  CHECK(totals == std::vector<double>{3.0});
}

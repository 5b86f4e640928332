#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "runtime/train/distributed.hpp"
#include "runtime/train/interrupt.hpp"

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

namespace {

using cnn::runtime::describe_job_end;
using cnn::runtime::JobEnd;
using cnn::runtime::ProcessIdentity;

// Three ranks on two machines: ranks 0 and 1 share a machine, rank 2 is elsewhere.
std::vector<ProcessIdentity> three_ranks() {
  std::vector<ProcessIdentity> p(3);
  const char* hosts[] = {"node-a", "node-a", "node-b"};
  const char* boots[] = {"boot-a", "boot-a", "boot-b"};
  for (int r = 0; r < 3; ++r) {
    p[static_cast<std::size_t>(r)].pid = 100 + r;
    std::strcpy(p[static_cast<std::size_t>(r)].host, hosts[r]);
    std::strcpy(p[static_cast<std::size_t>(r)].boot_id, boots[r]);
    p[static_cast<std::size_t>(r)].pid_namespace = 7;
  }
  return p;
}

int ended_pid = 0;  // the process the fake lookup reports ended
bool fake_has_ended(const ProcessIdentity& p) { return p.pid == ended_pid; }

std::string report(const std::vector<ProcessIdentity>& processes, int rank, int ended,
                   const char* checkpoint = "ck-4.safetensors") {
  ended_pid = ended;
  JobEnd end;
  end.rank = rank;
  end.ranks = static_cast<int>(processes.size());
  end.signal = 15;
  end.processes = processes.data();
  end.has_ended = fake_has_ended;
  end.epoch = 5;
  end.step = 12;
  end.checkpoint = checkpoint;
  end.checkpoint_epoch = 4;
  char text[2048];
  const std::size_t n = describe_job_end(end, text, sizeof text);
  return std::string(text, n);
}

}  // namespace

TEST_CASE("When Open MPI ends the job, the report names the peer that ended and the checkpoint") {
  const auto processes = three_ranks();
  const std::string text = report(processes, 0, 101);
  CHECK(text.find("rank 0 of 3 (node-a): signal 15 from the launcher: Open MPI is ending the job, "
                  "because rank 1 (pid 101 on node-a) has ended.") != std::string::npos);
  CHECK(text.find("The step in flight (epoch 5, step 12) is lost and nothing is saved now") !=
        std::string::npos);
  CHECK(text.find("written after epoch 4: the same command with --resume ck-4.safetensors\n") !=
        std::string::npos);
  CHECK(text.find("saving") == std::string::npos);  // no promise of a save

  // Nobody it can see has ended, but rank 2 is on another machine.
  CHECK(report(processes, 0, 0).find("a process on another host ended, or mpirun was stopped") !=
        std::string::npos);
  // Every rank on this machine, and all alive: mpirun itself was stopped.
  auto local = processes;
  std::strcpy(local[2].boot_id, "boot-a");
  CHECK(report(local, 0, 0).find("no process of it has ended, so mpirun itself was stopped") !=
        std::string::npos);
  // The same machine by name but another process namespace (a container): not looked up.
  local[2].pid_namespace = 8;
  CHECK(report(local, 0, 102).find("a process on another host ended") != std::string::npos);
  // Without a checkpoint it says that a new run starts over.
  CHECK(report(processes, 0, 101, "").find("No checkpoint was written") != std::string::npos);
}

TEST_CASE("Only the lowest rank that may be alive reports the job's end") {
  const auto processes = three_ranks();
  CHECK(report(processes, 1, 102).empty());  // rank 0 is alive: it speaks
  const std::string from_1 = report(processes, 1, 100);
  CHECK(from_1.find("rank 1 of 3 (node-a)") != std::string::npos);
  CHECK(from_1.find("because rank 0 (pid 100 on node-a) has ended") != std::string::npos);
  CHECK(report(processes, 2, 100).empty());  // rank 2 cannot see rank 0: it may be alive
}

TEST_CASE("The report fits any buffer it is given") {
  const auto processes = three_ranks();
  ended_pid = 101;
  JobEnd end;
  end.ranks = 3;
  end.processes = processes.data();
  end.has_ended = fake_has_ended;
  end.checkpoint = "";
  char small[16];
  std::memset(small, 'x', sizeof small);
  const std::size_t n = describe_job_end(end, small, sizeof small);
  CHECK(n == sizeof small - 1);
  CHECK(small[sizeof small - 1] == '\0');
}
